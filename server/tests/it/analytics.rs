//! The operators' overview and reports through the real router: orders placed, paid and partly
//! refunded, the rollups refreshed (twice: the same figures), then the overview's numbers equal
//! what the orders say, the reports' totals equal the overview's, text in a report can't run
//! as a formula, and a bad range is a 400 (the overview page shows it and the last 30 days).

use super::admin_people::operator;
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::TestApp;
use axum::body::Body;
use http::{Request, StatusCode, header};
use serde_json::json;
use sqlx::PgPool;

/// The rows of a CSV body, without its heading.
fn rows(csv_text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn cents(decimal: &str) -> i64 {
    let (whole, fraction) = decimal.split_once('.').unwrap_or((decimal, "0"));
    whole.parse::<i64>().unwrap() * 100 + format!("{fraction:0<2}").parse::<i64>().unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_overview_and_the_reports_say_what_the_orders_say(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 50).await, stocked(&pool, 1, 50).await);
    // A shop whose name a spreadsheet would run.
    sqlx::query(
        "update vendors set name = '=HYPERLINK(\"http://evil.example\")' where id =
           (select id from vendors where status = 'approved' order by slug limit 1)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut numbers = Vec::new();
    for (n, email) in ["ana@example.com", "ben@example.com", "cleo@example.com"]
        .iter()
        .enumerate()
    {
        let (mut guest, number, _) = two_shop_order(&app, (&a, 1 + n as u32), (&b, 1), email).await;
        pay(&mut guest, number, true).await;
        numbers.push(number);
    }
    // One order placed and never paid: not a sale.
    let (_, unpaid, _) = two_shop_order(&app, (&a, 1), (&b, 1), "dan@example.com").await;
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let part: String = sqlx::query_scalar(
        "select vo.id::text from vendor_orders vo join orders o on o.id = vo.order_id where o.number = $1 order by vo.id limit 1",
    )
    .bind(numbers[0])
    .fetch_one(&pool)
    .await
    .unwrap();
    let refunded = admin
        .call(
            "orders/refund",
            json!({"vendor_order_id": part, "amount": 250, "restock": [], "reason": "scratched", "key": "r1"}),
        )
        .await;
    assert_eq!(refunded.status, StatusCode::OK, "{}", refunded.body);

    for _ in 0..2 {
        assert!(app::analytics::rollup::refresh(&pool).await.unwrap());
    }
    let (orders, gmv, tax): (i64, i64, i64) = sqlx::query_as(
        "select count(*), sum(total)::bigint, sum(tax_total)::bigint from orders where paid_at is not null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(orders, 3);
    let today = body(
        &admin
            .call("admin/analytics", json!({"period": "today"}))
            .await
            .body,
    );
    let figures = &today["figures"];
    assert_eq!(figures["orders"], 3);
    assert_eq!(figures["gmv"]["minor"], gmv);
    assert_eq!(figures["tax"]["minor"], tax);
    assert_eq!(figures["refunds"]["minor"], 250);
    assert_eq!(figures["average_order"]["minor"], gmv / 3);
    assert!(figures["commission"]["minor"].as_i64().unwrap() > 0);
    assert_eq!(today["previous"]["orders"], 0);
    assert_eq!(today["top_shops"].as_array().unwrap().len(), 2);
    assert_eq!(today["days"].as_array().unwrap().len(), 1);
    // The products ranked at the refresh are the ones a chosen range adds up.
    let products = today["top_products"].as_array().unwrap();
    assert_eq!(products.len(), 2, "{products:?}");
    let day = today["to"].as_str().unwrap().to_string();
    let range = body(
        &admin
            .call(
                "admin/analytics",
                json!({"period": "range", "from": day, "to": day}),
            )
            .await
            .body,
    );
    assert_eq!(range["top_products"], today["top_products"]);
    assert_eq!(range["figures"], today["figures"]);
    let unpaid_total: i64 = sqlx::query_scalar("select total from orders where number = $1")
        .bind(unpaid)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(unpaid_total > 0, "the unpaid order is left out above");

    // The reports agree with the overview, and people's text is text.
    let report = |file: &str| format!("/admin/reports/{file}?from={day}&to={day}");
    let by_day = admin.get(&report("sales-by-day.csv")).await;
    assert_eq!(by_day.status, StatusCode::OK);
    assert!(by_day.header("content-type").starts_with("text/csv"));
    let days = rows(&by_day.body);
    assert_eq!(days.len(), 1);
    assert_eq!(
        (days[0][1].as_str(), cents(&days[0][2]), cents(&days[0][3])),
        ("3", gmv, 250)
    );
    let shops = rows(&admin.get(&report("sales-by-shop.csv")).await.body);
    assert_eq!(shops.iter().map(|r| cents(&r[2])).sum::<i64>(), gmv);
    assert!(
        shops
            .iter()
            .any(|r| r[0] == "'=HYPERLINK(\"http://evil.example\")"),
        "{shops:?}"
    );
    // Compressed, as browsers ask for it: the stream ends once, cleanly.
    let zipped = admin
        .send(
            Request::get(report("orders.csv"))
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(zipped.status, StatusCode::OK);
    assert_eq!(zipped.header("content-encoding"), "gzip");
    let paid = rows(&admin.get(&report("orders.csv")).await.body);
    assert_eq!(paid.len(), 3);
    assert_eq!(paid.iter().map(|r| cents(&r[7])).sum::<i64>(), gmv);
    let tax_rows = rows(&admin.get(&report("tax-by-region.csv")).await.body);
    assert_eq!(tax_rows.iter().map(|r| cents(&r[3])).sum::<i64>(), tax);
    let refunds = rows(&admin.get(&report("refunds.csv")).await.body);
    assert_eq!((refunds.len(), refunds[0][4].as_str()), (1, "scratched"));
    let commission = rows(&admin.get(&report("commissions.csv")).await.body);
    assert_eq!(
        commission.iter().map(|r| cents(&r[1])).sum::<i64>(),
        figures["commission"]["minor"].as_i64().unwrap()
    );

    // Bad ranges and unknown reports are refused with what was wrong; the page falls back.
    let backwards = admin
        .get(&format!("/admin/reports/orders.csv?from={day}&to=2020-01-01"))
        .await;
    assert_eq!(backwards.status, StatusCode::BAD_REQUEST);
    assert!(backwards.body.contains("comes before"), "{}", backwards.body);
    let unknown = admin
        .get(&format!("/admin/reports/secrets.csv?from={day}&to={day}"))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad = admin
        .call(
            "admin/analytics",
            json!({"period": "range", "from": "soon", "to": day}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let page = admin.get("/admin?period=range&from=soon&to=later").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Give a day as YYYY-MM-DD"),
        "the problem is shown"
    );
    let shown = admin.get("/admin?period=today").await;
    assert!(shown.body.contains(r#"aria-current="page">Today</a>"#));
    // Not for shoppers: a report is a sign-in or a refusal.
    let stranger = app.get(&report("orders.csv")).await;
    assert!(
        stranger.header("location").starts_with("/account/login"),
        "{}",
        stranger.status
    );
}
