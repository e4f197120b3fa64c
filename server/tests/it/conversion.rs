//! The overview's conversion through the real router: product pages note their visitors in
//! memory (one a day each, robots not at all), the instance writes them in one statement, the
//! rollup counts them, and the overview divides the day's orders by them.

use super::admin_people::operator;
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::{Browser, TestApp};
use axum::body::Body;
use http::{Request, StatusCode, header};
use serde_json::json;
use sqlx::PgPool;

async fn view(app: &TestApp, path: &str, agent: &str) {
    let mut visitor = Browser::new(app);
    let page = visitor
        .send(
            Request::get(path)
                .header(header::USER_AGENT, agent)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn conversion_is_the_days_orders_over_its_visitors_who_viewed_a_product(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let product = format!(
        "/p/{}",
        app.product_slug("p.status = 'active' and v.status = 'approved'")
            .await
    );
    let (firefox, safari) = (
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile Safari/604.1",
    );
    for agent in [
        firefox,
        firefox,
        safari,
        "Mozilla/5.0 (Linux) Chrome/131.0 Safari/537.36",
    ] {
        view(&app, &product, agent).await;
    }
    view(&app, &product, "Mozilla/5.0 (compatible; bingbot/2.0)").await;
    // Nothing is written on the shopper's path: only the flush writes, once per visitor.
    let stored: i64 = sqlx::query_scalar("select count(*) from product_viewers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    assert_eq!(app.state.app.viewers.flush(&pool).await.unwrap(), 3);
    view(&app, &product, safari).await;
    assert_eq!(
        app.state.app.viewers.flush(&pool).await.unwrap(),
        0,
        "seen today already"
    );

    let (mut guest, number, _) = two_shop_order(&app, (&a, 1), (&b, 1), "viewer@example.com").await;
    pay(&mut guest, number, true).await;
    assert!(app::analytics::rollup::refresh(&pool).await.unwrap());
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let today = body(
        &admin
            .call("admin/analytics", json!({"period": "today"}))
            .await
            .body,
    );
    assert_eq!(today["figures"]["viewers"], 3);
    assert_eq!(today["figures"]["orders"], 1);
    let page = admin.get("/admin?period=today").await;
    assert!(page.body.contains("Conversion"), "{}", page.body);
    assert!(
        page.body.contains("33.33%"),
        "one order of three visitors: {}",
        page.body
    );
}
