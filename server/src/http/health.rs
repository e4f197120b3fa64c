//! Liveness and readiness for load balancers and orchestrators.

use super::ServerState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// The process is up and serving.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The process can do useful work: the database answers within a second. The read replica's
/// and the search engine's states are reported beside it; a Meilisearch that does not answer leaves the instance ready,
/// since PostgreSQL answers its searches meanwhile (`"serving": "postgres"`).
pub async fn readyz(State(state): State<ServerState>) -> (StatusCode, Json<Value>) {
    let engine = &state.app.search;
    let database = async {
        let check = sqlx::query_scalar!("select 1 as \"one!\"").fetch_one(&state.app.pool);
        match tokio::time::timeout(Duration::from_secs(1), check).await {
            Ok(Ok(_)) => "ok",
            Ok(Err(error)) => {
                tracing::warn!(%error, "readiness check: database error");
                "error"
            }
            Err(_) => "timeout",
        }
    };
    let search = async {
        match tokio::time::timeout(Duration::from_secs(1), engine.check()).await {
            Ok(Ok(())) => "ok",
            Ok(Err(error)) => {
                tracing::warn!(%error, "readiness check: search engine error");
                "error"
            }
            Err(_) => "timeout",
        }
    };
    let (database, search) = tokio::join!(database, search);
    let ready = database == "ok";
    let serving = if search == "ok" && !engine.falling_back() {
        engine.name()
    } else {
        "postgres"
    };
    // A replica that lags or is gone leaves the instance ready: the primary answers its reads.
    let replica = match &state.app.replica {
        None => "none",
        Some(replica) if replica.is_healthy() => "ok",
        Some(_) => "behind",
    };
    let body = json!({
        "status": if ready { "ready" } else { "unavailable" },
        "database": database,
        "replica": replica,
        "search": {
            "engine": engine.name(),
            "status": search,
            "serving": serving,
            "fallbacks": engine.fallbacks(),
        },
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}
