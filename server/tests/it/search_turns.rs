//! Searches on PostgreSQL take turns: at most the configured number run at once, the rest wait
//! in line (counted while they wait), and each is answered when a turn frees.

use super::support::TestApp;
use app::search::postgres::Postgres;
use app::search::request::{Counted, Filters, Request, price_buckets};
use sqlx::PgPool;
use std::time::Duration;

fn request(app: &TestApp, text: &str) -> Request {
    Request {
        filters: Filters {
            text: text.into(),
            ..Filters::default()
        },
        sort: Default::default(),
        offset: 0,
        limit: 24,
        price_buckets: price_buckets(app.state.app.site.currency),
        facets: Counted::ALL,
    }
}

/// Waits (at most five seconds) until `n` searches wait for a turn.
async fn until_waiting(engine: &Postgres, n: usize) {
    for _ in 0..500 {
        if engine.waiting() == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{} searches wait for a turn, not {n}", engine.waiting());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_search_waits_for_a_turn_and_runs_when_one_ends(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 200).await;
    let engine = Postgres::new(1);
    let held = engine.turn().await;

    let search = tokio::spawn({
        let (engine, pool, request) = (engine.clone(), pool.clone(), request(&app, "shirt"));
        async move { engine.search(&pool, &request).await }
    });
    until_waiting(&engine, 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !search.is_finished(),
        "a search ran while the only turn was taken"
    );

    drop(held);
    let hits = tokio::time::timeout(Duration::from_secs(10), search)
        .await
        .expect("the search runs once the turn ends")
        .unwrap()
        .unwrap();
    assert!(hits.total > 0, "the search found no shirt");
    assert_eq!(engine.waiting(), 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn searches_beyond_the_turns_wait_and_all_are_answered(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 200).await;
    let engine = Postgres::new(2);
    let (first, second) = (engine.turn().await, engine.turn().await);

    let searches: Vec<_> = ["shirt", "candle", "lamp"]
        .into_iter()
        .map(|text| {
            let (engine, pool, request) = (engine.clone(), pool.clone(), request(&app, text));
            tokio::spawn(async move { engine.search(&pool, &request).await })
        })
        .collect();
    until_waiting(&engine, 3).await;

    // One turn frees: the three take it one after another.
    drop(first);
    for search in searches {
        let hits = tokio::time::timeout(Duration::from_secs(10), search)
            .await
            .expect("each search is answered with one turn free")
            .unwrap()
            .unwrap();
        assert!(hits.total > 0);
    }
    assert_eq!(engine.waiting(), 0);
    drop(second);
}
