//! Money sent once through Stripe whatever the network does: against the stand-in made to do
//! the work and then not answer in time (the client times out while Stripe "did" it), or to
//! fail. An unclear answer leaves a payout or a reversal pending and the retry reuses its
//! idempotency key; only a definite refusal returns a payout to the balance; a refund form
//! sent twice refunds once.

use super::ledger::{balance, order_id};
use super::people::{confirmed, member, user};
use super::shopping::{stocked, two_shop_order};
use super::stripe_standin::{FaultKind, StandIn};
use super::support::{Browser, TestApp};
use http::StatusCode;
use sqlx::PgPool;
use std::time::Duration;

/// Longer than the client's timeout below: the client gives up, Stripe has done it.
const HANG: Duration = Duration::from_secs(3);

async fn app(pool: PgPool, base: &str) -> TestApp {
    let app = TestApp::seeded(
        pool,
        40,
        &[
            "--stripe-secret-key",
            "sk_test_standin",
            "--stripe-publishable-key",
            "pk_test_standin",
            "--stripe-webhook-secret",
            "whsec_standin",
            "--stripe-api-base",
            base,
            "--stripe-timeout-ms",
            "500",
        ],
    )
    .await;
    app.set_payout_delay_days(0).await;
    app
}

/// A paid two-shop order; the first shop connected to Stripe, with its owner signed in.
/// Returns (owner, shop, its part's id and total).
async fn paid_shop<'a>(app: &'a TestApp, pool: &PgPool) -> (Browser<'a>, String, uuid::Uuid, i64) {
    let (a, b) = (stocked(pool, 0, 10).await, stocked(pool, 1, 10).await);
    let (_, number, parts) = two_shop_order(app, (&a, 2), (&b, 1), "retries@example.com").await;
    app::orders::server::payment_succeeded(&app.state.app, order_id(pool, number).await, "test")
        .await
        .unwrap();
    let (part, shop, total) = parts[0].clone();
    sqlx::query("update vendors set stripe_account_id = 'acct_standin' where slug = $1")
        .bind(&shop)
        .execute(pool)
        .await
        .unwrap();
    let owner = user(pool, "owner@example.com", false).await;
    member(pool, owner, &shop, "owner").await;
    (confirmed(app, "owner@example.com").await, shop, part, total)
}

