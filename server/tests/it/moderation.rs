//! Catalogue moderation through the real router: shoppers report products (signed in, once
//! per product while open, every field checked at once); operators hide one (off the
//! storefront, search and carts; the shop reads why in its portal and by mail, and its own
//! saves can't list it again) and reinstate it as the shop listed it, each in the audit log.
//! Report limits, dismissals and the console's filters: `moderation_reports.rs`.

use super::admin_people::operator;
use super::people::{browser, member, user};
use super::shopping::body;
use super::support::TestApp;
use super::vendors::mails_to;
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

/// The `n`th product on sale: (id, slug, title, SKU, shop's slug).
pub async fn on_sale(pool: &PgPool, n: i64) -> (Uuid, String, String, String, String) {
    sqlx::query_as(
        "select p.id, p.slug, p.title, (select sku from variants where product_id = p.id order by position limit 1), v.slug
         from products p join vendors v on v.id = p.vendor_id
         where p.status = 'active' and v.status = 'approved' and p.price_min is not null
         order by p.slug offset $1 limit 1",
    )
    .bind(n)
    .fetch_one(pool)
    .await
    .unwrap()
}

pub async fn standing(pool: &PgPool, id: Uuid) -> (String, Option<String>, String) {
    sqlx::query_as("select status, listed_status, hidden_reason from products where id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn audit(pool: &PgPool, product: Uuid) -> Vec<(String, Option<Uuid>, Option<Uuid>)> {
    sqlx::query_as(
        "select action, actor_id, vendor_id from audit_log
         where subject_kind = 'product' and subject_id = $1 order by id",
    )
    .bind(product.to_string())
    .fetch_all(pool)
    .await
    .unwrap()
}

pub fn slugs(list: &Value) -> Vec<String> {
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["slug"].as_str().unwrap().to_string())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reported_product_is_hidden_everywhere_and_reinstated_as_the_shop_listed_it(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 20).await;
    let (id, slug, title, sku, shop) = on_sale(&pool, 0).await;
    let owner = user(&pool, "owner@example.com", false).await;
    member(&pool, owner, &shop, "owner").await;
    let mut seller = browser(&app, "owner@example.com").await;
    user(&pool, "rosa@example.com", false).await;
    let mut rosa = browser(&app, "rosa@example.com").await;
    let reports = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from product_reports")
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    // Reporting is for signed-in shoppers; the page sends a visitor to sign in first.
    let anonymous = app
        .call("catalog/report", json!({"slug": slug, "reason": "counterfeit"}))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let page = app.get(&format!("/p/{slug}/report")).await;
    assert!(
        page.header("location").starts_with("/account/login?next="),
        "{}",
        page.status
    );
    assert!(
        app.get(&format!("/p/{slug}"))
            .await
            .body
            .contains(&format!("/p/{slug}/report"))
    );

    // Every bad field at once, and nothing filed.
    let long = "x".repeat(1_001);
    let bad = rosa
        .call(
            "catalog/report",
            json!({"slug": slug, "reason": "boring", "note": long}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(
        bad.body.contains("reason") && bad.body.contains("note"),
        "{}",
        bad.body
    );
    let unsaid = rosa
        .call(
            "catalog/report",
            json!({"slug": slug, "reason": "other", "note": "  "}),
        )
        .await;
    assert_eq!(unsaid.status, StatusCode::BAD_REQUEST, "{}", unsaid.body);
    assert_eq!(reports().await, 0);

    // Filed from the page without JavaScript, once.
    let filed = rosa
        .post_form(
            &format!("/p/{slug}/report"),
            &[
                ("_action", "report"),
                ("reason", "counterfeit"),
                ("note", "The <b>logo</b> is wrong"),
            ],
        )
        .await;
    assert_eq!(
        filed.header("location"),
        format!("/p/{slug}/report?notice=product-reported"),
        "{}",
        filed.body
    );
    let again = rosa
        .call("catalog/report", json!({"slug": slug, "reason": "misleading"}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(reports().await, 1);
    assert!(
        rosa.get(&format!("/p/{slug}/report"))
            .await
            .body
            .contains("You have reported this product")
    );

    // The console: the overview's alert, the reported filter, the product's page.
    let (ops, mut admin) = operator(&app, "ops@example.com").await;
    let overview = body(&admin.call("admin/overview", json!({})).await.body);
    assert_eq!(overview["products_reported"], 1);
    let reported = body(&admin.call("admin/products", json!({"reported": true})).await.body);
    assert_eq!(slugs(&reported), [slug.as_str()]);
    let by_sku = body(&admin.call("admin/products", json!({"q": sku})).await.body);
    assert_eq!(slugs(&by_sku), [slug.as_str()]);
    let detail = admin.get(&format!("/admin/products/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(
        detail.body.contains("The &lt;b&gt;logo&lt;/b&gt; is wrong"),
        "the note is text"
    );

    // Hiding needs a reason; then the product is gone from the storefront, search and carts.
    let unexplained = admin
        .call(
            "admin/product/act",
            json!({"id": id, "action": {"action": "hide", "reason": " "}}),
        )
        .await;
    assert_eq!(unexplained.status, StatusCode::BAD_REQUEST);
    assert_eq!(standing(&pool, id).await.0, "active");
    let search = format!(
        "/search?{}",
        serde_urlencoded::to_string([("q", &title)]).unwrap()
    );
    let link = format!("href=\"/p/{slug}\"");
    assert!(app.get(&search).await.body.contains(&link));
    let hidden = admin
        .post_form(
            &format!("/admin/products/{id}"),
            &[("_action", "hide"), ("reason", "Counterfeit <b>logo</b>")],
        )
        .await;
    assert_eq!(
        hidden.header("location"),
        format!("/admin/products/{id}?notice=product-hidden"),
        "{}",
        hidden.body
    );
    assert_eq!(app.get(&format!("/p/{slug}")).await.status, StatusCode::NOT_FOUND);
    assert!(!app.get(&search).await.body.contains(&link));
    let cart = rosa.call("cart/add", json!({"sku": sku, "quantity": 1})).await;
    assert_eq!(cart.status, StatusCode::CONFLICT, "{}", cart.body);
    let closed: Vec<String> = sqlx::query_scalar("select outcome from product_reports")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(closed, ["hidden"]);
    let late = rosa
        .call("catalog/report", json!({"slug": slug, "reason": "misleading"}))
        .await;
    assert_eq!(
        late.status,
        StatusCode::NOT_FOUND,
        "a hidden product can't be reported"
    );

    // The shop's activity log has it, by "the marketplace team": no operator's email or address.
    let activity = seller.get(&format!("/vendor/{shop}/activity")).await;
    assert_eq!(activity.status, StatusCode::OK);
    assert!(activity.body.contains("Product hidden") && activity.body.contains("The marketplace team"));
    assert!(
        !activity.body.contains("ops@example.com"),
        "operators stay unnamed"
    );
    // The shop reads why (as text) and keeps editing; its save to "active" waits.
    assert!(
        mails_to(&pool, "owner@example.com")
            .await
            .iter()
            .any(|s| s.contains("is hidden"))
    );
    let portal = seller.get(&format!("/vendor/{shop}/products/{id}")).await;
    assert!(
        portal.body.contains("Counterfeit &lt;b&gt;logo&lt;/b&gt;"),
        "the reason, as text"
    );
    let editor = body(
        &seller
            .call("vendor/product", json!({"vendor": shop, "id": id}))
            .await
            .body,
    );
    assert_eq!(editor["input"]["status"], "active");
    let mut input = editor["input"].clone();
    input["title"] = json!("Renamed while hidden");
    let saved = seller
        .call(
            "vendor/product/save",
            json!({"vendor": shop, "id": id, "input": input}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        standing(&pool, id).await,
        (
            "hidden".into(),
            Some("active".into()),
            "Counterfeit <b>logo</b>".into()
        )
    );
    assert_eq!(app.get(&format!("/p/{slug}")).await.status, StatusCode::NOT_FOUND);
    // Nor can the shop list it with SQL of its own making: the database keeps it hidden.
    sqlx::query("update products set status = 'active' where id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(standing(&pool, id).await.0, "hidden");

    // Reinstated as the shop listed it; once.
    let act = |action: &str| json!({"id": id, "action": {"action": action}});
    let back = admin.call("admin/product/act", act("reinstate")).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(standing(&pool, id).await, ("active".into(), None, String::new()));
    assert_eq!(app.get(&format!("/p/{slug}")).await.status, StatusCode::OK);
    assert!(
        mails_to(&pool, "owner@example.com")
            .await
            .iter()
            .any(|s| s.contains("no longer hidden"))
    );
    let twice = admin.call("admin/product/act", act("reinstate")).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    let vendor: Uuid = sqlx::query_scalar("select vendor_id from products where id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        audit(&pool, id).await,
        [
            ("product.hide".to_string(), Some(ops), Some(vendor)),
            // The shop's own save while hidden is in its part of the log too.
            ("product.save".to_string(), Some(owner), Some(vendor)),
            ("product.reinstate".to_string(), Some(ops), Some(vendor)),
        ]
    );
}
