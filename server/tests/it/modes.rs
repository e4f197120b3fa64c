//! Demo and production: what production refuses (demo accounts, the test payment provider, the
//! test pay step, open metrics) and what the demo shows (its ribbon).

use super::shopping::{add, details, key, order_status, place, stocked};
use super::support::{Browser, TestApp};
use http::{Request, StatusCode, header};
use serde_json::json;
use sqlx::PgPool;

/// A server key for production test apps (32 bytes, base64).
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// The flags a production test app needs to start without Stripe.
const PRODUCTION: &[&str] = &[
    "--app-env",
    "production",
    "--dangerously-allow-test-payments",
    "true",
    "--secret-key",
    KEY,
];

fn error_of(result: anyhow::Result<server::ServerState>) -> String {
    match result {
        Ok(_) => String::new(),
        Err(error) => format!("{error:#}"),
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn production_needs_a_payment_provider_unless_told_otherwise_loudly_and_a_key(pool: PgPool) {
    let leptos = || {
        leptos::prelude::LeptosOptions::builder()
            .output_name("marketplace")
            .build()
    };
    let production = server::cli::config_from_args(["server", "--app-env", "production"]).unwrap();
    let refused = error_of(server::cli::server_state(&production, pool.clone(), leptos()));
    assert!(refused.contains("needs a real payment provider"), "{refused}");

    let without_key = server::cli::config_from_args([
        "server",
        "--app-env",
        "production",
        "--dangerously-allow-test-payments",
        "true",
    ])
    .unwrap();
    let refused = error_of(server::cli::server_state(&without_key, pool.clone(), leptos()));
    assert!(refused.contains("SECRET_KEY is not set"), "{refused}");
    let overridden =
        server::cli::config_from_args(["server"].into_iter().chain(PRODUCTION.iter().copied())).unwrap();
    assert_eq!(
        error_of(server::cli::server_state(&overridden, pool.clone(), leptos())),
        ""
    );
    let demo = server::cli::config_from_args(["server", "--app-env", "demo"]).unwrap();
    assert_eq!(
        error_of(server::cli::server_state(&demo, pool.clone(), leptos())),
        ""
    );
    let default = server::cli::config_from_args(["server"]).unwrap();
    assert_eq!(
        default.app_env,
        server::config::AppEnv::Production,
        "production unless asked"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn production_refuses_to_start_while_demo_accounts_exist(pool: PgPool) {
    let mut tx = pool.begin().await.unwrap();
    server::seed::insert_catalog(&mut tx, 10).await.unwrap();
    server::accounts::seed_demo_accounts(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    let production = server::cli::config_from_args(["server", "--app-env", "production"]).unwrap();
    let demo = server::cli::config_from_args(["server", "--app-env", "demo"]).unwrap();

    let refused = server::cli::refuse_demo_accounts(&production, &pool)
        .await
        .expect_err("demo accounts in production");
    let message = format!("{refused:#}");
    assert!(message.contains("admin@example.com"), "{message}");
    assert!(message.contains("server delete-demo-accounts"), "{message}");
    server::cli::refuse_demo_accounts(&demo, &pool).await.unwrap();

    // An operator's own account is not a demo account, even at a demo address.
    server::accounts::create_admin(
        &pool,
        "ops@example.org",
        "Ops",
        "a long and unusual passphrase 42",
    )
    .await
    .unwrap();
    assert_eq!(server::accounts::delete_demo_accounts(&pool).await.unwrap(), 4);
    server::cli::refuse_demo_accounts(&production, &pool)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("select count(*) from users where deleted_at is null")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 1, "only the operator's account is left");
}

#[sqlx::test(migrations = "../migrations")]
async fn production_does_not_route_the_test_pay_step(pool: PgPool) {
    let mut tx = pool.begin().await.unwrap();
    server::seed::insert_catalog(&mut tx, 40).await.unwrap();
    tx.commit().await.unwrap();
    for (args, routed) in [(&["--app-env", "demo"][..], true), (PRODUCTION, false)] {
        let app = TestApp::configured(pool.clone(), args).await;
        let sku = stocked(&pool, 0, 5).await;
        let mut shopper = Browser::new(&app);
        add(&mut shopper, &sku, 1).await;
        details(&mut shopper, "guest@example.com").await;
        let number = place(&mut shopper, &key()).await;

        let paid = shopper
            .call(
                "checkout/pay_test",
                json!({"number": number.to_string(), "succeed": true}),
            )
            .await;
        let form = shopper
            .post_form(
                &format!("/checkout/pay/{number}"),
                &[("action", "pay"), ("outcome", "succeed")],
            )
            .await;
        if routed {
            assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
            assert_eq!(order_status(&pool, number).await, "paid");
        } else {
            assert_eq!(paid.status, StatusCode::NOT_FOUND, "{}", paid.body);
            assert_ne!(form.status, StatusCode::SEE_OTHER, "the pay form did nothing");
            assert_eq!(order_status(&pool, number).await, "pending_payment");
            let page = shopper.get(&format!("/checkout/pay/{number}")).await;
            assert!(
                !page.body.contains("test: succeeds"),
                "no self-pay buttons in production"
            );
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_says_so_on_every_page_and_production_does_not(pool: PgPool) {
    let demo = TestApp::with_catalog(pool.clone(), 10).await;
    for path in ["/", "/search?q=shirt", "/account/login", "/no-such-page"] {
        let page = demo.get(path).await;
        assert!(
            page.body.contains("class=\"demo-ribbon\""),
            "{path}: {}",
            page.status
        );
    }
    let production = TestApp::configured(pool, PRODUCTION).await;
    let page = production.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("demo-ribbon"));
}

async fn scrape(app: &TestApp, token: Option<&str>) -> super::support::TestResponse {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.request(request.body(axum::body::Body::empty()).unwrap())
        .await
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_are_private_in_production(pool: PgPool) {
    let demo = TestApp::new(pool.clone()).await;
    assert_eq!(scrape(&demo, None).await.status, StatusCode::OK);

    let production = TestApp::configured(pool.clone(), PRODUCTION).await;
    assert_eq!(scrape(&production, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        scrape(&production, Some("guess")).await.status,
        StatusCode::NOT_FOUND
    );

    let mut args = PRODUCTION.to_vec();
    args.extend(["--metrics-token", "s3cret-metrics-token"]);
    let guarded = TestApp::configured(pool, &args).await;
    assert_eq!(scrape(&guarded, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&guarded, Some("s3cret-metrics-tokem")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let allowed = scrape(&guarded, Some("s3cret-metrics-token")).await;
    assert_eq!(allowed.status, StatusCode::OK);
    assert!(allowed.body.contains("http_requests_total"));
}
