//! Meilisearch down or hanging: searches and suggestions are answered by PostgreSQL within the
//! configured timeout, counted in `/metrics`, and `/readyz` says so while staying ready.
//! No Meilisearch is needed: one port has nothing listening, another accepts and never answers.

use super::support::TestApp;
use app::catalog::listing::{Found, Scope, find};
use app::catalog::query::{ListingQuery, Sort};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

async fn search(app: &TestApp, text: &str) -> Found {
    let state = &app.state.app;
    let tree = state.catalog.tree(&state.pool).await.unwrap();
    let query = ListingQuery {
        q: text.into(),
        sort: Sort::Relevance,
        page: 1,
        per_page: 24,
        ..ListingQuery::default()
    };
    find(state, &tree, &Scope::default(), &query).await.unwrap()
}

/// A loopback port nothing listens on.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// A loopback port that accepts connections, reads what is sent and never answers; with the
/// number of requests it got.
async fn silent_port() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counted = counted.clone();
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buffer).await {
                    if n == 0 {
                        break;
                    }
                    let text = String::from_utf8_lossy(&buffer[..n]);
                    let seen = text.matches("HTTP/1.1\r\n").count();
                    counted.fetch_add(seen, Ordering::SeqCst);
                }
            });
        }
    });
    (port, requests)
}

async fn app_on(pool: PgPool, port: u16, timeout_ms: &str) -> TestApp {
    let url = format!("http://127.0.0.1:{port}");
    let args = [
        "--meilisearch-url",
        url.as_str(),
        "--meilisearch-timeout-ms",
        timeout_ms,
    ];
    let app = TestApp::seeded(pool, 200, &args).await;
    assert_eq!(app.state.app.search.name(), "meilisearch");
    app
}

fn fallbacks_counted(metrics: &str, reason: &str) -> u64 {
    let series = format!(r#"search_fallbacks_total{{operation="search",reason="{reason}"}} "#);
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series.as_str()))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_meilisearch_that_is_down_leaves_search_to_postgres(pool: PgPool) {
    let app = app_on(pool, closed_port().await, "500").await;
    let before = fallbacks_counted(&app.get("/metrics").await.body, "error");

    let found = search(&app, "headphones").await;
    assert!(found.listing.total > 0, "PostgreSQL's results");
    assert!(found.listing.items[0].title.contains("Headphones"));
    assert_eq!(app.state.app.search.fallbacks(), 1);
    let page = app.get("/search?q=headphones").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Headphones"));
    let suggestions = app.get("/api/suggest?q=headph").await;
    assert_eq!(suggestions.status, 200);
    assert!(suggestions.body.contains(r#""kind":"Product""#));

    let metrics = app.get("/metrics").await.body;
    assert!(
        fallbacks_counted(&metrics, "error") > before,
        "counted in /metrics:\n{metrics}"
    );
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert!(
        ready.body.contains(r#""status":"ready""#)
            && ready.body.contains(r#""engine":"meilisearch""#)
            && ready.body.contains(r#""serving":"postgres","status":"error""#),
        "{}",
        ready.body
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_meilisearch_that_hangs_is_given_up_within_the_timeout(pool: PgPool) {
    let (port, requests) = silent_port().await;
    let app = app_on(pool, port, "300").await;
    let started = Instant::now();
    let found = search(&app, "headphones").await;
    let waited = started.elapsed();
    assert!(found.listing.total > 0, "PostgreSQL's results");
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_millis(1500),
        "waited {waited:?}"
    );
    // "headphones" names a category: its products are a search beside the multi-search.
    let asked = requests.load(Ordering::SeqCst);
    assert!((1..=2).contains(&asked), "asked {asked} times");
    // Moments later searches do not wait for it again.
    let started = Instant::now();
    let again = search(&app, "boots").await;
    assert!(again.listing.total > 0);
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "waited again: {:?}",
        started.elapsed()
    );
    assert_eq!(app.state.app.search.fallbacks(), 2);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        asked,
        "Meilisearch was not asked again"
    );
    let metrics = app.get("/metrics").await.body;
    assert!(fallbacks_counted(&metrics, "timeout") > 0, "{metrics}");
    assert!(fallbacks_counted(&metrics, "skipped") > 0, "{metrics}");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert!(
        ready.body.contains(r#""serving":"postgres","status":"timeout""#),
        "{}",
        ready.body
    );
}
