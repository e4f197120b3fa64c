//! An order committed whose payment Stripe never opened (the server stopped between the two,
//! or Stripe failed): the shopper's retry of the same checkout opens it, with the same
//! idempotency key, instead of answering with an order nobody can pay.

use super::shopping;
use super::stripe::stripe_app;
use super::stripe_standin::{FaultKind, StandIn};
use super::support::Browser;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_retried_checkout_opens_a_payment_stripe_never_opened(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let sku = shopping::stocked(&pool, 0, 5).await;
    let mut guest = Browser::new(&app);
    shopping::add(&mut guest, &sku, 1).await;
    shopping::details(&mut guest, "retry@example.com").await;
    let key = shopping::key();

    // Stripe fails once: the order is committed, its payment not opened.
    stand_in.fail("/v1/payment_intents", 1, FaultKind::Status(500));
    let first = guest.call("checkout/place", json!({"key": key})).await;
    assert!(first.status.is_server_error(), "{}", first.body);
    let unopened: Option<String> = sqlx::query_scalar(
        "select p.provider_ref from payments p join orders o on o.id = p.order_id where o.idempotency_key = $1",
    )
    .bind(&key)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(unopened, None);

    // The shopper presses again: the same order, its payment opened now, under the same key.
    let again = guest.call("checkout/place", json!({"key": key})).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let number = shopping::body(&again.body)["number"].as_i64().unwrap();
    let (opened, orders): (Option<String>, i64) = sqlx::query_as(
        "select p.provider_ref, (select count(*) from orders) from payments p join orders o on o.id = p.order_id
         where o.number = $1",
    )
    .bind(number)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        opened.as_deref().is_some_and(|r| r.starts_with("pi_")),
        "the payment is opened: {opened:?}, {}",
        again.body
    );
    assert_eq!(orders, 1, "one order");
    let creates = stand_in.calls("/v1/payment_intents");
    assert!(
        creates
            .iter()
            .all(|c| c.idempotency_key == creates[0].idempotency_key),
        "every attempt used one idempotency key: {creates:?}"
    );
    let page = guest.get(&format!("/checkout/pay/{number}")).await;
    assert!(
        page.body.contains("data-secret"),
        "the pay page can take the payment"
    );
}
