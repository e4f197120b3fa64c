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
