//! The catalog's change feed: a change made through one instance's cache is forgotten by
//! another instance's cache within a second, over the database's `LISTEN`/`NOTIFY`.

use app::catalog::cache::CatalogCache;
use app::catalog::changes::Change;
use app::catalog::model::HomePage;
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A cache as `server serve` builds it, with entries fresh for a minute.
fn instance(pool: &PgPool) -> CatalogCache {
    CatalogCache::new(Duration::from_secs(60), app::catalog::server::tree_loader)
        .with_change_feed(pool.clone())
}

/// Asks `cache` for the home page, counting the loads it makes.
async fn home(cache: &CatalogCache, loads: &Arc<AtomicU32>) {
    let loads = loads.clone();
    cache
        .home(|| {
            loads.fetch_add(1, Ordering::SeqCst);
            async {
                Ok(HomePage {
                    featured: Vec::new(),
                    new_arrivals: Vec::new(),
                    top_rated: Vec::new(),
                })
            }
        })
        .await
        .unwrap();
}

/// Waits up to a second for `cache` to load the home page again.
async fn reloads_within_a_second(cache: &CatalogCache, loads: &Arc<AtomicU32>, before: u32) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1) {
        home(cache, loads).await;
        if loads.load(Ordering::SeqCst) > before {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[sqlx::test(migrations = "../migrations")]
async fn a_change_on_one_instance_reaches_the_others_within_a_second(pool: PgPool) {
    let (writer, reader) = (instance(&pool), instance(&pool));
    let following = tokio::spawn(Arc::new(reader.clone()).follow_changes(pool.clone()));
    let loads = Arc::new(AtomicU32::new(0));
    // The follower forgets everything once it listens; wait for that, then cache the page.
    tokio::time::sleep(Duration::from_millis(300)).await;
    home(&reader, &loads).await;
    home(&reader, &loads).await;
    assert_eq!(loads.load(Ordering::SeqCst), 1, "the home page is cached");

    for change in [
        Change::Product("linen-apron".into()),
        Change::Listings,
        Change::Tree,
    ] {
        let before = loads.load(Ordering::SeqCst);
        match &change {
            Change::Product(slug) => writer.invalidate_product(slug).await,
            Change::Listings => writer.invalidate_listings().await,
            _ => writer.invalidate_tree().await,
        }
        assert!(
            reloads_within_a_second(&reader, &loads, before).await,
            "{change:?} made through one instance reached the other"
        );
    }

    // A cache without the feed tells nobody.
    let lone = CatalogCache::new(Duration::from_secs(60), app::catalog::server::tree_loader);
    let before = loads.load(Ordering::SeqCst);
    home(&reader, &loads).await;
    lone.invalidate_listings().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    home(&reader, &loads).await;
    assert_eq!(loads.load(Ordering::SeqCst), before, "nothing was announced");
    following.abort();
}
