//! Rate limits see the real client: forwarding headers only from trusted proxies, IPv6 by /64,
//! reset budgets per address and per email, sign-up and deletion limited, and the "someone
//! tried to sign up with your address" note at most once a day.

use super::accounts::{PASSWORD, signed_in};
use super::support::{Browser, SITE, TestApp, TestResponse};
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{Request, StatusCode, header};
use serde_json::json;
use sqlx::PgPool;
use std::net::SocketAddr;

/// Calls server function `endpoint` as a browser connected from `peer`, optionally through a
/// proxy that says it forwards for `forwarded_for`.
async fn call_from(
    browser: &mut Browser<'_>,
    peer: &str,
    forwarded_for: Option<&str>,
    endpoint: &str,
    json: serde_json::Value,
) -> TestResponse {
    let mut request = Request::post(format!("/api/{endpoint}"))
        .header(header::ORIGIN, SITE)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json");
    if let Some(client) = forwarded_for {
        request = request.header("x-forwarded-for", client);
    }
    let mut request = request.body(Body::from(json.to_string())).unwrap();
    let peer = SocketAddr::new(peer.parse().unwrap(), 40_000);
    request.extensions_mut().insert(ConnectInfo(peer));
    browser.send(request).await
}

/// The address the security page shows for this browser's session.
async fn seen_as(browser: &mut Browser<'_>) -> String {
    let security = browser.call("account/security", json!({})).await;
    let overview: serde_json::Value = serde_json::from_str(&security.body).unwrap();
    overview["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap()["ip"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn login_from(app: &TestApp, peer: &str, forwarded_for: Option<&str>) -> String {
    let mut browser = Browser::new(app);
    let login = json!({"email": "jane@example.com", "password": PASSWORD, "next": ""});
    let answer = call_from(&mut browser, peer, forwarded_for, "account/login", login).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    seen_as(&mut browser).await
}

async fn forgot_from(app: &TestApp, peer: &str, forwarded_for: Option<&str>, email: &str) -> StatusCode {
    let mut browser = Browser::new(app);
    call_from(
        &mut browser,
        peer,
        forwarded_for,
        "account/forgot",
        json!({"email": email}),
    )
    .await
    .status
}

#[sqlx::test(migrations = "../migrations")]
async fn forwarding_headers_count_only_from_trusted_proxies(pool: PgPool) {
    let direct = TestApp::new(pool.clone()).await;
    signed_in(&direct, "jane@example.com").await;
    assert_eq!(
        login_from(&direct, "203.0.113.9", Some("1.2.3.4")).await,
        "203.0.113.9",
        "a header anyone can write is ignored"
    );

    let proxied = TestApp::configured(pool.clone(), &["--trusted-proxies", "10.0.0.0/8"]).await;
    assert_eq!(
        login_from(&proxied, "10.0.0.1", Some("6.6.6.6, 198.51.100.7")).await,
        "198.51.100.7"
    );
    assert_eq!(
        login_from(&proxied, "203.0.113.9", Some("198.51.100.7")).await,
        "203.0.113.9"
    );

    // Behind the proxy, each client has its own budget.
    for i in 0..10 {
        let status = forgot_from(
            &proxied,
            "10.0.0.1",
            Some("198.51.100.7"),
            &format!("u{i}@example.com"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let spent = forgot_from(&proxied, "10.0.0.1", Some("198.51.100.7"), "u10@example.com").await;
    assert_eq!(spent, StatusCode::TOO_MANY_REQUESTS);
    let other = forgot_from(&proxied, "10.0.0.1", Some("198.51.100.8"), "u10@example.com").await;
    assert_eq!(other, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_ipv6_client_is_one_bucket_per_64(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    for i in 0..10 {
        let status = forgot_from(
            &app,
            &format!("2001:db8:1:2::{:x}", i + 1),
            None,
            &format!("u{i}@example.com"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(
        forgot_from(&app, "2001:db8:1:2:ffff::9", None, "x@example.com").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        forgot_from(&app, "2001:db8:1:3::1", None, "x@example.com").await,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn one_attacker_cannot_lock_anyone_out_of_password_reset(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let attacker = "198.51.100.66";
    let statuses: Vec<StatusCode> = {
        let mut all = Vec::new();
        for _ in 0..6 {
            all.push(forgot_from(&app, attacker, None, "victim@example.com").await);
        }
        all
    };
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    assert_eq!(
        forgot_from(&app, "203.0.113.5", None, "victim@example.com").await,
        StatusCode::OK,
        "the victim, elsewhere, can still reset"
    );
    assert_eq!(
        forgot_from(&app, attacker, None, "someone.else@example.com").await,
        StatusCode::OK,
        "another email is not blocked"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_up_and_deletion_are_rate_limited(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut browser = Browser::new(&app);
    let weak = |i: usize| json!({"email": format!("s{i}@example.com"), "password": "x", "name": ""});
    let mut statuses = Vec::new();
    let burst = app::accounts::limits::SIGNUP_BURST as usize;
    for i in 0..=burst {
        statuses.push(
            call_from(&mut browser, "198.51.100.1", None, "account/register", weak(i))
                .await
                .status,
        );
    }
    assert!(
        statuses[..burst].iter().all(|s| *s == StatusCode::BAD_REQUEST),
        "{statuses:?}"
    );
    assert_eq!(statuses[burst], StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = call_from(&mut browser, "198.51.100.2", None, "account/register", weak(11)).await;
    assert_eq!(elsewhere.status, StatusCode::BAD_REQUEST);

    let mut jane = signed_in(&app, "jane@example.com").await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(
            jane.call("account/delete", json!({"password": "guess guess guess"}))
                .await
                .status,
        );
    }
    assert!(
        statuses[..7].iter().all(|s| *s == StatusCode::BAD_REQUEST),
        "{statuses:?}"
    );
    assert_eq!(statuses[9], StatusCode::TOO_MANY_REQUESTS);
    let kept: i64 = sqlx::query_scalar("select count(*) from users where deleted_at is null")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_address_is_told_of_sign_up_attempts_once_a_day(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    signed_in(&app, "jane@example.com").await;
    let notes = || {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from mail_outbox where recipient = 'jane@example.com' and subject like 'Someone tried%'",
        )
    };
    let again = json!({"email": "jane@example.com", "password": PASSWORD, "name": ""});
    let mut other = Browser::new(&app);
    for _ in 0..3 {
        assert_eq!(
            other.call("account/register", again.clone()).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(notes().fetch_one(&pool).await.unwrap(), 1);
    sqlx::query("update users set signup_notice_at = now() - interval '25 hours'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(other.call("account/register", again).await.status, StatusCode::OK);
    assert_eq!(notes().fetch_one(&pool).await.unwrap(), 2);
}
