//! Prometheus metrics: requests by route and status, a latency histogram, the pool's size,
//! and what the console asks an operator to act on.

use super::ServerState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder once and returns its handle.
pub fn install_recorder() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                &LATENCY_BUCKETS,
            )
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        // Only fails when another recorder was installed first; its metrics then go there.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Marks a response already counted under its route.
#[derive(Clone, Copy)]
struct Counted;

/// Counts and times every request under the route pattern it matched (a `route_layer`).
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let start = Instant::now();
    let method = request.method().as_str().to_owned();
    let mut response = next.run(request).await;
    record(&method, route, &response, start);
    response.extensions_mut().insert(Counted);
    response
}

/// Counts what no route matched (static files, 404 pages) under `unmatched`.
pub async fn track_unmatched(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    if response.extensions().get::<Counted>().is_none() {
        record(&method, "unmatched".to_owned(), &response, start);
    }
    response
}

pub(super) fn record(method: &str, route: String, response: &Response, start: Instant) {
    let status = response.status().as_u16().to_string();
    metrics::histogram!("http_request_duration_seconds", "method" => method.to_owned(), "route" => route.clone())
        .record(start.elapsed().as_secs_f64());
    metrics::counter!("http_requests_total", "method" => method.to_owned(), "route" => route, "status" => status)
        .increment(1);
}

/// Who may read `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Anyone (demo mode without a token).
    Open,
    /// Whoever sends `Authorization: Bearer <token>`.
    Token(String),
    /// Nobody: production without a token, where route names and pool sizes are nobody's business.
    Off,
}

impl MetricsAccess {
    fn allows(&self, headers: &axum::http::HeaderMap) -> bool {
        use subtle::ConstantTimeEq;
        match self {
            Self::Open => true,
            Self::Off => false,
            Self::Token(token) => headers
                .get(axum::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .is_some_and(|sent| bool::from(sent.trim().as_bytes().ct_eq(token.as_bytes()))),
        }
    }
}

/// `GET /metrics`, in the Prometheus text format, for those `MetricsAccess` allows.
pub async fn render(State(state): State<ServerState>, headers: axum::http::HeaderMap) -> Response {
    match &state.http.metrics {
        MetricsAccess::Off => return axum::http::StatusCode::NOT_FOUND.into_response(),
        access if !access.allows(&headers) => {
            return (
                axum::http::StatusCode::UNAUTHORIZED,
                [(axum::http::header::WWW_AUTHENTICATE, "Bearer")],
                "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.",
            )
                .into_response();
        }
        _ => {}
    }
    let pool = &state.app.pool;
    metrics::gauge!("db_pool_connections", "state" => "idle").set(pool.num_idle() as f64);
    metrics::gauge!("db_pool_connections", "state" => "in_use")
        .set(pool.size().saturating_sub(pool.num_idle() as u32) as f64);
    metrics::gauge!("db_pool_max_connections").set(pool.options().get_max_connections() as f64);
    metrics::gauge!("search_postgres_waiting").set(state.app.search.waiting() as f64);
    // What the console's overview asks an operator to act on, for alerting
    // (deploy/prometheus/alerts.yml): the same counts as `/admin`.
    match app::admin::attention(pool).await {
        Ok(c) => {
            for (kind, count) in [
                ("shops_waiting", c.vendors_pending),
                ("products_reported", c.products_reported),
                ("payments_to_review", c.payments_to_review),
                ("payouts_failed", c.payouts_failed),
                ("mail_failing", c.mail_failing),
                ("search_behind", c.search_behind),
                ("jobs_failing", c.jobs_failing),
            ] {
                metrics::gauge!("marketplace_attention", "kind" => kind).set(count as f64);
            }
        }
        Err(error) => tracing::warn!(%error, "counting what needs attention for /metrics failed"),
    }
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        install_recorder().render(),
    )
        .into_response()
}
