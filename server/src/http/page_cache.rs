//! Storefront pages (home, categories, products, shops) for visitors without a session kept as
//! rendered bytes: first visits, crawlers, and everyone who has not added to a cart or signed
//! in, which is most of a shop's traffic. Such a page is the same for all of them, so it is
//! rendered once and then sent from memory, already compressed (brotli and gzip), with an
//! `ETag` a browser can revalidate (`304`). A visitor with a session (a cart, an account) is
//! rendered for as before.
//!
//! The page's policy allows its inline scripts by hash instead of the render's nonce, since a
//! nonce sent to every visitor would be no secret: the hashes are of exactly the scripts in the
//! kept bytes. Pages are forgotten when the catalog changes (the change feed makes every
//! instance's catalog cache forget, and that moves its generation) and after the catalog's
//! time to live, so they are never staler than the data they were rendered from.

use super::ServerState;
use super::accounts::cookie;
use super::client_ip::client_ip;
use app::accounts::viewer::ClientInfo;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, SET_COOKIE, USER_AGENT, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

mod compress;

/// Bytes of pages kept (each page three times: plain, brotli, gzip).
const KEPT_BYTES: u64 = 64 * 1024 * 1024;
/// A page larger than this is sent as rendered, not kept.
const LARGEST_PAGE: usize = 1024 * 1024;

/// The kept pages, by path, query and the visitor's time zone cookie.
#[derive(Clone)]
pub struct PageCache(Option<moka::future::Cache<Key, Arc<Page>>>);

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.0.as_ref().map(|pages| pages.entry_count());
        f.debug_struct("PageCache").field("kept", &kept).finish()
    }
}

type Key = (String, Option<String>);

/// One rendered page, ready to send.
pub struct Page {
    /// The catalog cache's generation it was rendered in (`CatalogCache::generation`).
    generation: u64,
    etag: HeaderValue,
    policy: HeaderValue,
    content_type: HeaderValue,
    plain: Bytes,
    brotli: Bytes,
    gzip: Bytes,
}

