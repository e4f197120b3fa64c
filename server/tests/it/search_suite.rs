//! The search suite every engine passes, one body run on each (`search` runs it on
//! PostgreSQL, `meilisearch` on Meilisearch). What they are held to is what a shopper sees:
//! the words find what they name, every facet count is the number of results choosing it
//! gives, sorts order every match. Where the engines legitimately differ, the bodies compare
//! what both must agree on: relevance is judged as precision@5 against the same committed set
//! (products equally relevant may come in another order on each engine; that order is not
//! compared), and which products a typo finds is each engine's own (both must find the
//! intended one first).

use super::support::TestApp;
use app::catalog::listing::{Found, Scope, find};
use app::catalog::query::{ListingQuery, Sort};
use std::time::{Duration, Instant};

pub fn query(q: &str) -> ListingQuery {
    ListingQuery {
        q: q.into(),
        sort: Sort::default_for(q),
        page: 1,
        per_page: 24,
        ..ListingQuery::default()
    }
}

pub async fn search(app: &TestApp, query: &ListingQuery) -> Found {
    let state = &app.state.app;
    let tree = state.catalog.tree(&state.pool).await.unwrap();
    find(state, &tree, &Scope::default(), query).await.unwrap()
}

/// The slugs `q` finds, in order.
pub async fn slugs_for(app: &TestApp, q: &str) -> Vec<String> {
    let found = search(app, &query(q)).await;
    found.listing.items.into_iter().map(|c| c.slug).collect()
}

/// The engine-agnostic suite.
pub async fn suite(app: &TestApp) {
    // Words find what they name; typos are forgiven.
    for (typed, expected) in [
        ("headphones", "Headphones"),
        ("wirelss headphnes", "Wireless"),
        ("tshrit", "T-Shirt"),
    ] {
        let found = search(app, &query(typed)).await;
        assert!(found.listing.total > 0, "{typed}: nothing found");
        let first = &found.listing.items[0].title;
        assert!(first.contains(expected), "{typed}: first result {first:?}");
    }

    // Every facet count is exactly the number of results choosing that value gives.
    let base = query("shirt");
    let found = search(app, &base).await;
    assert!(found.listing.total > 10);
    for vendor in found.facets.vendors.iter().take(3) {
        let chosen = search(
            app,
            &ListingQuery {
                vendors: vec![vendor.value.clone()],
                ..base.clone()
            },
        )
        .await;
        assert_eq!(chosen.listing.total, vendor.count, "vendor {}", vendor.value);
    }
    for price in found.facets.prices.iter().filter(|p| p.count > 0) {
        let chosen = search(
            app,
            &ListingQuery {
                min_price: Some(price.min),
                max_price: price.max,
                ..base.clone()
            },
        )
        .await;
        assert_eq!(chosen.listing.total, price.count, "price {}", price.label);
    }
    for rating in found.facets.ratings.iter().filter(|r| r.count > 0) {
        let chosen = search(
            app,
            &ListingQuery {
                rating: Some(rating.stars),
                ..base.clone()
            },
        )
        .await;
        assert_eq!(chosen.listing.total, rating.count, "rating {}", rating.stars);
        assert!(chosen.listing.items.iter().all(|c| {
            c.rating
                .is_some_and(|r| r.average_centi >= rating.stars as u16 * 100)
        }));
    }
    let in_stock = search(
        app,
        &ListingQuery {
            in_stock: true,
            ..base.clone()
        },
    )
    .await;
    assert_eq!(in_stock.listing.total, found.facets.in_stock);
    let category = found.facets.categories.first().expect("a category facet");
    let chosen = search(
        app,
        &ListingQuery {
            category: Some(category.value.clone()),
            ..base.clone()
        },
    )
    .await;
    assert_eq!(
        chosen.listing.total, category.count,
        "category {}",
        category.value
    );
    // Facets combine, and counts still agree.
    let both = ListingQuery {
        in_stock: true,
        rating: Some(3),
        ..base.clone()
    };
    let combined = search(app, &both).await;
    for vendor in combined.facets.vendors.iter().take(2) {
        let chosen = search(
            app,
            &ListingQuery {
                vendors: vec![vendor.value.clone()],
                ..both.clone()
            },
        )
        .await;
        assert_eq!(chosen.listing.total, vendor.count);
    }

    // Sorting.
    let cheap = search(
        app,
        &ListingQuery {
            sort: Sort::PriceAsc,
            ..query("candle")
        },
    )
    .await;
    assert!(
        cheap
            .listing
            .items
            .windows(2)
            .all(|w| w[0].price_min <= w[1].price_min)
    );

    // Hostile and odd input: sensible results or none, never an error, never slow.
    let long = "headphones ".repeat(1000);
    for text in [
        "",
        "   ",
        "' % _ \\ & | ! ( ) : * <script>",
        "🎧🎧",
        "日本語",
        "a",
        "--",
        "''''",
        ":*",
        "!!!",
        "select * from products",
        "\\0",
        long.as_str(),
    ] {
        let started = Instant::now();
        let found = search(app, &query(text)).await;
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{text:?} took {:?}",
            started.elapsed()
        );
        let _ = found.listing.total;
    }
    let past = search(
        app,
        &ListingQuery {
            page: 200,
            ..query("shirt")
        },
    )
    .await;
    assert!(past.listing.items.is_empty());
    assert_eq!(past.listing.total, found.listing.total);
}

/// The committed relevance set: every case at its own precision, and ≥ 0.9 on average.
pub async fn relevance_set_holds(app: &TestApp) {
    let report = server::search_eval::evaluate(&app.state.app).await.unwrap();
    println!("{report}");
    let failures: Vec<String> = report
        .failures()
        .iter()
        .map(|s| format!("{} ({:.2}): {}", s.case.query, s.precision, s.top.join(" | ")))
        .collect();
    assert!(
        failures.is_empty(),
        "below their precision:\n{}",
        failures.join("\n")
    );
    assert!(report.mean() >= 0.9, "mean precision@5 {:.3}", report.mean());
}
