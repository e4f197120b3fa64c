//! The cart and the checkout forms: what can be added, merging at login, abandoned carts, and
//! the whole checkout as plain form posts.

use super::accounts::signed_in;
use super::shopping::*;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_cart_refuses_what_cannot_be_bought(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 3).await;
    let mut guest = Browser::new(&app);
    for (args, status) in [
        (json!({"sku": sku, "quantity": 0}), StatusCode::BAD_REQUEST),
        (json!({"sku": sku, "quantity": 100}), StatusCode::BAD_REQUEST),
        (
            json!({"sku": "NO-SUCH-SKU", "quantity": 1}),
            StatusCode::BAD_REQUEST,
        ),
        (json!({"sku": sku, "quantity": 4}), StatusCode::CONFLICT),
        (json!({"sku": sku, "quantity": -1}), StatusCode::BAD_REQUEST),
    ] {
        let answer = guest.call("cart/add", args.clone()).await;
        assert_eq!(answer.status, status, "{args}: {}", answer.body);
    }
    assert_eq!(
        guest.call("cart/count", json!({})).await.body,
        "0",
        "nothing added"
    );
    let carts: i64 = sqlx::query_scalar("select count(*) from carts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(carts, 0, "a refused add leaves no cart behind");
    add(&mut guest, &sku, 3).await;
    let more = guest.call("cart/add", json!({"sku": sku, "quantity": 1})).await;
    assert_eq!(more.status, StatusCode::CONFLICT);
    assert!(more.body.contains("already in your cart"), "{}", more.body);
    // A price change is flagged; stock that ran out blocks the checkout with a clear message.
    sqlx::query("update variants set price = price + 100, stock_on_hand = 1 where sku = $1")
        .bind(&sku)
        .execute(&pool)
        .await
        .unwrap();
    let cart = body(&guest.call("cart/view", json!({})).await.body);
    let line = &cart["quote"]["vendors"][0]["lines"][0];
    assert!(line["price_was"].is_object(), "{line}");
    assert_eq!(line["available"], 1);
    let details = guest
        .call(
            "checkout/details",
            json!({"details": {"email": "x@example.com", "address": address(), "methods": {}}}),
        )
        .await;
    assert_eq!(details.status, StatusCode::CONFLICT);
    assert!(details.body.contains("Only 1 left"), "{}", details.body);
    // Bad addresses and emails are refused field by field.
    let update = guest
        .call("cart/update", json!({"sku": sku, "quantity": 1}))
        .await;
    assert_eq!(update.status, StatusCode::OK);
    let bad_email = guest
        .call(
            "checkout/details",
            json!({"details": {"email": "nope", "address": address(), "methods": {}}}),
        )
        .await;
    assert_eq!(bad_email.status, StatusCode::BAD_REQUEST);
    assert!(bad_email.body.contains("email"), "{}", bad_email.body);
    let mut no_city = address();
    no_city["city"] = json!("");
    let bad_address = guest
        .call(
            "checkout/details",
            json!({"details": {"email": "x@example.com", "address": no_city, "methods": {}}}),
        )
        .await;
    assert_eq!(bad_address.status, StatusCode::BAD_REQUEST);
    assert!(bad_address.body.contains("city"), "{}", bad_address.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn logging_in_merges_the_guest_cart(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 4).await, stocked(&pool, 1, 10).await);
    // The account's cart, filled on another device.
    let mut phone = signed_in(&app, "merge@example.com").await;
    add(&mut phone, &a, 3).await;
    // As a guest on this device.
    let mut laptop = Browser::new(&app);
    add(&mut laptop, &a, 2).await;
    add(&mut laptop, &b, 1).await;
    let login = laptop
        .call(
            "account/login",
            json!({"email": "merge@example.com", "password": super::accounts::PASSWORD, "next": ""}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    let cart = body(&laptop.call("cart/view", json!({})).await.body);
    let quantities: Vec<(String, i64)> = cart["quote"]["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["lines"].as_array().unwrap().clone())
        .map(|l| {
            (
                l["sku"].as_str().unwrap().to_string(),
                l["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        quantities.contains(&(a.clone(), 4)),
        "3 + 2 capped at the 4 in stock: {quantities:?}"
    );
    assert!(quantities.contains(&(b.clone(), 1)));
    let notice = cart["notice"].as_str().unwrap();
    assert!(notice.contains("limited to 4"), "{notice}");
    // The other device sees the same cart; the notice is shown once.
    assert_eq!(phone.call("cart/count", json!({})).await.body, "5");
    let again = body(&laptop.call("cart/view", json!({})).await.body);
    assert!(again["notice"].is_null());
}

#[sqlx::test(migrations = "../migrations")]
async fn abandoned_guest_carts_are_forgotten(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 5).await;
    let mut old = Browser::new(&app);
    add(&mut old, &sku, 1).await;
    let mut returning = Browser::new(&app);
    add(&mut returning, &sku, 1).await;
    // Back-date carts (the trigger would stamp now()).
    sqlx::query("alter table carts disable trigger carts_updated_at")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("update carts set updated_at = now() - interval '20 days'")
        .execute(&pool)
        .await
        .unwrap();
    // Used again before the clean-up: adding touches a cart however rarely it is rewritten.
    add(&mut returning, &sku, 1).await;
    let mut recent = Browser::new(&app);
    add(&mut recent, &sku, 1).await;
    let mut member = signed_in(&app, "keeps@example.com").await;
    add(&mut member, &sku, 1).await;
    sqlx::query("update carts set updated_at = now() - interval '20 days' where user_id is not null")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("alter table carts enable trigger carts_updated_at")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(app::cart::owner::forget_abandoned(&pool).await.unwrap(), 1);
    assert_eq!(recent.call("cart/count", json!({})).await.body, "1");
    assert_eq!(returning.call("cart/count", json!({})).await.body, "2");
    assert_eq!(
        member.call("cart/count", json!({})).await.body,
        "1",
        "accounts keep their carts"
    );
    assert_eq!(old.call("cart/count", json!({})).await.body, "0");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_whole_checkout_works_with_plain_forms(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let mut guest = Browser::new(&app);
    for sku in [&a, &b] {
        let added = guest
            .post_form("/cart", &[("_action", "add"), ("sku", sku), ("quantity", "1")])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert_eq!(added.header("location"), "/cart?notice=added");
    }
    let cart = guest.get("/cart").await;
    assert!(cart.body.contains("Cart, 2 items"), "header badge");
    let refused = guest
        .post_form("/cart", &[("_action", "add"), ("sku", &a), ("quantity", "9")])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("Only 5 of"),
        "the error is shown on the cart page"
    );

    let checkout = guest.get("/checkout").await;
    assert_eq!(checkout.status, StatusCode::OK);
    let bad = guest
        .post_form("/checkout", &[("_action", "details"), ("email", "nope")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let a = address();
    let field = |k: &str| a[k].as_str().unwrap_or_default().to_string();
    let fields = [
        ("_action", "details".to_string()),
        ("email", "forms@example.com".to_string()),
        ("full_name", field("full_name")),
        ("line1", field("line1")),
        ("city", field("city")),
        ("region", field("region")),
        ("postal_code", field("postal_code")),
        ("country", field("country")),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = guest.post_form("/checkout", &fields).await;
    assert_eq!(saved.header("location"), "/checkout/review", "{}", saved.body);
    let review = guest.get("/checkout/review").await;
    assert!(review.body.contains("California sales tax"), "tax breakdown");
    let key = review
        .body
        .split("name=\"key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let placed = guest
        .post_form("/checkout/review", &[("_action", "place"), ("key", &key)])
        .await;
    let pay_page = placed.header("location").to_string();
    assert!(pay_page.starts_with("/checkout/pay/"), "{}", placed.body);
    let page = guest.get(&pay_page).await;
    assert!(
        page.body.contains("no money moves"),
        "the test provider is labelled"
    );
    let declined = guest
        .post_form(&pay_page, &[("_action", "pay"), ("outcome", "decline")])
        .await;
    assert_eq!(declined.header("location"), "/checkout/review?notice=declined");
    let review = guest.get("/checkout/review?notice=declined").await;
    let key = review
        .body
        .split("name=\"key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let placed = guest
        .post_form("/checkout/review", &[("_action", "place"), ("key", &key)])
        .await;
    let pay_page = placed.header("location").to_string();
    let paid = guest
        .post_form(&pay_page, &[("_action", "pay"), ("outcome", "succeed")])
        .await;
    let order_page = paid.header("location").to_string();
    assert!(order_page.ends_with("?notice=paid"), "{order_page}");
    let confirmation = guest.get(&order_page).await;
    assert!(confirmation.body.contains("Thank you!"));
    assert!(confirmation.body.contains("Cart, empty"));
}
