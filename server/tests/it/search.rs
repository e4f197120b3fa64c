//! Search on PostgreSQL, through the engine interface: the shared suite (`search_suite`) and
//! what only this engine does (corrections shown, `explain-search`).

use super::search_suite::{query, relevance_set_holds, search, slugs_for, suite};
use super::support::TestApp;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_postgres_engine_passes_the_suite(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 600).await;
    assert_eq!(app.state.app.search.name(), "postgres");
    suite(&app).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_relevance_set_holds_on_postgres(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 2000).await;
    relevance_set_holds(&app).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn corrections_are_shown_and_any_word_is_the_fallback(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 400).await;
    let corrected = search(&app, &query("wirelss headphnes")).await;
    assert_eq!(corrected.corrected.as_deref(), Some("wireless headphones"));
    let exact = search(&app, &query("headphones")).await;
    assert_eq!(exact.corrected, None);
    let mixed = search(&app, &query("headphones xylophonequartz")).await;
    assert!(mixed.any_word && mixed.listing.total > 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn explain_search_shows_each_word_and_the_query_run(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 400).await;
    let pool = &app.state.app.pool;
    let explained = app::search::terms::explain(pool, "Wirelss T-Shirt xq")
        .await
        .unwrap();
    assert_eq!(
        explained,
        "word: wirelss (unknown, corrected to wireless)\n\
         word: t-shirt (known as t-shirt)\n\
         word: xq (unknown)\n\
         tsquery: ('wirelss':* | 'wireless') & ('t-shirt':*) & ('xq')\n"
    );
    assert_eq!(
        app::search::terms::explain(pool, " !! ").await.unwrap(),
        "tsquery: none (no words: every product matches)\n"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn changes_reach_the_index_through_the_outbox(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 50).await;
    let engine = &app.state.app.search;
    // Seeding queued every product; a sync drains the queue.
    assert!(engine.sync_outbox(&pool, 20).await.unwrap() >= 50);
    let pending: i64 = sqlx::query_scalar("select count(*) from search_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pending, 0);

    // A renamed product is findable by its new name at once (PostgreSQL) and queued for others.
    let slug: String = sqlx::query_scalar(
        "select p.slug from products p join vendors v on v.id = p.vendor_id
          where p.status = 'active' and v.status = 'approved' and cardinality(p.option_names) = 1
          order by p.slug limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("update products set title = 'Quetzalcoatl Lantern' where slug = $1")
        .bind(&slug)
        .execute(&pool)
        .await
        .unwrap();
    let queued: i64 = sqlx::query_scalar("select count(*) from search_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(queued, 1);
    let found = search(&app, &query("quetzalcoatl")).await;
    assert_eq!(
        found.listing.items.first().map(|c| c.slug.as_str()),
        Some(slug.as_str())
    );
    // A new option value of one of its variants is searchable too.
    sqlx::query(
        "update variants set option_values = array['Ultramarine']
          where id = (select v.id from variants v join products p on p.id = v.product_id
                       where p.slug = $1 order by v.sku limit 1)",
    )
    .bind(&slug)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(slugs_for(&app, "ultramarine").await, std::slice::from_ref(&slug));
    // Moved to another product, the variant takes its option value along.
    let other: String = sqlx::query_scalar(
        "select p.slug from products p join vendors v on v.id = p.vendor_id
          where p.slug <> $1 and p.status = 'active' and v.status = 'approved' order by p.slug limit 1",
    )
    .bind(&slug)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "update variants set product_id = (select id from products where slug = $2)
          where option_values = array['Ultramarine'] and product_id = (select id from products where slug = $1)",
    )
    .bind(&slug)
    .bind(&other)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        slugs_for(&app, "ultramarine").await,
        [other],
        "the old product's document lost it"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn search_pages_and_suggestions_over_http(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 300).await;
    let page = app.get("/search?q=headphnes").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Showing results for <strong>headphones</strong>")
    );
    assert!(
        page.body
            .contains(r#"<meta name="robots" content="noindex, follow">"#)
    );
    assert!(page.body.contains(r#"aria-label="Category""#));
    let nothing = app.get("/search?q=zzzzqqqq").await;
    assert_eq!(nothing.status, 200);
    assert!(nothing.body.contains("Browse popular categories"));
    for hostile in [
        "%27%20OR%201%3D1--",
        "%3Cscript%3E",
        "%F0%9F%8E%A7",
        "&page=-1&per_page=9999&rating=9",
    ] {
        assert_eq!(
            app.get(&format!("/search?q={hostile}")).await.status,
            200,
            "{hostile}"
        );
    }
    assert_eq!(
        app.get("/search?q=a%00b").await.status,
        400,
        "NUL is refused at the edge"
    );

    let suggestions = app.get("/api/suggest?q=headph").await;
    assert_eq!(suggestions.status, 200);
    let list: Vec<serde_json::Value> = serde_json::from_str(&suggestions.body).unwrap();
    assert!(list.iter().any(|s| s["kind"] == "Product"));
    assert!(
        list.iter()
            .any(|s| s["kind"] == "Category" && s["href"] == "/c/headphones")
    );
    let shops = app.get("/api/suggest?q=sonic").await;
    assert!(shops.body.contains(r#""href":"/v/sonic-grove""#));
    assert_eq!(app.get("/api/suggest?q=h").await.body, "[]");
}
