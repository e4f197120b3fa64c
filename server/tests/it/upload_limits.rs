//! The upload routes' body limits through the real router: an image or logo file up to 10 MB
//! and a CSV file up to 20 MB reach their own checks; a larger one is refused with 413 and a
//! message naming its limit, whether its length is declared or not.

use super::people::browser;
use super::shopping::body;
use super::support::{Browser, SITE};
use super::vendor_catalog::two_shops;
use axum::body::Body;
use http::{Request, StatusCode, header};
use serde_json::json;
use sqlx::PgPool;

const MB: f64 = 1024.0 * 1024.0;

/// `megabytes` of bytes that are no image and no CSV.
fn filler(megabytes: f64) -> Vec<u8> {
    vec![b'x'; (megabytes * MB) as usize]
}

/// Posts `file` as field `field` of a multipart form sent in chunks, without a declared length.
async fn post_chunked(
    browser: &mut Browser<'_>,
    uri: &str,
    field: &str,
    file: &[u8],
) -> super::support::TestResponse {
    let boundary = "----chunked-boundary";
    let mut bytes =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"f\"\r\n\r\n")
            .into_bytes();
    bytes.extend_from_slice(file);
    bytes.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(256 * 1024).map(|c| Ok(c.to_vec())).collect();
    browser
        .send(
            Request::post(uri)
                .header(header::ORIGIN, SITE)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from_stream(futures::stream::iter(chunks)))
                .unwrap(),
        )
        .await
}

#[sqlx::test(migrations = "../migrations")]
async fn image_and_logo_files_up_to_10_mb_get_through_larger_ones_get_413(pool: PgPool) {
    let (app, shop, _) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let product: String = sqlx::query_scalar(
        "select p.id::text from products p join vendors v on v.id = p.vendor_id where v.slug = $1 limit 1",
    )
    .bind(&shop)
    .fetch_one(&pool)
    .await
    .unwrap();
    let images = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from product_images")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = images().await;
    let doors = [
        (
            format!("/vendor/{shop}/upload/image/{product}"),
            "image",
            format!("/vendor/{shop}/products/{product}?notice=image-not-image"),
        ),
        (
            format!("/vendor/{shop}/upload/logo"),
            "logo",
            format!("/vendor/{shop}?notice=image-not-image"),
        ),
    ];
    for (upload, field, not_an_image) in &doors {
        // Under the limit, the file is looked at (and refused for what it is, not its size).
        for size in [9.5, 10.0] {
            let fits = owner
                .post_multipart(
                    upload,
                    &[("alt", "x")],
                    (field, "big.jpg", "image/jpeg", &filler(size)),
                )
                .await;
            assert_eq!(fits.status, StatusCode::SEE_OTHER, "{size} MB: {}", fits.body);
            assert_eq!(fits.header("location"), not_an_image, "{size} MB");
        }
        let over = owner
            .post_multipart(upload, &[], (field, "big.jpg", "image/jpeg", &filler(11.0)))
            .await;
        assert_eq!(over.status, StatusCode::PAYLOAD_TOO_LARGE, "{upload}");
        assert!(over.body.contains("larger than 10 MB"), "{}", over.body);
        // A file just over 10 MB in a body inside the limit: refused all the same.
        let just_over = owner
            .post_multipart(
                upload,
                &[],
                (field, "big.jpg", "image/jpeg", &filler(10.0 + 1.0 / 1024.0)),
            )
            .await;
        assert_eq!(just_over.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(just_over.body.contains("larger than 10 MB"), "{}", just_over.body);
        // Sent without a declared length, it is read up to the limit and refused there.
        let chunked = post_chunked(&mut owner, upload, field, &filler(11.0)).await;
        assert_eq!(chunked.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", chunked.body);
        assert!(chunked.body.contains("larger than 10 MB"), "{}", chunked.body);
        let small = post_chunked(&mut owner, upload, field, &filler(3.0)).await;
        assert_eq!(small.header("location"), not_an_image, "{}", small.body);
    }
    assert_eq!(images().await, before, "nothing stored");
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_files_up_to_20_mb_get_through_larger_ones_get_413(pool: PgPool) {
    let (app, shop, _) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let upload = format!("/vendor/{shop}/upload/csv");
    // 19 MB: read and checked (a header and one row whose price is no price).
    let header = app::vendors::catalog_csv::COLUMNS.join(",");
    let mut csv = format!("{header}\nbig,Big,").into_bytes();
    let row_end = b",kitchen,draft,,,,,,,BIG-1,free,1\n";
    csv.resize(19 * 1024 * 1024 - row_end.len(), b'x');
    csv.extend_from_slice(row_end);
    let fits = owner
        .post_multipart(&upload, &[], ("file", "big.csv", "text/csv", &csv))
        .await;
    assert_eq!(fits.status, StatusCode::SEE_OTHER, "{}", fits.body);
    let id = fits.header("location").split("report=").nth(1).unwrap();
    let report = body(
        &owner
            .call("vendor/import_report", json!({"vendor": shop, "id": id}))
            .await
            .body,
    );
    assert_eq!(report["file_name"], "big.csv");
    assert_eq!(report["errors"][0]["line"], 2, "{}", report["errors"]);
    assert_eq!(report["errors"][0]["column"], "price");

    let over = owner
        .post_multipart(&upload, &[], ("file", "big.csv", "text/csv", &filler(21.0)))
        .await;
    assert_eq!(over.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(over.body.contains("larger than 20 MB"), "{}", over.body);
    let chunked = post_chunked(&mut owner, &upload, "file", &filler(21.0)).await;
    assert_eq!(chunked.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", chunked.body);
    assert!(chunked.body.contains("larger than 20 MB"), "{}", chunked.body);
    // The other routes keep the general limit.
    let form = owner
        .post_form(
            &format!("/vendor/{shop}/import"),
            &[("x", &"y".repeat(3 * 1024 * 1024))],
        )
        .await;
    assert_eq!(form.status, StatusCode::PAYLOAD_TOO_LARGE);
}