impl PageCache {
    /// Pages kept for `ttl`; zero keeps none.
    pub fn new(ttl: Duration) -> Self {
        Self((!ttl.is_zero()).then(|| {
            moka::future::Cache::builder()
                .max_capacity(KEPT_BYTES)
                .weigher(|_, page: &Arc<Page>| {
                    u32::try_from(page.plain.len() + page.brotli.len() + page.gzip.len()).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl)
                .build()
        }))
    }
}

/// The storefront's pages that are the same for every visitor without a session.
fn is_storefront(path: &str) -> bool {
    path == "/"
        || ["/c/", "/p/", "/v/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// The route a storefront path is counted under in `/metrics`, as the router names it.
fn route(path: &str) -> &'static str {
    match path.get(..3) {
        Some("/c/") => "/c/{category}",
        Some("/p/") => "/p/{slug}",
        Some("/v/") => "/v/{vendor}",
        _ => "/",
    }
}

/// Serves a kept page to a visitor without a session, or renders it and keeps it.
pub async fn serve(State(state): State<ServerState>, request: Request, next: Next) -> Response {
    let Some(pages) = &state.http.pages.0 else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if request.method() != Method::GET
        || !is_storefront(path)
        || cookie(request.headers(), "session").is_some()
    {
        return next.run(request).await;
    }
    let key: Key = (
        request
            .uri()
            .path_and_query()
            .map_or(path, |p| p.as_str())
            .to_string(),
        cookie(request.headers(), "tz"),
    );
    let generation = state.app.catalog.generation();
    if path.starts_with("/p/") {
        note_viewer(&state, &request);
    }
    let headers = request.headers().clone();
    if let Some(page) = pages.get(&key).await.filter(|page| page.generation == generation) {
        let started = std::time::Instant::now();
        let response = send(&page, &headers, "hit");
        super::metrics::record("GET", route(&key.0).to_string(), &response, started);
        metrics::counter!("page_cache_requests_total", "outcome" => "hit").increment(1);
        return response;
    }
    metrics::counter!("page_cache_requests_total", "outcome" => "miss").increment(1);
    let response = next.run(request).await;
    match keep(response, generation).await {
        Ok(page) => {
            let page = Arc::new(page);
            pages.insert(key, page.clone()).await;
            send(&page, &headers, "miss")
        }
        Err(response) => response,
    }
}

/// A product view counts for the overview's conversion whether or not the page was rendered.
fn note_viewer(state: &ServerState, request: &Request) {
    let Some(peer) = request.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return;
    };
    let client = ClientInfo {
        ip: client_ip(peer.0.ip(), request.headers(), &state.http.trusted_proxies).to_string(),
        user_agent: request
            .headers()
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect(),
        time_zone: None,
    };
    state.app.viewers.saw(&state.app.secret_key, &client);
}

/// The rendered `response` as a page to keep, or the response itself when it is not one: not
/// a 200 HTML page, one that sets a cookie, or one without a nonce policy to turn into hashes.
async fn keep(response: Response, generation: u64) -> Result<Page, Response> {
    let headers = response.headers();
    let html = headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let policy = headers
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .filter(|p| p.contains("'nonce-"))
        .map(str::to_string);
    let (true, Some(policy), false, None) = (
        response.status() == StatusCode::OK && html,
        policy,
        headers.contains_key(SET_COOKIE),
        headers.get(CONTENT_ENCODING),
    ) else {
        return Err(response);
    };
    let content_type = headers[CONTENT_TYPE].clone();
    let (parts, body) = response.into_parts();
    let Ok(plain) = axum::body::to_bytes(body, usize::MAX).await else {
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    let policy = (plain.len() <= LARGEST_PAGE)
        .then(|| hashed_policy(&policy, &plain))
        .flatten();
    let Some(policy) = policy else {
        return Err(Response::from_parts(parts, Body::from(plain)));
    };
    let digest = Sha256::digest(&plain);
    let etag = format!("\"{}\"", hex(&digest[..12]));
    Ok(Page {
        generation,
        etag: HeaderValue::from_str(&etag).expect("hex is a valid header"),
        policy,
        content_type,
        brotli: compress::brotli(&plain),
        gzip: compress::gzip(&plain),
        plain,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `policy` with its `'nonce-…'` replaced by the hashes of the inline scripts of `html`; none
/// when the page's scripts cannot be read.
fn hashed_policy(policy: &str, html: &[u8]) -> Option<HeaderValue> {
    let html = std::str::from_utf8(html).ok()?;
    let hashes: Vec<String> = inline_scripts(html)?
        .into_iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let start = policy.find("'nonce-")?;
    let end = start + 1 + policy[start + 1..].find('\'')?;
    let mut hashed = String::with_capacity(policy.len() + hashes.len() * 56);
    hashed.push_str(&policy[..start]);
    hashed.push_str(&hashes.join(" "));
    hashed.push_str(&policy[end + 1..]);
    HeaderValue::from_str(hashed.trim()).ok()
}

/// The text of each inline script the browser runs (no `src`, not a JSON data block); none
/// when a script is not closed.
fn inline_scripts(html: &str) -> Option<Vec<&str>> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after = &rest[open + "<script".len()..];
        let tag_end = after.find('>')?;
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let close = body.find("</script>")?;
        let data = attributes.contains("application/ld+json") || attributes.contains("application/json");
        if !attributes.contains("src=") && !data {
            scripts.push(&body[..close]);
        }
        rest = &body[close + "</script>".len()..];
    }
    Some(scripts)
}

/// `page` as the browser asked for it: `304` when it holds this version, else the smallest
/// encoding it accepts.
fn send(page: &Page, request: &HeaderMap, outcome: &'static str) -> Response {
    let mut response = if request
        .get(IF_NONE_MATCH)
        .is_some_and(|tags| tags.as_bytes() == page.etag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let accepts = request
            .get(ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let (body, encoding) = if accepts.contains("br") {
            (page.brotli.clone(), Some("br"))
        } else if accepts.contains("gzip") {
            (page.gzip.clone(), Some("gzip"))
        } else {
            (page.plain.clone(), None)
        };
        let mut response = Response::new(Body::from(body));
        if let Some(encoding) = encoding {
            response
                .headers_mut()
                .insert(CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
            .headers_mut()
            .insert(CONTENT_TYPE, page.content_type.clone());
        response
    };
    let headers = response.headers_mut();
    headers.insert(ETAG, page.etag.clone());
    headers.insert(CONTENT_SECURITY_POLICY, page.policy.clone());
    headers.insert(VARY, HeaderValue::from_static("accept-encoding, cookie"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    headers.insert("x-page-cache", HeaderValue::from_static(outcome));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_allows_exactly_the_pages_inline_scripts() {
        let html = r#"<head><script src="/pkg/a.js"></script><script type="application/ld+json">{"a":1}</script>
            <script nonce="abc">boot()</script></head><body><script type="module" nonce="abc">go()</script></body>"#;
        let policy =
            "default-src 'self'; script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'; object-src 'none'";
        let hashed = hashed_policy(policy, html.as_bytes()).unwrap();
        let hash = |s: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()));
        assert_eq!(
            hashed.to_str().unwrap(),
            format!(
                "default-src 'self'; script-src 'self' 'sha256-{}' 'sha256-{}' 'wasm-unsafe-eval'; object-src 'none'",
                hash("boot()"),
                hash("go()")
            )
        );
        assert!(hashed_policy(policy, b"<script>never closed").is_none());
        assert!(hashed_policy("script-src 'self'", html.as_bytes()).is_none());
    }

    #[test]
    fn only_storefront_pages_are_kept() {
        for path in ["/", "/c/kitchen", "/p/linen-apron", "/v/hearth-and-home"] {
            assert!(is_storefront(path), "{path}");
        }
        for path in [
            "/cart",
            "/account",
            "/search",
            "/api/cart/add",
            "/checkout",
            "/vendor/x",
        ] {
            assert!(!is_storefront(path), "{path}");
        }
    }
}
