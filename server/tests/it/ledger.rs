//! The marketplace's ledger through the real router: sales, commission, refunds and payouts
//! booked once, and the balance property over random payments and refunds.

use super::people::{confirmed, member, user};
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::TestApp;
use super::vendors::{admin, vendor_id};
use app::money::commission::commission;
use http::StatusCode;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::PgPool;

/// Sum of a shop's ledger.
pub async fn balance(pool: &PgPool, shop: &str) -> i64 {
    sqlx::query_scalar(
        "select coalesce(sum(e.amount), 0)::bigint from ledger_entries e join vendors v on v.id = e.vendor_id where v.slug = $1",
    )
    .bind(shop)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn sales_refunds_and_payouts_are_booked_once_in_the_ledger(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    app.set_payout_delay_days(0).await;
    app.set_commission_bp(1000).await;
    let (a, b) = (stocked(&pool, 0, 50).await, stocked(&pool, 1, 50).await);
    let mut ops = admin(&app, "ops@example.com").await;
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 3), (&b, 1), "ledger@example.com").await;
    let (shop_a, shop_b) = (parts[0].1.clone(), parts[1].1.clone());
    // Shop A has its own rate, set before the sale; changing it later changes nothing booked.
    let bad = ops
        .call(
            "admin/vendors/commission",
            json!({"vendor_id": vendor_id(&pool, &shop_a).await, "percent": "101"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let set = ops
        .call(
            "admin/vendors/commission",
            json!({"vendor_id": vendor_id(&pool, &shop_a).await, "percent": "12.5"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(balance(&pool, &shop_a).await, 0, "nothing before payment");
    pay(&mut guest, number, true).await;
    let (total_a, total_b) = (parts[0].2, parts[1].2);
    assert_eq!(balance(&pool, &shop_a).await, total_a - commission(total_a, 1250));
    assert_eq!(balance(&pool, &shop_b).await, total_b - commission(total_b, 1000));
    let set = ops
        .call(
            "admin/vendors/commission",
            json!({"vendor_id": vendor_id(&pool, &shop_a).await, "percent": "50"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);
    // A repeated success changes nothing.
    app::orders::server::payment_succeeded(&app.state.app, order_id(&pool, number).await, "test")
        .await
        .unwrap();
    assert_eq!(balance(&pool, &shop_a).await, total_a - commission(total_a, 1250));

    // The owner refunds part of A's share: the refund and the commission given back.
    let owner_id = user(&pool, "owner-a@example.com", false).await;
    member(&pool, owner_id, &shop_a, "owner").await;
    let mut owner = confirmed(&app, "owner-a@example.com").await;
    let refund = 700;
    let refunded = owner
        .call(
            "orders/refund",
            json!({"vendor_order_id": parts[0].0.to_string(), "amount": refund}),
        )
        .await;
    assert_eq!(refunded.status, StatusCode::OK, "{}", refunded.body);
    let net = total_a - refund;
    assert_eq!(balance(&pool, &shop_a).await, net - commission(net, 1250));

    // The money page says the same, and that payouts are simulated.
    let money = body(&owner.call("vendor/money", json!({"vendor": shop_a})).await.body);
    assert_eq!(money["balance"]["minor"], net - commission(net, 1250));
    assert_eq!(money["simulated"], true);
    assert_eq!(money["commission_bp"], 5000, "the rate now, for future sales");

    // Payouts: each shop's available balance once; running again pays nothing more.
    let paid = app::money::payouts::run_payouts(&app.state.app).await.unwrap();
    assert_eq!(paid, 2);
    assert_eq!(app::money::payouts::run_payouts(&app.state.app).await.unwrap(), 0);
    assert_eq!(balance(&pool, &shop_a).await, 0);
    let payouts: Vec<(i64, String)> = sqlx::query_as(
        "select p.amount, p.provider from payouts p join vendors v on v.id = p.vendor_id where v.slug = $1",
    )
    .bind(&shop_a)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(payouts, vec![(net - commission(net, 1250), "test".to_string())]);
    // A refund after the payout leaves the shop owing the difference.
    let refunded = owner
        .call(
            "orders/refund",
            json!({"vendor_order_id": parts[0].0.to_string(), "amount": 100}),
        )
        .await;
    assert_eq!(refunded.status, StatusCode::OK);
    assert_eq!(
        balance(&pool, &shop_a).await,
        -100 + (commission(net, 1250) - commission(net - 100, 1250))
    );
}

pub async fn order_id(pool: &PgPool, number: i64) -> uuid::Uuid {
    sqlx::query_scalar("select id from orders where number = $1")
        .bind(number)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The ledger property over the real database: random orders, random partial refunds, and
/// the shop's balance is always sales minus commission minus refunds.
#[sqlx::test(migrations = "../migrations")]
async fn the_ledger_balances_for_random_payments_and_refunds(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    app.set_commission_bp(1337).await;
    let (a, b) = (stocked(&pool, 0, 500).await, stocked(&pool, 1, 500).await);
    let owner_id = user(&pool, "owner@example.com", false).await;
    let shop: String = sqlx::query_scalar(
        "select v.slug from variants x join products p on p.id = x.product_id join vendors v on v.id = p.vendor_id where x.sku = $1",
    )
    .bind(&a)
    .fetch_one(&pool)
    .await
    .unwrap();
    member(&pool, owner_id, &shop, "owner").await;
    let mut owner = confirmed(&app, "owner@example.com").await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261122);
    let (mut sales, mut refunds, mut net_commission) = (0i64, 0i64, 0i64);
    for i in 0..6 {
        let (mut guest, number, parts) = two_shop_order(
            &app,
            (&a, rng.random_range(1..4)),
            (&b, 1),
            &format!("p{i}@example.com"),
        )
        .await;
        pay(&mut guest, number, true).await;
        let (part, _, total) = parts.into_iter().find(|p| p.1 == shop).unwrap();
        sales += total;
        let mut refunded = 0;
        for _ in 0..rng.random_range(0..4) {
            let left = total - refunded;
            if left == 0 {
                break;
            }
            let amount = rng.random_range(1..=left);
            let answer = owner
                .call(
                    "orders/refund",
                    json!({"vendor_order_id": part.to_string(), "amount": amount}),
                )
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            refunded += amount;
        }
        refunds += refunded;
        net_commission += commission(total - refunded, 1337);
        assert_eq!(
            balance(&pool, &shop).await,
            sales - net_commission - refunds,
            "after order {i}"
        );
    }
}
