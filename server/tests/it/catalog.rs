//! Catalog reads and the listing columns maintained by triggers.

use super::support::TestApp;
use app::catalog::listing::{Scope, find};
use app::catalog::model::Listing;
use app::catalog::query::{ListingQuery, Sort};
use app::error::AppResult;
use app::state::AppState;
use sqlx::PgPool;

async fn listing(state: &AppState, scope: &Scope, query: &ListingQuery) -> AppResult<Listing> {
    let tree = state.catalog.tree(&state.pool).await?;
    Ok(find(state, &tree, scope, query).await?.listing)
}

fn query() -> ListingQuery {
    ListingQuery {
        page: 1,
        per_page: 60,
        ..ListingQuery::default()
    }
}

async fn clothing(app: &TestApp) -> Scope {
    let tree = app.state.app.catalog.tree(&app.state.app.pool).await.unwrap();
    Scope {
        category: Some(tree.by_slug("clothing").unwrap().id),
        vendor: None,
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sorting_and_filters_narrow_and_order_the_listing(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 600).await;
    let state = &app.state.app;
    let scope = clothing(&app).await;
    let all = listing(state, &scope, &query()).await.unwrap();
    assert!(all.total > 60);

    let cheapest_first = listing(
        state,
        &scope,
        &ListingQuery {
            sort: Sort::PriceAsc,
            ..query()
        },
    )
    .await
    .unwrap();
    let prices: Vec<i64> = cheapest_first.items.iter().map(|c| c.price_min.minor).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "ascending: {prices:?}");
    let dearest_first = listing(
        state,
        &scope,
        &ListingQuery {
            sort: Sort::PriceDesc,
            ..query()
        },
    )
    .await
    .unwrap();
    assert!(
        dearest_first
            .items
            .windows(2)
            .all(|w| w[0].price_min >= w[1].price_min)
    );

    let bounded = listing(
        state,
        &scope,
        &ListingQuery {
            min_price: Some(30),
            max_price: Some(60),
            ..query()
        },
    )
    .await
    .unwrap();
    assert!(bounded.total > 0 && bounded.total < all.total);
    assert!(
        bounded
            .items
            .iter()
            .all(|c| (3000..=6000).contains(&c.price_min.minor))
    );

    let in_stock = listing(
        state,
        &scope,
        &ListingQuery {
            in_stock: true,
            ..query()
        },
    )
    .await
    .unwrap();
    assert!(in_stock.items.iter().all(|c| c.in_stock));

    let one_vendor = listing(
        state,
        &scope,
        &ListingQuery {
            vendors: vec!["urban-thread".into()],
            ..query()
        },
    )
    .await
    .unwrap();
    assert!(one_vendor.total > 0);
    assert!(one_vendor.items.iter().all(|c| c.vendor.slug == "urban-thread"));

    // Walking every page visits every product exactly once.
    let mut seen = Vec::new();
    for page in 1..=all.page_count() {
        let listing = listing(state, &scope, &ListingQuery { page, ..query() })
            .await
            .unwrap();
        seen.extend(listing.items.into_iter().map(|c| c.slug));
    }
    let visited = seen.len() as u64;
    seen.sort();
    seen.dedup();
    assert_eq!((visited, seen.len() as u64), (all.total, all.total));
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_of_a_listing_do_not_overlap(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 300).await;
    let state = &app.state.app;
    let scope = clothing(&app).await;
    let small = |page| ListingQuery {
        page,
        per_page: 10,
        sort: Sort::Rating,
        ..ListingQuery::default()
    };
    let first = listing(state, &scope, &small(1)).await.unwrap();
    let second = listing(state, &scope, &small(2)).await.unwrap();
    assert_eq!(first.total, second.total);
    assert!(
        first
            .items
            .iter()
            .all(|a| second.items.iter().all(|b| a.slug != b.slug))
    );
    let past_the_end = listing(state, &scope, &small(200)).await.unwrap();
    assert!(past_the_end.items.is_empty());
    assert_eq!(
        past_the_end.total, first.total,
        "the total is known past the last page"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn listing_columns_follow_variants_and_reviews(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 20).await;
    let id: uuid::Uuid = sqlx::query_scalar("select id from products order by slug limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let summary = || async {
        sqlx::query_as::<_, (Option<i64>, Option<i64>, bool, i32)>(
            "select price_min, price_max, in_stock, review_count from products where id = $1",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    sqlx::query("update variants set price = 1000 + position * 100, stock_on_hand = 0, stock_reserved = 0 where product_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let variants: i64 = sqlx::query_scalar("select count(*) from variants where product_id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (min, max, in_stock, _) = summary().await;
    assert_eq!(min, Some(1000));
    assert_eq!(max, Some(1000 + (variants - 1) * 100));
    assert!(!in_stock);

    sqlx::query("update variants set stock_on_hand = 3, stock_reserved = 3 where product_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(!summary().await.2, "reserved stock is not available");
    sqlx::query("update variants set stock_reserved = 2 where product_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(summary().await.2);

    sqlx::query("delete from reviews where product_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("insert into reviews (product_id, author_name, rating) values ($1, 'A', 5), ($1, 'B', 2)")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let (rating, count): (Option<f64>, i32) =
        sqlx::query_as("select rating_avg::float8, review_count from products where id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((rating, count), (Some(3.5), 2));

    sqlx::query("delete from variants where product_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let (min, max, in_stock, _) = summary().await;
    assert_eq!(
        (min, max, in_stock),
        (None, None, false),
        "no variants: not on sale"
    );
    drop(app);
}

#[sqlx::test(migrations = "../migrations")]
async fn stock_can_never_go_negative_or_below_reservations(pool: PgPool) {
    TestApp::with_catalog(pool.clone(), 5).await;
    let negative = sqlx::query("update variants set stock_on_hand = -1")
        .execute(&pool)
        .await
        .unwrap_err();
    assert_eq!(
        negative.as_database_error().and_then(|e| e.constraint()),
        Some("variants_stock_on_hand_check")
    );
    let over_reserved = sqlx::query("update variants set stock_reserved = stock_on_hand + 1")
        .execute(&pool)
        .await
        .unwrap_err();
    assert_eq!(
        over_reserved.as_database_error().and_then(|e| e.constraint()),
        Some("variants_stock_reserved_check")
    );
}
