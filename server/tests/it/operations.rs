//! Health, readiness, metrics, security headers, compression and static-file caching.

use super::support::TestApp;
use axum::body::Body;
use http::{Request, header};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn health_and_readiness(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let health = app.get("/healthz").await;
    assert_eq!(
        (health.status.as_u16(), health.body.as_str()),
        (200, r#"{"status":"ok"}"#)
    );
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert!(ready.body.contains(r#""database":"ok""#));
    assert!(
        ready
            .body
            .contains(r#""search":{"engine":"postgres","fallbacks":0,"serving":"postgres","status":"ok"}"#),
        "{}",
        ready.body
    );

    pool.close().await;
    let not_ready = app.get("/readyz").await;
    assert_eq!(not_ready.status, 503);
    assert!(not_ready.body.contains(r#""status":"unavailable""#));
    assert_eq!(
        app.get("/healthz").await.status,
        200,
        "liveness does not depend on the database"
    );
}

/// Without its database, a signed-in shopper's page is `503` with a time to retry after, not a
/// `500`, and not the login page (as if nobody were signed in); a server function too.
#[sqlx::test(migrations = "../migrations")]
async fn without_the_database_signed_in_pages_are_unavailable(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut browser = super::accounts::signed_in(&app, "someone@example.com").await;
    assert_eq!(browser.get("/account/security").await.status, 200);
    pool.close().await;
    let page = browser.get("/account/security").await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert_eq!(page.headers.get(header::RETRY_AFTER).unwrap(), "5");
    assert!(page.body.contains("briefly unavailable"), "{}", page.body);
    let anonymous = app
        .call("cart/add", serde_json::json!({"sku": "X-1", "quantity": 1}))
        .await;
    assert_eq!(anonymous.status, 503, "{}", anonymous.body);
}

/// The job queue's listeners and locks (four connections per job, for as long as it runs) come
/// from a pool of their own: in a request pool sized to a small machine they took every
/// connection, and requests waited until the queue's own waits timed out.
#[sqlx::test(migrations = "../migrations")]
async fn background_jobs_leave_the_request_pool_to_requests(pool: PgPool) {
    use std::time::Duration;
    server::db::migrate(&pool).await.unwrap();
    let small = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let app = TestApp::with_catalog(small, 10).await;
    let jobs = server::jobs::supervise(app.state.app.clone());
    // The supervisor finds the database answering and starts every job, each with its
    // schedule; give their workers and schedulers time to connect their listeners.
    let mut schedules = 0;
    for _ in 0..50 {
        schedules = sqlx::query_scalar::<_, i64>("select count(*) from underway.task_schedule")
            .fetch_one(&pool)
            .await
            .unwrap();
        if schedules == i64::from(server::jobs::JOBS) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        schedules,
        i64::from(server::jobs::JOBS),
        "the supervised jobs started"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let pages = futures::future::join_all(
        (0..6).map(|_| tokio::time::timeout(Duration::from_secs(2), app.get("/readyz"))),
    )
    .await;
    for page in pages {
        let page = page.expect("a request got a database connection while the jobs run");
        assert_eq!(page.status, 200, "{}", page.body);
    }
    jobs.shutdown().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_count_requests_by_route_and_status(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 30).await;
    app.get("/c/clothing").await;
    app.get("/p/does-not-exist").await;
    app.get("/no/route/here").await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.header("content-type").starts_with("text/plain"));
    let body = &metrics.body;
    assert!(
        body.contains(r#"http_requests_total{method="GET",route="/c/{category}",status="200"}"#),
        "{body}"
    );
    assert!(body.contains(r#"http_requests_total{method="GET",route="/p/{slug}",status="404"}"#));
    assert!(body.contains(r#"http_requests_total{method="GET",route="unmatched",status="404"}"#));
    assert!(
        body.contains(
            r#"http_request_duration_seconds_bucket{method="GET",route="/c/{category}",le="0.005"}"#
        )
    );
    assert!(body.contains("db_pool_connections{state=\"idle\"}"));
    assert!(body.contains("db_pool_max_connections"));
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_carry_security_headers_and_a_nonce_policy(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 30).await;
    // A visitor with a session: the page is rendered for them, its scripts allowed by nonce
    // (pages kept for visitors without one name their scripts by hash: page_cache.rs).
    let mut browser = super::accounts::signed_in(&app, "nonce@example.com").await;
    let page = browser.get("/").await;
    let csp = page.header("content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page policy allows scripts by nonce");
    assert!(
        page.body
            .contains(&format!(r#"<script type="module" nonce="{nonce}">"#))
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("'unsafe-eval'"));
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("referrer-policy"), "strict-origin-when-cross-origin");
    assert_eq!(page.header("cache-control"), "private, no-cache");
    assert!(!page.header("x-request-id").is_empty());
    // Every page gets a fresh nonce.
    assert!(
        !app.get("/")
            .await
            .header("content-security-policy")
            .contains(nonce)
    );

    let json = app.get("/healthz").await;
    assert!(
        json.header("content-security-policy")
            .contains("default-src 'self'")
    );
    assert_eq!(json.header("x-frame-options"), "DENY");
}

#[sqlx::test(migrations = "../migrations")]
async fn responses_are_compressed_when_asked(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 30).await;
    for encoding in ["br", "gzip"] {
        let response = app
            .request(
                Request::get("/c/clothing")
                    .header(header::ACCEPT_ENCODING, encoding)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-encoding"), encoding);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn hashed_assets_are_immutable_other_files_are_not(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let css = app.get("/pkg/marketplace.css").await;
    assert_eq!(css.status, 200);
    assert_eq!(css.header("cache-control"), "public, max-age=31536000, immutable");
    let file = app.get("/robots-static.txt").await;
    assert_eq!((file.status.as_u16(), file.body.as_str()), (200, "static file"));
    assert_eq!(file.header("cache-control"), "public, max-age=3600");
    let worker = app.get("/sw.js").await;
    assert_eq!(worker.header("cache-control"), "no-cache");
    assert!(worker.body.contains(r#""/offline.html""#));
    assert!(worker.body.contains(r#""/pkg/marketplace.js""#));
    assert!(!worker.body.contains("__PRECACHE__"));
}

#[sqlx::test(migrations = "../migrations")]
async fn oversized_bodies_are_refused(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let big = "x".repeat(3 * 1024 * 1024);
    let response = app
        .request(
            Request::post("/api/product")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, big.len())
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, 413);
}

/// Static files served while pages render never take (or lose) a page's headers: a page's
/// policy must carry its script nonce however busy the server is.
#[sqlx::test(migrations = "../migrations")]
async fn concurrent_files_and_pages_keep_their_own_headers(pool: PgPool) {
    let app = std::sync::Arc::new(TestApp::with_catalog(pool, 30).await);
    let mut requests = tokio::task::JoinSet::new();
    for i in 0..120 {
        let app = app.clone();
        requests.spawn(async move {
            let uri = ["/", "/robots-static.txt", "/icons/missing.svg"][i % 3];
            (uri, app.get(uri).await)
        });
    }
    while let Some(done) = requests.join_next().await {
        let (uri, response) = done.unwrap();
        let csp = response.header("content-security-policy");
        let is_page = uri != "/robots-static.txt";
        assert_eq!(
            csp.contains("'nonce-"),
            is_page,
            "{uri} answered with policy {csp}"
        );
    }
    assert_eq!(
        app.get("/icons/missing.svg").await.status,
        http::StatusCode::NOT_FOUND
    );
}
