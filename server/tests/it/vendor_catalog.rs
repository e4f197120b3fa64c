//! A shop's catalog from the portal: products with options and variants, stock, images and
//! CSV files, through the real router, with another shop trying to reach all of it.

use super::authorization::{browser, member, user};
use super::shopping::body;
use super::support::{Browser, TestApp};
use http::StatusCode;
use image::ImageEncoder;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Two approved shops, an owner browser for each: (app, shop A, shop B).
async fn two_shops(pool: &PgPool) -> (TestApp, String, String) {
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

fn mug(status: &str) -> Value {
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

async fn save(
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

async fn category(pool: &PgPool) -> String {
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

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            &vec![120u8; (width * height * 3) as usize],
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn stored_files(app: &TestApp) -> usize {
    let dir = app.state.http.media_dir.join("uploads");
    walk(&dir)
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 })
                .sum()
        })
        .unwrap_or(0)
}

#[sqlx::test(migrations = "../migrations")]
async fn images_are_resized_and_stored_and_bad_files_are_refused(pool: PgPool) {
    let (app, shop, other_shop) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let mut other = browser(&app, "b@example.com").await;
    let mut input = mug("active");
    input["category"] = json!(category(&pool).await);
    let id = body(&save(&mut owner, &shop, "", &input).await.body)
        .as_str()
        .unwrap()
        .to_string();
    let upload = format!("/vendor/{shop}/upload/image/{id}");
    let images = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from product_images where product_id = $1::uuid")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    let refused = |key: &str| format!("/vendor/{shop}/products/{id}?notice={key}");
    let pdf = owner
        .post_multipart(
            &upload,
            &[("alt", "x")],
            ("image", "menu.pdf", "application/pdf", b"%PDF-1.7\n..."),
        )
        .await;
    assert_eq!(pdf.header("location"), refused("image-not-image"));
    let mut bomb = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bomb)
        .write_image(
            &vec![0u8; 7_000 * 7_000],
            7_000,
            7_000,
            image::ExtendedColorType::L8,
        )
        .unwrap();
    let answer = owner
        .post_multipart(&upload, &[], ("image", "bomb.png", "image/png", &bomb))
        .await;
    assert_eq!(answer.header("location"), refused("image-too-many-pixels"));
    let huge = owner
        .post_multipart(
            &upload,
            &[],
            ("image", "huge.jpg", "image/jpeg", &vec![0xFFu8; 50 * 1024 * 1024]),
        )
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(huge.body.contains("too large"), "{}", huge.body);
    let eleven = owner
        .post_multipart(
            &upload,
            &[],
            ("image", "big.jpg", "image/jpeg", &vec![0xFFu8; 11 * 1024 * 1024]),
        )
        .await;
    assert_eq!(eleven.header("location"), refused("image-too-large"));
    assert_eq!((images().await, stored_files(&app)), (0, 0), "nothing stored");
    // Another shop can't add to it, through its own shop or this one.
    let theirs = other
        .post_multipart(
            &format!("/vendor/{other_shop}/upload/image/{id}"),
            &[],
            ("image", "a.png", "image/png", &png(50, 50)),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let here = other
        .post_multipart(&upload, &[], ("image", "a.png", "image/png", &png(50, 50)))
        .await;
    assert_eq!(here.status, StatusCode::FORBIDDEN);
    let anonymous = Browser::new(&app)
        .post_multipart(&upload, &[], ("image", "a.png", "image/png", &png(50, 50)))
        .await;
    assert!(anonymous.header("location").starts_with("/account/login"));
    assert_eq!((images().await, stored_files(&app)), (0, 0));

    let ok = owner
        .post_multipart(
            &upload,
            &[("alt", "A sand-glazed mug")],
            ("image", "mug.png", "image/png", &png(800, 600)),
        )
        .await;
    assert_eq!(ok.header("location"), refused("image-added"));
    assert_eq!(
        (images().await, stored_files(&app)),
        (1, 3),
        "one image, three widths"
    );
    let (key, width, height): (String, i32, i32) =
        sqlx::query_as("select key, width, height from product_images where product_id = $1::uuid")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((width, height), (960, 720));
    let served = app.get(&format!("/media/{key}-320.jpg")).await;
    assert_eq!(served.status, StatusCode::OK);
    let slug: String = sqlx::query_scalar("select slug from products where id = $1::uuid")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        app.get(&format!("/p/{slug}"))
            .await
            .body
            .contains("A sand-glazed mug")
    );

    // Removing it: another shop can't; the owner can, and the files go too.
    let editor = body(
        &owner
            .call("vendor/product", json!({"vendor": shop, "id": id}))
            .await
            .body,
    );
    let image_id = editor["images"][0]["id"].as_str().unwrap().to_string();
    let steal = other
        .call(
            "vendor/product/image_delete",
            json!({"vendor": other_shop, "image_id": image_id}),
        )
        .await;
    assert_eq!(steal.status, StatusCode::NOT_FOUND);
    let removed = owner
        .call(
            "vendor/product/image_delete",
            json!({"vendor": shop, "image_id": image_id}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!((images().await, stored_files(&app)), (0, 0));

    // The shop's logo: owners only, checked the same way, on the shop's page.
    let logo = format!("/vendor/{shop}/upload/logo");
    let not_image = owner
        .post_multipart(&logo, &[], ("logo", "logo.txt", "text/plain", b"hello"))
        .await;
    assert_eq!(
        not_image.header("location"),
        format!("/vendor/{shop}?notice=image-not-image")
    );
    let theirs = other
        .post_multipart(&logo, &[], ("logo", "logo.png", "image/png", &png(64, 64)))
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    let saved = owner
        .post_multipart(&logo, &[], ("logo", "logo.png", "image/png", &png(64, 64)))
        .await;
    assert_eq!(
        saved.header("location"),
        format!("/vendor/{shop}?notice=logo-saved")
    );
    let key: String = sqlx::query_scalar("select logo_key from vendors where slug = $1")
        .bind(&shop)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        app.get(&format!("/v/{shop}"))
            .await
            .body
            .contains(&format!("/media/{key}-320.jpg"))
    );
    let again = owner
        .post_multipart(&logo, &[], ("logo", "logo.png", "image/png", &png(80, 80)))
        .await;
    assert_eq!(
        again.header("location"),
        format!("/vendor/{shop}?notice=logo-saved")
    );
    let logos = walk(&app.state.http.media_dir.join("logos"));
    assert_eq!(logos, 3, "the old logo's files are gone");
}

