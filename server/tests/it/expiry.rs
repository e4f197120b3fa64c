//! Unpaid orders: their reservations expire and the stock goes back on sale, a backlog drains
//! in one run of the job, and a payment that arrives late is still taken (or refunded when
//! the stock is gone).

use super::shopping::*;
use super::support::{Browser, TestApp};
use sqlx::PgPool;
use std::time::Duration;

#[sqlx::test(migrations = "../migrations")]
async fn a_backlog_of_unpaid_orders_expires_in_one_run(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 10).await;
    for i in 0..5 {
        let mut guest = Browser::new(&app);
        add(&mut guest, &sku, 1).await;
        details(&mut guest, &format!("abandoned{i}@example.com")).await;
        place(&mut guest, &key()).await;
    }
    assert_eq!(stock(&pool, &sku).await, (10, 5));
    sqlx::query("update orders set expires_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    // Batches of two: three batches, the last one short.
    let expired = app::orders::server::expire_backlog(&app.state.app, 2, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(expired, 5);
    assert_eq!(stock(&pool, &sku).await, (10, 0), "all their stock is back");
}

#[sqlx::test(migrations = "../migrations")]
async fn unpaid_orders_expire_and_a_late_payment_is_still_taken(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 4).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 2).await;
    details(&mut guest, "late@example.com").await;
    let number = place(&mut guest, &key()).await;
    sqlx::query("update orders set expires_at = now() - interval '1 minute' where number = $1")
        .bind(number)
        .execute(&pool)
        .await
        .unwrap();
    let expired = app::orders::server::expire_due(&app.state.app, 100)
        .await
        .unwrap();
    assert_eq!(expired, 1);
    assert_eq!(order_status(&pool, number).await, "expired");
    assert_eq!(stock(&pool, &sku).await, (4, 0));
    // Running the job again changes nothing.
    assert_eq!(
        app::orders::server::expire_due(&app.state.app, 100)
            .await
            .unwrap(),
        0
    );

    // The provider reports success after all: the order is paid, its stock taken again.
    let id: uuid::Uuid = sqlx::query_scalar("select id from orders where number = $1")
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
    app::orders::server::payment_succeeded(&app.state.app, id, "provider:test")
        .await
        .unwrap();
    assert_eq!(order_status(&pool, number).await, "paid");
    assert_eq!(stock(&pool, &sku).await, (2, 0));
    // Applying the same success twice is a no-op.
    app::orders::server::payment_succeeded(&app.state.app, id, "provider:test")
        .await
        .unwrap();
    assert_eq!(stock(&pool, &sku).await, (2, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_late_payment_for_stock_that_is_gone_is_refunded(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 1).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 1).await;
    details(&mut guest, "gone@example.com").await;
    let number = place(&mut guest, &key()).await;
    let id: uuid::Uuid = sqlx::query_scalar("select id from orders where number = $1")
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
    app::orders::server::close_unpaid(
        &app.state.app,
        id,
        app::orders::status::OrderStatus::Expired,
        "test",
        "",
    )
    .await
    .unwrap();
    sqlx::query("update variants set stock_on_hand = 0 where sku = $1")
        .bind(&sku)
        .execute(&pool)
        .await
        .unwrap();
    app::orders::server::payment_succeeded(&app.state.app, id, "provider:test")
        .await
        .unwrap();
    assert_eq!(order_status(&pool, number).await, "refunded");
    assert_eq!(stock(&pool, &sku).await, (0, 0), "never below zero");
}
