//! The platform's settings in the console, through the real router and its forms: every
//! problem of a form at once and nothing saved, the history in the audit log, and each setting
//! taking effect where it is used — the commission fixed on the next paid order, the
//! reservation of the next placed one, the tax rates checkout charges, the shipping methods a
//! new shop starts with.

use super::accounts::signed_in;
use super::admin_people::operator;
use super::shopping::{pay, stocked, two_shop_order};
use super::support::TestApp;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

async fn history(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("select action from audit_log where subject_kind = 'settings' order by id")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn general_settings_are_checked_whole_and_apply_to_the_next_order(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let bad = admin
        .post_form(
            "/admin/settings",
            &[
                ("_action", "general"),
                ("commission", "150"),
                ("reservation_minutes", "0"),
                ("payout_delay_days", "soon"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    for message in [
        "percentage from 0 to 100",
        "Minutes: a whole number from 1 to 1440",
        "Days: a whole number from 0 to 365",
    ] {
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }
    let row: (i32, i32, i32) =
        sqlx::query_as("select commission_bp, reservation_minutes, payout_delay_days from platform_settings")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(row, (1000, 30, 7), "nothing saved");
    assert!(history(&pool).await.is_empty());

    let saved = admin
        .post_form(
            "/admin/settings",
            &[
                ("_action", "general"),
                ("commission", "12.5"),
                ("reservation_minutes", "45"),
                ("payout_delay_days", "3"),
            ],
        )
        .await;
    assert_eq!(
        saved.header("location"),
        "/admin/settings?notice=settings-saved",
        "{}",
        saved.body
    );
    let (before, after): (serde_json::Value, serde_json::Value) =
        sqlx::query_as("select before, after from audit_log where action = 'settings.general'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(before["commission_bp"], 1000);
    assert_eq!(
        (
            after["commission_bp"].as_i64(),
            after["reservation_minutes"].as_i64()
        ),
        (Some(1250), Some(45))
    );

    // The next order holds its stock 45 minutes, and is booked at 12.5 % once paid.
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, _) = two_shop_order(&app, (&a, 1), (&b, 1), "buyer@example.com").await;
    let held: f64 = sqlx::query_scalar(
        "select extract(epoch from expires_at - created_at)::float8 / 60 from orders where number = $1",
    )
    .bind(number)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!((44.0..=46.0).contains(&held), "{held} minutes");
    pay(&mut guest, number, true).await;
    let rates: Vec<i32> = sqlx::query_scalar(
        "select vo.commission_bp from vendor_orders vo join orders o on o.id = vo.order_id where o.number = $1",
    )
    .bind(number)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rates, [1250, 1250]);
    let page = admin.get("/admin/settings").await.body;
    assert!(
        page.contains("12.5%") && page.contains("Commission, reservation or payout delay changed"),
        "{page}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn tax_rates_and_shipping_defaults_are_kept_in_the_database(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let change = |change: serde_json::Value| json!({ "change": change });

    let bad = admin
        .call(
            "admin/settings/change",
            change(json!({"save-tax": {"country": "Oregon", "region": "<b>", "name": "", "rate": "7,5,1"}})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    for field in ["country", "region", "name", "rate"] {
        assert!(
            bad.body.contains(&format!(r#""field":"{field}""#)),
            "every field at once: {}",
            bad.body
        );
    }
    let saved = admin
        .post_form(
            "/admin/settings",
            &[
                ("_action", "save-tax"),
                ("country", "us"),
                ("region", "or"),
                ("name", "Oregon <b>tax</b>"),
                ("rate", "1.5"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let rate: i32 =
        sqlx::query_scalar("select rate_bp from tax_rates where country = 'US' and region = 'OR'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rate, 150);
    let page = admin.get("/admin/settings").await.body;
    assert!(page.contains("Oregon &lt;b&gt;tax&lt;/b&gt;"), "{page}");
    let deleted = admin
        .post_form(
            "/admin/settings",
            &[("_action", "delete-tax"), ("country", "US"), ("region", "OR")],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    let gone = admin
        .call(
            "admin/settings/change",
            change(json!({"delete-tax": {"country": "US", "region": "OR"}})),
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    // Shipping defaults: checked whole, and what a new shop starts with.
    let wrong = admin
        .post_form(
            "/admin/settings",
            &[
                ("_action", "save-shipping"),
                ("name", "Overnight"),
                ("price", "free"),
                ("min_days", "3"),
                ("max_days", "1"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);
    assert!(
        wrong.body.contains("like 4.99") && wrong.body.contains("come before the earliest"),
        "{}",
        wrong.body
    );
    let added = admin
        .post_form(
            "/admin/settings",
            &[
                ("_action", "save-shipping"),
                ("name", "Overnight"),
                ("price", "29.99"),
                ("free_over", ""),
                ("min_days", "0"),
                ("max_days", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let mut maker = signed_in(&app, "maker@example.com").await;
    let applied = maker
        .call(
            "vendor/apply",
            json!({"name": "River Pottery", "slug": "river-pottery", "description": "Bowls.",
                   "contact_email": "hello@river.example", "country": "us"}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    let methods: Vec<(String, i64)> = sqlx::query_as(
        "select m.name, m.price from shipping_methods m join vendors v on v.id = m.vendor_id where v.slug = 'river-pottery' order by m.position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        methods,
        [
            ("Standard".to_string(), 499),
            ("Express".to_string(), 1499),
            ("Overnight".to_string(), 2999)
        ]
    );
    // The last method can't go: a new shop needs one way to ship.
    let ids: Vec<uuid::Uuid> =
        sqlx::query_scalar("select id from default_shipping_methods order by position")
            .fetch_all(&pool)
            .await
            .unwrap();
    for id in &ids[..2] {
        let gone = admin
            .call(
                "admin/settings/change",
                change(json!({"delete-shipping": {"id": id.to_string()}})),
            )
            .await;
        assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    }
    let last = admin
        .call(
            "admin/settings/change",
            change(json!({"delete-shipping": {"id": ids[2].to_string()}})),
        )
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT, "{}", last.body);
    assert_eq!(
        history(&pool).await,
        [
            "settings.tax_save",
            "settings.tax_delete",
            "settings.shipping_save",
            "settings.shipping_delete",
            "settings.shipping_delete"
        ]
    );
}