async fn payouts(pool: &PgPool) -> Vec<(String, Option<String>)> {
    sqlx::query_as("select status, provider_ref from payouts order by created_at")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// Makes what is pending old enough for the job's retry.
async fn age(pool: &PgPool) {
    sqlx::query("update payouts set created_at = now() - interval '2 minutes'")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("update transfer_reversals set created_at = now() - interval '2 minutes'")
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unanswered_payout_stays_pending_and_is_sent_once(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = app(pool.clone(), &stand_in.start().await).await;
    let (_, shop, ..) = paid_shop(&app, &pool).await;
    let state = &app.state.app;

    // Stripe makes the transfer; its answer never arrives.
    stand_in.fail("/v1/transfers", 1, FaultKind::RecordThenHang(HANG));
    app::money::payouts::run_payouts(state).await.unwrap();
    assert_eq!(payouts(&pool).await[0].0, "pending", "unclear: not failed");
    assert_eq!(
        balance(&pool, &shop).await,
        0,
        "the amount is not back in the balance"
    );
    // A server error is unclear too.
    age(&pool).await;
    stand_in.fail("/v1/transfers", 1, FaultKind::Status(500));
    app::money::payouts::run_payouts(state).await.unwrap();
    assert_eq!(payouts(&pool).await[0].0, "pending");

    // The retry sends the same key; Stripe answers with the transfer it made.
    age(&pool).await;
    app::money::payouts::run_payouts(state).await.unwrap();
    let rows = payouts(&pool).await;
    assert_eq!(rows.len(), 1, "no second payout booked");
    assert_eq!(rows[0].0, "paid");
    let calls = stand_in.calls("/v1/transfers");
    assert_eq!(calls.len(), 3);
    assert!(
        calls
            .iter()
            .all(|c| c.idempotency_key == calls[0].idempotency_key)
    );
    assert_eq!(stand_in.performed("/v1/transfers"), 1, "one transfer made");
    // The stand-in names objects by its call count: the order's PaymentIntent was the first.
    assert_eq!(
        rows[0].1.as_deref(),
        Some("tr_2"),
        "the transfer Stripe made first"
    );
    assert_eq!(balance(&pool, &shop).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_payout_returns_the_money_to_the_balance(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = app(pool.clone(), &stand_in.start().await).await;
    let (_, shop, _, total) = paid_shop(&app, &pool).await;
    stand_in.fail("/v1/transfers", 1, FaultKind::Status(400));
    app::money::payouts::run_payouts(&app.state.app).await.unwrap();
    assert_eq!(payouts(&pool).await[0].0, "failed");
    assert_eq!(
        balance(&pool, &shop).await,
        total - app::money::commission::commission(total, 1000),
        "back in the balance"
    );
    assert_eq!(stand_in.performed("/v1/transfers"), 0);
}

async fn refund_form<'a>(
    owner: &mut Browser<'a>,
    shop: &str,
    part: uuid::Uuid,
    amount: &str,
    key: &str,
) -> StatusCode {
    let page = super::shopping::part_page(owner, &part.to_string()).await;
    let _ = shop;
    let answer = owner
        .post_form(
            &page,
            &[
                ("_action", "refund"),
                ("vendor_order_id", &part.to_string()),
                ("amount", amount),
                ("reason", "damaged"),
                ("key", key),
            ],
        )
        .await;
    answer.status
}

async fn refunds(pool: &PgPool) -> Vec<i64> {
    sqlx::query_scalar("select amount from refunds order by created_at")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refund_form_sent_twice_refunds_once(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = app(pool.clone(), &stand_in.start().await).await;
    let (mut owner, shop, part, _) = paid_shop(&app, &pool).await;
    let key = uuid::Uuid::new_v4().to_string();
    let first = refund_form(&mut owner, &shop, part, "5.00", &key).await;
    assert_eq!(first, StatusCode::SEE_OTHER);
    let again = refund_form(&mut owner, &shop, part, "5.00", &key).await;
    assert_eq!(again, StatusCode::SEE_OTHER, "answered as done");
    assert_eq!(refunds(&pool).await, [500]);
    assert_eq!(stand_in.performed("/v1/refunds"), 1);

    // Stripe refunds, its answer is lost: nothing is recorded, the shop sends the form again and
    // the same refund is recorded once.
    let key = uuid::Uuid::new_v4().to_string();
    stand_in.fail("/v1/refunds", 1, FaultKind::RecordThenHang(HANG));
    let lost = refund_form(&mut owner, &shop, part, "2.00", &key).await;
    assert_eq!(lost, StatusCode::CONFLICT, "the form again, with the error");
    assert_eq!(refunds(&pool).await, [500]);
    assert_eq!(
        refund_form(&mut owner, &shop, part, "2.00", &key).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(refunds(&pool).await, [500, 200]);
    assert_eq!(stand_in.performed("/v1/refunds"), 2);
    let keys: Vec<String> = stand_in
        .calls("/v1/refunds")
        .iter()
        .map(|c| c.idempotency_key.clone())
        .collect();
    // The double submit was answered from our records; the lost one was sent again.
    assert_eq!(keys.len(), 3);
    assert_eq!(keys[1], keys[2], "the retry reused the key");

    // Two deliberate refunds (two forms) are two refunds.
    let other = uuid::Uuid::new_v4().to_string();
    assert_eq!(
        refund_form(&mut owner, &shop, part, "1.00", &other).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(refunds(&pool).await, [500, 200, 100]);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unanswered_reversal_is_retried_with_its_key(pool: PgPool) {
    let stand_in = StandIn::default();
    let app = app(pool.clone(), &stand_in.start().await).await;
    let (mut owner, shop, part, _) = paid_shop(&app, &pool).await;
    let state = &app.state.app;
    app::money::payouts::run_payouts(state).await.unwrap();
    assert_eq!(payouts(&pool).await[0].0, "paid");

    // A refund after the payout: the reversal is made at Stripe, its answer lost.
    stand_in.fail("/v1/transfers/", 1, FaultKind::RecordThenHang(HANG));
    let key = uuid::Uuid::new_v4().to_string();
    assert_eq!(
        refund_form(&mut owner, &shop, part, "5.00", &key).await,
        StatusCode::SEE_OTHER
    );
    let owed = -balance(&pool, &shop).await;
    assert!(
        owed > 0,
        "the shop owes the refund until the reversal is confirmed"
    );
    let reversals: Vec<(String, i64)> = sqlx::query_as("select status, amount from transfer_reversals")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(reversals, [("pending".to_string(), owed)]);
    // Another refund meanwhile asks only for what is not already under way.
    let more = uuid::Uuid::new_v4().to_string();
    assert_eq!(
        refund_form(&mut owner, &shop, part, "1.00", &more).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        -balance(&pool, &shop).await,
        owed,
        "the second reversal went through"
    );
    let statuses: Vec<String> =
        sqlx::query_scalar("select status from transfer_reversals order by created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(statuses, ["pending", "done"]);

    // The job's retry reuses the key: Stripe answers with the reversal it made.
    age(&pool).await;
    app::money::payouts::run_payouts(state).await.unwrap();
    assert_eq!(balance(&pool, &shop).await, 0);
    let calls = stand_in.calls("/v1/transfers/");
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[0].idempotency_key, calls[2].idempotency_key);
    assert_eq!(
        stand_in.performed("/v1/transfers/"),
        2,
        "two reversals, each once"
    );
    let entries: i64 =
        sqlx::query_scalar("select count(*) from ledger_entries where kind = 'transfer_reversal'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(entries, 2);
}
