//! A suspended (or rejected) shop is read-only everywhere: its members can't ship, deliver,
//! refund or cancel, through server functions or the portal's forms; platform admins still
//! refund.

use super::people::{browser, member, user};
use super::shopping::{key, pay, stocked, two_shop_order};
use super::support::{Browser, TestApp};
use super::vendors::admin;
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Everything about a part that an action would change.
async fn part_state(pool: &PgPool, part: uuid::Uuid) -> (String, i64, Option<String>, i64) {
    sqlx::query_as(
        "select vo.status, vo.refunded, vo.tracking_number,
                (select coalesce(sum(cancelled_quantity), 0)::bigint from order_items where vendor_order_id = vo.id)
         from vendor_orders vo where vo.id = $1",
    )
    .bind(part)
    .fetch_one(pool)
    .await
    .unwrap()
}

fn actions(waiting: uuid::Uuid, shipped: uuid::Uuid, item: uuid::Uuid) -> Vec<(&'static str, Value)> {
    vec![
        (
            "orders/ship",
            json!({"vendor_order_id": waiting.to_string(), "carrier": "UPS", "tracking_number": "1Z1"}),
        ),
        (
            "orders/cancel",
            json!({"vendor_order_id": waiting.to_string(), "reason": "gone"}),
        ),
        (
            "orders/cancel-lines",
            json!({"vendor_order_id": waiting.to_string(), "lines": [{"item_id": item.to_string(), "quantity": 1}], "reason": "gone"}),
        ),
        ("orders/deliver", json!({"vendor_order_id": shipped.to_string()})),
        (
            "orders/refund",
            json!({"vendor_order_id": shipped.to_string(), "amount": 100}),
        ),
    ]
}

/// The same actions as the portal's forms post them.
fn forms(waiting: uuid::Uuid, shipped: uuid::Uuid, item: uuid::Uuid) -> Vec<Vec<(String, String)>> {
    let (w, s) = (waiting.to_string(), shipped.to_string());
    let form = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    vec![
        form(&[
            ("_action", "ship"),
            ("vendor_order_id", &w),
            ("carrier", "UPS"),
            ("tracking_number", "1Z1"),
        ]),
        form(&[("_action", "cancel"), ("vendor_order_id", &w), ("reason", "gone")]),
        form(&[
            ("_action", "cancel-lines"),
            ("vendor_order_id", &w),
            (&format!("cancel-{item}"), "1"),
            ("reason", "gone"),
            ("key", &key()),
        ]),
        form(&[("_action", "deliver"), ("vendor_order_id", &s)]),
        form(&[
            ("_action", "refund"),
            ("vendor_order_id", &s),
            ("amount", "1.00"),
            ("key", &key()),
        ]),
    ]
}

#[sqlx::test(migrations = "../migrations")]
async fn members_of_a_suspended_or_rejected_shop_change_no_order(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    // Two paid orders with a part of the same shop: one waiting, one shipped.
    let (mut first, n1, parts1) = two_shop_order(&app, (&a, 2), (&b, 1), "one@example.com").await;
    pay(&mut first, n1, true).await;
    let (mut second, n2, parts2) = two_shop_order(&app, (&a, 1), (&b, 1), "two@example.com").await;
    pay(&mut second, n2, true).await;
    let (waiting, shop, _) = parts1[0].clone();
    let shipped = parts2[0].0;
    let item: uuid::Uuid =
        sqlx::query_scalar("select id from order_items where vendor_order_id = $1 limit 1")
            .bind(waiting)
            .fetch_one(&pool)
            .await
            .unwrap();
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let staff_id = user(&pool, "staff@example.com", false).await;
    member(&pool, staff_id, &shop, "staff").await;
    let mut owner = browser(&app, "owner@example.com").await;
    let mut staff = browser(&app, "staff@example.com").await;
    let ship = owner
        .call(
            "orders/ship",
            json!({"vendor_order_id": shipped.to_string(), "carrier": "UPS", "tracking_number": "1Z0"}),
        )
        .await;
    assert_eq!(ship.status, StatusCode::OK, "{}", ship.body);

    for status in ["suspended", "rejected"] {
        sqlx::query("update vendors set status = $2 where slug = $1")
            .bind(&shop)
            .bind(status)
            .execute(&pool)
            .await
            .unwrap();
        let before = (part_state(&pool, waiting).await, part_state(&pool, shipped).await);
        for who in [&mut owner, &mut staff] {
            for (endpoint, args) in actions(waiting, shipped, item) {
                let answer = who.call(endpoint, args).await;
                assert!(
                    matches!(answer.status, StatusCode::CONFLICT | StatusCode::FORBIDDEN),
                    "{endpoint} in a {status} shop: {} {}",
                    answer.status,
                    answer.body
                );
            }
            for form in forms(waiting, shipped, item) {
                let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let part = fields
                    .iter()
                    .find(|(k, _)| *k == "vendor_order_id")
                    .map(|(_, v)| *v)
                    .unwrap();
                let page = super::shopping::part_page(who, part).await;
                let answer = who.post_form(&page, &fields).await;
                assert_ne!(
                    answer.status,
                    StatusCode::SEE_OTHER,
                    "{} in a {status} shop",
                    form[0].1
                );
            }
        }
        let after = (part_state(&pool, waiting).await, part_state(&pool, shipped).await);
        assert_eq!(after, before, "nothing changed in a {status} shop");
        // The orders stay readable, without forms.
        let page = owner.get(&format!("/vendor/{shop}/orders?filter=all")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("Mark ticked orders shipped"),
            "no forms in a {status} shop"
        );
        let part = super::shopping::part_page(&owner, &waiting.to_string()).await;
        let page = owner.get(&part).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Mark shipped"), "no forms in a {status} shop");
    }

    // Platform admins still refund a suspended shop's order.
    let mut ops: Browser = admin(&app, "ops@example.com").await;
    let refunded = ops
        .call(
            "orders/refund",
            json!({"vendor_order_id": shipped.to_string(), "amount": 100}),
        )
        .await;
    assert_eq!(refunded.status, StatusCode::OK, "{}", refunded.body);
    assert_eq!(part_state(&pool, shipped).await.1, 100);
}
