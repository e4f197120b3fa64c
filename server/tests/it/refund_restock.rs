//! A refund with restock puts back the units the shop names, and each unit once: never units
//! put back by an earlier refund or cancelled before shipping.

use super::people::{confirmed, member, user};
use super::shopping::{key, pay, stock, stocked, two_shop_order};
use super::support::Browser;
use super::support::TestApp;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

async fn refund_form(
    owner: &mut Browser<'_>,
    shop: &str,
    part: uuid::Uuid,
    item: uuid::Uuid,
    amount: &str,
    units: &str,
) -> (StatusCode, String) {
    let page = super::shopping::part_page(owner, &part.to_string()).await;
    let _ = shop;
    let answer = owner
        .post_form(
            &page,
            &[
                ("_action", "refund"),
                ("vendor_order_id", &part.to_string()),
                ("amount", amount),
                ("reason", "came back"),
                (&format!("restock-{item}"), units),
                ("key", &key()),
            ],
        )
        .await;
    (answer.status, answer.body)
}

async fn item_of(pool: &PgPool, part: uuid::Uuid) -> uuid::Uuid {
    sqlx::query_scalar("select id from order_items where vendor_order_id = $1")
        .bind(part)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn refunds(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from refunds")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn refunds_put_back_the_units_named_once(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 3), (&b, 1), "back@example.com").await;
    pay(&mut guest, number, true).await;
    let (part, shop, _) = parts[0].clone();
    let item = item_of(&pool, part).await;
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let mut owner = confirmed(&app, "owner@example.com").await;
    assert_eq!(stock(&pool, &a).await, (7, 0));
    let shipped = owner
        .call(
            "orders/ship",
            json!({"vendor_order_id": part.to_string(), "carrier": "UPS", "tracking_number": "1Z1"}),
        )
        .await;
    assert_eq!(shipped.status, StatusCode::OK);

    // A partial refund for one unit that came back: that unit, not the order's three.
    let (status, _) = refund_form(&mut owner, &shop, part, item, "1.00", "1").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(stock(&pool, &a).await, (8, 0));
    // The page offers the two left.
    let page = super::shopping::part_page(&owner, &part.to_string()).await;
    let page = owner.get(&page).await;
    assert!(
        page.body
            .contains(&format!("name=\"restock-{item}\" min=\"0\" max=\"2\"")),
        "{}",
        page.body
    );
    // Through the API: the other two.
    let answer = owner
        .call(
            "orders/refund",
            json!({"vendor_order_id": part.to_string(), "amount": 100,
                   "restock": [{"item_id": item.to_string(), "quantity": 2}]}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(stock(&pool, &a).await, (10, 0));
    // Nothing is left to put back: a third refund with restock is refused and refunds nothing.
    let before = refunds(&pool).await;
    let (status, body) = refund_form(&mut owner, &shop, part, item, "1.00", "1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the form again, with the error");
    assert!(body.contains("can still go back in stock"), "{body}");
    assert_eq!(stock(&pool, &a).await, (10, 0));
    assert_eq!(refunds(&pool).await, before);
    // Without restock, refunds still work.
    let (status, _) = refund_form(&mut owner, &shop, part, item, "1.00", "0").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(stock(&pool, &a).await, (10, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn cancelled_units_are_not_put_back_again(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 3), (&b, 1), "cancelled@example.com").await;
    pay(&mut guest, number, true).await;
    let (part, shop, _) = parts[0].clone();
    let item = item_of(&pool, part).await;
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let mut owner = confirmed(&app, "owner@example.com").await;
    let cancelled = owner
        .call(
            "orders/cancel-lines",
            json!({"vendor_order_id": part.to_string(), "lines": [{"item_id": item.to_string(), "quantity": 1}], "reason": "one broke"}),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    assert_eq!(stock(&pool, &a).await, (8, 0), "the cancelled unit is back");
    let shipped = owner
        .call(
            "orders/ship",
            json!({"vendor_order_id": part.to_string(), "carrier": "UPS", "tracking_number": "1Z2"}),
        )
        .await;
    assert_eq!(shipped.status, StatusCode::OK);
    // Two were sent: three can't come back.
    let (status, body) = refund_form(&mut owner, &shop, part, item, "1.00", "3").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Only 2 of"), "{body}");
    assert_eq!(stock(&pool, &a).await, (8, 0));
    let (status, _) = refund_form(&mut owner, &shop, part, item, "1.00", "2").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(stock(&pool, &a).await, (10, 0));

    // Cancelling a whole part puts back only what was not cancelled before.
    let (mut second, number, parts) = two_shop_order(&app, (&a, 3), (&b, 1), "whole@example.com").await;
    pay(&mut second, number, true).await;
    let part = parts[0].0;
    let item = item_of(&pool, part).await;
    owner
        .call(
            "orders/cancel-lines",
            json!({"vendor_order_id": part.to_string(), "lines": [{"item_id": item.to_string(), "quantity": 1}], "reason": "one broke"}),
        )
        .await;
    assert_eq!(stock(&pool, &a).await, (8, 0));
    let whole = owner
        .call(
            "orders/cancel",
            json!({"vendor_order_id": part.to_string(), "reason": "gone"}),
        )
        .await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.body);
    assert_eq!(stock(&pool, &a).await, (10, 0));
}
