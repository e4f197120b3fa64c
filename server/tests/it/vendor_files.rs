//! A shop's images through the real router: product images and the logo (checked, resized,
//! stored, described, ordered, refused when bad), with another shop trying to reach them. CSV
//! files are in `vendor_csv`.

use super::people::browser;
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
    assert!(huge.body.contains("larger than 10 MB"), "{}", huge.body);
    let tall = owner
        .post_multipart(&upload, &[], ("image", "tall.png", "image/png", &png(50, 500)))
        .await;
    assert_eq!(tall.header("location"), refused("image-too-tall"));
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

/// The product editor's data for product `id` of `shop`.
async fn editor(browser: &mut Browser<'_>, shop: &str, id: &str) -> Value {
    body(
        &browser
            .call("vendor/product", json!({"vendor": shop, "id": id}))
            .await
            .body,
    )
}
