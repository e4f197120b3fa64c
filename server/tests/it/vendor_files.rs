//! A shop's files through the real router: product images and the logo (checked, resized,
//! stored, refused when bad) and CSV export and import, with another shop trying to reach them.

use super::authorization::browser;
use super::shopping::body;
use super::support::{Browser, TestApp};
use super::vendor_catalog::{category, mug, save, two_shops};
use http::StatusCode;
use image::ImageEncoder;
use serde_json::{Value, json};
use sqlx::PgPool;

pub fn png(width: u32, height: u32) -> Vec<u8> {
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

    // A second image, described again and made the main one from the editor's plain forms;
    // another shop can do neither.
    let second = owner
        .post_multipart(&upload, &[], ("image", "side.png", "image/png", &png(600, 600)))
        .await;
    assert_eq!(second.header("location"), refused("image-added"));
    let listed = editor(&mut owner, &shop, &id).await;
    let ids: Vec<String> = (0..2)
        .map(|n| listed["images"][n]["id"].as_str().unwrap().to_string())
        .collect();
    let page = format!("/vendor/{shop}/products/{id}");
    for (action, field, value) in [
        ("image-alt", "alt", "The mug from the side"),
        ("image-move", "to", "earlier"),
    ] {
        let stolen = other
            .call(
                if action == "image-alt" {
                    "vendor/product/image_alt"
                } else {
                    "vendor/product/image_move"
                },
                json!({"vendor": other_shop, "image_id": ids[1], "alt": "mine", "earlier": true}),
            )
            .await;
        assert_eq!(stolen.status, StatusCode::NOT_FOUND, "{action}");
        let done = owner
            .post_form(
                &page,
                &[("_action", action), ("image_id", &ids[1]), (field, value)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    let too_long = owner
        .call(
            "vendor/product/image_alt",
            json!({"vendor": shop, "image_id": ids[0], "alt": "x".repeat(201)}),
        )
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    let listed = editor(&mut owner, &shop, &id).await;
    assert_eq!(
        listed["images"][0]["id"], ids[1],
        "the side view is the main image now"
    );
    assert_eq!(listed["images"][0]["alt"], "The mug from the side");
    assert_eq!(listed["images"][1]["alt"], "A sand-glazed mug", "unchanged");
    let first = owner
        .call(
            "vendor/product/image_move",
            json!({"vendor": shop, "image_id": ids[1], "earlier": true}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "already first: nothing moves");
    assert_eq!(editor(&mut owner, &shop, &id).await["images"][0]["id"], ids[1]);
    let remove = owner
        .call(
            "vendor/product/image_delete",
            json!({"vendor": shop, "image_id": ids[1]}),
        )
        .await;
    assert_eq!(remove.status, StatusCode::OK);
    assert_eq!((images().await, stored_files(&app)), (1, 3));

    // Removing the last: another shop can't; the owner can, and the files go too.
    let image_id = ids[0].clone();
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

/// The product editor's data for product `id` of `shop`.
async fn editor(browser: &mut Browser<'_>, shop: &str, id: &str) -> Value {
    body(
        &browser
            .call("vendor/product", json!({"vendor": shop, "id": id}))
            .await
            .body,
    )
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
    let location = answer.header("location");
    let id = location
        .split("report=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    // The page shows the report however often it is loaded (a script's upload follows the
    // redirect before the browser opens it).
    for _ in 0..2 {
        let page = browser.get(location).await;
        assert!(page.body.contains("products.csv"), "the report is shown");
    }
    let report = |id: &str| json!({"vendor": shop, "id": id});
    assert_eq!(
        body(&browser.call("vendor/import_report", report("other")).await.body),
        Value::Null,
        "only the upload's own report"
    );
    body(&browser.call("vendor/import_report", report(id)).await.body)
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
    // While it runs, the page asks how far it is by the token sent with the file.
    let token = uuid::Uuid::new_v4().to_string();
    let progress_url = format!("/vendor/{shop}/import/progress/{token}");
    let mut watcher = browser(&app, "a@example.com").await;
    let (upload, fields) = (
        format!("/vendor/{shop}/upload/csv"),
        [("progress_token", token.as_str())],
    );
    let started = std::time::Instant::now();
    let (answer, seen) = tokio::join!(
        owner.post_multipart(
            &upload,
            &fields,
            ("file", "products.csv", "text/csv", big.as_bytes())
        ),
        async {
            let mut seen = Vec::new();
            loop {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                let answer = watcher.get(&progress_url).await;
                let report = body(&answer.body);
                if answer.status == StatusCode::OK {
                    seen.push((
                        report["stage"].as_str().unwrap().to_string(),
                        report["done"].as_u64().unwrap(),
                    ));
                }
                if report["stage"] == "done" || report["stage"] == "failed" {
                    return seen;
                }
            }
        }
    );
    eprintln!("imported 10,000 rows in {:?}", started.elapsed());
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        seen.iter()
            .any(|(stage, done)| stage == "saving" && (1..2_500).contains(done)),
        "progress part-way through saving: {:?}",
        seen.iter()
            .step_by(seen.len().div_ceil(20).max(1))
            .collect::<Vec<_>>()
    );
    let last = body(&watcher.get(&progress_url).await.body);
    assert_eq!(last, json!({"stage": "done", "done": 2_500, "total": 2_500}));
    assert_eq!(
        other
            .get(&format!("/vendor/{other_shop}/import/progress/{token}"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "another shop can't ask for it"
    );
    assert_eq!(other.get(&progress_url).await.status, StatusCode::FORBIDDEN);
    let location = answer.header("location");
    let id = location
        .split("report=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let report = body(
        &owner
            .call("vendor/import_report", json!({"vendor": shop, "id": id}))
            .await
            .body,
    );
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
