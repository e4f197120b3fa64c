//! The signed-in user's own account: email change, deletion, and admins made from the CLI.

use super::accounts::{PASSWORD, mailed_token, signed_in};
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn an_email_change_takes_effect_from_the_new_address(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut jane = signed_in(&app, "jane@example.com").await;
    let wrong = jane
        .call(
            "account/email",
            json!({"new_email": "jane@new.example", "password": "not my password"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("email_password"), "{}", wrong.body);
    let asked = jane
        .call(
            "account/email",
            json!({"new_email": "Jane@New.example", "password": PASSWORD}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    // Nothing changes until the link is used.
    assert!(
        jane.call("account/me", json!({}))
            .await
            .body
            .contains("jane@example.com")
    );
    let token = mailed_token(&app, "jane@new.example", "/account/email").await;
    assert_eq!(
        jane.call("account/email_confirm", json!({"token": token}))
            .await
            .status,
        StatusCode::OK
    );
    assert!(
        jane.call("account/me", json!({}))
            .await
            .body
            .contains("jane@new.example")
    );
    let notices: i64 = sqlx::query_scalar("select count(*) from mail_outbox where recipient = 'jane@example.com' and subject like '%was changed'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(notices, 1, "the old address is told");
}

#[sqlx::test(migrations = "../migrations")]
async fn deleting_an_account_removes_personal_data(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut jane = signed_in(&app, "jane@example.com").await;
    let address = json!({"id": null, "address": {"full_name": "Jane Doe", "line1": "1 Main St", "city": "Springfield",
        "region": "IL", "postal_code": "12345", "country": "US"}});
    assert_eq!(
        jane.call("account/address_save", address).await.status,
        StatusCode::OK
    );
    assert_eq!(
        jane.call("account/delete", json!({"password": "wrong"}))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        jane.call("account/delete", json!({"password": PASSWORD}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        jane.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (email, hash, deleted): (Option<String>, Option<String>, bool) =
        sqlx::query_as("select email::text, password_hash, deleted_at is not null from users")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((email, hash, deleted), (None, None, true));
    let left: i64 =
        sqlx::query_scalar("select (select count(*) from addresses) + (select count(*) from user_sessions)")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(left, 0);
    // The address is free for a new account.
    let mut again = Browser::new(&app);
    let registered = again
        .call(
            "account/register",
            json!({"email": "jane@example.com", "password": PASSWORD, "name": ""}),
        )
        .await;
    assert_eq!(registered.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn create_admin_creates_or_promotes(pool: PgPool) {
    use server::accounts::create_admin;
    assert!(
        create_admin(&pool, "root@example.com", "Root", "short")
            .await
            .is_err()
    );
    assert!(create_admin(&pool, "not an email", "", PASSWORD).await.is_err());
    assert!(
        create_admin(&pool, "root@example.com", "Root", PASSWORD)
            .await
            .unwrap()
    );
    let app = TestApp::new(pool.clone()).await;
    let _jane = signed_in(&app, "jane@example.com").await;
    assert!(
        !create_admin(&pool, "JANE@example.com", "", "").await.unwrap(),
        "promoted, not created"
    );
    let admins: Vec<String> =
        sqlx::query_scalar("select email::text from users where is_admin order by email")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(admins, ["jane@example.com", "root@example.com"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deleted_account_leaves_its_orders_without_email_or_address(pool: PgPool) {
    use super::shopping::{add, details, key, pay, place, stocked};
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let mut jane = signed_in(&app, "jane@example.com").await;
    let sku = stocked(&pool, 0, 5).await;
    add(&mut jane, &sku, 1).await;
    details(&mut jane, "jane@example.com").await;
    let number = place(&mut jane, &key()).await;
    assert_eq!(pay(&mut jane, number, true).await, "paid");

    // The shop still has to send it: the address stays until then.
    let early = jane.call("account/delete", json!({"password": PASSWORD})).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    let kept: String = sqlx::query_scalar("select email::text from orders where number = $1")
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, "jane@example.com");

    sqlx::query("update vendor_orders set status = 'shipped', shipped_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    let deleted = jane.call("account/delete", json!({"password": PASSWORD})).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let (orders, email, address): (i64, String, String) = sqlx::query_as(
        "select count(*), max(email::text), max(shipping_address::text) from orders where number = $1",
    )
    .bind(number)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(orders, 1, "the order stays in the shop's records");
    assert!(!email.contains("jane"), "{email}");
    for personal in ["Ada Shopper", "1 Main Street", "90001"] {
        assert!(!address.contains(personal), "{address}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_password_voids_a_pending_email_change(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut jane = signed_in(&app, "jane@example.com").await;
    let email_now = || sqlx::query_scalar::<_, String>("select email::text from users");
    let ask = json!({"new_email": "thief@evil.example", "password": PASSWORD});
    assert_eq!(
        jane.call("account/email", ask.clone()).await.status,
        StatusCode::OK
    );
    let by_change = mailed_token(&app, "thief@evil.example", "/account/email").await;
    let changed = jane
        .call(
            "account/password",
            json!({"current_password": PASSWORD, "new_password": "velvet harbor ninety kites"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let late = Browser::new(&app)
        .call("account/email_confirm", json!({"token": by_change}))
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST, "{}", late.body);
    assert_eq!(email_now().fetch_one(&pool).await.unwrap(), "jane@example.com");

    let ask = json!({"new_email": "thief@evil.example", "password": "velvet harbor ninety kites"});
    assert_eq!(jane.call("account/email", ask).await.status, StatusCode::OK);
    let by_reset = mailed_token(&app, "thief@evil.example", "/account/email").await;
    assert_ne!(by_reset, by_change);
    let mut owner = Browser::new(&app);
    owner
        .call("account/forgot", json!({"email": "jane@example.com"}))
        .await;
    let reset = mailed_token(&app, "jane@example.com", "/account/reset").await;
    let done = owner
        .call("account/reset", json!({"token": reset, "password": PASSWORD}))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let late = owner
        .call("account/email_confirm", json!({"token": by_reset}))
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST, "{}", late.body);
    assert_eq!(email_now().fetch_one(&pool).await.unwrap(), "jane@example.com");
}
