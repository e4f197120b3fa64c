//! People for tests that need them signed in: confirmed users, vendor members, browsers
//! logged in as them (through the second factor when the user has one), and their codes.

use super::accounts::PASSWORD;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

/// Inserts a confirmed user; returns its id.
pub async fn user(pool: &PgPool, email: &str, admin: bool) -> uuid::Uuid {
    let hash = app::accounts::secrets::hash_password(PASSWORD.into())
        .await
        .unwrap();
    sqlx::query_scalar(
        "insert into users (email, password_hash, is_admin, email_verified_at) values ($1, $2, $3, now()) returning id",
    )
    .bind(email)
    .bind(hash)
    .bind(admin)
    .fetch_one(pool)
    .await
    .unwrap()
}

pub async fn member(pool: &PgPool, user: uuid::Uuid, vendor: &str, role: &str) {
    sqlx::query("insert into vendor_members (vendor_id, user_id, role) select id, $1, $3 from vendors where slug = $2")
        .bind(user)
        .bind(vendor)
        .bind(role)
        .execute(pool)
        .await
        .unwrap();
}

pub async fn browser<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    let login = browser
        .call(
            "account/login",
            json!({"email": email, "password": PASSWORD, "next": ""}),
        )
        .await;
    if login.body.contains("NeedsCode") {
        let code = totp_code(app, email).await;
        let second = browser.call("account/login_code", json!({"code": code})).await;
        assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    } else {
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    }
    browser
}

/// Turns on two-factor authentication for `user` in the database (its secret sealed as the
/// server does); returns the secret.
pub async fn enable_two_factor(app: &TestApp, user: uuid::Uuid) -> String {
    let secret = app::accounts::two_factor::new_secret();
    let sealed = app.state.app.secret_key.seal(user, &secret).unwrap();
    sqlx::query("update users set totp_secret = $2, totp_enabled_at = now() where id = $1")
        .bind(user)
        .bind(sealed)
        .execute(&app.state.app.pool)
        .await
        .unwrap();
    secret
}

/// The code `email`'s authenticator app shows now. The time step last used is forgotten, so
/// a test can use a code again within the same 30 seconds.
pub async fn totp_code(app: &TestApp, email: &str) -> String {
    let pool = &app.state.app.pool;
    let (id, sealed): (uuid::Uuid, String) = sqlx::query_as(
        "update users set totp_last_step = null where email = $1 and deleted_at is null returning id, totp_secret",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap();
    let secret = app.state.app.secret_key.open(id, &sealed).unwrap();
    app::accounts::two_factor::current_code(&secret).unwrap()
}

/// A browser signed in as `email` that has also confirmed who it is (password, and a code
/// when the user has 2FA on), as refunds and cancellations ask.
pub async fn confirmed<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = browser(app, email).await;
    let code = match sqlx::query_scalar::<_, bool>(
        "select totp_enabled_at is not null from users where email = $1 and deleted_at is null",
    )
    .bind(email)
    .fetch_one(&app.state.app.pool)
    .await
    .unwrap()
    {
        true => totp_code(app, email).await,
        false => String::new(),
    };
    let answer = browser
        .call(
            "account/confirm",
            json!({"password": PASSWORD, "code": code, "next": "/"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    browser
}
