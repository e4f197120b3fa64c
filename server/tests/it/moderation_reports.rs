//! Product reports through the real router: a shopper's reports are limited to
//! `REPORTS_PER_DAY` a day, an operator dismisses them (in the audit log), and the console
//! finds products by every filter: title, SKU, shop, category, status and open reports.

use super::admin_people::operator;
use super::moderation::{audit, on_sale, slugs};
use super::people::{browser, user};
use super::shopping::body;
use super::support::TestApp;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrations = "../migrations")]
async fn reports_are_limited_dismissed_and_found_by_every_filter(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 30).await;
    user(&pool, "rosa@example.com", false).await;
    let mut rosa = browser(&app, "rosa@example.com").await;
    let limit = app::moderation::REPORTS_PER_DAY;
    let mut reported = Vec::new();
    for n in 0..=limit {
        let (id, slug, ..) = on_sale(&pool, n).await;
        let answer = rosa
            .call("catalog/report", json!({"slug": slug, "reason": "misleading"}))
            .await;
        if n < limit {
            assert_eq!(answer.status, StatusCode::OK, "report {n}: {}", answer.body);
            reported.push((id, slug));
        } else {
            assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.body);
        }
    }

    // Dismissed: the reports close, the product stays on sale, the log says so; once.
    let (ops, mut admin) = operator(&app, "ops@example.com").await;
    let (id, slug) = reported[0].clone();
    let dismissed = admin
        .post_form(&format!("/admin/products/{id}"), &[("_action", "dismiss")])
        .await;
    assert_eq!(
        dismissed.header("location"),
        format!("/admin/products/{id}?notice=reports-dismissed")
    );
    assert_eq!(app.get(&format!("/p/{slug}")).await.status, StatusCode::OK);
    let again = admin
        .call(
            "admin/product/act",
            json!({"id": id, "action": {"action": "dismiss"}}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(audit(&pool, id).await[0].0, "product.dismiss_reports");
    assert_eq!(audit(&pool, id).await[0].1, Some(ops));
    let open = body(&admin.call("admin/products", json!({"reported": true})).await.body);
    assert_eq!(open["total"], limit - 1);
    assert!(!slugs(&open).contains(&slug));

    // Filters: a shop's name, a department with its subcategories, a status; `%` is a letter.
    let (shop, shop_name): (String, String) =
        sqlx::query_as("select slug, name from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let shop_products: i64 = sqlx::query_scalar(
        "select count(*) from products p join vendors v on v.id = p.vendor_id where v.slug = $1",
    )
    .bind(&shop)
    .fetch_one(&pool)
    .await
    .unwrap();
    let by_shop = body(
        &admin
            .call("admin/products", json!({"shop": shop_name}))
            .await
            .body,
    );
    assert_eq!(by_shop["total"], shop_products);
    let (department, below): (String, i64) = sqlx::query_as(
        "select d.slug,
                (with recursive below (id) as (
                     select d.id union all select c.id from categories c join below on c.parent_id = below.id)
                 select count(*) from products p where p.category_id in (select id from below))
         from categories d where d.parent_id is null order by 2 desc, d.slug limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(below > 0);
    let in_department = body(
        &admin
            .call("admin/products", json!({"category": department}))
            .await
            .body,
    );
    assert_eq!(in_department["total"], below);
    let (hidden_id, hidden_slug) = reported[1].clone();
    let hide = admin
        .call(
            "admin/product/act",
            json!({"id": hidden_id, "action": {"action": "hide", "reason": "Unsafe"}}),
        )
        .await;
    assert_eq!(hide.status, StatusCode::OK, "{}", hide.body);
    let hidden = body(
        &admin
            .call("admin/products", json!({"status": "hidden"}))
            .await
            .body,
    );
    assert_eq!(slugs(&hidden), [hidden_slug]);
    let wild = body(
        &admin
            .call("admin/products", json!({"q": "%", "status": "nonsense"}))
            .await
            .body,
    );
    assert_eq!(wild["total"], 0);
    let list = admin.get("/admin/products?status=hidden").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(r#"aria-current="page">Products</a>"#));

    // Ids: not one is a 400, an unknown one a 404; nothing changes.
    let garbage = admin
        .call(
            "admin/product/act",
            json!({"id": "x", "action": {"action": "dismiss"}}),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    let unknown = admin
        .call(
            "admin/product/act",
            json!({"id": Uuid::new_v4(), "action": {"action": "reinstate"}}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        admin
            .get(&format!("/admin/products/{}", Uuid::new_v4()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
