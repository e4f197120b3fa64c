//! Two-factor authentication and the sessions of an account.

use super::accounts::{PASSWORD, signed_in};
use super::people::{browser, user};
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn two_factor_enrolment_login_and_recovery_codes(pool: PgPool) {
    use app::accounts::two_factor;
    let app = TestApp::new(pool.clone()).await;
    let mut jane = signed_in(&app, "jane@example.com").await;
    assert_eq!(
        jane.call("account/totp_start", json!({"password": PASSWORD}))
            .await
            .status,
        StatusCode::OK
    );
    let security = jane.call("account/security", json!({})).await;
    let overview: serde_json::Value = serde_json::from_str(&security.body).unwrap();
    let secret = overview["enrolment"]["secret"].as_str().unwrap().to_string();
    assert!(overview["enrolment"]["qr_svg"].as_str().unwrap().contains("<svg"));

    let wrong = jane
        .call(
            "account/totp_confirm",
            json!({"code": "000000", "password": PASSWORD}),
        )
        .await;
    let code = two_factor::current_code(&secret).unwrap();
    if code != "000000" {
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    }
    let confirmed = jane
        .call(
            "account/totp_confirm",
            json!({"code": code, "password": PASSWORD}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let codes: Vec<String> = serde_json::from_str(&confirmed.body).unwrap();
    assert_eq!(codes.len(), 10);
    jane.call("account/logout", json!({})).await;

    // Password alone is not enough any more; the session cookie changes at the second step.
    let mut browser = Browser::new(&app);
    let step_one = browser
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": PASSWORD, "next": "/account"}),
        )
        .await;
    assert!(step_one.body.contains("NeedsCode"), "{}", step_one.body);
    assert_eq!(
        browser.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
    let before = browser.cookie.clone().expect("a session for the pending login");
    // The code just used for enrolment cannot be replayed.
    let replay = browser.call("account/login_code", json!({"code": code})).await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    let recovery = browser
        .call("account/login_code", json!({"code": codes[0].to_uppercase()}))
        .await;
    assert_eq!(recovery.status, StatusCode::OK, "{}", recovery.body);
    assert_ne!(
        browser.cookie.as_ref(),
        Some(&before),
        "session fixation: the id changes at login"
    );
    assert_eq!(browser.call("account/me", json!({})).await.status, StatusCode::OK);

    // The old (pre-login) session id grants nothing.
    let mut fixated = Browser::new(&app);
    fixated.cookie = Some(before);
    assert_eq!(
        fixated.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A recovery code works once.
    browser.call("account/logout", json!({})).await;
    browser
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": PASSWORD, "next": ""}),
        )
        .await;
    let again = browser
        .call("account/login_code", json!({"code": codes[0]}))
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    let second = browser
        .call("account/login_code", json!({"code": codes[1]}))
        .await;
    assert_eq!(second.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn other_sessions_can_be_signed_out(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut laptop = signed_in(&app, "jane@example.com").await;
    let mut phone = Browser::new(&app);
    phone
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": PASSWORD, "next": ""}),
        )
        .await;
    let security = laptop.call("account/security", json!({})).await;
    assert_eq!(
        security.body.matches("\"current\":").count(),
        2,
        "{}",
        security.body
    );
    assert_eq!(laptop.call("account/sign_out_others", json!({})).await.body, "1");
    assert_eq!(
        phone.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(laptop.call("account/me", json!({})).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn two_factor_secrets_are_sealed_at_rest(pool: PgPool) {
    use app::accounts::sealed::{SecretKey, seal_stored_secrets};
    use app::accounts::two_factor;
    let app = TestApp::new(pool.clone()).await;
    let mut jane = signed_in(&app, "jane@example.com").await;
    jane.call("account/totp_start", json!({"password": PASSWORD}))
        .await;
    let security = jane.call("account/security", json!({})).await;
    let overview: serde_json::Value = serde_json::from_str(&security.body).unwrap();
    let secret = overview["enrolment"]["secret"].as_str().unwrap().to_string();
    let stored =
        || sqlx::query_scalar::<_, String>("select totp_secret from users where email = 'jane@example.com'");
    let column = stored().fetch_one(&pool).await.unwrap();
    assert!(!column.contains(&secret) && column.starts_with("v1:"), "{column}");
    let code = two_factor::current_code(&secret).unwrap();
    let on = jane
        .call(
            "account/totp_confirm",
            json!({"code": code, "password": PASSWORD}),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert!(!stored().fetch_one(&pool).await.unwrap().contains(&secret));
    // Signing in with a code still works.
    let again = browser(&app, "jane@example.com")
        .await
        .call("account/me", json!({}))
        .await;
    assert_eq!(again.status, StatusCode::OK);

    // Secrets kept in the clear before are sealed at start, once.
    let joe = user(&pool, "joe@example.com", false).await;
    let clear = two_factor::new_secret();
    sqlx::query("update users set totp_secret = $2, totp_enabled_at = now() where id = $1")
        .bind(joe)
        .bind(&clear)
        .execute(&pool)
        .await
        .unwrap();
    let key = &app.state.app.secret_key;
    assert_eq!(seal_stored_secrets(&pool, key).await.unwrap(), 1);
    assert_eq!(seal_stored_secrets(&pool, key).await.unwrap(), 0);
    let sealed: String = sqlx::query_scalar("select totp_secret from users where id = $1")
        .bind(joe)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!sealed.contains(&clear));
    let code = two_factor::current_code(&clear).unwrap();
    let mut joe_browser = Browser::new(&app);
    joe_browser
        .call(
            "account/login",
            json!({"email": "joe@example.com", "password": PASSWORD, "next": ""}),
        )
        .await;
    let second = joe_browser
        .call("account/login_code", json!({"code": code}))
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);

    // Another key fails clearly: at start with a message, on a request with an error, never a panic.
    let error = seal_stored_secrets(&pool, &SecretKey::generate())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("SECRET_KEY"), "{error}");
    let other_key = SecretKey::generate().to_text();
    let wrong = TestApp::configured(pool.clone(), &["--secret-key", &other_key]).await;
    let mut stranger = Browser::new(&wrong);
    let step_one = stranger
        .call(
            "account/login",
            json!({"email": "jane@example.com", "password": PASSWORD, "next": ""}),
        )
        .await;
    assert!(step_one.body.contains("NeedsCode"), "{}", step_one.body);
    let refused = stranger
        .call("account/login_code", json!({"code": "123456"}))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        refused.body
    );
    assert_eq!(
        stranger.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
}
