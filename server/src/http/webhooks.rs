//! Payment provider webhooks. Outside the session and same-origin layers: the caller is the
//! provider, proven by the signature over the raw body, not a browser.

use super::ServerState;
use app::payments::webhooks::{self, Outcome, Refusal};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

pub async fn stripe(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Ok(payload) = std::str::from_utf8(&body) else {
        return (StatusCode::BAD_REQUEST, "the body is not UTF-8".into());
    };
    match webhooks::stripe_event(&state.app, payload, signature).await {
        Ok(Outcome::Applied) => (StatusCode::OK, "applied".into()),
        Ok(Outcome::Duplicate) => (StatusCode::OK, "already applied".into()),
        Ok(Outcome::Ignored) => (StatusCode::OK, "ignored".into()),
        Ok(Outcome::HeldForReview) => (StatusCode::OK, "held for review".into()),
        Err(Refusal::NotConfigured) => (StatusCode::NOT_FOUND, "Stripe is not configured".into()),
        Err(Refusal::Unverified(reason)) => (StatusCode::BAD_REQUEST, reason),
        Err(Refusal::Failed) => (StatusCode::INTERNAL_SERVER_ERROR, "try again later".into()),
    }
}
