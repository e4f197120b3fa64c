//! The authorization matrix: every server function and every protected page, called by each
//! kind of user, against the exact set of users allowed. Later areas add their rows here.

use super::people::{browser, enable_two_factor, member, user};
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    CustomerA,
    CustomerB,
    VendorAStaff,
    VendorBOwner,
    Admin,
}
use Who::*;

const EVERYONE: &[Who] = &[Anonymous, CustomerA, CustomerB, VendorAStaff, VendorBOwner, Admin];
/// An id nothing has.
const NO_ID: &str = "00000000-0000-0000-0000-000000000000";
const SIGNED_IN: &[Who] = &[CustomerA, CustomerB, VendorAStaff, VendorBOwner, Admin];

/// Was the request let through? Refusals are 401/403 for server functions; for pages, a
/// redirect to the login (anonymous), 403, or a redirect to turn on 2FA or to confirm.
fn allowed(status: StatusCode, location: &str) -> bool {
    !(status == StatusCode::UNAUTHORIZED
        || status == StatusCode::FORBIDDEN
        || (status.is_redirection()
            && ["/account/login", "/account/security", "/account/confirm"]
                .iter()
                .any(|refusal| location.starts_with(refusal))))
}

#[sqlx::test(migrations = "../migrations")]
async fn who_may_call_what(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 30).await;
    let vendors: Vec<String> =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 2")
            .fetch_all(&pool)
            .await
            .unwrap();
    let (shop_a, shop_b) = (vendors[0].as_str(), vendors[1].as_str());
    user(&pool, "a@example.com", false).await;
    user(&pool, "b@example.com", false).await;
    let staff = user(&pool, "staff@example.com", false).await;
    member(&pool, staff, shop_a, "staff").await;
    let owner = user(&pool, "owner@example.com", false).await;
    member(&pool, owner, shop_b, "owner").await;
    let admin = user(&pool, "admin@example.com", true).await;
    enable_two_factor(&app, admin).await;

    let mut browsers = [
        (Anonymous, Browser::new(&app)),
        (CustomerA, browser(&app, "a@example.com").await),
        (CustomerB, browser(&app, "b@example.com").await),
        (VendorAStaff, browser(&app, "staff@example.com").await),
        (VendorBOwner, browser(&app, "owner@example.com").await),
        (Admin, browser(&app, "admin@example.com").await),
    ];

    let vendor_a = [VendorAStaff];
    let vendor_b = [VendorBOwner];
    let admin_only = [Admin];
    // (server function, arguments, who may call it). Arguments are harmless: wrong codes,
    // unknown tokens, invalid input; what matters is whether the guard let the call through.
    let mut functions: Vec<(&str, serde_json::Value, &[Who])> = vec![
        ("site_info", json!({}), EVERYONE),
        ("home", json!({}), EVERYONE),
        ("category", json!({"slug": "clothing", "query": {}}), EVERYONE),
        ("product", json!({"slug": "none"}), EVERYONE),
        ("vendor", json!({"slug": shop_a, "query": {}}), EVERYONE),
        ("search", json!({"query": {"q": "shirt"}}), EVERYONE),
        (
            "account/register",
            json!({"email": "x", "password": "", "name": ""}),
            EVERYONE,
        ),
        ("account/verify", json!({"token": "unknown"}), EVERYONE),
        (
            "account/login",
            json!({"email": "", "password": "", "next": ""}),
            EVERYONE,
        ),
        ("account/login_code", json!({"code": "000000"}), EVERYONE),
        ("account/forgot", json!({"email": "x"}), EVERYONE),
        (
            "account/reset",
            json!({"token": "unknown", "password": ""}),
            EVERYONE,
        ),
        ("account/email_confirm", json!({"token": "unknown"}), EVERYONE),
        ("account/me", json!({}), SIGNED_IN),
        ("account/profile", json!({"name": "Name"}), SIGNED_IN),
        (
            "account/password",
            json!({"current_password": "wrong", "new_password": ""}),
            SIGNED_IN,
        ),
        (
            "account/email",
            json!({"new_email": "x", "password": ""}),
            SIGNED_IN,
        ),
        ("account/delete", json!({"password": "wrong"}), SIGNED_IN),
        ("account/addresses", json!({}), SIGNED_IN),
        (
            "account/address_save",
            json!({"id": null, "address": {"full_name": "", "line1": "", "city": "", "postal_code": "", "country": ""}}),
            SIGNED_IN,
        ),
        (
            "account/address_delete",
            json!({"id": "00000000-0000-0000-0000-000000000000"}),
            SIGNED_IN,
        ),
        ("account/security", json!({}), SIGNED_IN),
        (
            "account/totp_confirm",
            json!({"code": "000000", "password": "wrong"}),
            SIGNED_IN,
        ),
        ("account/recovery_codes", json!({"code": "000000"}), SIGNED_IN),
        (
            "account/totp_disable",
            json!({"code": "000000", "password": "wrong"}),
            SIGNED_IN,
        ),
        (
            "account/confirm",
            json!({"password": "wrong", "code": "000000", "next": "/"}),
            SIGNED_IN,
        ),
        ("account/sign_out_others", json!({}), SIGNED_IN),
        ("vendor/shops", json!({}), SIGNED_IN),
        (
            "vendor/apply",
            json!({"name": "", "slug": "", "contact_email": "", "country": ""}),
            SIGNED_IN,
        ),
        ("vendor/invite/accept", json!({"token": "unknown"}), SIGNED_IN),
        ("admin/overview", json!({}), &admin_only),
        ("admin/vendors", json!({}), &admin_only),
        (
            "admin/vendors/decide",
            json!({"vendor_id": NO_ID, "decision": "approve"}),
            &admin_only,
        ),
        (
            "admin/vendors/commission",
            json!({"vendor_id": NO_ID, "percent": "x"}),
            &admin_only,
        ),
        (
            "orders/cancel",
            json!({"vendor_order_id": NO_ID, "reason": "x"}),
            SIGNED_IN,
        ),
        (
            "orders/cancel-lines",
            json!({"vendor_order_id": NO_ID, "lines": [], "reason": "x"}),
            SIGNED_IN,
        ),
        // Carts and checkouts belong to the session or account: no ids to guess.
        ("cart/view", json!({}), EVERYONE),
        ("cart/add", json!({"sku": "NO-SUCH", "quantity": 1}), EVERYONE),
        ("cart/update", json!({"sku": "NO-SUCH", "quantity": 0}), EVERYONE),
        ("cart/count", json!({}), EVERYONE),
        ("checkout/view", json!({}), EVERYONE),
        ("checkout/details", json!({"details": {}}), EVERYONE),
        ("checkout/place", json!({"key": "x"}), EVERYONE),
        // Orders answer "not found" to whoever may not see them (see orders.rs).
        (
            "checkout/pay_test",
            json!({"number": "1", "succeed": false}),
            EVERYONE,
        ),
        ("orders/detail", json!({"number": "1"}), EVERYONE),
        (
            "orders/lookup",
            json!({"number": "1", "email": "x@example.com"}),
            EVERYONE,
        ),
        ("orders/history", json!({}), SIGNED_IN),
        (
            "orders/ship",
            json!({"vendor_order_id": "00000000-0000-0000-0000-000000000000", "carrier": "UPS", "tracking_number": "1Z"}),
            SIGNED_IN,
        ),
        (
            "orders/deliver",
            json!({"vendor_order_id": "00000000-0000-0000-0000-000000000000"}),
            SIGNED_IN,
        ),
        (
            "orders/refund",
            json!({"vendor_order_id": "00000000-0000-0000-0000-000000000000", "amount": 1, "restock": []}),
            SIGNED_IN,
        ),
    ];
    // A shop's functions: its members read products, stock and orders, its owners read and
    // manage money and staff; nobody else, either way.
    for (shop, members, owners) in [
        (shop_a, &vendor_a[..], &[][..]),
        (shop_b, &vendor_b[..], &vendor_b[..]),
    ] {
        for name in ["vendor/money", "vendor/staff"] {
            functions.push((name, json!({"vendor": shop}), owners));
        }
        for name in [
            "vendor/dashboard",
            "vendor/orders",
            "vendor/products",
            "vendor/product",
            "vendor/inventory",
            "vendor/import_report",
        ] {
            functions.push((name, json!({"vendor": shop}), members));
        }
        functions.push((
            "vendor/product/save",
            json!({"vendor": shop, "input": {"title": ""}}),
            members,
        ));
        functions.push((
            "vendor/product/image_delete",
            json!({"vendor": shop, "image_id": NO_ID}),
            members,
        ));
        functions.push((
            "vendor/product/image_alt",
            json!({"vendor": shop, "image_id": NO_ID, "alt": ""}),
            members,
        ));
        functions.push((
            "vendor/product/image_move",
            json!({"vendor": shop, "image_id": NO_ID, "earlier": true}),
            members,
        ));
        functions.push((
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": [["NO-SUCH", "1"]]}),
            members,
        ));
        functions.push((
            "vendor/inventory/threshold",
            json!({"vendor": shop, "threshold": "x"}),
            members,
        ));
        functions.push((
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "x", "role": "staff"}),
            owners,
        ));
        functions.push((
            "vendor/staff/remove",
            json!({"vendor": shop, "user_id": NO_ID}),
            owners,
        ));
        functions.push(("vendor/connect", json!({"vendor": shop}), owners));
        functions.push((
            "vendor/staff/revoke",
            json!({"vendor": shop, "invite_id": NO_ID}),
            owners,
        ));
    }
    // Every registered server function is in the matrix (suggest is a GET, checked below;
    // totp_start changes state that later rows rely on, so it is checked last).
    let listed: BTreeSet<String> = functions
        .iter()
        .map(|(name, ..)| format!("/api/{name}"))
        .chain([
            "/api/suggest".to_string(),
            "/api/account/totp_start".to_string(),
            "/api/account/logout".to_string(),
        ])
        .collect();
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert_eq!(registered, listed, "a server function is missing from the matrix");

    for (name, args, expected) in &functions {
        let expected: BTreeSet<Who> = expected.iter().copied().collect();
        let mut actual = BTreeSet::new();
        for (who, browser) in browsers.iter_mut() {
            let answer = browser.call(name, args.clone()).await;
            assert_ne!(
                answer.status,
                StatusCode::INTERNAL_SERVER_ERROR,
                "{name} as {who:?}: {}",
                answer.body
            );
            if allowed(answer.status, "") {
                actual.insert(*who);
            }
        }
        assert_eq!(actual, expected, "who may call {name} {args}");
    }
    let suggest = browsers[0].1.get("/api/suggest?q=shi").await;
    assert_eq!(suggest.status, StatusCode::OK);

    let mut pages: Vec<(String, &[Who])> = vec![
        ("/account".into(), SIGNED_IN),
        ("/account/addresses".into(), SIGNED_IN),
        ("/account/security".into(), SIGNED_IN),
        ("/account/orders".into(), SIGNED_IN),
        ("/vendor".into(), SIGNED_IN),
        ("/vendor/apply".into(), SIGNED_IN),
        ("/admin".into(), &admin_only),
        ("/admin/vendors".into(), &admin_only),
    ];
    for shop in [shop_a, shop_b] {
        let members: &[Who] = if shop == shop_a { &vendor_a } else { &vendor_b };
        let owners: &[Who] = if shop == shop_a { &[] } else { &vendor_b };
        for tail in ["/money", "/staff"] {
            pages.push((format!("/vendor/{shop}{tail}"), owners));
        }
        for tail in [
            "",
            "/orders",
            "/products",
            "/products/new",
            "/inventory",
            "/import",
            "/export/products.csv",
        ] {
            pages.push((format!("/vendor/{shop}{tail}"), members));
        }
    }
    for (path, expected) in &pages {
        let expected: BTreeSet<Who> = expected.iter().copied().collect();
        let mut actual = BTreeSet::new();
        for (who, browser) in browsers.iter_mut() {
            let answer = browser.get(path).await;
            let location = answer.header("location").to_string();
            if *who == Anonymous {
                assert!(
                    location.starts_with("/account/login?next="),
                    "{path}: anonymous goes to login, got {}",
                    answer.status
                );
            }
            if allowed(answer.status, &location) {
                assert_eq!(answer.status, StatusCode::OK, "{path} as {who:?}");
                actual.insert(*who);
            }
        }
        assert_eq!(actual, expected, "who may open {path}");
    }

    // An admin without 2FA is sent to turn it on, for pages and server functions alike.
    sqlx::query("update users set totp_enabled_at = null where id = $1")
        .bind(admin)
        .execute(&pool)
        .await
        .unwrap();
    let admin_browser = &mut browsers[5].1;
    let page = admin_browser.get("/admin").await;
    assert_eq!(page.header("location"), "/account/security?notice=admin-2fa");
    assert_eq!(
        admin_browser.call("admin/overview", json!({})).await.status,
        StatusCode::FORBIDDEN
    );

    // totp_start and logout: anonymous refused, everyone signed in allowed.
    for (who, browser) in browsers.iter_mut() {
        let answer = browser
            .call("account/totp_start", json!({"password": "wrong"}))
            .await;
        assert_eq!(
            answer.status == StatusCode::UNAUTHORIZED,
            *who == Anonymous,
            "totp_start as {who:?}"
        );
        let answer = browser.call("account/logout", json!({})).await;
        assert_eq!(answer.status, StatusCode::OK, "logout as {who:?}");
    }
}
