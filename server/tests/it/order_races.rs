//! Races on one order: a cancellation against a shipment or payment events, and payment events
//! whose amount or currency is not the order's (signed by Stripe's own library).

use super::people::{browser, confirmed, member, user};
use super::shopping::{stock, stocked, two_shop_order};
use super::stripe::{WEBHOOK_SECRET, deliver, event, order_total, placed_order, sign, status, stripe_app};
use super::stripe_standin::{FaultKind, StandIn, intent};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use std::time::Duration;

#[sqlx::test(migrations = "../migrations")]
async fn a_cancel_and_a_shipment_at_once_leave_one_consistent_outcome(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let (_, number, parts) = two_shop_order(&app, (&a, 2), (&b, 1), "race@example.com").await;
    let order: uuid::Uuid = sqlx::query_scalar("select id from orders where number = $1")
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
    app::orders::server::payment_succeeded(&app.state.app, order, "test")
        .await
        .unwrap();
    let (part, shop, total) = parts[0].clone();
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let staff_id = user(&pool, "staff@example.com", false).await;
    member(&pool, staff_id, &shop, "staff").await;
    let mut owner = confirmed(&app, "owner@example.com").await;
    let mut staff = browser(&app, "staff@example.com").await;

    // The refund takes a while at Stripe; the shipment arrives meanwhile.
    stand_in.fail("/v1/refunds", 1, FaultKind::Slow(Duration::from_millis(700)));
    let cancel = owner.call(
        "orders/cancel",
        json!({"vendor_order_id": part.to_string(), "reason": "out of stock"}),
    );
    let ship = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        staff
            .call(
                "orders/ship",
                json!({"vendor_order_id": part.to_string(), "carrier": "UPS", "tracking_number": "1Z9"}),
            )
            .await
    };
    let (cancelled, shipped) = tokio::join!(cancel, ship);
    let (part_status, refunded, tracking): (String, i64, Option<String>) =
        sqlx::query_as("select status, refunded, tracking_number from vendor_orders where id = $1")
            .bind(part)
            .fetch_one(&pool)
            .await
            .unwrap();
    match part_status.as_str() {
        "cancelled" => {
            assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
            assert_eq!(shipped.status, StatusCode::CONFLICT, "{}", shipped.body);
            assert_eq!((refunded, tracking), (total, None));
            assert_eq!(stock(&pool, &a).await, (10, 0), "back on sale");
        }
        "shipped" => {
            assert_eq!(shipped.status, StatusCode::OK);
            assert_eq!(cancelled.status, StatusCode::CONFLICT);
            assert_eq!(refunded, 0, "a shipped part is not refunded by a refused cancel");
            assert_eq!(stock(&pool, &a).await, (8, 0));
        }
        other => panic!("the part is {other}"),
    }
    assert_eq!(
        stand_in.performed("/v1/refunds"),
        usize::from(part_status == "cancelled")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_cancellation_and_a_success_delivered_at_once_end_paid(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (_, number, reference, sku) = placed_order(&app, &pool).await;
    let total = order_total(&pool, number).await;
    let cancelled = event(
        "evt_c",
        "payment_intent.canceled",
        intent(&reference, total, "canceled"),
    );
    let succeeded = event(
        "evt_s",
        "payment_intent.succeeded",
        intent(&reference, total, "succeeded"),
    );
    let (c, s) = (
        sign(&cancelled, WEBHOOK_SECRET, None),
        sign(&succeeded, WEBHOOK_SECRET, None),
    );
    let (first, second) = tokio::join!(deliver(&app, &cancelled, &c), deliver(&app, &succeeded, &s));
    assert_eq!((first.0, second.0), (StatusCode::OK, StatusCode::OK));
    assert_eq!(status(&pool, number).await, "paid", "a paid order is never lost");
    assert_eq!(
        stock(&pool, &sku).await,
        (4, 0),
        "sold once, nothing left reserved"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_success_for_another_amount_or_currency_is_held_for_review(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (_, number, reference, sku) = placed_order(&app, &pool).await;
    let total = order_total(&pool, number).await;

    let short = event(
        "evt_short",
        "payment_intent.succeeded",
        intent(&reference, total - 1, "succeeded"),
    );
    let answer = deliver(&app, &short, &sign(&short, WEBHOOK_SECRET, None)).await;
    assert_eq!(answer, (StatusCode::OK, "held for review".into()));
    let mut euros = intent(&reference, total, "succeeded");
    euros["currency"] = json!("eur");
    let euros = event("evt_eur", "payment_intent.succeeded", euros);
    let answer = deliver(&app, &euros, &sign(&euros, WEBHOOK_SECRET, None)).await;
    assert_eq!(answer, (StatusCode::OK, "held for review".into()));

    assert_eq!(status(&pool, number).await, "pending_payment", "not paid");
    assert_eq!(stock(&pool, &sku).await, (5, 1), "still only reserved");
    let (payment_status, review): (String, Option<String>) =
        sqlx::query_as("select status, review_reason from payments")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(payment_status, "pending");
    assert!(
        review.unwrap_or_default().contains("EUR"),
        "what was seen is kept for review"
    );
    let kept: i64 = sqlx::query_scalar("select count(*) from payment_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 2, "the events are kept");
    // A redelivery is not applied either.
    let again = deliver(&app, &short, &sign(&short, WEBHOOK_SECRET, None)).await;
    assert_eq!(again.1, "already applied");
    assert_eq!(status(&pool, number).await, "pending_payment");
    // Reconciliation leaves a payment under review alone.
    sqlx::query("update payments set created_at = now() - interval '20 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    *stand_in.status.lock().unwrap() = "succeeded".into();
    assert_eq!(
        app::payments::reconcile::stale_payments(&app.state.app, 10, 100)
            .await
            .unwrap(),
        0
    );
    assert!(
        stand_in
            .calls(&format!("/v1/payment_intents/{reference}"))
            .is_empty()
    );
}
