//! Migrations, start-up failures and the demo seed, against real PostgreSQL.

use sqlx::PgPool;

#[sqlx::test(migrations = false)]
async fn migrations_apply_revert_and_reapply(pool: PgPool) {
    let migrator = &server::db::MIGRATOR;
    migrator.run(&pool).await.unwrap();
    migrator.undo(&pool, 0).await.unwrap();
    let tables: i64 = sqlx::query_scalar(
        "select count(*) from information_schema.tables where table_schema = 'public' and table_name <> '_sqlx_migrations'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(tables, 0, "down migrations remove everything");
    migrator.run(&pool).await.unwrap();
    server::db::ensure_migrated(&pool).await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn carts_and_orders_get_time_ordered_ids(pool: PgPool) {
    let mut ids = Vec::new();
    for _ in 0..3 {
        let id: uuid::Uuid = sqlx::query_scalar("insert into carts default values returning id")
            .fetch_one(&pool)
            .await
            .unwrap();
        ids.push(id);
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for id in &ids {
        assert_eq!(id.get_version_num(), 7, "{id}");
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122, "{id}");
        let (secs, _) = id.get_timestamp().expect("a version 7 id has a time").to_unix();
        assert!(now.abs_diff(secs) <= 5, "{id} was made at {secs}, now is {now}");
    }
    assert!(ids.is_sorted(), "later ids sort after earlier ones: {ids:?}");
    let defaults: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.columns
          where column_name = 'id' and column_default = 'uuid_v7()' order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        defaults,
        [
            "carts",
            "mail_outbox",
            "order_items",
            "orders",
            "payments",
            "product_reports",
            "refunds",
            "vendor_orders"
        ]
    );
}

#[sqlx::test(migrations = false)]
async fn an_unmigrated_database_is_refused_with_a_clear_message(pool: PgPool) {
    let error = server::db::ensure_migrated(&pool).await.unwrap_err().to_string();
    assert!(error.contains("Run `server migrate` first"), "{error}");
}

#[tokio::test]
async fn an_unreachable_database_is_one_clear_message() {
    let error = server::db::connect("postgres://user:secret@127.0.0.1:9/shop", 1)
        .await
        .unwrap_err();
    let message = format!("{error:#}");
    assert!(
        message.contains("could not connect to PostgreSQL at 127.0.0.1:9/shop"),
        "{message}"
    );
    assert!(!message.contains("secret"), "credentials stay out of messages");
    let malformed = server::db::connect("mysql://nope", 1).await.unwrap_err();
    assert!(format!("{malformed:#}").contains("not a valid PostgreSQL URL"));
}

#[sqlx::test(migrations = "../migrations")]
async fn seeding_twice_needs_replace_and_if_empty_skips(pool: PgPool) {
    let media = std::env::temp_dir().join(format!("seed-media-{}", uuid::Uuid::new_v4()));
    // Pictures are drawn once per directory; reuse the test's own to keep this quick.
    let args = |products, if_empty, replace| server::seed::SeedArgs {
        products,
        if_empty,
        replace,
    };
    let first = server::seed::run(&pool, &media, &args(80, false, false))
        .await
        .unwrap();
    assert_eq!(first.products, 80);
    assert!(first.vendors >= 8);
    let skipped = server::seed::run(&pool, &media, &args(80, true, false))
        .await
        .unwrap();
    assert!(skipped.skipped);
    let refused = server::seed::run(&pool, &media, &args(80, false, false))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("--replace"));
    server::seed::run(&pool, &media, &args(120, false, true))
        .await
        .unwrap();
    let products: i64 = sqlx::query_scalar("select count(*) from products")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(products, 120);
    assert!(media.join("demo/headphones-0-320.jpg").exists());
    let _ = std::fs::remove_dir_all(media);
}
