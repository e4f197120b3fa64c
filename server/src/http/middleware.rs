//! The middleware every response passes through: security headers, cache policy,
//! compression, timeouts, body limits, text that is not text refused, panics caught, request
//! ids and tracing.

use super::{HttpSettings, ServerState};
use app::error::AppError;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The policy for responses that set none (pages set their own, with a script nonce).
const DEFAULT_CSP: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router` in the middleware stack (outermost last).
pub fn apply(router: Router<ServerState>, settings: &HttpSettings) -> Router<ServerState> {
    let mut router = router
        .layer(axum::middleware::from_fn(server_fn_error_status))
        // Inside the body limit, so the bodies it reads are already bounded.
        .layer(axum::middleware::from_fn(super::text::refuse_bad_text))
        .layer(axum::middleware::from_fn(default_cache_policy))
        .layer(axum::middleware::from_fn_with_state(
            settings.body_limit,
            limit_body,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            settings.request_timeout,
        ))
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(header_if_missing(CONTENT_SECURITY_POLICY, DEFAULT_CSP))
        .layer(header_if_missing(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_if_missing(
            REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
        .layer(header_if_missing(X_FRAME_OPTIONS, "DENY"))
        .layer(header_if_missing(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(header_if_missing(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(self)",
        ));
    if settings.tls {
        router = router.layer(header_if_missing(
            STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ));
    }
    router
        .layer(CatchPanicLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(LatencyUnit::Micros),
                )
                .on_failure(DefaultOnFailure::new().level(Level::WARN)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The span every request runs in: method, path (never the query, which can carry search text
/// or a mailed token) and request id. A server function's path names it (`/api/checkout/place`).
/// Each request ends with one line in it: its status and time (`tower_http=warn` in `RUST_LOG`
/// leaves only failures).
fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %request.method(), path = request.uri().path(), request_id = id)
}

fn header_if_missing(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Server functions answer every error with 500, including arguments they could not decode;
/// this gives each error response the status its `AppError` stands for.
async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Errors are small; a larger body is not an `AppError` and keeps its 500.
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Responses that chose no caching get one by kind: pages and data are revalidated on every
/// visit (they will carry per-shopper state), other files may be kept an hour.
async fn default_cache_policy(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.headers().contains_key(CACHE_CONTROL) {
        return response;
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let policy = if !response.status().is_success()
        || content_type.starts_with("text/html")
        || content_type.starts_with("application/json")
    {
        "private, no-cache"
    } else {
        "public, max-age=3600"
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Caps request bodies: `limit` everywhere, and each upload route's own limit on its route
/// (`uploads::form::limit_for`). A declared length over the cap is refused before anything
/// is read; an undeclared one stops being read at the cap.
async fn limit_body(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let upload = super::uploads::form::limit_for(request.method(), request.uri().path());
    let limit = upload.map_or(limit, |upload| upload.body());
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        let message = upload.map_or_else(
            || {
                format!(
                    "The request is too large: at most {} MB.",
                    limit.div_ceil(1024 * 1024)
                )
            },
            |upload| upload.too_large().to_string(),
        );
        return (StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
    }
    let request = request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}
