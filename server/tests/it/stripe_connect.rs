//! Payouts through Stripe Connect, against the local stand-in for Stripe's API: onboarding an
//! Express account, payouts as transfers (once, whatever the retries), and a refund after a
//! payout taken back by reversing part of the transfer.

use super::ledger::{balance, order_id};
use super::people::{browser, confirmed, member, user};
use super::shopping::{body, stocked, two_shop_order};
use super::stripe_standin::StandIn;
use super::support::TestApp;
use app::money::commission::commission;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn shops_connect_stripe_are_paid_by_transfer_and_refunds_are_taken_back(pool: PgPool) {
    let stand_in = StandIn::default();
    let base = stand_in.start().await;
    let app = TestApp::seeded(
        pool.clone(),
        40,
        &[
            "--stripe-secret-key",
            "sk_test_standin",
            "--stripe-publishable-key",
            "pk_test_standin",
            "--stripe-webhook-secret",
            "whsec_standin",
            "--stripe-api-base",
            &base,
        ],
    )
    .await;
    app.set_payout_delay_days(0).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let (_, number, parts) = two_shop_order(&app, (&a, 2), (&b, 1), "connect@example.com").await;
    let order = order_id(&pool, number).await;
    app::orders::server::payment_succeeded(&app.state.app, order, "test")
        .await
        .unwrap();
    let (shop, total) = (parts[0].1.clone(), parts[0].2);
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let staff_id = user(&pool, "staff@example.com", false).await;
    member(&pool, staff_id, &shop, "staff").await;
    let mut owner = confirmed(&app, "owner@example.com").await;
    let mut staff = browser(&app, "staff@example.com").await;

    // Without a connected account, nothing is paid out: the balance waits.
    assert_eq!(app::money::payouts::run_payouts(&app.state.app).await.unwrap(), 0);
    let money = body(&owner.call("vendor/money", json!({"vendor": shop})).await.body);
    assert_eq!(money["stripe_connected"], false);
    assert_eq!(money["simulated"], false);

    // Owners connect (staff can't): an Express account, then Stripe's onboarding link.
    let refused = staff.call("vendor/connect", json!({"vendor": shop})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let link = owner.call("vendor/connect", json!({"vendor": shop})).await;
    assert_eq!(link.status, StatusCode::OK, "{}", link.body);
    assert!(
        body(&link.body)
            .as_str()
            .unwrap()
            .starts_with("https://connect.stripe.com/setup/e/acct_standin")
    );
    let accounts = stand_in.calls("/v1/accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].form["type"], "express");
    assert_eq!(accounts[0].form["capabilities[transfers][requested]"], "true");
    assert!(accounts[0].idempotency_key.starts_with("acct-"));
    let links = stand_in.calls("/v1/account_links");
    assert_eq!(links[0].form["account"], "acct_standin");
    assert_eq!(links[0].form["type"], "account_onboarding");
    assert!(links[0].form["return_url"].ends_with(&format!("/vendor/{shop}/money?notice=stripe-connected")));
    // Asking again reuses the account.
    assert_eq!(
        owner.call("vendor/connect", json!({"vendor": shop})).await.status,
        StatusCode::OK
    );
    assert_eq!(stand_in.calls("/v1/accounts").len(), 1);

    // The payout is a transfer of the balance to the account, once.
    let due = total - commission(total, 1000);
    assert_eq!(app::money::payouts::run_payouts(&app.state.app).await.unwrap(), 1);
    assert_eq!(app::money::payouts::run_payouts(&app.state.app).await.unwrap(), 0);
    let transfers = stand_in.calls("/v1/transfers");
    assert_eq!(transfers.len(), 1);
    assert_eq!(transfers[0].form["amount"], due.to_string());
    assert_eq!(transfers[0].form["destination"], "acct_standin");
    assert_eq!(transfers[0].form["currency"], "usd");
    assert!(transfers[0].idempotency_key.starts_with("payout-"));
    let payout: (String, Option<String>) = sqlx::query_as("select status, provider_ref from payouts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(payout.0, "paid");
    assert!(payout.1.unwrap().starts_with("tr_"));

    // A refund after the payout: the shop's share comes back by reversing the transfer.
    let refund = 500;
    let refunded = owner
        .call(
            "orders/refund",
            json!({"vendor_order_id": parts[0].0.to_string(), "amount": refund}),
        )
        .await;
    assert_eq!(refunded.status, StatusCode::OK, "{}", refunded.body);
    let owed = refund - (commission(total, 1000) - commission(total - refund, 1000));
    let reversals: Vec<_> = stand_in.calls("/v1/transfers/");
    assert_eq!(reversals.len(), 1);
    assert!(reversals[0].path.ends_with("/reversals"));
    assert_eq!(reversals[0].form["amount"], owed.to_string());
    assert!(reversals[0].idempotency_key.starts_with("reversal-"));
    assert_eq!(
        balance(&pool, &shop).await,
        0,
        "what the refund took is back from the transfer"
    );
    let reversed: i64 = sqlx::query_scalar("select reversed from payouts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(reversed, owed);
}
