//! The console's orders and overview through the real router: every order found by number,
//! email, shop, status and days; the overview names what needs acting on.

use super::admin_people::operator;
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::TestApp;
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn every_order_is_found_by_number_email_shop_status_and_day(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 1), (&b, 1), "Mixed.Case@example.com").await;
    pay(&mut guest, number, true).await;
    let (_, other, _) = two_shop_order(&app, (&a, 1), (&b, 1), "unpaid@example.com").await;
    let shop_name: String = sqlx::query_scalar("select name from vendors where slug = $1")
        .bind(&parts[1].1)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let numbers = |list: &Value| -> Vec<i64> {
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect()
    };
    let find = |search: &str, status: &str| json!({"search": search, "status": status});

    let by_number = body(
        &admin
            .call("admin/orders", find(&format!("#{number}"), ""))
            .await
            .body,
    );
    assert_eq!(numbers(&by_number), [number]);
    assert!(
        by_number["rows"][0]["shops"]
            .as_str()
            .unwrap()
            .contains(&shop_name)
    );
    let by_email = body(&admin.call("admin/orders", find("mixed.case@", "")).await.body);
    assert_eq!(numbers(&by_email), [number]);
    let by_shop = body(&admin.call("admin/orders", find(&shop_name, "")).await.body);
    assert_eq!(numbers(&by_shop), [other, number], "newest first");
    let paid = body(&admin.call("admin/orders", find("", "paid")).await.body);
    assert_eq!(numbers(&paid), [number]);
    let waiting = body(&admin.call("admin/orders", find("", "pending_payment")).await.body);
    assert_eq!(numbers(&waiting), [other]);
    let today = chrono::Utc::now().date_naive().to_string();
    let on_day = |day: &str| json!({"from": day, "to": day});
    assert_eq!(
        numbers(&body(&admin.call("admin/orders", on_day(&today)).await.body)).len(),
        2
    );
    assert!(
        numbers(&body(
            &admin.call("admin/orders", on_day("2020-01-01")).await.body
        ))
        .is_empty()
    );
    let bad_day = admin.call("admin/orders", json!({"from": "yesterday"})).await;
    assert_eq!(bad_day.status, StatusCode::BAD_REQUEST, "{}", bad_day.body);

    let page = admin.get(&format!("/admin/orders?search={number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!(r#"href="/admin/orders/{number}""#)),
        "{}",
        page.body
    );
    assert!(page.body.contains("1 order"));
    // The admin reads the order's own page.
    assert_eq!(
        admin.get(&format!("/orders/{number}")).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_overview_names_what_needs_acting_on(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let page = admin.get("/admin").await.body;
    assert!(!page.contains("not delivering"), "{page}");
    sqlx::query(
        "insert into mail_outbox (recipient, subject, text_body, html_body, attempts, last_error)
         values ('x@example.com', 'Hello', 'Hi', '<p>Hi</p>', 3, 'connection refused')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("insert into search_outbox (product_id, changed_at) select id, now() - interval '1 hour' from products limit 2 on conflict (product_id) do update set changed_at = excluded.changed_at")
        .execute(&pool)
        .await
        .unwrap();
    let page = admin.get("/admin").await.body;
    assert!(page.contains("1 mail not delivering"), "{page}");
    assert!(
        page.contains("waiting over five minutes for the search engine"),
        "{page}"
    );
    // A background job whose run failed: counted, and its error shown as text.
    underway::run_migrations(&pool).await.unwrap();
    sqlx::query(
        "with queue as (insert into underway.task_queue (name) values ('payout-test') returning name),
              task as (insert into underway.task (id, task_queue_name, input, state)
                       select gen_random_uuid(), name, '{}', 'pending' from queue returning id, task_queue_name)
         insert into underway.task_attempt (task_id, task_queue_name, attempt_number, state, error_message, updated_at)
         select id, task_queue_name, 1, 'failed', 'Stripe said <b>no</b>', now() from task",
    )
    .execute(&pool)
    .await
    .unwrap();
    let page = admin.get("/admin").await.body;
    assert!(
        page.contains("1 background job run failed in the last 24 hours"),
        "{page}"
    );
    assert!(page.contains("Stripe said &lt;b&gt;no&lt;/b&gt;"), "{page}");
    let figures = body(&admin.call("admin/overview", json!({})).await.body);
    assert_eq!(figures["mail_failing"], 1);
    assert!(figures["search_behind"].as_i64().unwrap() >= 2);
}
