//! Forms tell everything at once: every bad field in one answer with a summary linked to the
//! fields; the country decides what an address must look like; a declined attempt is not an
//! order in the shopper's history.

use super::accounts::signed_in;
use super::people::browser;
use super::shopping::*;
use super::support::{Browser, TestApp};
use super::vendor_catalog::{category, mug, save, two_shops};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_checkout_names_every_bad_field_at_once_and_saves_nothing(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 5).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 1).await;
    let answer = guest
        .post_form(
            "/checkout",
            &[
                ("_action", "details"),
                ("email", "not-an-email"),
                ("address_id", "new"),
                ("country", "US"),
                ("full_name", ""),
                ("line1", "1 Main Street"),
                ("city", "Los Angeles"),
                ("region", "California"),
                ("postal_code", "1000"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    let page = &answer.body;
    assert!(page.contains("There are problems with 3 fields."), "{page}");
    for field in ["email", "full_name", "postal_code"] {
        assert!(
            page.contains(&format!(r##"href="#details-{field}""##)),
            "{field} is linked: {page}"
        );
        assert!(
            page.contains(&format!(r#"id="details-{field}-error""#)),
            "{field} has its error"
        );
    }
    assert!(page.contains("Enter a ZIP code like 90001 or 90001-1234 for United States."));
    assert!(page.contains(r#"class="error-summary""#) && page.contains("autofocus"));
    // What was typed comes back, and nothing was kept: the review still sends back here.
    assert!(page.contains(r#"value="1 Main Street""#));
    let review = guest.get("/checkout/review").await;
    assert_eq!(review.header("location"), "/checkout");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_address_is_checked_and_written_the_way_its_country_does(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let mut shopper = signed_in(&app, "uk@example.com").await;
    let british = json!({"full_name": "Ada", "line1": "10 Downing Street", "city": "London",
        "postal_code": "sw1a2aa", "country": "gb"});
    let saved = shopper
        .call("account/address_save", json!({"id": "", "address": british}))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let (postal, country): (String, String) =
        sqlx::query_as("select postal_code, country from addresses where line1 = '10 Downing Street'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((postal.as_str(), country.as_str()), ("SW1A 2AA", "GB"));
    let page = shopper.get("/account/addresses").await.body;
    assert!(page.contains("London<br>SW1A 2AA<br>United Kingdom"), "{page}");

    // A US address needs a state; a country we don't ship to is refused by name.
    for (change, field) in [
        (
            json!({"country": "US", "postal_code": "90001", "region": ""}),
            "region",
        ),
        (
            json!({"country": "US", "postal_code": "90001", "region": "Narnia"}),
            "region",
        ),
        (json!({"country": "XX"}), "country"),
        (json!({"country": "DE", "postal_code": "SW1A 2AA"}), "postal_code"),
    ] {
        let mut input = british.clone();
        for (key, value) in change.as_object().unwrap() {
            input[key] = value.clone();
        }
        let refused = shopper
            .call("account/address_save", json!({"id": "", "address": input}))
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{change}");
        assert!(
            refused.body.contains(&format!("\"field\":\"{field}\"")),
            "{change}: {}",
            refused.body
        );
    }
    let count: i64 = sqlx::query_scalar("select count(*) from addresses")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_product_form_and_the_inventory_report_every_bad_field(pool: PgPool) {
    let (app, shop, _) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let mut bad = mug("draft");
    bad["category"] = json!("no-such-category");
    bad["base_price"] = json!("twelve");
    bad["title"] = json!("");
    let answer = save(&mut owner, &shop, "", &bad).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    for field in ["title", "category", "base_price"] {
        assert!(
            answer.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            answer.body
        );
    }

    let mut good = mug("active");
    good["category"] = json!(category(&pool).await);
    assert_eq!(save(&mut owner, &shop, "", &good).await.status, StatusCode::OK);
    let skus: Vec<String> = sqlx::query_scalar(
        "select v.sku from variants v join products p on p.id = v.product_id
         where p.title = 'Speckled Stoneware Mug' order by v.sku",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let changes = json!([[skus[0], "7"], [skus[1], "-1"], [skus[2], "lots"], [skus[3], "4"]]);
    let answer = owner
        .call(
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": changes}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    for sku in [&skus[1], &skus[2]] {
        assert!(
            answer.body.contains(&format!("\"field\":\"stock.{sku}\"")),
            "{sku}: {}",
            answer.body
        );
    }
    let on_hand: i64 =
        sqlx::query_scalar("select sum(stock_on_hand)::bigint from variants where sku = any($1)")
            .bind(&skus)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(on_hand, 0, "one bad row changes nothing");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_declined_attempt_is_not_an_order_in_the_history(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 5).await;
    let mut shopper = signed_in(&app, "twice@example.com").await;
    add(&mut shopper, &sku, 1).await;
    details(&mut shopper, "twice@example.com").await;
    let declined = place(&mut shopper, &key()).await;
    assert_eq!(pay(&mut shopper, declined, false).await, "payment_failed");
    let page = shopper.get("/checkout/review?notice=declined").await.body;
    assert!(
        page.contains(r#"<p role="alert" class="notice problem">Your payment was declined"#),
        "a decline is an error: {page}"
    );
    let paid = place(&mut shopper, &key()).await;
    assert_eq!(pay(&mut shopper, paid, true).await, "paid");
    let history = body(&shopper.call("orders/history", json!({})).await.body);
    let numbers: Vec<i64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [paid]);
}
