//! What a shop's staff may read: products, stock and orders, not money (balance, ledger,
//! payouts, sales in money) nor the shop's people. The pages, the server functions and the
//! portal's navigation agree (the full matrix is in `matrix.rs`).

use super::people::{browser, member, user};
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::TestApp;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn staff_see_no_money_and_no_staff_list(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 2), (&b, 1), "sold@example.com").await;
    pay(&mut guest, number, true).await;
    let shop = parts[0].1.clone();
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let staff_id = user(&pool, "staff@example.com", false).await;
    member(&pool, staff_id, &shop, "staff").await;
    let mut owner = browser(&app, "owner@example.com").await;
    let mut staff = browser(&app, "staff@example.com").await;
    let base = format!("/vendor/{shop}");

    // Server functions: money and people are refused to staff.
    for endpoint in ["vendor/money", "vendor/staff"] {
        let refused = staff.call(endpoint, json!({"vendor": shop})).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{endpoint}: {}",
            refused.body
        );
        let allowed = owner.call(endpoint, json!({"vendor": shop})).await;
        assert_eq!(allowed.status, StatusCode::OK, "{endpoint}");
    }
    // Pages: the "no access" view.
    for tail in ["/money", "/staff"] {
        let page = staff.get(&format!("{base}{tail}")).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{tail}");
        assert!(!page.body.contains("Balance"), "{tail}");
        assert_eq!(owner.get(&format!("{base}{tail}")).await.status, StatusCode::OK);
    }
    // The dashboard: units for staff, money for owners.
    let staff_dashboard = body(&staff.call("vendor/dashboard", json!({"vendor": shop})).await.body);
    assert_eq!(staff_dashboard["sales"], json!(null), "{staff_dashboard}");
    assert_eq!(staff_dashboard["top"][0]["revenue"], json!(null));
    assert_eq!(staff_dashboard["top"][0]["units"], 2);
    let owner_dashboard = body(&owner.call("vendor/dashboard", json!({"vendor": shop})).await.body);
    assert!(owner_dashboard["sales"]["month"]["minor"].as_i64().unwrap() > 0);
    let page = staff.get(&base).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Sales today"));
    assert!(
        !page.body.contains(&format!("href=\"{base}/money\"")),
        "no way to the money page"
    );
    assert!(!page.body.contains(&format!("href=\"{base}/staff\"")));
    assert!(page.body.contains(&format!("href=\"{base}/orders\"")));
    let page = owner.get(&base).await;
    assert!(page.body.contains("Sales today"));
    assert!(page.body.contains(&format!("href=\"{base}/money\"")));
    // Orders, products and stock are staff's work.
    for endpoint in ["vendor/orders", "vendor/products", "vendor/inventory"] {
        let answer = staff.call(endpoint, json!({"vendor": shop})).await;
        assert_eq!(answer.status, StatusCode::OK, "{endpoint}");
    }
}
