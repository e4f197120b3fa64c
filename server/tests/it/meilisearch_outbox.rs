//! The outbox path on a real Meilisearch: a shop creates, edits, re-prices, restocks, hides,
//! brings back and deletes products and variants through the portal's own server functions,
//! an operator hides and reinstates a product, an admin suspends the shop, the sync job runs, and what Meilisearch returns is asserted
//! (its filters and counts, not PostgreSQL's: a search answered by PostgreSQL fails the test).

use super::meili::{MeiliApp, server};
use super::people::{browser, member, user};
use super::search_suite::search;
use super::shopping::body;
use super::support::Browser;
use super::vendor_catalog::{category, mug, save};
use super::vendors::{admin, vendor_id};
use app::catalog::query::{ListingQuery, Sort};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Runs the sync job's step until the outbox is empty.
async fn sync(app: &MeiliApp) {
    let state = &app.state.app;
    state.search.sync_outbox(&state.pool, 100).await.unwrap();
    let pending: i64 = sqlx::query_scalar("select count(*) from search_outbox")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(pending, 0, "the sync applied every change");
}

/// Slugs Meilisearch lists for `q` narrowed by `narrow`.
async fn found(app: &MeiliApp, q: &str, narrow: impl FnOnce(&mut ListingQuery)) -> Vec<String> {
    let mut query = ListingQuery {
        q: q.into(),
        sort: Sort::Relevance,
        page: 1,
        per_page: 48,
        ..ListingQuery::default()
    };
    narrow(&mut query);
    let found = search(app, &query).await;
    // Meilisearch's total: a product it still holds but PostgreSQL no longer lists shows here.
    assert_eq!(
        found.listing.total as usize,
        found.listing.items.len(),
        "{q:?}: Meilisearch counts products the page does not list"
    );
    found.listing.items.into_iter().map(|c| c.slug).collect()
}

/// How many of the shop's products Meilisearch lists.
async fn shop_products(app: &MeiliApp, shop: &str) -> usize {
    let shop = shop.to_string();
    found(app, "", |q| q.vendors = vec![shop]).await.len()
}

