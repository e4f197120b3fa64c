//! Cart, checkout, orders and the test payment provider, through the real router on a real
//! database: stock never oversold, double submits, declines, expiry, refunds, cart merge,
//! guest lookup, and who may see which order.

use super::accounts::signed_in;
use super::support::{Browser, TestApp};
use futures::future::join_all;
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

/// A shipping address in California (7.25 % sales tax in the seeded rates).
fn address() -> Value {
    json!({"full_name": "Ada Shopper", "line1": "1 Main Street", "city": "Los Angeles",
           "region": "CA", "postal_code": "90001", "country": "US"})
}

/// The first variant of an orderable product of the `nth` approved vendor (by slug), with
/// exactly `stock` units on the shelf. Returns its SKU.
async fn stocked(pool: &PgPool, nth: i64, stock: i32) -> String {
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

async fn stock(pool: &PgPool, sku: &str) -> (i32, i32) {
    sqlx::query_as("select stock_on_hand, stock_reserved from variants where sku = $1")
        .bind(sku)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn add(browser: &mut Browser<'_>, sku: &str, quantity: u32) {
    let added = browser
        .call("cart/add", json!({"sku": sku, "quantity": quantity}))
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
}

async fn details(browser: &mut Browser<'_>, email: &str) {
    let saved = browser
        .call(
            "checkout/details",
            json!({"details": {"email": email, "address": address(), "methods": {}}}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
}

fn body(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or(Value::Null)
}

/// Places the reviewed checkout with `key`; returns the order number.
async fn place(browser: &mut Browser<'_>, key: &str) -> i64 {
    let placed = browser.call("checkout/place", json!({"key": key})).await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.body);
    body(&placed.body)["number"].as_i64().unwrap()
}

async fn pay(browser: &mut Browser<'_>, number: i64, succeed: bool) -> String {
    let paid = browser
        .call(
            "checkout/pay_test",
            json!({"number": number.to_string(), "succeed": succeed}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    body(&paid.body).as_str().unwrap().to_string()
}

async fn order_status(pool: &PgPool, number: i64) -> String {
    sqlx::query_scalar("select status from orders where number = $1")
        .bind(number)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A guest's placed order of `qa` units of `a` and `qb` of `b` (two shops): the guest, the order
/// number, and its parts (id, shop slug, total) by shop slug.
async fn two_shop_order<'a>(
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
async fn place_all(buyers: &mut [Browser<'_>]) -> Vec<super::support::TestResponse> {
    join_all(
        buyers
            .iter_mut()
            .map(|b| async { b.call("checkout/place", json!({"key": key()})).await }),
    )
    .await
}

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_guest_buys_from_two_vendors_and_pays(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let mut guest = Browser::new(&app);
    add(&mut guest, &a, 2).await;
    add(&mut guest, &b, 1).await;
    let count = guest.call("cart/count", json!({})).await;
    assert_eq!(count.body, "3");

    let cart = body(
        &guest
            .call("cart/view", json!({"country": "US", "region": "CA"}))
            .await
            .body,
    );
    let quote = &cart["quote"];
    assert_eq!(quote["vendors"].as_array().unwrap().len(), 2, "grouped by vendor");
    let total = quote["total"]["minor"].as_i64().unwrap();
    let sum: i64 = ["subtotal", "shipping", "tax"]
        .iter()
        .map(|k| quote[k]["minor"].as_i64().unwrap())
        .sum();
    assert_eq!(total, sum);
    assert_eq!(quote["tax_lines"][0]["rate_bp"], 725);

    details(&mut guest, "guest@example.com").await;
    let number = place(&mut guest, &key()).await;
    assert_eq!(order_status(&pool, number).await, "pending_payment");
    assert_eq!(stock(&pool, &a).await, (10, 2), "reserved, still on the shelf");

    assert_eq!(pay(&mut guest, number, true).await, "paid");
    assert_eq!(stock(&pool, &a).await, (8, 0), "sold");
    assert_eq!(stock(&pool, &b).await, (9, 0));
    let parts: Vec<String> = sqlx::query_scalar(
        "select vo.status from vendor_orders vo join orders o on o.id = vo.order_id where o.number = $1",
    )
    .bind(number)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(parts, ["awaiting_fulfilment", "awaiting_fulfilment"]);
    // The order's total is what the cart showed, and the parts add up to it.
    let (order_total, parts_total): (i64, i64) = sqlx::query_as(
        "select o.total, (select sum(total)::bigint from vendor_orders where order_id = o.id) from orders o where number = $1",
    )
    .bind(number)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((order_total, parts_total), (total, total));
    // Every change was recorded with its actor.
    let events: Vec<(String, String)> = sqlx::query_as(
        "select to_status, actor from order_events e join orders o on o.id = e.order_id
         where o.number = $1 and e.vendor_order_id is null order by e.id",
    )
    .bind(number)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(events[0], ("pending_payment".into(), "guest".into()));
    assert_eq!(events[1].0, "paid");
    // The cart is empty, the confirmation is in the outbox, the guest sees the order.
    assert_eq!(guest.call("cart/count", json!({})).await.body, "0");
    let subject: String =
        sqlx::query_scalar("select subject from mail_outbox where recipient = 'guest@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(subject, format!("Your order #{number} is confirmed"));
    let page = guest.get(&format!("/orders/{number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Being prepared"), "{}", page.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn fifty_buyers_for_five_units_make_five_orders(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 50).await;
    let mut buyers: Vec<Browser> = (0..50).map(|_| Browser::new(&app)).collect();
    for (i, buyer) in buyers.iter_mut().enumerate() {
        add(buyer, &sku, 1).await;
        details(buyer, &format!("buyer{i}@example.com")).await;
    }
    // Only now is the stock cut to 5: all fifty carts hold one unit each.
    sqlx::query("update variants set stock_on_hand = 5 where sku = $1")
        .bind(&sku)
        .execute(&pool)
        .await
        .unwrap();
    let answers = place_all(&mut buyers).await;
    let placed = answers.iter().filter(|a| a.status == StatusCode::OK).count();
    let sold_out: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::CONFLICT)
        .collect();
    assert_eq!(placed, 5);
    assert_eq!(sold_out.len(), 45);
    assert!(
        sold_out[0].body.contains("out of stock"),
        "names the problem: {}",
        sold_out[0].body
    );
    assert_eq!(stock(&pool, &sku).await, (5, 5));
    let orders: i64 = sqlx::query_scalar("select count(*) from orders")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(orders, 5, "refused buyers left nothing behind");
    let items: i64 = sqlx::query_scalar("select count(*) from order_items")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(items, 5);
}

#[sqlx::test(migrations = "../migrations")]
async fn mixed_carts_across_vendors_never_oversell(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 40).await, stocked(&pool, 1, 40).await);
    let mut buyers: Vec<Browser> = (0..20).map(|_| Browser::new(&app)).collect();
    for (i, buyer) in buyers.iter_mut().enumerate() {
        // Half the buyers add B first: lines must still lock in one order (no deadlock).
        if i % 2 == 0 {
            add(buyer, &a, 1).await;
            add(buyer, &b, 1).await;
        } else {
            add(buyer, &b, 1).await;
            add(buyer, &a, 1).await;
        }
        details(buyer, &format!("mixed{i}@example.com")).await;
    }
    sqlx::query(
        "update variants set stock_on_hand = case when sku = $1 then 6 else 3 end where sku in ($1, $2)",
    )
    .bind(&a)
    .bind(&b)
    .execute(&pool)
    .await
    .unwrap();
    let answers = place_all(&mut buyers).await;
    let placed = answers.iter().filter(|a| a.status == StatusCode::OK).count();
    assert_eq!(placed, 3, "B has 3 units and every cart needs one");
    assert!(
        answers
            .iter()
            .all(|a| a.status == StatusCode::OK || a.status == StatusCode::CONFLICT)
    );
    assert_eq!(stock(&pool, &a).await, (6, 3));
    assert_eq!(stock(&pool, &b).await, (3, 3));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_double_submit_returns_the_same_order(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 10).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 2).await;
    details(&mut guest, "twice@example.com").await;
    let key = key();
    let (first, second) = {
        let mut other = Browser {
            app: &app,
            cookie: guest.cookie.clone(),
        };
        let both = futures::join!(
            guest.call("checkout/place", json!({"key": key})),
            other.call("checkout/place", json!({"key": key}))
        );
        (both.0, both.1)
    };
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert_eq!(body(&first.body)["number"], body(&second.body)["number"]);
    assert_eq!(stock(&pool, &sku).await, (10, 2), "reserved once");
    // The key of someone else's checkout is refused.
    let mut stranger = Browser::new(&app);
    add(&mut stranger, &sku, 1).await;
    details(&mut stranger, "stranger@example.com").await;
    let reused = stranger.call("checkout/place", json!({"key": key})).await;
    assert_eq!(reused.status, StatusCode::CONFLICT, "{}", reused.body);
    let bad = stranger.call("checkout/place", json!({"key": "short"})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_declined_payment_releases_stock_and_the_cart_can_try_again(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 3).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 3).await;
    details(&mut guest, "decline@example.com").await;
    let first = place(&mut guest, &key()).await;
    assert_eq!(stock(&pool, &sku).await, (3, 3));
    assert_eq!(pay(&mut guest, first, false).await, "payment_failed");
    assert_eq!(stock(&pool, &sku).await, (3, 0), "released");
    assert_eq!(guest.call("cart/count", json!({})).await.body, "3", "cart kept");
    // A failed order can't be paid any more; a new one can.
    let again = guest
        .call(
            "checkout/pay_test",
            json!({"number": first.to_string(), "succeed": true}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let second = place(&mut guest, &key()).await;
    assert_eq!(pay(&mut guest, second, true).await, "paid");
    assert_eq!(stock(&pool, &sku).await, (0, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn unpaid_orders_expire_and_a_late_payment_is_still_taken(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 4).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 2).await;
    details(&mut guest, "late@example.com").await;
    let number = place(&mut guest, &key()).await;
    sqlx::query("update orders set expires_at = now() - interval '1 minute' where number = $1")
        .bind(number)
        .execute(&pool)
        .await
        .unwrap();
    let expired = app::orders::server::expire_due(&app.state.app, 100)
        .await
        .unwrap();
    assert_eq!(expired, 1);
    assert_eq!(order_status(&pool, number).await, "expired");
    assert_eq!(stock(&pool, &sku).await, (4, 0));
    // Running the job again changes nothing.
    assert_eq!(
        app::orders::server::expire_due(&app.state.app, 100)
            .await
            .unwrap(),
        0
    );

    // The provider reports success after all: the order is paid, its stock taken again.
    let id: uuid::Uuid = sqlx::query_scalar("select id from orders where number = $1")
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
    app::orders::server::payment_succeeded(&app.state.app, id, "provider:test")
        .await
        .unwrap();
    assert_eq!(order_status(&pool, number).await, "paid");
    assert_eq!(stock(&pool, &sku).await, (2, 0));
    // Applying the same success twice is a no-op.
    app::orders::server::payment_succeeded(&app.state.app, id, "provider:test")
        .await
        .unwrap();
    assert_eq!(stock(&pool, &sku).await, (2, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_late_payment_for_stock_that_is_gone_is_refunded(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 1).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 1).await;
    details(&mut guest, "gone@example.com").await;
    let number = place(&mut guest, &key()).await;
    let id: uuid::Uuid = sqlx::query_scalar("select id from orders where number = $1")
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
    app::orders::server::close_unpaid(
        &app.state.app,
        id,
        app::orders::status::OrderStatus::Expired,
        "test",
        "",
    )
    .await
    .unwrap();
    sqlx::query("update variants set stock_on_hand = 0 where sku = $1")
        .bind(&sku)
        .execute(&pool)
        .await
        .unwrap();
    app::orders::server::payment_succeeded(&app.state.app, id, "provider:test")
        .await
        .unwrap();
    assert_eq!(order_status(&pool, number).await, "refunded");
    assert_eq!(stock(&pool, &sku).await, (0, 0), "never below zero");
}

#[sqlx::test(migrations = "../migrations")]
async fn refunds_are_partial_or_full_per_vendor_and_can_restock(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 2), (&b, 1), "refund@example.com").await;
    let parts: Vec<(uuid::Uuid, i64)> = parts.into_iter().map(|(id, _, total)| (id, total)).collect();
    let state = &app.state.app;
    let refund = |part: uuid::Uuid, amount: i64, restock: bool| {
        app::orders::server::refund(state, part, amount, restock, "test", "admin")
    };
    // Not before it is paid.
    assert!(matches!(
        refund(parts[0].0, 100, false).await,
        Err(app::error::AppError::Conflict(_))
    ));
    pay(&mut guest, number, true).await;
    refund(parts[0].0, 100, false).await.unwrap();
    assert_eq!(order_status(&pool, number).await, "partially_refunded");
    // More than what is left of that part is refused, and changes nothing.
    assert!(matches!(
        refund(parts[0].0, parts[0].1, false).await,
        Err(app::error::AppError::Invalid { .. })
    ));
    refund(parts[0].0, parts[0].1 - 100, true).await.unwrap();
    assert_eq!(stock(&pool, &a).await, (10, 0), "restocked");
    assert_eq!(order_status(&pool, number).await, "partially_refunded");
    refund(parts[1].0, parts[1].1, false).await.unwrap();
    assert_eq!(order_status(&pool, number).await, "refunded");
    assert_eq!(stock(&pool, &b).await, (9, 0), "not restocked");
    let refunded: i64 = sqlx::query_scalar("select refunded_total from orders where number = $1")
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(refunded, parts[0].1 + parts[1].1);
    assert!(
        refund(parts[1].0, 1, false).await.is_err(),
        "nothing left to refund"
    );
}

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
async fn orders_are_seen_only_by_their_shopper(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 10).await;
    let mut alice = signed_in(&app, "alice@example.com").await;
    add(&mut alice, &sku, 1).await;
    details(&mut alice, "").await;
    let number = place(&mut alice, &key()).await;
    pay(&mut alice, number, true).await;
    let history = body(&alice.call("orders/history", json!({})).await.body);
    assert_eq!(history[0]["number"], number);

    let mut bob = signed_in(&app, "bob@example.com").await;
    let mut stranger = Browser::new(&app);
    let detail = json!({"number": number.to_string()});
    assert_eq!(
        alice.call("orders/detail", detail.clone()).await.status,
        StatusCode::OK
    );
    for other in [&mut bob, &mut stranger] {
        assert_eq!(
            other.call("orders/detail", detail.clone()).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            other.get(&format!("/orders/{number}")).await.status,
            StatusCode::NOT_FOUND
        );
        let pay = other
            .call(
                "checkout/pay_test",
                json!({"number": number.to_string(), "succeed": true}),
            )
            .await;
        assert_eq!(pay.status, StatusCode::NOT_FOUND);
        // Their carts are their own.
        assert_eq!(other.call("cart/count", json!({})).await.body, "0");
    }
    let bob_history = body(&bob.call("orders/history", json!({})).await.body);
    assert_eq!(bob_history, json!([]));

    // A guest finds their order by number and the email it was placed with, nothing else.
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 1).await;
    details(&mut guest, "guest@example.com").await;
    let guest_order = place(&mut guest, &key()).await;
    let mut later = Browser::new(&app);
    let wrong = later
        .call(
            "orders/lookup",
            json!({"number": guest_order.to_string(), "email": "alice@example.com"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let other_order = later
        .call(
            "orders/lookup",
            json!({"number": number.to_string(), "email": "guest@example.com"}),
        )
        .await;
    assert_eq!(
        other_order.status,
        StatusCode::BAD_REQUEST,
        "same answer for another's number"
    );
    let right = later
        .call(
            "orders/lookup",
            json!({"number": format!("#{guest_order}"), "email": "GUEST@example.com"}),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    let page = later.get(&format!("/orders/{guest_order}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        later.get(&format!("/orders/{number}")).await.status,
        StatusCode::NOT_FOUND
    );
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

#[sqlx::test(migrations = "../migrations")]
async fn abandoned_guest_carts_are_forgotten(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 5).await;
    let mut old = Browser::new(&app);
    add(&mut old, &sku, 1).await;
    // Back-date carts (the trigger would stamp now()).
    sqlx::query("alter table carts disable trigger carts_updated_at")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("update carts set updated_at = now() - interval '20 days'")
        .execute(&pool)
        .await
        .unwrap();
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
    assert_eq!(app::cart::server::forget_abandoned(&pool).await.unwrap(), 1);
    assert_eq!(recent.call("cart/count", json!({})).await.body, "1");
    assert_eq!(
        member.call("cart/count", json!({})).await.body,
        "1",
        "accounts keep their carts"
    );
    assert_eq!(old.call("cart/count", json!({})).await.body, "0");
}

#[sqlx::test(migrations = "../migrations")]
async fn shops_ship_and_deliver_their_part_and_the_order_completes(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 1), (&b, 1), "tracked@example.com").await;
    let mut staff = Vec::new();
    for (i, (_, shop, _)) in parts.iter().enumerate() {
        let mut browser = signed_in(&app, &format!("staff{i}@example.com")).await;
        sqlx::query(
            "insert into vendor_members (vendor_id, user_id, role)
             select v.id, u.id, 'staff' from vendors v, users u where v.slug = $1 and u.email = $2",
        )
        .bind(shop)
        .bind(format!("staff{i}@example.com"))
        .execute(&pool)
        .await
        .unwrap();
        browser.get("/").await;
        staff.push(browser);
    }
    let ship = |part: uuid::Uuid, tracking: &str| json!({"vendor_order_id": part.to_string(), "carrier": "UPS", "tracking_number": tracking});
    let deliver = |part: uuid::Uuid| json!({"vendor_order_id": part.to_string()});
    // Nothing ships before it is paid.
    let early = staff[0].call("orders/ship", ship(parts[0].0, "1Z999")).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    pay(&mut guest, number, true).await;

    let other_shop = staff[0].call("orders/ship", ship(parts[1].0, "1Z999")).await;
    assert_eq!(other_shop.status, StatusCode::NOT_FOUND, "another shop's part");
    let bad = staff[0].call("orders/ship", ship(parts[0].0, "<script>")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let not_yet = staff[0].call("orders/deliver", deliver(parts[0].0)).await;
    assert_eq!(not_yet.status, StatusCode::CONFLICT, "delivered before shipped");
    let shipped = staff[0]
        .call("orders/ship", ship(parts[0].0, "1Z999AA10123456784"))
        .await;
    assert_eq!(shipped.status, StatusCode::OK, "{}", shipped.body);
    let twice = staff[0].call("orders/ship", ship(parts[0].0, "1Z000")).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    let page = guest.get(&format!("/orders/{number}")).await;
    assert!(
        page.body.contains("1Z999AA10123456784"),
        "the shopper sees the tracking number"
    );
    let mailed: String = sqlx::query_scalar(
        "select text_body from mail_outbox where recipient = 'tracked@example.com' and subject like '%on its way'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(mailed.contains("1Z999AA10123456784"), "{mailed}");

    assert_eq!(
        staff[0].call("orders/deliver", deliver(parts[0].0)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        order_status(&pool, number).await,
        "paid",
        "the other part is still open"
    );
    assert_eq!(
        staff[1]
            .call("orders/ship", ship(parts[1].0, "JD0001"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        staff[1].call("orders/deliver", deliver(parts[1].0)).await.status,
        StatusCode::OK
    );
    assert_eq!(order_status(&pool, number).await, "completed");
}
