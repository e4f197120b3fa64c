//! People for tests that need them signed in: confirmed users, vendor members, and browsers
//! logged in as them (through the second factor when the user has one).

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
        let secret: String = sqlx::query_scalar("select totp_secret from users where email = $1")
            .bind(email)
            .fetch_one(&app.state.app.pool)
            .await
            .unwrap();
        let code = app::accounts::two_factor::current_code(&secret).unwrap();
        let second = browser.call("account/login_code", json!({"code": code})).await;
        assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    } else {
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    }
    browser
}
