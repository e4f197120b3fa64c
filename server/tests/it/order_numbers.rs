//! Order numbers can't be guessed from one's own, and the lookup by number and email finds
//! only orders placed as a guest.

use super::accounts::signed_in;
use super::shopping::*;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn new_order_numbers_are_random_ten_digit_numbers(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 50).await;
    let mut numbers = Vec::new();
    for i in 0..6 {
        let mut guest = Browser::new(&app);
        add(&mut guest, &sku, 1).await;
        details(&mut guest, &format!("n{i}@example.com")).await;
        numbers.push(place(&mut guest, &key()).await);
    }
    for n in &numbers {
        assert!((1_000_000_000..10_000_000_000).contains(n), "{n}");
    }
    let mut sorted = numbers.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), numbers.len(), "unique");
    let steps: Vec<i64> = numbers.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        steps.iter().any(|s| s.abs() > 1_000),
        "one's own numbers say nothing about the next: {numbers:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn lookup_finds_guest_orders_only(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 10).await;
    let mut alice = signed_in(&app, "alice@example.com").await;
    add(&mut alice, &sku, 1).await;
    details(&mut alice, "").await;
    let account_order = place(&mut alice, &key()).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 1).await;
    details(&mut guest, "guest@example.com").await;
    let guest_order = place(&mut guest, &key()).await;

    let mut stranger = Browser::new(&app);
    let found = stranger
        .call(
            "orders/lookup",
            json!({"number": guest_order.to_string(), "email": "guest@example.com"}),
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    // The account's order with its right email: answered like a wrong pair, and not shown.
    let mut other = Browser::new(&app);
    let refused = other
        .call(
            "orders/lookup",
            json!({"number": account_order.to_string(), "email": "alice@example.com"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("couldn't find"), "{}", refused.body);
    assert_eq!(
        other.get(&format!("/orders/{account_order}")).await.status,
        StatusCode::NOT_FOUND
    );
    // The form says the same.
    let form = other
        .post_form(
            "/orders/lookup",
            &[
                ("_action", "lookup"),
                ("number", &account_order.to_string()),
                ("email", "alice@example.com"),
            ],
        )
        .await;
    assert_ne!(form.status, StatusCode::SEE_OTHER);
    // The account still sees it.
    assert_eq!(
        alice.get(&format!("/orders/{account_order}")).await.status,
        StatusCode::OK
    );
}
