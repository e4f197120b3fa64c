//! Storefront pages for visitors without a session, sent from memory: rendered once, then the
//! same bytes (brotli or gzip as asked, `304` for a browser that holds them), a policy that
//! allows the page's inline scripts by hash, forgotten when the catalog changes; a visitor
//! with a session is rendered for.

use super::support::TestApp;
use axum::body::Body;
use base64::Engine;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::io::Read;
use tower::ServiceExt;

/// The inline scripts a browser runs (no `src`, not JSON), as the page has them.
fn inline_scripts(html: &str) -> Vec<&str> {
    html.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (attributes, body) = rest.split_once('>')?;
            let (script, _) = body.split_once("</script>")?;
            (!attributes.contains("src=") && !attributes.contains("json")).then_some(script)
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn anonymous_storefront_pages_are_sent_from_memory(pool: PgPool) {
    // Tests keep no catalog cache unless they ask; pages are kept as long as it.
    let app = TestApp::seeded(pool.clone(), 20, &["--catalog-cache-ttl-secs", "30"]).await;
    let slug = app.product_slug("p.status = 'active'").await;
    let path = format!("/p/{slug}");

    let first = app.get(&path).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("x-page-cache"), "miss");
    let second = app.get(&path).await;
    assert_eq!(second.header("x-page-cache"), "hit");
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("etag"), first.header("etag"));

    // The policy names every inline script by its hash, and no nonce.
    let policy = second.header("content-security-policy");
    assert!(!policy.contains("'nonce-"), "{policy}");
    let scripts = inline_scripts(&second.body);
    assert!(!scripts.is_empty(), "the page hydrates with an inline script");
    for script in scripts {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
        assert!(
            policy.contains(&format!("'sha256-{hash}'")),
            "{script} in {policy}"
        );
    }
    assert!(policy.contains("frame-ancestors 'none'"));
    assert_eq!(second.header("x-content-type-options"), "nosniff");

    // A browser holding the page revalidates it for nothing.
    let held = app
        .request(
            Request::get(&path)
                .header(header::IF_NONE_MATCH, first.header("etag"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(held.status, StatusCode::NOT_MODIFIED);
    assert!(held.body.is_empty());

    // Compressed once, sent as asked.
    let brotli = app
        .router
        .clone()
        .oneshot(
            Request::get(&path)
                .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
    let bytes = brotli.into_body().collect().await.unwrap().to_bytes();
    let mut plain = String::new();
    brotli::Decompressor::new(&bytes[..], 4096)
        .read_to_string(&mut plain)
        .unwrap();
    assert_eq!(plain, first.body);

    // A change to the catalog forgets it.
    sqlx::query("update products set title = 'Renamed While Kept' where slug = $1")
        .bind(&slug)
        .execute(&pool)
        .await
        .unwrap();
    app.state.app.catalog.invalidate_product(&slug).await;
    let changed = app.get(&path).await;
    assert_eq!(changed.header("x-page-cache"), "miss");
    assert!(changed.body.contains("Renamed While Kept"));

    // A visitor with a session (a cart, an account) is rendered for, with a nonce.
    let mut shopper = super::accounts::signed_in(&app, "kept@example.com").await;
    let own = shopper.get(&path).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.header("x-page-cache"), "");
    assert!(own.header("content-security-policy").contains("'nonce-"));

    // Pages that differ per visitor are never kept.
    assert_eq!(app.get("/cart").await.header("x-page-cache"), "");
    assert_eq!(app.get("/search?q=mug").await.header("x-page-cache"), "");
}
