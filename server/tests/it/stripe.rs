//! Stripe as the payment provider, without Stripe's servers: our API calls go to a local
//! stand-in that records and checks them, and webhook payloads are signed by Stripe's official
//! Python library (`scripts/setup.sh test` installs it in `.data/python`).

use super::shopping;
use super::stripe_standin::{StandIn, intent};
use super::support::{Browser, TestApp};
use http::{Request, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

pub const SECRET_KEY: &str = "sk_test_standin";
pub const WEBHOOK_SECRET: &str = "whsec_standin";

pub async fn stripe_app(pool: PgPool, base: &str) -> TestApp {
    TestApp::seeded(
        pool,
        40,
        &[
            "--stripe-secret-key",
            SECRET_KEY,
            "--stripe-publishable-key",
            "pk_test_standin",
            "--stripe-webhook-secret",
            WEBHOOK_SECRET,
            "--stripe-api-base",
            base,
        ],
    )
    .await
}

/// The `Stripe-Signature` header Stripe's Python library makes for `payload`.
pub fn sign(payload: &str, secret: &str, timestamp: Option<i64>) -> String {
    use std::io::Write;
    let python = std::env::var("STRIPE_PYTHON")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../.data/python/bin/python").into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/stripe_sign.py");
    let mut command = std::process::Command::new(&python);
    command.arg(script).arg(secret);
    if let Some(t) = timestamp {
        command.arg(t.to_string());
    }
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{python} is missing ({e}): run `scripts/setup.sh test`"));
    child.stdin.take().unwrap().write_all(payload.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "Stripe's library could not sign");
    String::from_utf8(output.stdout).unwrap()
}

pub fn event(id: &str, kind: &str, object: Value) -> String {
    json!({"id": id, "object": "event", "created": 1_700_000_000, "livemode": false,
           "pending_webhooks": 1, "type": kind, "data": {"object": object}})
    .to_string()
}

pub async fn deliver(app: &TestApp, payload: &str, signature: &str) -> (StatusCode, String) {
    let answer = app
        .request(
            Request::post("/webhooks/stripe")
                .header("stripe-signature", signature)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(payload.to_string()))
                .unwrap(),
        )
        .await;
    (answer.status, answer.body)
}

/// A guest's placed order (one unit of a stocked variant): (the guest, number, PaymentIntent
/// id, sku).
pub async fn placed_order<'a>(app: &'a TestApp, pool: &PgPool) -> (Browser<'a>, i64, String, String) {
    let sku = shopping::stocked(pool, 0, 5).await;
    let mut guest = Browser::new(app);
    shopping::add(&mut guest, &sku, 1).await;
    shopping::details(&mut guest, "card@example.com").await;
    let number = shopping::place(&mut guest, &shopping::key()).await;
    let reference: String = sqlx::query_scalar(
        "select provider_ref from payments p join orders o on o.id = p.order_id where o.number = $1",
    )
    .bind(number)
    .fetch_one(pool)
    .await
    .unwrap();
    (guest, number, reference, sku)
}

