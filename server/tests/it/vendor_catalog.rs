//! A shop's catalog from the portal: products with options and variants, and stock, through
//! the real router, with another shop trying to reach all of it.

use super::people::{browser, member, user};
use super::shopping::body;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Two approved shops, an owner browser for each: (app, shop A, shop B).
pub async fn two_shops(pool: &PgPool) -> (TestApp, String, String) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let shops: Vec<String> = sqlx::query_scalar(
        "select v.slug from vendors v where v.status = 'approved'
         and (select count(*) from variants x join products p on p.id = x.product_id where p.vendor_id = v.id) >= 2
         order by v.slug limit 2",
    )
        .fetch_all(pool)
        .await
        .unwrap();
    for (shop, email) in shops.iter().zip(["a@example.com", "b@example.com"]) {
        let id = user(pool, email, false).await;
        member(pool, id, shop, "owner").await;
    }
    (app, shops[0].clone(), shops[1].clone())
}

pub fn mug(status: &str) -> Value {
    json!({
        "title": "Speckled Stoneware Mug",
        "description": "Holds 350 ml.\nDishwasher safe.",
        "category": "kitchen",
        "status": status,
        "base_price": "24.00",
        "options": [{"name": "Size", "values": "Small, Large"}, {"name": "Glaze", "values": "Sand,Moss"}],
        "variants": []
    })
}

pub async fn save(
    browser: &mut Browser<'_>,
    shop: &str,
    id: &str,
    input: &Value,
) -> super::support::TestResponse {
    browser
        .call(
            "vendor/product/save",
            json!({"vendor": shop, "id": id, "input": input}),
        )
        .await
}

pub async fn category(pool: &PgPool) -> String {
    sqlx::query_scalar("select slug from categories where parent_id is not null order by slug limit 1")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn options_make_variants_that_reach_the_storefront_and_search(pool: PgPool) {
    let (app, shop, other_shop) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let mut other = browser(&app, "b@example.com").await;
    let mut input = mug("draft");
    input["category"] = json!(category(&pool).await);

    // Bad input names its field and creates nothing.
    let products_before: i64 = sqlx::query_scalar("select count(*) from products")
        .fetch_one(&pool)
        .await
        .unwrap();
    for (field, value, expected) in [
        ("title", json!(""), "title"),
        ("category", json!("no-such-category"), "category"),
        ("status", json!("live"), "status"),
        ("base_price", json!("twelve"), "base_price"),
        (
            "options",
            json!([{"name": "Size", "values": "S, s"}]),
            "option.0.values",
        ),
    ] {
        let mut bad = input.clone();
        bad[field] = value;
        let answer = save(&mut owner, &shop, "", &bad).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{field}: {}", answer.body);
        assert!(answer.body.contains(expected), "{field}: {}", answer.body);
    }
    let count: i64 = sqlx::query_scalar("select count(*) from products")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, products_before);

    let created = save(&mut owner, &shop, "", &input).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = body(&created.body).as_str().unwrap().to_string();
    let editor = body(
        &owner
            .call("vendor/product", json!({"vendor": shop, "id": id}))
            .await
            .body,
    );
    let variants = editor["input"]["variants"].as_array().unwrap().clone();
    let keys: Vec<&str> = variants.iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        ["Small / Sand", "Small / Moss", "Large / Sand", "Large / Moss"]
    );
    assert!(
        variants
            .iter()
            .all(|v| v["price"] == "24.00" && v["stock"] == "0")
    );
    assert_eq!(variants[0]["sku"], "SPEC-STON-MUG-SMALL-SAND");
    let slug = editor["slug"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/p/{slug}")).await.status,
        StatusCode::NOT_FOUND,
        "drafts are not on sale"
    );

    // Another shop sees nothing of it and changes nothing.
    let peek = other
        .call("vendor/product", json!({"vendor": other_shop, "id": id}))
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    let wrong_shop = other
        .call("vendor/product", json!({"vendor": shop, "id": id}))
        .await;
    assert_eq!(wrong_shop.status, StatusCode::FORBIDDEN);
    let overwrite = save(&mut other, &other_shop, &id, &input).await;
    assert_eq!(overwrite.status, StatusCode::NOT_FOUND);

    // Prices, stock and SKUs per variant; active puts it on sale and in search.
    let mut edit = input.clone();
    edit["status"] = json!("active");
    edit["variants"] = json!([
        {"key": "Small / Sand", "sku": "MUG-S-SAND", "price": "22.00", "stock": "5"},
        {"key": "Small / Moss", "sku": "MUG-S-MOSS", "price": "22.00", "stock": "0"},
        {"key": "Large / Sand", "sku": "MUG-L-SAND", "price": "26.50", "stock": "3"},
        {"key": "Large / Moss", "sku": "MUG-L-MOSS", "price": "26.50", "stock": "2"}
    ]);
    let taken: String = sqlx::query_scalar("select sku from variants limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut clash = edit.clone();
    clash["variants"][2]["sku"] = json!(taken);
    let answer = save(&mut owner, &shop, &id, &clash).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("variant.2.sku") && answer.body.contains("another product"),
        "{}",
        answer.body
    );
    let mut twice = edit.clone();
    twice["variants"][1]["sku"] = json!("MUG-S-SAND");
    assert!(
        save(&mut owner, &shop, &id, &twice)
            .await
            .body
            .contains("used twice")
    );
    let mut negative = edit.clone();
    negative["variants"][3]["stock"] = json!("-2");
    assert!(
        save(&mut owner, &shop, &id, &negative)
            .await
            .body
            .contains("variant.3.stock")
    );
    assert_eq!(
        app.get(&format!("/p/{slug}")).await.status,
        StatusCode::NOT_FOUND,
        "nothing changed"
    );

    let saved = save(&mut owner, &shop, &id, &edit).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let page = app.get(&format!("/p/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Speckled Stoneware Mug") && page.body.contains("Moss"));
    let found = app.get("/search?q=speckled+stoneware").await;
    assert!(
        found.body.contains(&format!("/p/{slug}")),
        "search finds the new product"
    );
    let outbox: i64 = sqlx::query_scalar(
        "select count(*) from search_outbox o join products p on p.id = o.product_id where p.slug = $1",
    )
    .bind(&slug)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(outbox, 1, "an external engine learns of it too");

    // Dropping a value drops its variants; the others keep their SKUs and stock.
    let mut smaller = edit.clone();
    smaller["options"][1]["values"] = json!("Sand");
    assert_eq!(
        save(&mut owner, &shop, &id, &smaller).await.status,
        StatusCode::OK
    );
    let left: Vec<(String, i32)> = sqlx::query_as(
        "select v.sku, v.stock_on_hand from variants v join products p on p.id = v.product_id where p.slug = $1 order by v.position",
    )
    .bind(&slug)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        left,
        vec![("MUG-S-SAND".to_string(), 5), ("MUG-L-SAND".to_string(), 3)]
    );

    // The list, its search and status filter.
    let list = body(
        &owner
            .call(
                "vendor/products",
                json!({"vendor": shop, "q": "speckled", "status": "active"}),
            )
            .await
            .body,
    );
    assert_eq!(list["products"].as_array().unwrap().len(), 1);
    assert_eq!(list["products"][0]["variants"], 2);
    let none = body(
        &owner
            .call(
                "vendor/products",
                json!({"vendor": shop, "q": "speckled", "status": "draft"}),
            )
            .await
            .body,
    );
    assert_eq!(none["products"].as_array().unwrap().len(), 0);
    let hostile = owner
        .call(
            "vendor/products",
            json!({"vendor": shop, "q": "%_\\' or 1=1", "page": 99999}),
        )
        .await;
    assert_eq!(hostile.status, StatusCode::OK);

    // The editor's plain form creates a product too (no JavaScript).
    let form = owner
        .post_form(
            &format!("/vendor/{shop}/products/new"),
            &[
                ("_action", "product"),
                ("title", "Linen Tea Towel"),
                ("category", input["category"].as_str().unwrap()),
                ("status", "draft"),
                ("base_price", "9.50"),
                ("option.0.name", ""),
                ("option.0.values", ""),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.body);
    assert!(form.header("location").ends_with("?notice=product-saved"));
}

