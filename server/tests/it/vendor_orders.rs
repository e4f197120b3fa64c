//! A shop's parts of orders through the real router: listed for the shop only, shipped by
//! staff, cancelled and refunded by owners, never reachable by another shop.

use super::authorization::{browser, member, user};
use super::ledger::balance;
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::TestApp;
use super::vendors::mails_to;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn shops_see_and_handle_only_their_own_orders(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 2), (&b, 1), "parts@example.com").await;
    let (shop_a, shop_b) = (parts[0].1.clone(), parts[1].1.clone());
    let staff_a = user(&pool, "staff-a@example.com", false).await;
    member(&pool, staff_a, &shop_a, "staff").await;
    let owner_b = user(&pool, "owner-b@example.com", false).await;
    member(&pool, owner_b, &shop_b, "owner").await;
    let (mut staff, mut other) = (
        browser(&app, "staff-a@example.com").await,
        browser(&app, "owner-b@example.com").await,
    );
    let list = |shop: &str| json!({"vendor": shop, "filter": "to-ship"});
    let empty = body(&staff.call("vendor/orders", list(&shop_a)).await.body);
    assert_eq!(empty["orders"].as_array().unwrap().len(), 0, "unpaid parts wait");
    pay(&mut guest, number, true).await;
    let mine = body(&staff.call("vendor/orders", list(&shop_a)).await.body);
    assert_eq!(mine["orders"].as_array().unwrap().len(), 1);
    assert_eq!(mine["orders"][0]["number"], number);
    assert!(
        mine["orders"][0]["ship_to"]
            .as_str()
            .unwrap()
            .contains("Los Angeles")
    );
    assert_eq!(
        staff.call("vendor/orders", list(&shop_b)).await.status,
        StatusCode::FORBIDDEN
    );

    // B's owner can't touch A's part, whatever the call.
    let part_a = parts[0].0.to_string();
    for (call, args) in [
        (
            "orders/ship",
            json!({"vendor_order_id": part_a, "carrier": "UPS", "tracking_number": "1Z"}),
        ),
        (
            "orders/cancel",
            json!({"vendor_order_id": part_a, "reason": "no"}),
        ),
        (
            "orders/refund",
            json!({"vendor_order_id": part_a, "amount": 1, "restock": false}),
        ),
        ("orders/deliver", json!({"vendor_order_id": part_a})),
    ] {
        assert_eq!(
            other.call(call, args).await.status,
            StatusCode::NOT_FOUND,
            "{call}"
        );
    }
    // Staff ship but can't cancel (money moves: owners only).
    let cancel = staff
        .call(
            "orders/cancel",
            json!({"vendor_order_id": part_a, "reason": "no"}),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::FORBIDDEN);
    let shipped = staff
        .post_form(
            &format!("/vendor/{shop_a}/orders?filter=to-ship"),
            &[
                ("_action", "ship"),
                ("vendor_order_id", &part_a),
                ("carrier", "UPS"),
                ("tracking_number", "1Z999AA1"),
            ],
        )
        .await;
    assert_eq!(shipped.status, StatusCode::SEE_OTHER, "{}", shipped.body);
    let tracked: (String, Option<String>) =
        sqlx::query_as("select status, tracking_number from vendor_orders where id = $1")
            .bind(parts[0].0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(tracked, ("shipped".into(), Some("1Z999AA1".into())));

    // B's owner cancels B's part: refunded in full, restocked, the shopper told.
    let before = super::shopping::stock(&pool, &b).await;
    let empty_reason = other
        .call(
            "orders/cancel",
            json!({"vendor_order_id": parts[1].0.to_string(), "reason": ""}),
        )
        .await;
    assert_eq!(empty_reason.status, StatusCode::BAD_REQUEST);
    let cancelled = other
        .call(
            "orders/cancel",
            json!({"vendor_order_id": parts[1].0.to_string(), "reason": "Broken in the warehouse"}),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    let after = super::shopping::stock(&pool, &b).await;
    assert_eq!(after.0, before.0 + 1, "back in stock");
    let part_b: (String, i64, i64) =
        sqlx::query_as("select status, refunded, total from vendor_orders where id = $1")
            .bind(parts[1].0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(part_b.0, "cancelled");
    assert_eq!(part_b.1, part_b.2);
    assert_eq!(
        balance(&pool, &shop_b).await,
        0,
        "sale, commission and their reversal"
    );
    let mails = mails_to(&pool, "parts@example.com").await;
    assert!(
        mails.iter().any(|s| s.contains("cancelled its part")),
        "{mails:?}"
    );
    let twice = other
        .call(
            "orders/cancel",
            json!({"vendor_order_id": parts[1].0.to_string(), "reason": "again"}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // The dashboard counts A's sale and what waits.
    let dash = body(
        &staff
            .call("vendor/dashboard", json!({"vendor": shop_a}))
            .await
            .body,
    );
    assert_eq!(dash["sales_today"]["minor"], parts[0].2);
    assert_eq!(dash["chart"].as_array().unwrap().len(), 30);
    let page = staff.get(&format!("/vendor/{shop_a}")).await;
    assert!(page.body.contains("<svg"), "the chart is drawn on the server");
}
