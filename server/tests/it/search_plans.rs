//! The PostgreSQL engine's two search statements, one for text and one for listings without
//! words: PostgreSQL keeps one plan for text searches (a generic plan) instead of planning each
//! one anew (planning took a fifth of its time per search page), and a listing without words
//! ranks as it did when both were one statement.

use super::support::TestApp;
use app::catalog::query::Sort;
use app::search::engine::SearchEngine;
use app::search::request::{Counted, Filters, Request, price_buckets};
use app::state::AppState;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

#[sqlx::test(migrations = "../migrations")]
async fn text_searches_run_on_a_kept_plan(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 2000).await;
    let currency = app.state.app.site.currency;
    // Statistics, as autovacuum keeps them: the planner's choice depends on them.
    sqlx::query("analyze").execute(&pool).await.unwrap();
    // One connection: the statements it prepared are the ones looked at below.
    let connection = PgPoolOptions::new()
        .max_connections(1)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let engine = SearchEngine::postgres(2);
    let texts = ["shirt", "candle", "lamp", "headphones", "boots", "mug"];
    let sorts = [Sort::Relevance, Sort::PriceAsc, Sort::Rating];
    for (n, text) in texts.iter().cycle().take(18).enumerate() {
        let request = Request {
            filters: Filters {
                text: (*text).into(),
                in_stock: n % 2 == 0,
                ..Filters::default()
            },
            sort: sorts[n % sorts.len()],
            offset: 0,
            limit: 24,
            price_buckets: price_buckets(currency),
            facets: Counted::ALL,
        };
        engine.search(&connection, &request).await.unwrap();
    }
    let (generic, custom): (i64, i64) = sqlx::query_as(
        "select generic_plans, custom_plans from pg_prepared_statements
          where statement like '%from products p%' and statement like '%search_document @@%'
            and statement not like '%pg_prepared_statements%'",
    )
    .fetch_one(&connection)
    .await
    .unwrap();
    assert!(
        generic >= 12,
        "the search statement was planned {custom} times and ran on a kept plan {generic} times"
    );
}

fn listing(state: &AppState, filters: Filters) -> Request {
    Request {
        filters,
        sort: Sort::Relevance,
        offset: 0,
        limit: 60,
        price_buckets: price_buckets(state.site.currency),
        facets: Counted::NONE,
    }
}

/// Text whose words the engine cannot read (`analyse` keeps `a-z0-9`) may still name a
/// category (a name in another alphabet): without words to match, nothing ranks first.
#[sqlx::test(migrations = "../migrations")]
async fn a_listing_without_words_ranks_no_named_category_first(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 200).await;
    let state = &app.state.app;
    let engine = SearchEngine::postgres(2);
    let plain = engine
        .search(&pool, &listing(state, Filters::default()))
        .await
        .unwrap();
    let last = *plain.ids.last().unwrap();
    let (named,): (uuid::Uuid,) = sqlx::query_as("select category_id from products where id = $1")
        .bind(last)
        .fetch_one(&pool)
        .await
        .unwrap();
    let filters = Filters {
        text: "Κεριά".into(),
        named_categories: vec![named],
        ..Filters::default()
    };
    let unread = engine.search(&pool, &listing(state, filters)).await.unwrap();
    assert_eq!(unread.ids, plain.ids);
}
