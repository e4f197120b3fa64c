//! A second factor in *this* session: admin power needs a session that passed one, money going
//! out needs that or a recent confirmation, and turning 2FA on or off asks for the password and
//! signs out every other browser.

use super::accounts::PASSWORD;
use super::people::{browser, confirmed, enable_two_factor, member, totp_code, user};
use super::shopping::{pay, stocked, two_shop_order};
use super::support::TestApp;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

async fn secret_of(pool: &PgPool, id: uuid::Uuid) -> Option<String> {
    sqlx::query_scalar("select totp_secret from users where id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn admin_power_needs_a_second_factor_in_this_session(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let admin = user(&pool, "admin@example.com", true).await;
    // Signed in with the password before 2FA was on (or by someone who only has the password).
    let mut laptop = browser(&app, "admin@example.com").await;
    let mut phone = browser(&app, "admin@example.com").await;

    // Enrolling asks for the password: without it, or with a wrong one, nothing changes.
    let bare = phone.call("account/totp_start", json!({})).await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST, "{}", bare.body);
    let wrong = phone
        .call("account/totp_start", json!({"password": "not the password"}))
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("start_password"), "{}", wrong.body);
    assert_eq!(secret_of(&pool, admin).await, None);
    let started = phone
        .call("account/totp_start", json!({"password": PASSWORD}))
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let code = totp_code(&app, "admin@example.com").await;
    let unconfirmed = phone
        .call("account/totp_confirm", json!({"code": code, "password": "nope"}))
        .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    let enabled: bool = sqlx::query_scalar("select totp_enabled_at is not null from users where id = $1")
        .bind(admin)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!enabled, "a wrong password turns nothing on");
    let before = phone.cookie.clone();
    let confirmed = phone
        .call(
            "account/totp_confirm",
            json!({"code": code, "password": PASSWORD}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_ne!(phone.cookie, before, "the session id changes");

    // The browser that enrolled passed the second factor; every other one was signed out.
    assert_eq!(phone.get("/admin").await.status, StatusCode::OK);
    assert_eq!(
        laptop.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A session that has not passed it (such as one from before this rule) is asked to.
    sqlx::query("update user_sessions set second_factor_at = null where user_id = $1")
        .bind(admin)
        .execute(&pool)
        .await
        .unwrap();
    let page = phone.get("/admin/vendors?status=pending").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.header("location"),
        "/account/confirm?next=%2Fadmin%2Fvendors%3Fstatus%3Dpending"
    );
    let api = phone.call("admin/overview", json!({})).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert!(api.body.contains("ConfirmIdentity"), "{}", api.body);

    // Admin reads of someone else's order go through the same guard.
    let sku = stocked(&pool, 0, 5).await;
    let (_, number, _) = two_shop_order(
        &app,
        (&sku, 1),
        (&stocked(&pool, 1, 5).await, 1),
        "guest@example.com",
    )
    .await;
    let detail = json!({"number": number.to_string()});
    assert_eq!(
        phone.call("orders/detail", detail.clone()).await.status,
        StatusCode::FORBIDDEN
    );

    // The password alone does not do: the code is asked too.
    let form = phone.get("/account/confirm?next=%2Fadmin").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="code""#), "{}", form.body);
    let half = phone
        .post_form(
            "/account/confirm",
            &[
                ("_action", "confirm"),
                ("password", PASSWORD),
                ("code", ""),
                ("next", "/admin"),
            ],
        )
        .await;
    assert_eq!(half.status, StatusCode::BAD_REQUEST);
    assert_eq!(phone.get("/admin").await.status, StatusCode::SEE_OTHER);
    let code = totp_code(&app, "admin@example.com").await;
    let whole = phone
        .post_form(
            "/account/confirm",
            &[
                ("_action", "confirm"),
                ("password", PASSWORD),
                ("code", &code),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(whole.status, StatusCode::SEE_OTHER, "{}", whole.body);
    assert_eq!(
        whole.header("location"),
        "/account",
        "an off-site next is refused"
    );
    assert_eq!(phone.get("/admin").await.status, StatusCode::OK);
    assert_eq!(phone.call("orders/detail", detail).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn money_goes_out_only_after_a_recent_confirmation(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 2), (&b, 1), "buyer@example.com").await;
    pay(&mut guest, number, true).await;
    let (part, shop) = (parts[0].0.to_string(), parts[0].1.clone());
    let owner = user(&pool, "owner@example.com", false).await;
    member(&pool, owner, &shop, "owner").await;
    let mut owner = browser(&app, "owner@example.com").await;
    let refunds = || sqlx::query_scalar::<_, i64>("select count(*) from refunds");

    let refund = json!({"vendor_order_id": part, "amount": 100, "restock": []});
    for (call, args) in [
        ("orders/refund", refund.clone()),
        (
            "orders/cancel",
            json!({"vendor_order_id": part, "reason": "out of stock"}),
        ),
        (
            "orders/cancel-lines",
            json!({"vendor_order_id": part, "lines": [], "reason": "out of stock"}),
        ),
    ] {
        let answer = owner.call(call, args).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{call}: {}", answer.body);
        assert!(answer.body.contains("ConfirmIdentity"), "{}", answer.body);
    }
    assert_eq!(refunds().fetch_one(&pool).await.unwrap(), 0);

    // The portal's form sends the browser to confirm, and back.
    let orders = super::shopping::part_page(&owner, &part).await;
    let _ = &shop;
    let posted = owner
        .post_form(
            &orders,
            &[
                ("_action", "cancel"),
                ("vendor_order_id", &part),
                ("reason", "out of stock"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let to = posted.header("location").to_string();
    assert!(to.starts_with("/account/confirm?next=%2Fvendor%2F"), "{to}");
    let page = owner.get(&to).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains(r#"name="code""#),
        "no 2FA: the password alone"
    );
    let next = orders.clone();
    let wrong = owner
        .post_form(
            &to,
            &[("_action", "confirm"), ("password", "nope"), ("next", &next)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let back = owner
        .post_form(
            &to,
            &[("_action", "confirm"), ("password", PASSWORD), ("next", &next)],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(back.header("location"), next);
    let refunded = owner.call("orders/refund", refund.clone()).await;
    assert_eq!(refunded.status, StatusCode::OK, "{}", refunded.body);
    assert_eq!(refunds().fetch_one(&pool).await.unwrap(), 1);

    // A confirmation counts for 15 minutes.
    sqlx::query("update user_sessions set confirmed_at = now() - interval '16 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        owner.call("orders/refund", refund.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let mut again = confirmed(&app, "owner@example.com").await;
    assert_eq!(again.call("orders/refund", refund).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn turning_two_factor_off_asks_for_the_password_and_signs_out_other_browsers(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let admin = user(&pool, "admin@example.com", true).await;
    enable_two_factor(&app, admin).await;
    let mut phone = browser(&app, "admin@example.com").await;
    let mut tablet = browser(&app, "admin@example.com").await;
    assert_eq!(tablet.call("account/me", json!({})).await.status, StatusCode::OK);
    let code = totp_code(&app, "admin@example.com").await;
    let no_password = phone
        .call("account/totp_disable", json!({"code": code, "password": "wrong"}))
        .await;
    assert_eq!(no_password.status, StatusCode::BAD_REQUEST);
    let off = phone
        .call(
            "account/totp_disable",
            json!({"code": code, "password": PASSWORD}),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        tablet.call("account/me", json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(phone.call("account/me", json!({})).await.status, StatusCode::OK);
}
