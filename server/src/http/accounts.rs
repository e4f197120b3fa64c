//! The request side of accounts: sessions (tower-sessions in PostgreSQL), the same-origin check
//! on state-changing requests and the signed-in user of each request.

use super::ServerState;
use super::client_ip::client_ip;
use app::accounts::identity;
use app::accounts::viewer::{ClientInfo, Identity};
use app::error::AppError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

/// Cookie `session`: HttpOnly, SameSite=Lax, Secure when served over TLS, 14 days idle.
pub fn session_layer(pool: &sqlx::PgPool, secure: bool) -> SessionManagerLayer<PostgresStore> {
    SessionManagerLayer::new(PostgresStore::new(pool.clone()))
        .with_name("session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(Duration::days(14)))
}

/// Deletes expired session records every hour, for as long as the server runs.
pub fn delete_expired_sessions(pool: &sqlx::PgPool) -> tokio::task::JoinHandle<()> {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = PostgresStore::new(pool.clone());
    tokio::spawn(async move {
        if let Err(error) = store
            .continuously_delete_expired(tokio::time::Duration::from_secs(3600))
            .await
        {
            tracing::warn!(%error, "deleting expired sessions stopped");
        }
    })
}

/// The origins a state-changing request may come from: the public URL's and the Host's.
#[derive(Debug, Clone)]
pub struct SiteOrigin(pub Arc<str>);

fn origin_of(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let end = url[scheme_end..].find('/').map_or(url.len(), |i| scheme_end + i);
    Some(&url[..end])
}

/// Refuses POST, PUT, PATCH and DELETE unless Origin (or, without it, Referer) is this site:
/// no other site can make a signed-in browser change anything.
pub async fn same_origin(State(site): State<SiteOrigin>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe {
        return next.run(request).await;
    }
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(origin_of);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let allowed = claimed.is_some_and(|origin| {
        origin == &*site.0
            || host.is_some_and(|host| origin.split_once("://").is_some_and(|(_, h)| h == host))
    });
    if !allowed {
        tracing::info!(origin = ?claimed, "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "This request didn't come from this site, so it was refused. Reload the page and try again.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Loads the signed-in user (if the session names one) and who the client is (its address
/// computed once here, see `client_ip`).
/// The value of the cookie `name` the request carries.
pub(super) fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(tower_sessions::cookie::Cookie::split_parse)
        .flatten()
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

pub async fn identify(State(state): State<ServerState>, mut request: Request, next: Next) -> Response {
    // The peer, or who it forwards for when it is a proxy we trust.
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| client_ip(c.0.ip(), request.headers(), &state.http.trusted_proxies).to_string())
        .unwrap_or_default();
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    let user = match request.extensions().get::<Session>() {
        Some(session) => match identity::load(&state.app.pool, session).await {
            Ok(user) => user.map(Arc::new),
            // Answering as if nobody were signed in would send the shopper to the login page.
            Err(AppError::Unavailable) => return unavailable(),
            Err(error) => {
                tracing::warn!(?error, "loading the signed-in user failed");
                None
            }
        },
        None => None,
    };
    request.extensions_mut().insert(Identity(user));
    let time_zone = cookie(request.headers(), "tz").filter(|z| app::accounts::time_zone::well_formed(z));
    request.extensions_mut().insert(ClientInfo {
        ip,
        user_agent,
        time_zone,
    });
    next.run(request).await
}

/// `503` with a short pause to retry after: the database does not answer just now.
fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "5"), (header::CACHE_CONTROL, "no-store")],
        AppError::Unavailable.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origins_are_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://shop.example/p/x?y"),
            Some("https://shop.example")
        );
        assert_eq!(origin_of("http://127.0.0.1:3000"), Some("http://127.0.0.1:3000"));
        assert_eq!(origin_of("null"), None);
    }
}
