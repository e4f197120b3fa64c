//! Links mailed to people open a page with a button: opening one (as a mail scanner does)
//! changes nothing; pressing the button does.

use super::accounts::{PASSWORD, mailed_token, signed_in};
use super::people::{browser, member, user};
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

async fn verified(pool: &PgPool, email: &str) -> bool {
    sqlx::query_scalar("select email_verified_at is not null from users where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn unused_tokens(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from user_tokens where used_at is null")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn email_of(pool: &PgPool, id: uuid::Uuid) -> String {
    sqlx::query_scalar("select email::text from users where id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn opening_a_mailed_link_changes_nothing_until_its_button_is_pressed(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    // A mail scanner follows every link it sees with GET.
    let mut scanner = Browser::new(&app);

    let mut jane = Browser::new(&app);
    jane.call(
        "account/register",
        json!({"email": "jane@example.com", "password": PASSWORD, "name": ""}),
    )
    .await;
    let token = mailed_token(&app, "jane@example.com", "/account/verify").await;
    let page = scanner.get(&format!("/account/verify?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"method="post""#), "{}", page.body);
    assert!(!verified(&pool, "jane@example.com").await);
    assert_eq!(unused_tokens(&pool).await, 1);
    let pressed = jane
        .post_form("/account/verify", &[("_action", "verify"), ("token", &token)])
        .await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER, "{}", pressed.body);
    assert!(verified(&pool, "jane@example.com").await);

    let mut jane = signed_in(&app, "jane2@example.com").await;
    let id: uuid::Uuid = sqlx::query_scalar("select id from users where email = 'jane2@example.com'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let asked = jane
        .call(
            "account/email",
            json!({"new_email": "jane2@new.example", "password": PASSWORD}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let token = mailed_token(&app, "jane2@new.example", "/account/email").await;
    let page = scanner.get(&format!("/account/email?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"method="post""#), "{}", page.body);
    assert_eq!(email_of(&pool, id).await, "jane2@example.com");
    let pressed = jane
        .post_form("/account/email", &[("_action", "email"), ("token", &token)])
        .await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER, "{}", pressed.body);
    assert_eq!(email_of(&pool, id).await, "jane2@new.example");

    scanner
        .call("account/forgot", json!({"email": "jane2@new.example"}))
        .await;
    let token = mailed_token(&app, "jane2@new.example", "/account/reset").await;
    let page = scanner.get(&format!("/account/reset?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(unused_tokens(&pool).await, 1, "the reset link is still unused");

    let shop: String =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let owner = user(&pool, "owner@example.com", false).await;
    member(&pool, owner, &shop, "owner").await;
    let mut owner = browser(&app, "owner@example.com").await;
    let invited = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "jane2@new.example", "role": "staff"}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let token = mailed_token(&app, "jane2@new.example", "/vendor/invite").await;
    let page = jane.get(&format!("/vendor/invite?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let members =
        || sqlx::query_scalar::<_, i64>("select count(*) from vendor_members where user_id = $1").bind(id);
    assert_eq!(members().fetch_one(&pool).await.unwrap(), 0);
    let pressed = jane
        .post_form("/vendor/invite", &[("_action", "accept"), ("token", &token)])
        .await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER, "{}", pressed.body);
    assert_eq!(members().fetch_one(&pool).await.unwrap(), 1);
}
