//! A shop's products as CSV through the real router: export, and imports checked row by row
//! and applied all or nothing, with their progress and report, and another shop trying.

use super::people::browser;
use super::shopping::body;
use super::support::Browser;
use super::vendor_catalog::{category, two_shops};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

/// The import's report id in the address an upload leads to (`…?report=<id>&…`).
fn report_id(location: &str) -> &str {
    let query = location.split("report=").nth(1).unwrap();
    query.split('&').next().unwrap()
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
    let location = answer.header("location");
    let id = report_id(location);
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
    let refused = owner
        .post_multipart(
            &format!("/vendor/{shop}/upload/csv"),
            &[],
            ("file", "products.csv", "text/csv", &latin1),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.starts_with("Line 2, column “title”"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("UTF-8"), "{}", refused.body);

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
                assert!(
                    started.elapsed() < std::time::Duration::from_secs(600),
                    "the import never finished: {:?}",
                    seen.last()
                );
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
    let id = report_id(location);
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
    app::vendors::catalog_csv::COLUMNS.join(",")
}

/// The exported rows as (column → cell) maps.
fn exported_rows(csv: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            headers
                .iter()
                .map(str::to_string)
                .zip(record.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn exported_cells_a_spreadsheet_would_run_are_quoted_and_import_back_unchanged(pool: PgPool) {
    let (app, shop, _) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let input = json!({
        "title": "=HYPERLINK(\"https://evil.example\",\"Click\")",
        "description": "+SUM(1,1)\nA mug.",
        "category": category(&pool).await,
        "status": "active",
        "base_price": "24.00",
        "options": [{"name": "@Size", "values": "-Small, Large"}, {"name": "Glaze", "values": "'=Sand, 'Moss"}],
        "variants": []
    });
    let saved = owner
        .call(
            "vendor/product/save",
            json!({"vendor": shop, "id": "", "input": input}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let snapshot = || async {
        sqlx::query_scalar::<_, String>(
            "select string_agg(p.slug || '|' || p.title || '|' || p.description || '|' || array_to_string(p.option_names, '/')
                    || '|' || array_to_string(v.option_values, '/') || '|' || v.sku || '|' || v.price || '|' || v.stock_on_hand,
                    ',' order by v.sku)
             from products p join variants v on v.product_id = p.id",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let cookie = owner.cookie.clone().unwrap();
    let export = || async {
        let answer = app
            .request(
                http::Request::get(format!("/vendor/{shop}/export/products.csv"))
                    .header(http::header::COOKIE, &cookie)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK);
        answer.body
    };
    let exported = export().await;
    let rows = exported_rows(&exported);
    let mugs: Vec<_> = rows.iter().filter(|r| r["title"].contains("HYPERLINK")).collect();
    assert_eq!(mugs.len(), 4, "one row per variant");
    for row in &mugs {
        assert_eq!(row["title"], "'=HYPERLINK(\"https://evil.example\",\"Click\")");
        assert_eq!(row["description"], "'+SUM(1,1)\nA mug.");
        assert_eq!(row["option1_name"], "'@Size");
        assert!(
            ["'-Small", "Large"].contains(&row["option1_value"].as_str()),
            "{row:?}"
        );
        assert!(
            ["''=Sand", "'Moss"].contains(&row["option2_value"].as_str()),
            "{row:?}"
        );
        assert_eq!(row["price"], "24.00", "numbers stay numbers");
    }

    // Importing the export changes nothing.
    let before = snapshot().await;
    let report = import(&mut owner, &shop, exported.as_bytes()).await;
    assert_eq!(report["errors"], json!([]), "{report}");
    assert_eq!(snapshot().await, before);

    // Text that only arrives by other doors (tab, carriage return) is quoted as well, and no
    // exported cell starts with a character a spreadsheet would act on.
    sqlx::query(
        "update products set title = E'\\t=cmd|'' /C calc''!A0', description = E'\\r-2+3' where title like '=HYPERLINK%'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let exported = export().await;
    let rows = exported_rows(&exported);
    let tabbed = rows.iter().find(|r| r["title"].contains("cmd")).unwrap();
    assert_eq!(tabbed["title"], "'\t=cmd|' /C calc'!A0");
    assert_eq!(tabbed["description"], "'\r-2+3");
    for row in &rows {
        for (column, cell) in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{column}: {cell:?}"
            );
        }
        assert!(row["price"].parse::<f64>().is_ok() && row["stock"].parse::<i64>().is_ok());
    }
}
