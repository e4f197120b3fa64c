//! An order's page in the console, through the real router and its forms (no JavaScript):
//! an operator refunds a shop's part (once however often the form is sent, never more than is
//! left, never another order's part), cancels an order still waiting for its payment (its
//! stock back on sale) and sends a confirmation again; each change has its audit entry.

use super::admin_people::operator;
use super::shopping::{body, order_status, pay, stock, stocked, two_shop_order};
use super::support::{Browser, TestApp, TestResponse};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

async fn audit(pool: &PgPool, number: i64) -> Vec<(String, Option<uuid::Uuid>)> {
    sqlx::query_as(
        "select l.action, l.vendor_id from audit_log l join orders o on l.subject_kind = 'order' and l.subject_id = o.id::text
         where o.number = $1 order by l.id",
    )
    .bind(number)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Sends the refund form of `part` on the order page `here`: (part, amount, reason).
async fn refund(
    admin: &mut Browser<'_>,
    here: &str,
    (part, amount, reason): (&str, &str, &str),
    key: &str,
) -> TestResponse {
    let fields = [
        ("_action", "refund"),
        ("part", part),
        ("amount", amount),
        ("reason", reason),
        ("key", key),
    ];
    admin.post_form(here, &fields).await
}

#[sqlx::test(migrations = "../migrations")]
async fn an_operator_refunds_a_part_once_and_never_more_than_is_left(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 1), (&b, 1), "buyer@example.com").await;
    pay(&mut guest, number, true).await;
    let (_, _, others) = two_shop_order(&app, (&a, 1), (&b, 1), "other@example.com").await;
    let (admin_id, mut admin) = operator(&app, "ops@example.com").await;
    let page = admin.get(&format!("/admin/orders/{number}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("buyer@example.com"), "{}", page.body);
    let part = parts[0].0.to_string();
    let here = format!("/admin/orders/{number}");
    let refunded = refund(
        &mut admin,
        &here,
        (&part, "1.00", "Scratched on arrival"),
        "form-1",
    )
    .await;
    assert_eq!(
        refunded.header("location"),
        format!("{here}?notice=refunded&order={number}"),
        "{}",
        refunded.body
    );
    // The same form again (a double click, a reload): refunded once, logged once.
    let again = refund(
        &mut admin,
        &here,
        (&part, "1.00", "Scratched on arrival"),
        "form-1",
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let (refunds, actor): (i64, String) =
        sqlx::query_as("select count(*), min(actor) from refunds where vendor_order_id = $1")
            .bind(parts[0].0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((refunds, actor), (1, format!("user:{admin_id}")));
    let shop: uuid::Uuid = sqlx::query_scalar("select vendor_id from vendor_orders where id = $1")
        .bind(parts[0].0)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        audit(&pool, number).await,
        [("order.refund".to_string(), Some(shop))]
    );
    assert_eq!(order_status(&pool, number).await, "partially_refunded");

    // More than is left, no reason, another order's part: refused, nothing changes.
    let other = others[0].0.to_string();
    let refused = [
        refund(&mut admin, &here, (&part, "100000.00", "x"), "form-2").await,
        refund(&mut admin, &here, (&part, "1.00", ""), "form-3").await,
        refund(&mut admin, &here, (&other, "1.00", "x"), "form-4").await,
    ];
    for response in &refused {
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    }
    assert!(
        refused[0].body.contains("what is left of this part"),
        "{}",
        refused[0].body
    );
    assert!(refused[1].body.contains("Say why"), "{}", refused[1].body);
    let all_refunds: i64 = sqlx::query_scalar("select count(*) from refunds")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(all_refunds, 1);
    assert_eq!(audit(&pool, number).await.len(), 1);

    // The page lists the refund and who made it.
    let page = admin.get(&here).await.body;
    assert!(
        page.contains("Scratched on arrival") && page.contains("ops@example.com"),
        "{page}"
    );
    // A paid order is refunded, not cancelled.
    let cancel = admin
        .call(
            "admin/order/act",
            json!({"number": number.to_string(), "action": {"action": "cancel", "reason": "Fraud"}}),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::CONFLICT, "{}", cancel.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_operator_cancels_an_unpaid_order_and_resends_a_paid_ones_confirmation(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (_, unpaid, _) = two_shop_order(&app, (&a, 2), (&b, 1), "waiting@example.com").await;
    let (mut guest, paid, _) = two_shop_order(&app, (&a, 1), (&b, 1), "paid@example.com").await;
    pay(&mut guest, paid, true).await;
    assert_eq!(stock(&pool, &a).await, (4, 2), "two reserved by the unpaid order");
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let here = format!("/admin/orders/{unpaid}");
    let empty = admin
        .post_form(&here, &[("_action", "cancel"), ("reason", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{}", empty.body);
    assert_eq!(order_status(&pool, unpaid).await, "pending_payment");
    let cancelled = admin
        .post_form(
            &here,
            &[("_action", "cancel"), ("reason", "Duplicate of a phone order")],
        )
        .await;
    assert_eq!(
        cancelled.header("location"),
        format!("{here}?notice=order-cancelled&order={unpaid}"),
        "{}",
        cancelled.body
    );
    assert_eq!(order_status(&pool, unpaid).await, "cancelled");
    assert_eq!(stock(&pool, &a).await, (4, 0), "the reservation is released");
    let twice = admin
        .post_form(&here, &[("_action", "cancel"), ("reason", "Again")])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    // A cancelled order was never confirmed: nothing to send.
    let resend = admin.post_form(&here, &[("_action", "resend")]).await;
    assert_eq!(resend.status, StatusCode::CONFLICT, "{}", resend.body);

    let confirmations = |pool: PgPool| async move {
        let n: i64 = sqlx::query_scalar(
            "select count(*) from mail_outbox where recipient = 'paid@example.com' and subject like 'Your order #% is confirmed'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        n
    };
    assert_eq!(confirmations(pool.clone()).await, 1);
    let sent = admin
        .post_form(&format!("/admin/orders/{paid}"), &[("_action", "resend")])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(confirmations(pool.clone()).await, 2);
    assert_eq!(audit(&pool, unpaid).await, [("order.cancel".to_string(), None)]);
    assert_eq!(
        audit(&pool, paid).await,
        [("order.resend_confirmation".to_string(), None)]
    );
    let log = body(
        &admin
            .call("admin/audit", json!({"action": "order.cancel"}))
            .await
            .body,
    );
    assert_eq!(log["rows"].as_array().unwrap().len(), 1);
}