/// What the order with `number` costs, in cents.
pub async fn order_total(pool: &PgPool, number: i64) -> i64 {
    sqlx::query_scalar("select total from orders where number = $1")
        .bind(number)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn status(pool: &PgPool, number: i64) -> String {
    sqlx::query_scalar("select status from orders where number = $1")
        .bind(number)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn placing_an_order_opens_a_payment_intent_with_our_key(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (_, number, reference, _) = placed_order(&app, &pool).await;
    let calls = stand_in.calls("/v1/payment_intents");
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.method, "POST");
    assert_eq!(call.authorization, format!("Bearer {SECRET_KEY}"));
    let (idempotency_key, total): (String, i64) =
        sqlx::query_as("select idempotency_key, total from orders where number = $1")
            .bind(number)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(call.idempotency_key, format!("pi-{idempotency_key}"));
    assert_eq!(call.form["amount"], total.to_string());
    assert_eq!(call.form["currency"], "usd");
    assert_eq!(call.form["automatic_payment_methods[enabled]"], "true");
    assert!(call.form.contains_key("metadata[payment_id]"));
    assert_eq!(reference, "pi_1");
    assert_eq!(status(&pool, number).await, "pending_payment");
}

#[sqlx::test(migrations = "../migrations")]
async fn webhooks_are_verified_and_applied_exactly_once(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (_, number, reference, sku) = placed_order(&app, &pool).await;
    let total = order_total(&pool, number).await;
    let succeeded = event(
        "evt_1",
        "payment_intent.succeeded",
        intent(&reference, total, "succeeded"),
    );

    // Forged: signed with another secret. Stale: signed ten minutes ago. Unsigned.
    let forged = deliver(&app, &succeeded, &sign(&succeeded, "whsec_attacker", None)).await;
    assert_eq!(forged.0, StatusCode::BAD_REQUEST, "{}", forged.1);
    let old = chrono::Utc::now().timestamp() - 600;
    let stale = deliver(&app, &succeeded, &sign(&succeeded, WEBHOOK_SECRET, Some(old))).await;
    assert_eq!(stale.0, StatusCode::BAD_REQUEST);
    assert!(stale.1.contains("too old"), "{}", stale.1);
    assert_eq!(deliver(&app, &succeeded, "").await.0, StatusCode::BAD_REQUEST);
    // A body changed after signing.
    let signature = sign(&succeeded, WEBHOOK_SECRET, None);
    let tampered = succeeded.replace(&format!("\"amount\":{total}"), "\"amount\":1");
    assert_ne!(tampered, succeeded);
    assert_eq!(
        deliver(&app, &tampered, &signature).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(status(&pool, number).await, "pending_payment", "nothing changed");

    // Valid: applied once; redelivered: acknowledged, not applied again.
    assert_eq!(
        deliver(&app, &succeeded, &signature).await,
        (StatusCode::OK, "applied".into())
    );
    assert_eq!(status(&pool, number).await, "paid");
    let stock: (i32, i32) =
        sqlx::query_as("select stock_on_hand, stock_reserved from variants where sku = $1")
            .bind(&sku)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stock, (4, 0));
    let again = deliver(&app, &succeeded, &sign(&succeeded, WEBHOOK_SECRET, None)).await;
    assert_eq!(again, (StatusCode::OK, "already applied".into()));
    let paid_events: i64 = sqlx::query_scalar("select count(*) from order_events where to_status = 'paid'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(paid_events, 1);

    // Out of order: a failure delivered after the success changes nothing.
    let failed = event(
        "evt_2",
        "payment_intent.payment_failed",
        intent(&reference, 100, "requires_payment_method"),
    );
    assert_eq!(
        deliver(&app, &failed, &sign(&failed, WEBHOOK_SECRET, None))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(status(&pool, number).await, "paid");

    // A refund made in Stripe's dashboard is recorded; the echo of it is not counted twice.
    let charge = json!({"id": "ch_1", "object": "charge", "amount": 100, "amount_captured": 100,
        "amount_refunded": 40, "billing_details": {}, "captured": true, "created": 1_700_000_000,
        "currency": "usd", "disputed": false, "livemode": false, "metadata": {}, "paid": true,
        "refunded": false, "status": "succeeded", "payment_intent": reference});
    let refunded = event("evt_3", "charge.refunded", charge);
    assert_eq!(
        deliver(&app, &refunded, &sign(&refunded, WEBHOOK_SECRET, None))
            .await
            .0,
        StatusCode::OK
    );
    let (order_status, refunded_total): (String, i64) =
        sqlx::query_as("select status, refunded_total from orders where number = $1")
            .bind(number)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (order_status.as_str(), refunded_total),
        ("partially_refunded", 40)
    );
    // Stripe knows nothing of shops: the refund is spread over the parts and booked in their
    // ledgers, every cent of it.
    let (parts_refunded, ledger_refunds): (i64, i64) = sqlx::query_as(
        "select (select sum(refunded)::bigint from vendor_orders),
                (select coalesce(sum(amount), 0)::bigint from ledger_entries where kind = 'refund')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((parts_refunded, ledger_refunds), (40, -40));
    let events: i64 = sqlx::query_scalar("select count(*) from payment_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failure_then_a_late_success_ends_paid(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (_, number, reference, _) = placed_order(&app, &pool).await;
    let total = order_total(&pool, number).await;
    let failed = event(
        "evt_f",
        "payment_intent.payment_failed",
        intent(&reference, total, "requires_payment_method"),
    );
    deliver(&app, &failed, &sign(&failed, WEBHOOK_SECRET, None)).await;
    assert_eq!(status(&pool, number).await, "payment_failed");
    let succeeded = event(
        "evt_s",
        "payment_intent.succeeded",
        intent(&reference, total, "succeeded"),
    );
    deliver(&app, &succeeded, &sign(&succeeded, WEBHOOK_SECRET, None)).await;
    assert_eq!(status(&pool, number).await, "paid", "a paid order is never lost");
    // An event about a PaymentIntent that is not ours is acknowledged and ignored.
    let foreign = event(
        "evt_x",
        "payment_intent.succeeded",
        intent("pi_foreign", 100, "succeeded"),
    );
    assert_eq!(
        deliver(&app, &foreign, &sign(&foreign, WEBHOOK_SECRET, None)).await,
        (StatusCode::OK, "ignored".into())
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn reconciliation_confirms_a_payment_whose_webhook_was_missed(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (_, number, reference, _) = placed_order(&app, &pool).await;
    *stand_in.status.lock().unwrap() = "processing".into();
    // Too recent to be looked at.
    let state = &app.state.app;
    assert_eq!(
        app::payments::reconcile::stale_payments(state, 10, 100)
            .await
            .unwrap(),
        0
    );
    sqlx::query("update payments set created_at = now() - interval '20 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app::payments::reconcile::stale_payments(state, 10, 100)
            .await
            .unwrap(),
        0
    );
    assert_eq!(status(&pool, number).await, "pending_payment");
    *stand_in.status.lock().unwrap() = "succeeded".into();
    assert_eq!(
        app::payments::reconcile::stale_payments(state, 10, 100)
            .await
            .unwrap(),
        1
    );
    assert_eq!(status(&pool, number).await, "paid");
    let lookups = stand_in.calls(&format!("/v1/payment_intents/{reference}"));
    assert_eq!(lookups.len(), 2);
    assert!(lookups.iter().all(|c| c.method == "GET"));

    // Refunds go to Stripe with our refund's id as the idempotency key.
    let part: uuid::Uuid = sqlx::query_scalar("select id from vendor_orders limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let restock = app::orders::server::Restock::Nothing;
    app::money::refunds::refund(
        state,
        part,
        (50, restock),
        "damaged",
        "refund-1",
        &app::audit::By::system("admin"),
    )
    .await
    .unwrap();
    let refunds = stand_in.calls("/v1/refunds");
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].form["amount"], "50");
    assert_eq!(refunds[0].form["payment_intent"], reference);
    let refund_id: uuid::Uuid = sqlx::query_scalar("select id from refunds")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(refunds[0].idempotency_key, format!("refund-{refund_id}"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_pay_page_mounts_the_payment_element_and_expiry_cancels_the_intent(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = stripe_app(pool.clone(), &stand_in.start().await).await;
    let (mut guest, number, _, _) = placed_order(&app, &pool).await;
    *stand_in.status.lock().unwrap() = "requires_payment_method".into();
    let page = guest.get(&format!("/checkout/pay/{number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-key=\"pk_test_standin\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-secret=\"pi_1_secret_standin\""));
    assert!(
        page.header("content-security-policy")
            .contains("https://js.stripe.com")
    );
    // The test provider's buttons are not offered, nor accepted.
    assert!(!page.body.contains("test: succeeds"));
    let test_pay = guest
        .call(
            "checkout/pay_test",
            json!({"number": number.to_string(), "succeed": true}),
        )
        .await;
    assert_eq!(test_pay.status, StatusCode::BAD_REQUEST);

    sqlx::query("update orders set expires_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app::orders::server::expire_due(&app.state.app, 10).await.unwrap(),
        1
    );
    assert_eq!(stand_in.calls("/v1/payment_intents/pi_1/cancel").len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_partial_stripe_configuration_is_refused(pool: PgPool) {
    let config = server::cli::config_from_args(["server", "--stripe-secret-key", "sk_test_x"]).unwrap();
    let error = server::cli::server_state(
        &config,
        pool,
        leptos::prelude::LeptosOptions::builder().output_name("x").build(),
    )
    .err()
    .expect("refused");
    assert!(error.to_string().contains("STRIPE_PUBLISHABLE_KEY"), "{error}");
}
