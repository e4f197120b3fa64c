//! robots.txt and the sitemaps (an index, one file of categories and vendors, and product
//! files of at most `PRODUCTS_PER_FILE` URLs, under the protocol's 50,000 limit).

use super::ServerState;
use app::catalog::sitemap as catalog;
use app::catalog::sitemap::SitemapEntry;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

const PRODUCTS_PER_FILE: i64 = 40_000;

fn xml(body: String) -> Response {
    (
        [
            (CONTENT_TYPE, "application/xml; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

fn unavailable(error: sqlx::Error) -> Response {
    tracing::error!(%error, "building a sitemap failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "The sitemap is unavailable right now.",
    )
        .into_response()
}

pub async fn robots(State(state): State<ServerState>) -> impl IntoResponse {
    let base = &state.app.site.public_url;
    (
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /account\nDisallow: /cart\n\
             Disallow: /checkout\nDisallow: /vendor\nDisallow: /admin\nDisallow: /search\n\n\
             Sitemap: {base}/sitemap.xml\n"
        ),
    )
}

pub async fn sitemap_index(State(state): State<ServerState>) -> Response {
    let count = match catalog::sitemap_product_count(&state.app.pool).await {
        Ok(count) => count,
        Err(error) => return unavailable(error),
    };
    let base = &state.app.site.public_url;
    let files = (count.max(1) + PRODUCTS_PER_FILE - 1) / PRODUCTS_PER_FILE;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    body.push_str(&format!(
        "<sitemap><loc>{base}/sitemaps/pages.xml</loc></sitemap>\n"
    ));
    for n in 1..=files {
        body.push_str(&format!(
            "<sitemap><loc>{base}/sitemaps/products-{n}.xml</loc></sitemap>\n"
        ));
    }
    body.push_str("</sitemapindex>\n");
    xml(body)
}

/// `/sitemaps/pages.xml` or `/sitemaps/products-{n}.xml` (n from 1).
pub async fn sitemap_file(state: State<ServerState>, Path(file): Path<String>) -> Response {
    let products = file
        .strip_prefix("products-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| (1..=10_000).contains(n));
    match (file.as_str(), products) {
        ("pages.xml", _) => sitemap_pages(state).await,
        (_, Some(n)) => sitemap_products(state, n).await,
        _ => (StatusCode::NOT_FOUND, "No such sitemap.").into_response(),
    }
}

async fn sitemap_pages(State(state): State<ServerState>) -> Response {
    match catalog::sitemap_pages(&state.app.pool).await {
        Ok(mut entries) => {
            entries.insert(0, ("/".into(), chrono::Utc::now()));
            xml(urlset(&state.app.site.public_url, &entries))
        }
        Err(error) => unavailable(error),
    }
}

async fn sitemap_products(State(state): State<ServerState>, n: i64) -> Response {
    match catalog::sitemap_products(&state.app.pool, (n - 1) * PRODUCTS_PER_FILE, PRODUCTS_PER_FILE).await {
        Ok(entries) if entries.is_empty() && n > 1 => {
            (StatusCode::NOT_FOUND, "No such sitemap.").into_response()
        }
        Ok(entries) => xml(urlset(&state.app.site.public_url, &entries)),
        Err(error) => unavailable(error),
    }
}

fn urlset(base: &str, entries: &[SitemapEntry]) -> String {
    let mut body = String::with_capacity(entries.len() * 120 + 200);
    body.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // Slugs are already URL-safe; escaping guards the XML against anything that is not.
    for (path, modified) in entries {
        body.push_str(&format!(
            "<url><loc>{base}{}</loc><lastmod>{}</lastmod></url>\n",
            app::text::escape_html(path),
            modified.format("%Y-%m-%d")
        ));
    }
    body.push_str("</urlset>\n");
    body
}
