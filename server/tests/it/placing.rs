//! Placing an order again: from the same cart it reserves nothing twice (one pending order
//! per cart and contents), a changed cart replaces its earlier order, and placing is
//! rate-limited. With Stripe, viewing a pending order does not call Stripe per view.

use super::shopping::*;
use super::stripe::{placed_order, stripe_app};
use super::stripe_standin::StandIn;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

async fn orders_of_cart(pool: &PgPool, number: i64) -> Vec<(i64, String)> {
    sqlx::query_as(
        "select number, status from orders where cart_id = (select cart_id from orders where number = $1)
         order by created_at",
    )
    .bind(number)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn placing_twice_from_one_cart_reserves_once(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);

    // One after the other, each with its own review form (a second tab, a reload).
    let mut guest = Browser::new(&app);
    add(&mut guest, &a, 2).await;
    details(&mut guest, "twice@example.com").await;
    let first = place(&mut guest, &key()).await;
    let second = place(&mut guest, &key()).await;
    assert_eq!(second, first, "the pending order of this cart is the answer");
    assert_eq!(stock(&pool, &a).await, (10, 2), "reserved once");
    assert_eq!(orders_of_cart(&pool, first).await.len(), 1);

    // At the same time, from two tabs of one browser.
    let mut other = Browser::new(&app);
    add(&mut other, &b, 3).await;
    details(&mut other, "tabs@example.com").await;
    let mut tabs: Vec<Browser> = (0..4)
        .map(|_| Browser {
            app: &app,
            cookie: other.cookie.clone(),
        })
        .collect();
    let answers = place_all(&mut tabs).await;
    let numbers: Vec<i64> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.status, StatusCode::OK, "{}", a.body);
            body(&a.body)["number"].as_i64().unwrap()
        })
        .collect();
    assert!(numbers.iter().all(|n| *n == numbers[0]), "{numbers:?}");
    assert_eq!(stock(&pool, &b).await, (10, 3), "reserved once");
    assert_eq!(orders_of_cart(&pool, numbers[0]).await.len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_changed_cart_replaces_its_pending_order(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let mut guest = Browser::new(&app);
    add(&mut guest, &a, 2).await;
    details(&mut guest, "changed@example.com").await;
    let first = place(&mut guest, &key()).await;
    add(&mut guest, &b, 1).await;
    let second = place(&mut guest, &key()).await;
    assert_ne!(second, first);
    assert_eq!(
        orders_of_cart(&pool, second).await,
        [
            (first, "cancelled".to_string()),
            (second, "pending_payment".to_string())
        ]
    );
    assert_eq!(
        stock(&pool, &a).await,
        (10, 2),
        "the first order's stock was released"
    );
    assert_eq!(stock(&pool, &b).await, (10, 1));
    // The cancelled order can't be paid; the new one can.
    let stale = guest
        .call(
            "checkout/pay_test",
            json!({"number": first.to_string(), "succeed": true}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(pay(&mut guest, second, true).await, "paid");
    assert_eq!(stock(&pool, &a).await, (8, 0));
    // A new checkout after paying places a new order.
    add(&mut guest, &a, 1).await;
    let third = place(&mut guest, &key()).await;
    assert_ne!(third, second);
}

#[sqlx::test(migrations = "../migrations")]
async fn placing_is_rate_limited_per_cart(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 100).await, stocked(&pool, 1, 100).await);
    let mut guest = Browser::new(&app);
    add(&mut guest, &a, 1).await;
    details(&mut guest, "limited@example.com").await;
    let number = place(&mut guest, &key()).await;
    for _ in 0..5 {
        assert_eq!(place(&mut guest, &key()).await, number);
    }
    // Past the cart's budget: refused before anything is read or reserved, even for a cart
    // that changed.
    add(&mut guest, &b, 1).await;
    let refused = guest.call("checkout/place", json!({"key": key()})).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert_eq!(stock(&pool, &a).await, (100, 1));
    assert_eq!(stock(&pool, &b).await, (100, 0), "nothing reserved");
    assert_eq!(orders_of_cart(&pool, number).await.len(), 1);
    // Another shopper is not affected.
    let mut other = Browser::new(&app);
    add(&mut other, &b, 1).await;
    details(&mut other, "other@example.com").await;
    place(&mut other, &key()).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn viewing_a_pending_stripe_order_does_not_call_stripe_per_view(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (mut guest, number, reference, _) = placed_order(&app, &pool).await;
    *stand_in.status.lock().unwrap() = "requires_payment_method".into();
    for _ in 0..3 {
        let page = guest.get(&format!("/checkout/pay/{number}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("data-secret=\"pi_1_secret_standin\""));
        let order = guest.get(&format!("/orders/{number}")).await;
        assert_eq!(order.status, StatusCode::OK);
    }
    assert_eq!(
        stand_in.calls("/v1/payment_intents").len(),
        1,
        "one PaymentIntent created, none retrieved"
    );
    // Back from Stripe's page: looked up once, however often the page is reloaded.
    for statement in [
        "alter table payments disable trigger payments_updated_at",
        "update payments set updated_at = now() - interval '1 minute'",
        "alter table payments enable trigger payments_updated_at",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    let back = format!("/orders/{number}?notice=processing&redirect_status=succeeded");
    for _ in 0..3 {
        assert_eq!(guest.get(&back).await.status, StatusCode::OK);
    }
    let lookups = stand_in.calls(&format!("/v1/payment_intents/{reference}"));
    assert_eq!(lookups.len(), 1);
    // Placing again from the same cart reuses the PaymentIntent.
    let again = guest.call("checkout/place", json!({"key": key()})).await;
    assert_eq!(body(&again.body)["number"].as_i64(), Some(number));
    assert_eq!(
        stand_in
            .calls("/v1/payment_intents")
            .iter()
            .filter(|c| c.method == "POST")
            .count(),
        1
    );
}