async fn saved(owner: &mut Browser<'_>, shop: &str, id: &str, input: &Value) {
    let answer = save(owner, shop, id, input).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn portal_changes_reach_meilisearch_through_the_outbox(pool: PgPool) {
    let Some(meili) = server("portal_changes_reach_meilisearch_through_the_outbox") else {
        return;
    };
    let app = meili.app(pool.clone(), 40).await;
    let shop: String =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let mut owner = browser(&app, "owner@example.com").await;
    let none = |_: &mut ListingQuery| {};

    // Created on sale, out of stock, at 24.00.
    let mut input = mug("active");
    input["category"] = json!(category(&pool).await);
    let created = save(&mut owner, &shop, "", &input).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = body(&created.body).as_str().unwrap().to_string();
    let slug: String = sqlx::query_scalar("select slug from products where id = $1::uuid")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(found(&app, "speckled stoneware", none).await.is_empty());
    sync(&app).await;
    assert_eq!(found(&app, "speckled stoneware", none).await, [slug.as_str()]);
    assert_eq!(found(&app, "moss", none).await, [slug.as_str()], "option values");
    let in_stock = |q: &mut ListingQuery| q.in_stock = true;
    assert!(found(&app, "speckled", in_stock).await.is_empty());

    // Renamed: found by the new name only.
    input["title"] = json!("Glazed Quetzal Mug");
    saved(&mut owner, &shop, &id, &input).await;
    sync(&app).await;
    assert_eq!(found(&app, "quetzal", none).await, [slug.as_str()]);
    assert!(found(&app, "speckled", none).await.is_empty());

    // Restocked: in stock.
    let skus: Vec<String> =
        sqlx::query_scalar("select sku from variants where product_id = $1::uuid order by sku")
            .bind(&id)
            .fetch_all(&pool)
            .await
            .unwrap();
    let restock = owner
        .call(
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": [[skus[0], "7"]]}),
        )
        .await;
    assert_eq!(restock.status, StatusCode::OK, "{}", restock.body);
    sync(&app).await;
    assert_eq!(found(&app, "quetzal", in_stock).await, [slug.as_str()]);

    // Re-priced: its variants at 250.00 reach the 200-and-up filter, and leave the 24.00 one.
    let editor = body(
        &owner
            .call("vendor/product", json!({"vendor": shop, "id": id}))
            .await
            .body,
    );
    let mut variants = editor["input"]["variants"].as_array().unwrap().clone();
    for variant in &mut variants {
        variant["price"] = json!("250.00");
    }
    input["variants"] = json!(variants);
    saved(&mut owner, &shop, &id, &input).await;
    let (low, high) = (
        |q: &mut ListingQuery| q.max_price = Some(25),
        |q: &mut ListingQuery| q.min_price = Some(200),
    );
    assert_eq!(
        found(&app, "quetzal", low).await,
        [slug.as_str()],
        "before the sync"
    );
    sync(&app).await;
    assert!(found(&app, "quetzal", low).await.is_empty());
    assert_eq!(found(&app, "quetzal", high).await, [slug.as_str()]);

    // A variant's option value removed (its variants deleted) and another added.
    input["options"] =
        json!([{"name": "Size", "values": "Small, Large"}, {"name": "Glaze", "values": "Sand, Ultramarine"}]);
    input["variants"] = json!([]);
    saved(&mut owner, &shop, &id, &input).await;
    sync(&app).await;
    assert!(!found(&app, "moss", none).await.contains(&slug));
    assert_eq!(found(&app, "ultramarine", none).await, [slug.as_str()]);

    // Hidden as a draft, then back on sale.
    input["status"] = json!("draft");
    saved(&mut owner, &shop, &id, &input).await;
    sync(&app).await;
    assert!(found(&app, "quetzal", none).await.is_empty());
    input["status"] = json!("active");
    saved(&mut owner, &shop, &id, &input).await;
    sync(&app).await;
    assert_eq!(found(&app, "quetzal", none).await, [slug.as_str()]);

    // Hidden by an operator: gone, and the shop's own save can't bring it back; reinstated,
    // it is found again.
    let mut staff = admin(&app, "staff@example.com").await;
    let moderate = |action: Value| json!({"id": id, "action": action});
    let hidden = staff
        .call(
            "admin/product/act",
            moderate(json!({"action": "hide", "reason": "Counterfeit"})),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.body);
    sync(&app).await;
    assert!(found(&app, "quetzal", none).await.is_empty());
    saved(&mut owner, &shop, &id, &input).await;
    sync(&app).await;
    assert!(found(&app, "quetzal", none).await.is_empty());
    let back = staff
        .call("admin/product/act", moderate(json!({"action": "reinstate"})))
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    sync(&app).await;
    assert_eq!(found(&app, "quetzal", none).await, [slug.as_str()]);

    // The shop suspended: none of its products is found; reinstated: all are again.
    let listed = shop_products(&app, &shop).await;
    assert!(listed > 1);
    let vendor = vendor_id(&pool, &shop).await;
    let decide = |decision: &str| json!({"vendor_id": vendor, "decision": decision, "reason": "Checked"});
    let suspended = staff.call("admin/vendors/decide", decide("suspend")).await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.body);
    sync(&app).await;
    assert_eq!(shop_products(&app, &shop).await, 0);
    let reinstated = staff.call("admin/vendors/decide", decide("reinstate")).await;
    assert_eq!(reinstated.status, StatusCode::OK, "{}", reinstated.body);
    sync(&app).await;
    assert_eq!(shop_products(&app, &shop).await, listed);

    // Deleted (archived): gone from the index.
    input["status"] = json!("archived");
    saved(&mut owner, &shop, &id, &input).await;
    sync(&app).await;
    assert!(found(&app, "quetzal", none).await.is_empty());
    assert_eq!(shop_products(&app, &shop).await, listed - 1);
}