#[sqlx::test(migrations = "../migrations")]
async fn stock_is_edited_all_or_nothing_within_the_shop(pool: PgPool) {
    let (app, shop, other_shop) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let skus = |shop: &str| {
        let pool = pool.clone();
        let shop = shop.to_string();
        async move {
            sqlx::query_scalar::<_, String>(
                "select v.sku from variants v join products p on p.id = v.product_id join vendors s on s.id = p.vendor_id
                 where s.slug = $1 order by v.sku limit 2",
            )
            .bind(shop)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    let (mine, theirs) = (skus(&shop).await, skus(&other_shop).await);
    let stock = |sku: String| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i32>("select stock_on_hand from variants where sku = $1")
                .bind(sku)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = stock(theirs[0].clone()).await;
    let mixed = owner
        .call(
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": [[mine[0], "40"], [theirs[0], "0"]]}),
        )
        .await;
    assert_eq!(mixed.status, StatusCode::BAD_REQUEST);
    assert!(mixed.body.contains("not a variant of this shop"));
    assert_eq!(stock(theirs[0].clone()).await, before);
    assert_ne!(stock(mine[0].clone()).await, 40, "nothing changed");
    let bad = owner
        .call(
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": [[mine[0], "lots"]]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    sqlx::query("update variants set stock_on_hand = 10, stock_reserved = 4 where sku = $1")
        .bind(&mine[1])
        .execute(&pool)
        .await
        .unwrap();
    let below = owner
        .call(
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": [[mine[1], "3"]]}),
        )
        .await;
    assert!(below.body.contains("reserved"), "{}", below.body);
    let ok = owner
        .call(
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": [[mine[0], "40"], [mine[1], "4"]]}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(
        (stock(mine[0].clone()).await, stock(mine[1].clone()).await),
        (40, 4)
    );

    // The threshold decides what counts as low.
    assert_eq!(
        owner
            .call(
                "vendor/inventory/threshold",
                json!({"vendor": shop, "threshold": "-1"})
            )
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        owner
            .call(
                "vendor/inventory/threshold",
                json!({"vendor": shop, "threshold": "0"})
            )
            .await
            .status,
        StatusCode::OK
    );
    let low = body(
        &owner
            .call("vendor/inventory", json!({"vendor": shop, "low_only": true}))
            .await
            .body,
    );
    assert!(
        low["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["on_hand"].as_i64().unwrap() - r["reserved"].as_i64().unwrap() <= 0)
    );
    assert!(
        low["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["sku"] == json!(mine[1]))
    );
    // The inventory page's form (no JavaScript).
    let field = format!("stock.{}", mine[0]);
    let page = owner
        .post_form(
            &format!("/vendor/{shop}/inventory"),
            &[("_action", "stock"), (&field, "41")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(stock(mine[0].clone()).await, 41);
}
