//! What is not text in a shop's upload forms: a NUL byte or bytes that are not UTF-8 in a CSV
//! cell, a form field or a file name are refused with 400 and a message saying where, and
//! nothing is written.

use super::people::browser;
use super::support::{Browser, SITE, TestResponse};
use super::vendor_catalog::two_shops;
use super::vendor_files::png;
use axum::body::Body;
use http::{Request, StatusCode, header};
use sqlx::PgPool;

/// A multipart form's raw parts: (Content-Disposition parameters, content).
type Parts<'a> = Vec<(&'a [u8], &'a [u8])>;

/// Posts a multipart form of raw parts: (Content-Disposition parameters, content).
async fn post_parts(browser: &mut Browser<'_>, uri: &str, parts: &[(&[u8], &[u8])]) -> TestResponse {
    let boundary = "----raw-boundary";
    let mut bytes = Vec::new();
    for (disposition, content) in parts {
        bytes.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; ").as_bytes());
        bytes.extend_from_slice(disposition);
        bytes.extend_from_slice(b"\r\n\r\n");
        bytes.extend_from_slice(content);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    browser
        .send(
            Request::post(uri)
                .header(header::ORIGIN, SITE)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::CONTENT_LENGTH, bytes.len())
                .body(Body::from(bytes))
                .unwrap(),
        )
        .await
}

/// Every product, variant and image, to see that nothing changed.
async fn snapshot(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "select coalesce(string_agg(p.slug || ':' || p.title || ':' || v.sku || ':' || v.price, ',' order by v.sku), '')
                || (select count(*) from product_images)::text
         from products p join variants v on v.product_id = p.id",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// How many files are under `dir`.
fn files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| if e.path().is_dir() { files(&e.path()) } else { 1 })
            .sum()
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_cells_that_are_not_text_are_refused_with_their_line_and_column(pool: PgPool) {
    let (app, shop, _) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let upload = format!("/vendor/{shop}/upload/csv");
    let header = app::vendors::catalog_csv::COLUMNS.join(",");
    let kitchen: String =
        sqlx::query_scalar("select slug from categories where parent_id is not null order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let good = format!(
        "{header}\nnul-apron,Linen Apron,\"Cross-back,\nwashable.\",{kitchen},active,,,,,,,APRON-1,32.00,4\n"
    );
    let before = snapshot(&pool).await;
    // (file, line, column, words of the message)
    let cases: Vec<(Vec<u8>, u64, &str, &str)> = vec![
        (
            format!("{good}nul-mug,Mug\0,,{kitchen},active,,,,,,,MUG-1,1.00,1\n").into_bytes(),
            4,
            "title",
            "NUL",
        ),
        (
            [
                good.as_bytes(),
                b"latin-mug,Mug,Caf\xE9 au lait,",
                kitchen.as_bytes(),
                b",active,,,,,,,MUG-2,1.00,1\n",
            ]
            .concat(),
            4,
            "description",
            "UTF-8",
        ),
        (
            [b"handle,ti\xFFtle,sku\n".as_slice(), b"a,b,c\n"].concat(),
            1,
            "column 2",
            "UTF-8",
        ),
        (
            format!("{header}\nmug,Mug,,{kitchen},active,,,,,,,MUG-3,1.00,1\0\n").into_bytes(),
            2,
            "stock",
            "NUL",
        ),
    ];
    for (file, line, column, words) in cases {
        let answer = owner
            .post_multipart(&upload, &[], ("file", "products.csv", "text/csv", &file))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{column}: {}",
            answer.body
        );
        let expected = format!("Line {line}, column “{column}”");
        assert!(answer.body.starts_with(&expected), "{expected}: {}", answer.body);
        assert!(answer.body.contains(words), "{words}: {}", answer.body);
        assert_eq!(snapshot(&pool).await, before, "nothing written");
    }
    // The same file without the bad bytes goes in.
    let answer = owner
        .post_multipart(
            &upload,
            &[],
            ("file", "products.csv", "text/csv", good.as_bytes()),
        )
        .await;
    assert!(
        answer.header("location").contains("notice=imported"),
        "{}",
        answer.body
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn form_fields_and_file_names_that_are_not_text_are_refused(pool: PgPool) {
    let (app, shop, _) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let product: String = sqlx::query_scalar(
        "select p.id::text from products p join vendors v on v.id = p.vendor_id where v.slug = $1 limit 1",
    )
    .bind(&shop)
    .fetch_one(&pool)
    .await
    .unwrap();
    let image = format!("/vendor/{shop}/upload/image/{product}");
    let csv_upload = format!("/vendor/{shop}/upload/csv");
    let picture = png(40, 30);
    let csv = format!("{}\n", app::vendors::catalog_csv::COLUMNS.join(","));
    let before = snapshot(&pool).await;
    // (route, parts, words of the message)
    let cases: Vec<(&str, Parts, &str)> = vec![
        (
            &image,
            vec![
                (b"name=\"alt\"", b"Caf\xE9 mug"),
                (b"name=\"image\"; filename=\"mug.png\"", &picture),
            ],
            "“alt” field is not UTF-8 text",
        ),
        (
            &image,
            vec![
                (b"name=\"alt\"", b"mug\0"),
                (b"name=\"image\"; filename=\"mug.png\"", &picture),
            ],
            "“alt” field holds a NUL character",
        ),
        (
            &image,
            vec![(b"name=\"image\"; filename=\"mug\xFF.png\"", &picture)],
            "file's name is not UTF-8 text",
        ),
        (
            &image,
            vec![(b"name=\"image\"; filename=\"mug\0.png\"", &picture)],
            "not text",
        ),
        (
            &csv_upload,
            vec![
                (b"name=\"progress_token\"", b"abc\0"),
                (b"name=\"file\"; filename=\"products.csv\"", csv.as_bytes()),
            ],
            "“progress_token” field holds a NUL character",
        ),
        (
            &csv_upload,
            vec![(b"name=\"file\"; filename=\"products\xE9.csv\"", csv.as_bytes())],
            "file's name is not UTF-8 text",
        ),
    ];
    for (route, parts, words) in cases {
        let answer = post_parts(&mut owner, route, &parts).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{words}: {}", answer.body);
        assert!(answer.body.contains(words), "{words}: {}", answer.body);
        assert_eq!(snapshot(&pool).await, before, "nothing written");
    }
    assert_eq!(
        files(&app.state.http.media_dir.join("uploads")),
        0,
        "no file stored"
    );
    // A UTF-8 name and description are fine.
    let fine = post_parts(
        &mut owner,
        &image,
        &[
            ("name=\"alt\"".as_bytes(), "Café mug".as_bytes()),
            ("name=\"image\"; filename=\"café.png\"".as_bytes(), &picture),
        ],
    )
    .await;
    assert!(
        fine.header("location").ends_with("notice=image-added"),
        "{}",
        fine.body
    );
}
