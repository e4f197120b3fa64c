//! Accounts end to end through the router: sign-up, email links, login with a second factor,
//! sessions, rate limits, tokens, and forms posted to pages.

use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

pub const PASSWORD: &str = "orbit lantern pickle seventy";

pub use super::inbox::mailed_token;

/// Registers, confirms and signs in `email`; returns the signed-in browser.
pub async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    let registered = browser
        .call(
            "account/register",
            json!({"email": email, "password": PASSWORD, "name": "Test User"}),
        )
        .await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let token = mailed_token(app, email, "/account/verify").await;
    assert_eq!(
        browser
            .call("account/verify", json!({"token": token}))
            .await
            .status,
        StatusCode::OK
    );
    let login = browser
        .call(
            "account/login",
            json!({"email": email, "password": PASSWORD, "next": "/account"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    browser
}

#[sqlx::test(migrations = "../migrations")]
async fn register_confirm_login_and_logout(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
    let registered = browser
        .call(
            "account/register",
            json!({"email": "Jane@Example.com", "password": PASSWORD, "name": "Jane"}),
        )
        .await;
    assert_eq!(registered.status, StatusCode::OK);

    // Not confirmed yet: no login, and a fresh link is mailed.
    let early = browser
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": PASSWORD, "next": "/"}),
        )
        .await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(early.body.contains("Confirm your email"), "{}", early.body);

    let token = mailed_token(&app, "jane@example.com", "/account/verify").await;
    assert_eq!(
        browser
            .call("account/verify", json!({"token": token}))
            .await
            .status,
        StatusCode::OK
    );
    let login = browser
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": PASSWORD, "next": "//evil.example"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    assert!(
        login.body.contains(r#""next":"/account""#),
        "an off-site next is refused: {}",
        login.body
    );
    let cookie = browser.cookie.clone().expect("a session cookie");
    let me = browser.call("account/me", json!({})).await;
    assert!(me.body.contains("jane@example.com"), "{}", me.body);

    assert_eq!(
        browser.call("account/logout", json!({})).await.status,
        StatusCode::OK
    );
    // The old cookie is dead server-side, even if a browser kept it.
    browser.cookie = Some(cookie);
    assert_eq!(
        browser.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn answers_do_not_reveal_which_emails_have_accounts(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let _jane = signed_in(&app, "jane@example.com").await;
    let mut other = Browser::new(&app);
    let again = other
        .call(
            "account/register",
            json!({"email": "jane@example.com", "password": PASSWORD, "name": ""}),
        )
        .await;
    let fresh = other
        .call(
            "account/register",
            json!({"email": "new@example.com", "password": PASSWORD, "name": ""}),
        )
        .await;
    assert_eq!((again.status, again.body), (fresh.status, fresh.body));
    let users: i64 = sqlx::query_scalar("select count(*) from users where email = 'jane@example.com'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 1);

    let wrong_password = other
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": "not it at all", "next": ""}),
        )
        .await;
    let no_account = other
        .call(
            "account/login",
            json!({"email": "nobody@example.com", "password": "not it at all", "next": ""}),
        )
        .await;
    assert_eq!(wrong_password.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (wrong_password.status, wrong_password.body),
        (no_account.status, no_account.body)
    );

    let known = other
        .call("account/forgot", json!({"email": "jane@example.com"}))
        .await;
    let unknown = other
        .call("account/forgot", json!({"email": "nobody@example.com"}))
        .await;
    assert_eq!((known.status, known.body), (unknown.status, unknown.body));
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_input_is_explained_and_changes_nothing(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut browser = Browser::new(&app);
    let long = "x".repeat(10_000);
    for (email, password, field) in [
        ("not-an-email", PASSWORD, "email"),
        ("jаne@example.com", PASSWORD, "email"), // Cyrillic а
        (long.as_str(), PASSWORD, "email"),
        ("jane@example.com", "password1", "password"),
        ("jane@example.com", long.as_str(), "password"),
    ] {
        let answer = browser
            .call(
                "account/register",
                json!({"email": email, "password": password, "name": ""}),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{email:.20} / {password:.20}"
        );
        assert!(
            answer.body.contains(&format!(r#""field":"{field}""#)),
            "{}",
            answer.body
        );
    }
    let users: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn login_is_rate_limited_per_account(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let _jane = signed_in(&app, "jane@example.com").await;
    let mut attacker = Browser::new(&app);
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let answer = attacker
            .call(
                "account/login",
                json!({"email": "jane@example.com", "password": "guess guess guess", "next": ""}),
            )
            .await;
        statuses.push(answer.status);
    }
    assert!(
        statuses[..7].iter().all(|s| *s == StatusCode::BAD_REQUEST),
        "{statuses:?}"
    );
    assert_eq!(statuses[9], StatusCode::TOO_MANY_REQUESTS);
    // Even the right password waits now.
    let right = attacker
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": PASSWORD, "next": ""}),
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The demo's published accounts are shared by every visitor: their sign-ins are limited per
/// address only, or every visitor would be locked out after a few.
#[sqlx::test(migrations = "../migrations")]
async fn a_demo_account_is_not_locked_by_its_visitors_sign_ins(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let _owner = signed_in(&app, "owner@example.com").await;
    sqlx::query("update users set demo = true where email = 'owner@example.com'")
        .execute(&pool)
        .await
        .unwrap();
    for n in 0..12 {
        let mut visitor = Browser::new(&app);
        let answer = visitor
            .call(
                "account/login",
                json!({"email": "owner@example.com", "password": PASSWORD, "next": ""}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "sign-in {n}: {}", answer.body);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn reset_links_work_once_and_expire(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut jane = signed_in(&app, "jane@example.com").await;
    let mut browser = Browser::new(&app);
    browser
        .call("account/forgot", json!({"email": "jane@example.com"}))
        .await;
    let token = mailed_token(&app, "jane@example.com", "/account/reset").await;
    let new_password = "velvet harbor ninety kites";
    let reset = browser
        .call("account/reset", json!({"token": token, "password": new_password}))
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let reused = browser
        .call("account/reset", json!({"token": token, "password": PASSWORD}))
        .await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert!(reused.body.contains("already used"), "{}", reused.body);
    // Every session of the account was signed out.
    assert_eq!(
        jane.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );

    browser
        .call("account/forgot", json!({"email": "jane@example.com"}))
        .await;
    let token = mailed_token(&app, "jane@example.com", "/account/reset").await;
    sqlx::query("update user_tokens set expires_at = now() - interval '1 second' where used_at is null")
        .execute(&pool)
        .await
        .unwrap();
    let expired = browser
        .call("account/reset", json!({"token": token, "password": PASSWORD}))
        .await;
    assert_eq!(expired.status, StatusCode::BAD_REQUEST);
    let login = browser
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": new_password, "next": ""}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "the expired link changed nothing");
}

#[sqlx::test(migrations = "../migrations")]
async fn forms_post_to_pages_and_errors_come_back_next_to_the_field(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let _jane = signed_in(&app, "jane@example.com").await;
    let mut browser = Browser::new(&app);
    let wrong = browser
        .post_form(
            "/account/login",
            &[
                ("_action", "login"),
                ("email", "jane@example.com"),
                ("password", "nope nope"),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.body.contains(r#"id="login-password-error""#),
        "the error is next to the field"
    );
    assert!(
        wrong.body.contains(r#"value="jane@example.com""#),
        "the email is kept"
    );
    assert!(!wrong.body.contains("nope nope"), "the password is never echoed");

    let right = browser
        .post_form(
            "/account/login",
            &[
                ("_action", "login"),
                ("email", "jane@example.com"),
                ("password", PASSWORD),
                ("next", "/account/addresses"),
            ],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.header("location"), "/account/addresses");

    let saved = browser
        .post_form(
            "/account/addresses",
            &[
                ("_action", "save"),
                ("full_name", "Jane Doe"),
                ("line1", "1 Main St"),
                ("city", "Springfield"),
                ("region", "IL"),
                ("postal_code", "12345"),
                ("country", "us"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = browser.get("/account/addresses").await;
    assert!(page.body.contains("1 Main St") && page.body.contains("Default shipping"));

    let bad = browser
        .post_form(
            "/account/addresses",
            &[("_action", "save"), ("full_name", "Jane"), ("country", "Narnia")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("field-error"));
    let count: i64 = sqlx::query_scalar("select count(*) from addresses")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn cross_site_posts_are_refused(pool: PgPool) {
    use axum::body::Body;
    let app = TestApp::new(pool.clone()).await;
    for origin in [None, Some("https://evil.example"), Some("null")] {
        let mut request =
            http::Request::post("/api/account/register").header("content-type", "application/json");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let body = json!({"email": "x@example.com", "password": PASSWORD, "name": ""}).to_string();
        let answer = app.request(request.body(Body::from(body)).unwrap()).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "origin {origin:?}");
    }
    let users: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 0);
}