/// (line, column) of every problem of an import report.
fn problems_of(report: &Value) -> Vec<(i64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn import(browser: &mut Browser<'_>, shop: &str, csv: &[u8]) -> Value {
    let answer = browser
        .post_multipart(
            &format!("/vendor/{shop}/upload/csv"),
            &[],
            ("file", "products.csv", "text/csv", csv),
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    body(
        &browser
            .call("vendor/import_report", json!({"vendor": shop}))
            .await
            .body,
    )
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_exports_and_imports_all_or_nothing(pool: PgPool) {
    let (app, shop, other_shop) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let mut other = browser(&app, "b@example.com").await;
    let snapshot = || async {
        sqlx::query_scalar::<_, String>(
            "select string_agg(p.slug || ':' || p.title || ':' || v.sku || ':' || v.price || ':' || v.stock_on_hand, ',' order by v.sku)
             from products p join variants v on v.product_id = p.id",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };

    let exported = owner.get(&format!("/vendor/{shop}/export/products.csv")).await;
    assert_eq!(exported.status, StatusCode::OK);
    assert!(exported.header("content-type").starts_with("text/csv"));
    assert!(
        exported
            .body
            .starts_with("handle,title,description,category,status,option1_name")
    );
    let theirs = other.get(&format!("/vendor/{shop}/export/products.csv")).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    assert!(!exported.body.contains(&other_shop));

    // The export imports back unchanged.
    let before = snapshot().await;
    let report = import(&mut owner, &shop, exported.body.as_bytes()).await;
    assert_eq!(report["errors"], json!([]), "{report}");
    assert_eq!(snapshot().await, before);

    let kitchen = category(&pool).await;
    let header = app_columns();
    let good = format!(
        "{header}\nlinen-apron,Linen Apron,Cross-back.,{kitchen},active,Colour,Natural,,,,,APRON-NAT,32.00,4\n\
         linen-apron,,,,,Colour,Charcoal,,,,,APRON-CHA,32.00,2\n"
    );
    // Every kind of problem, each on its line and column; nothing applied.
    let other_handle: String = sqlx::query_scalar(
        "select p.slug from products p join vendors v on v.id = p.vendor_id where v.slug = $1 limit 1",
    )
    .bind(&other_shop)
    .fetch_one(&pool)
    .await
    .unwrap();
    let bad = format!(
        "{good}bad handle,Thing,,{kitchen},active,,,,,,,OK-1,1.00,1\n\
         thing,Thing,,{kitchen},active,,,,,,,APRON-NAT,1.00,1\n\
         thing2,Thing,,{kitchen},active,,,,,,,OK-2,free,1\n\
         {other_handle},Mine now,,{kitchen},active,,,,,,,OK-3,1.00,1\n\
         short,row\n"
    );
    let report = import(&mut owner, &shop, bad.as_bytes()).await;
    let problems = problems_of(&report);
    assert_eq!(
        problems,
        vec![(8, String::new())],
        "a malformed row stops the reading: {report}"
    );
    let bad = bad.replace("short,row\n", "");
    let report = import(&mut owner, &shop, bad.as_bytes()).await;
    let problems = problems_of(&report);
    assert_eq!(
        problems,
        vec![
            (4, "handle".into()),
            (5, "sku".into()),
            (6, "price".into()),
            (7, "handle".into())
        ],
        "{report}"
    );
    assert_eq!(snapshot().await, before, "nothing applied");
    let latin1 = [
        header.as_bytes(),
        b"\nmug,Caf\xE9 Mug,,x,active,,,,,,,M-1,1.00,1\n",
    ]
    .concat();
    let report = import(&mut owner, &shop, &latin1).await;
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("UTF-8"));

    let report = import(&mut owner, &shop, good.as_bytes()).await;
    assert_eq!(report["errors"], json!([]), "{report}");
    assert_eq!(
        (report["rows"].as_i64(), report["products"].as_i64()),
        (Some(2), Some(1))
    );
    let apron: (String, i64) = sqlx::query_as(
        "select p.status, count(v.*) from products p join variants v on v.product_id = p.id where p.slug = 'linen-apron' group by p.status",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(apron, ("active".to_string(), 2));

    // 10,000 rows: 2,500 products of four variants each, checked and applied in one go.
    let mut big = header.clone();
    for p in 0..2_500 {
        for (size, colour) in [("S", "Red"), ("S", "Blue"), ("L", "Red"), ("L", "Blue")] {
            big.push_str(&format!(
                "\nbulk-{p},Bulk Item {p},,{kitchen},draft,Size,{size},Colour,{colour},,,BULK-{p}-{size}-{colour},5.00,10"
            ));
        }
    }
    let started = std::time::Instant::now();
    let report = import(&mut owner, &shop, big.as_bytes()).await;
    eprintln!("imported 10,000 rows in {:?}", started.elapsed());
    assert_eq!(report["errors"], json!([]));
    assert_eq!(report["rows"], 10_000);
    let bulk: i64 = sqlx::query_scalar("select count(*) from variants where sku like 'BULK-%'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(bulk, 10_000);
    // The import page's form posts the same way without JavaScript; the page shows the report.
    let page = owner.get(&format!("/vendor/{shop}/import")).await;
    assert_eq!(page.status, StatusCode::OK);
}

fn app_columns() -> String {
    server::catalog_csv::COLUMNS.join(",")
}
