//! Discount codes through the real router: made by the console and by a shop's owners (each
//! kept to its owner), applied at checkout with the reason when one does not apply, claimed
//! exactly once per order even when fifty checkouts race for ten uses, and given back when an
//! order is closed unpaid.

use super::admin_people::operator;
use super::people::{browser, member, user};
use super::shopping::{add, body, details, key, pay, place, place_all, stocked};
use super::support::{Browser, TestApp, TestResponse};
use app::money::commission::commission;
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

/// The slug of the `nth` approved shop (by slug), as `stocked` picks them.
pub async fn shop(pool: &PgPool, nth: i64) -> String {
    sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug offset $1 limit 1")
        .bind(nth)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub fn create(code: &str, kind: &str, value: &str) -> Value {
    json!({"create": {"code": code, "kind": kind, "value": value}})
}

pub async fn console(admin: &mut Browser<'_>, action: Value) -> TestResponse {
    admin.call("admin/discounts/act", json!({"action": action})).await
}

pub async fn by_shop(owner: &mut Browser<'_>, shop: &str, action: Value) -> TestResponse {
    owner
        .call("vendor/discounts/act", json!({"vendor": shop, "action": action}))
        .await
}

pub async fn apply(buyer: &mut Browser<'_>, code: &str) -> TestResponse {
    buyer.call("checkout/code", json!({"code": code})).await
}

async fn code_id(pool: &PgPool, code: &str) -> String {
    sqlx::query_scalar("select id::text from discount_codes where code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn uses(pool: &PgPool, code: &str) -> (i32, i64) {
    sqlx::query_as(
        "select d.uses, (select count(*) from discount_uses u where u.code_id = d.id and u.released_at is null)
         from discount_codes d where d.code = $1",
    )
    .bind(code)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn codes_are_checked_whole_and_kept_to_their_owner(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (shop_a, shop_b) = (shop(&pool, 0).await, shop(&pool, 1).await);
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let owner_a = user(&pool, "owner-a@example.com", false).await;
    member(&pool, owner_a, &shop_a, "owner").await;
    let owner_b = user(&pool, "owner-b@example.com", false).await;
    member(&pool, owner_b, &shop_b, "owner").await;
    let staff_a = user(&pool, "staff-a@example.com", false).await;
    member(&pool, staff_a, &shop_a, "staff").await;

    let bad = console(
        &mut admin,
        json!({"create": {"code": "a", "kind": "percent", "value": "150", "ends": "31/12/2026", "usage_limit": "-1"}}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    for field in ["code", "value", "ends", "usage_limit"] {
        assert!(bad.body.contains(field), "{field} named: {}", bad.body);
    }
    let made = console(&mut admin, create(" welcome10 ", "percent", "10")).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(body(&made.body), json!("WELCOME10"));
    let again = console(&mut admin, create("WELCOME10", "fixed", "5")).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
    assert!(again.body.contains("already in use"), "{}", again.body);

    let mut a = browser(&app, "owner-a@example.com").await;
    let own = by_shop(&mut a, &shop_a, create("HEARTH5", "fixed", "5.00")).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let hearth = code_id(&pool, "HEARTH5").await;

    // Another shop's owner neither reads nor changes it; the shop's staff don't make codes.
    let mut b = browser(&app, "owner-b@example.com").await;
    let theirs = b.call("vendor/discounts", json!({"vendor": shop_a})).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.body);
    let through_own = by_shop(&mut b, &shop_b, json!({"disable": {"id": hearth}})).await;
    assert_eq!(through_own.status, StatusCode::NOT_FOUND, "{}", through_own.body);
    let mut staff = browser(&app, "staff-a@example.com").await;
    let by_staff = by_shop(&mut staff, &shop_a, create("STAFF1", "fixed", "1")).await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN, "{}", by_staff.body);
    let listed = body(&b.call("vendor/discounts", json!({"vendor": shop_b})).await.body);
    assert_eq!(listed["codes"], json!([]), "shop B sees only its own codes");

    // The console sees every code and may disable a shop's.
    let all = body(&admin.call("admin/discounts", json!({})).await.body);
    let codes: Vec<&str> = all["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"WELCOME10") && codes.contains(&"HEARTH5"),
        "{codes:?}"
    );
    let off = console(&mut admin, json!({"disable": {"id": hearth}})).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let bogus = console(&mut admin, json!({"disable": {"id": "not-an-id"}})).await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST, "{}", bogus.body);

    let logged: Vec<(String, Option<uuid::Uuid>)> =
        sqlx::query_as("select action, vendor_id from audit_log where subject_kind = 'discount' order by id")
            .fetch_all(&pool)
            .await
            .unwrap();
    let actions: Vec<&str> = logged.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["discount.create", "discount.create", "discount.disable"]
    );
    assert!(
        logged[0].1.is_none() && logged[1].1.is_some(),
        "a shop's code is in its own log"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_code_at_checkout_says_why_it_does_not_apply(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, shop_b) = (stocked(&pool, 0, 50).await, shop(&pool, 1).await);
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    for (code, extra) in [
        ("LATER", json!({"starts": "2199-01-01"})),
        ("BIG", json!({"min_subtotal": "100000"})),
        ("FIRST", json!({"first_order_only": true})),
        ("ONCE", json!({"per_customer_limit": "1"})),
        ("OLD", json!({})),
    ] {
        let mut input = json!({"code": code, "kind": "percent", "value": "10"});
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let made = console(&mut admin, json!({"create": input})).await;
        assert_eq!(made.status, StatusCode::OK, "{code}: {}", made.body);
    }
    sqlx::query("update discount_codes set starts_at = now() - interval '10 days', ends_at = now() - interval '1 day' where code = 'OLD'")
        .execute(&pool)
        .await
        .unwrap();
    let owner_b = user(&pool, "owner-b@example.com", false).await;
    member(&pool, owner_b, &shop_b, "owner").await;
    let mut b = browser(&app, "owner-b@example.com").await;
    let made = by_shop(&mut b, &shop_b, create("BONLY", "fixed", "2")).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);

    let mut buyer = Browser::new(&app);
    add(&mut buyer, &a, 1).await;
    let early = apply(&mut buyer, "ONCE").await;
    assert_eq!(
        early.status,
        StatusCode::BAD_REQUEST,
        "details come first: {}",
        early.body
    );
    details(&mut buyer, "returning@example.com").await;
    for (code, says) in [
        ("NOPE", "There is no discount code NOPE."),
        ("later", "can be used from 1 Jan 2199"),
        ("OLD", "The code OLD ended on"),
        ("BIG", "needs an order of at least"),
        ("BONLY", "add something from that shop"),
    ] {
        let refused = apply(&mut buyer, code).await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{code}: {}",
            refused.body
        );
        assert!(refused.body.contains(says), "{code}: {}", refused.body);
    }
    let view = body(&buyer.call("checkout/view", json!({})).await.body);
    assert_eq!(
        view["quote"]["discount"],
        Value::Null,
        "a refused code is not kept"
    );

    // A first order with ONCE: the code is used, FIRST no longer applies to this shopper.
    let applied = apply(&mut buyer, "once").await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    let view = body(&buyer.call("checkout/view", json!({})).await.body);
    let subtotal = view["quote"]["subtotal"]["minor"].as_i64().unwrap();
    assert_eq!(view["quote"]["discount"]["code"], json!("ONCE"));
    assert_eq!(
        view["quote"]["discount"]["amount"]["minor"],
        json!(commission(subtotal, 1000))
    );
    let number = place(&mut buyer, &key()).await;
    let (code, off): (Option<String>, i64) =
        sqlx::query_as("select discount_code, discount_total from orders where number = $1")
            .bind(number)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((code.as_deref(), off), (Some("ONCE"), commission(subtotal, 1000)));
    pay(&mut buyer, number, true).await;

    let mut again = Browser::new(&app);
    add(&mut again, &a, 1).await;
    details(&mut again, "RETURNING@example.com").await;
    for (code, says) in [
        ("ONCE", "You have already used the code ONCE"),
        ("FIRST", "for a first order only"),
    ] {
        let refused = apply(&mut again, code).await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{code}: {}",
            refused.body
        );
        assert!(refused.body.contains(says), "{code}: {}", refused.body);
    }
    let mut newcomer = Browser::new(&app);
    add(&mut newcomer, &a, 1).await;
    details(&mut newcomer, "new@example.com").await;
    let first = apply(&mut newcomer, "FIRST").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);

    // A code disabled after it was applied: the review says so and placing refuses.
    let id = code_id(&pool, "FIRST").await;
    let off = console(&mut admin, json!({"disable": {"id": id}})).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let view = body(&newcomer.call("checkout/view", json!({})).await.body);
    assert!(
        view["code_problem"]
            .as_str()
            .unwrap_or_default()
            .contains("can no longer be used"),
        "{view}"
    );
    let refused = newcomer.call("checkout/place", json!({"key": key()})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("Remove the code"), "{}", refused.body);
    let removed = apply(&mut newcomer, "").await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    place(&mut newcomer, &key()).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn fifty_checkouts_take_a_ten_use_code_exactly_ten_times(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 500).await;
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let made = console(
        &mut admin,
        json!({"create": {"code": "TEN", "kind": "fixed", "value": "1.00", "usage_limit": "10"}}),
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let mut buyers: Vec<Browser> = (0..50).map(|_| Browser::new(&app)).collect();
    for (i, buyer) in buyers.iter_mut().enumerate() {
        add(buyer, &sku, 1).await;
        details(buyer, &format!("racer{i}@example.com")).await;
        let applied = apply(buyer, "TEN").await;
        assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    }
    let answers = place_all(&mut buyers).await;
    let placed = answers.iter().filter(|a| a.status == StatusCode::OK).count();
    let refused: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::CONFLICT)
        .collect();
    assert_eq!(
        placed,
        10,
        "{:?}",
        answers.iter().map(|a| (a.status, &a.body)).collect::<Vec<_>>()
    );
    assert_eq!(refused.len(), 40);
    assert!(refused[0].body.contains("used up"), "{}", refused[0].body);
    assert_eq!(uses(&pool, "TEN").await, (10, 10));
    let (orders, discounted): (i64, i64) =
        sqlx::query_as("select count(*), count(*) filter (where discount_code = 'TEN') from orders")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (orders, discounted),
        (10, 10),
        "refused checkouts left nothing behind"
    );

    // An order closed unpaid gives its use back.
    sqlx::query("update orders set expires_at = now() - interval '1 minute' where id = (select id from orders limit 1)")
        .execute(&pool)
        .await
        .unwrap();
    app::orders::payment::expire_due(&app.state.app, 10)
        .await
        .unwrap();
    assert_eq!(uses(&pool, "TEN").await, (9, 9));
}
