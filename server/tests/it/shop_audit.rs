//! A shop's own changes in the audit log, through the real router: products saved (as they
//! were and as they are), stock set (each SKU's old and new count), the low-stock threshold,
//! invitations sent and withdrawn — each by its member and address, read back by the shop's
//! owners on its activity page and by nobody else's shop.

use super::people::browser;
use super::shopping::body;
use super::support::TestApp;
use super::vendor_catalog::{category, mug, save, two_shops};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

async fn log_of(pool: &PgPool, shop: &str) -> Vec<(String, Option<Value>, Option<Value>, String)> {
    sqlx::query_as(
        "select l.action, l.before, l.after, coalesce(u.email::text, '') from audit_log l
         join vendors v on v.id = l.vendor_id left join users u on u.id = l.actor_id
         where v.slug = $1 order by l.id",
    )
    .bind(shop)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shops_changes_to_products_stock_and_people_are_logged(pool: PgPool) {
    let (app, shop, other_shop): (TestApp, String, String) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let mut input = mug("active");
    input["category"] = json!(category(&pool).await);
    let created = save(&mut owner, &shop, "", &input).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = body(&created.body).as_str().unwrap().to_string();
    input["title"] = json!("Speckled Mug");
    let edited = save(&mut owner, &shop, &id, &input).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    // Saved again unchanged: nothing to log.
    assert_eq!(save(&mut owner, &shop, &id, &input).await.status, StatusCode::OK);

    let sku: String = sqlx::query_scalar(
        "select x.sku from variants x join products p on p.id = x.product_id where p.id = $1::uuid order by x.sku limit 1",
    )
    .bind(&id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let set = owner
        .call(
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": [[sku, "17"]]}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let threshold = owner
        .call(
            "vendor/inventory/threshold",
            json!({"vendor": shop, "threshold": "9"}),
        )
        .await;
    assert_eq!(threshold.status, StatusCode::OK, "{}", threshold.body);
    let invited = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "helper@example.com", "role": "staff"}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let invite: uuid::Uuid =
        sqlx::query_scalar("select id from vendor_invites where email = 'helper@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let revoked = owner
        .call(
            "vendor/staff/revoke",
            json!({"vendor": shop, "invite_id": invite.to_string()}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);

    let log = log_of(&pool, &shop).await;
    let actions: Vec<&str> = log.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(
        actions,
        [
            "product.save",
            "product.save",
            "stock.set",
            "shop.low_stock_threshold",
            "staff.invite",
            "staff.revoke_invite"
        ]
    );
    assert!(log.iter().all(|l| l.3 == "a@example.com"), "{log:?}");
    assert_eq!(log[0].1, None, "a new product has no before");
    assert_eq!(log[0].2.as_ref().unwrap()["title"], "Speckled Stoneware Mug");
    assert_eq!(log[1].1.as_ref().unwrap()["title"], "Speckled Stoneware Mug");
    assert_eq!(log[1].2.as_ref().unwrap()["title"], "Speckled Mug");
    assert_eq!(log[2].2.as_ref().unwrap()[&sku], 17);
    assert!(log[2].1.as_ref().unwrap()[&sku].is_number());
    assert_eq!(log[4].2.as_ref().unwrap()["email"], "helper@example.com");

    // The owners read it on the activity page; the other shop's log has none of it.
    let activity = owner.get(&format!("/vendor/{shop}/activity")).await.body;
    assert!(
        activity.contains("Stock changed") && activity.contains("Invitation withdrawn"),
        "{activity}"
    );
    assert!(log_of(&pool, &other_shop).await.is_empty());
    let mut other = browser(&app, "b@example.com").await;
    let theirs = body(
        &other
            .call("vendor/activity", json!({"vendor": other_shop}))
            .await
            .body,
    );
    assert_eq!(
        theirs["log"]["rows"].as_array().map(Vec::len),
        Some(0),
        "{theirs}"
    );
}
