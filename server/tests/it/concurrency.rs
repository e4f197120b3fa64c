//! Many buyers at once: never oversold, no deadlock between carts that lock rows in other
//! orders, and a double submit makes one order.

use super::shopping::*;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn fifty_buyers_for_five_units_make_five_orders(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 50).await;
    let mut buyers: Vec<Browser> = (0..50).map(|_| Browser::new(&app)).collect();
    for (i, buyer) in buyers.iter_mut().enumerate() {
        add(buyer, &sku, 1).await;
        details(buyer, &format!("buyer{i}@example.com")).await;
    }
    // Only now is the stock cut to 5: all fifty carts hold one unit each.
    sqlx::query("update variants set stock_on_hand = 5 where sku = $1")
        .bind(&sku)
        .execute(&pool)
        .await
        .unwrap();
    let answers = place_all(&mut buyers).await;
    let placed = answers.iter().filter(|a| a.status == StatusCode::OK).count();
    let sold_out: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::CONFLICT)
        .collect();
    assert_eq!(
        placed,
        5,
        "{:?}",
        answers.iter().map(|a| (a.status, &a.body)).collect::<Vec<_>>()
    );
    assert_eq!(sold_out.len(), 45);
    assert!(
        sold_out[0].body.contains("out of stock"),
        "names the problem: {}",
        sold_out[0].body
    );
    assert_eq!(stock(&pool, &sku).await, (5, 5));
    let orders: i64 = sqlx::query_scalar("select count(*) from orders")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(orders, 5, "refused buyers left nothing behind");
    let items: i64 = sqlx::query_scalar("select count(*) from order_items")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(items, 5);
}

#[sqlx::test(migrations = "../migrations")]
async fn mixed_carts_across_vendors_never_oversell(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 40).await, stocked(&pool, 1, 40).await);
    let mut buyers: Vec<Browser> = (0..20).map(|_| Browser::new(&app)).collect();
    for (i, buyer) in buyers.iter_mut().enumerate() {
        // Half the buyers add B first: lines must still lock in one order (no deadlock).
        if i % 2 == 0 {
            add(buyer, &a, 1).await;
            add(buyer, &b, 1).await;
        } else {
            add(buyer, &b, 1).await;
            add(buyer, &a, 1).await;
        }
        details(buyer, &format!("mixed{i}@example.com")).await;
    }
    sqlx::query(
        "update variants set stock_on_hand = case when sku = $1 then 6 else 3 end where sku in ($1, $2)",
    )
    .bind(&a)
    .bind(&b)
    .execute(&pool)
    .await
    .unwrap();
    let answers = place_all(&mut buyers).await;
    let placed = answers.iter().filter(|a| a.status == StatusCode::OK).count();
    assert_eq!(placed, 3, "B has 3 units and every cart needs one");
    assert!(
        answers
            .iter()
            .all(|a| a.status == StatusCode::OK || a.status == StatusCode::CONFLICT)
    );
    assert_eq!(stock(&pool, &a).await, (6, 3));
    assert_eq!(stock(&pool, &b).await, (3, 3));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_double_submit_returns_the_same_order(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 10).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 2).await;
    details(&mut guest, "twice@example.com").await;
    let key = key();
    let (first, second) = {
        let mut other = Browser {
            app: &app,
            cookie: guest.cookie.clone(),
        };
        let both = futures::join!(
            guest.call("checkout/place", json!({"key": key})),
            other.call("checkout/place", json!({"key": key}))
        );
        (both.0, both.1)
    };
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert_eq!(body(&first.body)["number"], body(&second.body)["number"]);
    assert_eq!(stock(&pool, &sku).await, (10, 2), "reserved once");
    // The key of someone else's checkout is refused.
    let mut stranger = Browser::new(&app);
    add(&mut stranger, &sku, 1).await;
    details(&mut stranger, "stranger@example.com").await;
    let reused = stranger.call("checkout/place", json!({"key": key})).await;
    assert_eq!(reused.status, StatusCode::CONFLICT, "{}", reused.body);
    let bad = stranger.call("checkout/place", json!({"key": "short"})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
