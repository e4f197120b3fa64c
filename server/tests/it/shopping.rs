//! Steps of a shopper's visit, for the cart, checkout and order tests: stocked variants, a cart,
//! checkout details, placing and paying.

use super::support::{Browser, TestApp, TestResponse};
use futures::future::join_all;
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

/// A shipping address in California (7.25 % sales tax in the seeded rates).
pub fn address() -> Value {
    json!({"full_name": "Ada Shopper", "line1": "1 Main Street", "city": "Los Angeles",
           "region": "CA", "postal_code": "90001", "country": "US"})
}

/// The first variant of an orderable product of the `nth` approved vendor (by slug), with
/// exactly `stock` units on the shelf. Returns its SKU.
pub async fn stocked(pool: &PgPool, nth: i64, stock: i32) -> String {
    let sku: String = sqlx::query_scalar(
        "select v.sku from variants v join products p on p.id = v.product_id
         where p.status = 'active' and p.vendor_id = (
             select id from vendors where status = 'approved' order by slug offset $1 limit 1)
         order by v.sku limit 1",
    )
    .bind(nth)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("update variants set stock_on_hand = $2, stock_reserved = 0 where sku = $1")
        .bind(&sku)
        .bind(stock)
        .execute(pool)
        .await
        .unwrap();
    sku
}

pub async fn stock(pool: &PgPool, sku: &str) -> (i32, i32) {
    sqlx::query_as("select stock_on_hand, stock_reserved from variants where sku = $1")
        .bind(sku)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn add(browser: &mut Browser<'_>, sku: &str, quantity: u32) {
    let added = browser
        .call("cart/add", json!({"sku": sku, "quantity": quantity}))
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
}

pub async fn details(browser: &mut Browser<'_>, email: &str) {
    let saved = browser
        .call(
            "checkout/details",
            json!({"details": {"email": email, "address": address(), "methods": {}}}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
}

pub fn body(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or(Value::Null)
}

/// Places the reviewed checkout with `key`; returns the order number.
pub async fn place(browser: &mut Browser<'_>, key: &str) -> i64 {
    let placed = browser.call("checkout/place", json!({"key": key})).await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.body);
    body(&placed.body)["number"].as_i64().unwrap()
}

pub async fn pay(browser: &mut Browser<'_>, number: i64, succeed: bool) -> String {
    let paid = browser
        .call(
            "checkout/pay_test",
            json!({"number": number.to_string(), "succeed": succeed}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    body(&paid.body).as_str().unwrap().to_string()
}

pub async fn order_status(pool: &PgPool, number: i64) -> String {
    sqlx::query_scalar("select status from orders where number = $1")
        .bind(number)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A guest's placed order of `qa` units of `a` and `qb` of `b` (two shops): the guest, the order
/// number, and its parts (id, shop slug, total) by shop slug.
pub async fn two_shop_order<'a>(
    app: &'a TestApp,
    (a, qa): (&str, u32),
    (b, qb): (&str, u32),
    email: &str,
) -> (Browser<'a>, i64, Vec<(uuid::Uuid, String, i64)>) {
    let mut guest = Browser::new(app);
    add(&mut guest, a, qa).await;
    add(&mut guest, b, qb).await;
    details(&mut guest, email).await;
    let number = place(&mut guest, &key()).await;
    let parts = sqlx::query_as(
        "select vo.id, v.slug, vo.total from vendor_orders vo join orders o on o.id = vo.order_id
         join vendors v on v.id = vo.vendor_id where o.number = $1 order by v.slug",
    )
    .bind(number)
    .fetch_all(&app.state.app.pool)
    .await
    .unwrap();
    (guest, number, parts)
}

/// Every buyer places their checkout at the same time.
pub async fn place_all(buyers: &mut [Browser<'_>]) -> Vec<TestResponse> {
    join_all(
        buyers
            .iter_mut()
            .map(|b| async { b.call("checkout/place", json!({"key": key()})).await }),
    )
    .await
}

pub fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The portal page of the order the shop's part `part` belongs to.
pub async fn part_page(browser: &Browser<'_>, part: &str) -> String {
    let (shop, number): (String, i64) = sqlx::query_as(
        "select v.slug, o.number from vendor_orders vo join orders o on o.id = vo.order_id
         join vendors v on v.id = vo.vendor_id where vo.id = $1::uuid",
    )
    .bind(part)
    .fetch_one(&browser.app.state.app.pool)
    .await
    .unwrap();
    format!("/vendor/{shop}/orders/{number}")
}
