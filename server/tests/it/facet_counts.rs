//! Facet counts are asked for once per listing: its other pages and sort orders reuse them.

use super::support::TestApp;
use app::catalog::listing::{Found, Scope, find};
use app::catalog::query::{ListingQuery, Sort};
use app::search::request::{Counted, Filters, RawFacets, Request, price_buckets};
use sqlx::PgPool;

async fn search(app: &TestApp, query: &ListingQuery) -> Found {
    let state = &app.state.app;
    let tree = state.catalog.tree(&state.pool).await.unwrap();
    find(state, &tree, &Scope::default(), query).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_engine_counts_only_the_facets_asked_for(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 200).await;
    let state = &app.state.app;
    let mut request = Request {
        filters: Filters {
            text: "shirt".into(),
            ..Filters::default()
        },
        sort: Sort::Relevance,
        offset: 0,
        limit: 12,
        price_buckets: price_buckets(state.site.currency),
        facets: Counted::ALL,
    };
    let counted = state.search.search(&state.pool, &request).await.unwrap();
    assert!(counted.facets.in_stock > 0 && !counted.facets.vendors.is_empty());
    // A shop's own page shows no vendor facet: the rest is counted as before.
    request.facets = Counted {
        vendors: false,
        ..Counted::ALL
    };
    let some = state.search.search(&state.pool, &request).await.unwrap();
    assert_eq!(
        some.facets,
        RawFacets {
            vendors: Default::default(),
            ..counted.facets.clone()
        }
    );
    request.facets = Counted::NONE;
    let page = state.search.search(&state.pool, &request).await.unwrap();
    assert_eq!((page.total, &page.ids), (counted.total, &counted.ids));
    assert_eq!(
        page.facets,
        RawFacets {
            prices: vec![0; request.price_buckets.len()],
            ..RawFacets::default()
        }
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn other_pages_and_sorts_of_a_listing_reuse_its_facet_counts(pool: PgPool) {
    let app = TestApp::seeded(pool.clone(), 300, &["--catalog-cache-ttl-secs", "60"]).await;
    let first = ListingQuery {
        q: "shirt".into(),
        sort: Sort::Relevance,
        page: 1,
        per_page: 6,
        ..ListingQuery::default()
    };
    let page1 = search(&app, &first).await;
    assert!(page1.listing.total > 12 && page1.facets.in_stock > 0);
    // Behind the caches' back: only a fresh count could see it.
    sqlx::query("update products set in_stock = false")
        .execute(&pool)
        .await
        .unwrap();
    for other in [
        ListingQuery {
            page: 2,
            ..first.clone()
        },
        ListingQuery {
            sort: Sort::PriceAsc,
            ..first.clone()
        },
    ] {
        let found = search(&app, &other).await;
        assert_eq!(found.facets.in_stock, page1.facets.in_stock);
        assert_eq!(found.facets.vendors, page1.facets.vendors);
        assert_eq!(found.listing.total, page1.listing.total);
    }
    // Other filters are another listing: counted afresh.
    let narrowed = search(
        &app,
        &ListingQuery {
            min_price: Some(1),
            ..first.clone()
        },
    )
    .await;
    assert_eq!(narrowed.facets.in_stock, 0);
}

/// A price on the bound between two buckets counts in both, as choosing either finds it.
#[sqlx::test(migrations = "../migrations")]
async fn a_price_on_a_bound_counts_in_both_buckets_it_bounds(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 200).await;
    let state = &app.state.app;
    let buckets = price_buckets(state.site.currency);
    let request = |min_price: Option<i64>, max_price: Option<i64>, facets: Counted| Request {
        filters: Filters {
            text: "shirt".into(),
            min_price,
            max_price,
            ..Filters::default()
        },
        sort: Sort::Relevance,
        offset: 0,
        limit: 12,
        price_buckets: buckets.clone(),
        facets,
    };
    // Five of the shirts found priced on the first bucket's high (the second's low), five on
    // the second's.
    let found = state
        .search
        .search(&state.pool, &request(None, None, Counted::NONE))
        .await
        .unwrap();
    assert!(found.ids.len() >= 10);
    for (ids, price) in [(&found.ids[..5], buckets[0].1), (&found.ids[5..10], buckets[1].1)] {
        sqlx::query("update variants set price = $1 where product_id = any($2)")
            .bind(price.unwrap())
            .bind(ids)
            .execute(&pool)
            .await
            .unwrap();
    }
    let counted = state
        .search
        .search(&state.pool, &request(None, None, Counted::ALL))
        .await
        .unwrap();
    let mut on_bounds = 0;
    for (bucket, (low, high)) in buckets.iter().enumerate() {
        let chosen = state
            .search
            .search(&state.pool, &request(Some(*low), *high, Counted::NONE))
            .await
            .unwrap();
        assert_eq!(counted.facets.prices[bucket], chosen.total, "bucket {bucket}");
        on_bounds += chosen.total;
    }
    // The ten on a bound are each in two buckets, every other shirt in one.
    assert_eq!(on_bounds, counted.total + 10);
}

/// A later page of a text search lists the next products of the same order: only the page's
/// best are sorted, and numbered from its offset.
#[sqlx::test(migrations = "../migrations")]
async fn a_later_page_continues_where_the_first_ended(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 200).await;
    let state = &app.state.app;
    let request = |sort: Sort, offset: u32, limit: u32| Request {
        filters: Filters {
            text: "shirt".into(),
            ..Filters::default()
        },
        sort,
        offset,
        limit,
        price_buckets: price_buckets(state.site.currency),
        facets: Counted::NONE,
    };
    for sort in [Sort::Relevance, Sort::PriceAsc, Sort::Rating] {
        let both = state
            .search
            .search(&state.pool, &request(sort, 0, 12))
            .await
            .unwrap();
        let second = state
            .search
            .search(&state.pool, &request(sort, 6, 6))
            .await
            .unwrap();
        assert_eq!(both.ids.len(), 12);
        assert_eq!(second.ids, both.ids[6..], "{sort:?}");
    }
}
