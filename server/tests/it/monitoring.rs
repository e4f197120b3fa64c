//! The monitoring in deploy/ names only what the server serves: every metric of the alert rules
//! (deploy/prometheus/alerts.yml) and of the Grafana dashboard (deploy/grafana/marketplace.json)
//! is in `/metrics` of the real router, with every `kind` of what waits for an operator, once
//! it has answered requests and a search Meilisearch could not. promtool checks the rules
//! themselves (scripts/monitoring-check.sh).

use super::support::TestApp;
use sqlx::PgPool;
use std::collections::BTreeSet;

const ALERTS: &str = include_str!("../../../deploy/prometheus/alerts.yml");
const DASHBOARD: &str = include_str!("../../../deploy/grafana/marketplace.json");

/// The metric names in `text`: words that start as the server's metrics do.
fn metrics_named(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| {
            [
                "http_",
                "db_pool_",
                "search_fallbacks",
                "search_postgres",
                "marketplace_",
            ]
            .iter()
            .any(|prefix| word.starts_with(prefix))
        })
        .map(str::to_string)
        .collect()
}

/// The `kind="…"` values in `text`.
fn kinds(text: &str) -> BTreeSet<String> {
    text.split("kind=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn alerts_and_the_dashboard_name_only_metrics_the_server_serves(pool: PgPool) {
    let port = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let args = [
        "--meilisearch-url",
        url.as_str(),
        "--meilisearch-timeout-ms",
        "200",
    ];
    let app = TestApp::seeded(pool, 40, &args).await;
    assert_eq!(app.get("/").await.status, http::StatusCode::OK);
    assert_eq!(app.get("/search?q=shirt").await.status, http::StatusCode::OK);
    let scraped = app.get("/metrics").await;
    assert_eq!(scraped.status, http::StatusCode::OK);
    let served: BTreeSet<String> = scraped
        .body
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split(['{', ' ']).next())
        .map(str::to_string)
        .collect();

    let dashboard: serde_json::Value = serde_json::from_str(DASHBOARD).unwrap();
    let mut expressions = String::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        assert!(!panel["title"].as_str().unwrap_or_default().is_empty(), "{panel}");
        let targets = panel["targets"].as_array().unwrap();
        assert!(!targets.is_empty(), "{panel}");
        for target in targets {
            expressions.push_str(target["expr"].as_str().unwrap());
            expressions.push('\n');
        }
    }
    let named = metrics_named(ALERTS)
        .union(&metrics_named(&expressions))
        .cloned()
        .collect::<BTreeSet<_>>();
    assert!(named.len() >= 6, "{named:?}");
    let missing: Vec<_> = named.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "named but not served: {missing:?}\n{}",
        scraped.body
    );
    for kind in kinds(ALERTS) {
        assert!(
            scraped.body.contains(&format!("kind=\"{kind}\"")),
            "no marketplace_attention of kind {kind}"
        );
    }
}
