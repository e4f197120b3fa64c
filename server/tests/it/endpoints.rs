//! Every server function, with arguments of the shape it takes: the list the hostile-input
//! test works through (the authorization matrix has its own, with real objects). A test fails
//! when a registered function is missing here, so a new function cannot skip it.

use serde_json::{Value, json};
use std::collections::BTreeSet;

/// An id nothing has.
pub const NO_ID: &str = "00000000-0000-0000-0000-000000000000";

/// (endpoint under `/api/`, well-shaped arguments) for every server function that takes JSON;
/// `shop` is a shop's slug for the portal's functions.
pub fn every_call(shop: &str) -> Vec<(&'static str, Value)> {
    let mut calls = vec![
        ("site_info", json!({})),
        ("home", json!({})),
        (
            "category",
            json!({"slug": "clothing", "query": {"q": "", "page": 1}}),
        ),
        ("product", json!({"slug": "none"})),
        ("vendor", json!({"slug": shop, "query": {}})),
        ("search", json!({"query": {"q": "shirt", "per_page": 24}})),
        (
            "account/register",
            json!({"email": "x@example.com", "password": "p", "name": "n"}),
        ),
        ("account/verify", json!({"token": "unknown"})),
        (
            "account/login",
            json!({"email": "x@example.com", "password": "p", "next": "/"}),
        ),
        ("account/login_code", json!({"code": "000000"})),
        ("account/logout", json!({})),
        ("account/forgot", json!({"email": "x@example.com"})),
        ("account/reset", json!({"token": "unknown", "password": "p"})),
        ("account/email_confirm", json!({"token": "unknown"})),
        ("account/me", json!({})),
        ("account/profile", json!({"name": "Name"})),
        (
            "account/password",
            json!({"current_password": "wrong", "new_password": "p"}),
        ),
        (
            "account/email",
            json!({"new_email": "x@example.com", "password": "p"}),
        ),
        ("account/delete", json!({"password": "wrong"})),
        ("account/addresses", json!({})),
        (
            "account/address_save",
            json!({"id": null, "address": {"full_name": "A", "line1": "1 Road", "line2": "", "city": "Town",
                   "region": "", "postal_code": "1000", "country": "US", "phone": "",
                   "default_shipping": false, "default_billing": false}}),
        ),
        ("account/address_delete", json!({"id": NO_ID})),
        ("account/security", json!({})),
        ("account/totp_start", json!({"password": "wrong"})),
        (
            "account/totp_confirm",
            json!({"code": "000000", "password": "wrong"}),
        ),
        ("account/recovery_codes", json!({"code": "000000"})),
        (
            "account/totp_disable",
            json!({"code": "000000", "password": "wrong"}),
        ),
        (
            "account/confirm",
            json!({"password": "wrong", "code": "000000", "next": "/admin"}),
        ),
        ("account/sign_out_others", json!({})),
        ("vendor/shops", json!({})),
        (
            "vendor/apply",
            json!({"name": "Shop", "slug": "shop", "contact_email": "x@example.com", "country": "US"}),
        ),
        ("vendor/invite/accept", json!({"token": "unknown"})),
        ("admin/overview", json!({})),
        ("admin/vendors", json!({})),
        (
            "admin/vendors/decide",
            json!({"vendor_id": NO_ID, "decision": "approve"}),
        ),
        (
            "admin/vendors/commission",
            json!({"vendor_id": NO_ID, "percent": "10"}),
        ),
        (
            "admin/people",
            json!({"q": "x", "role": "admin", "status": "disabled", "page": 2}),
        ),
        ("admin/person", json!({"id": NO_ID})),
        (
            "admin/products",
            json!({"q": "x", "shop": "x", "category": "clothing", "status": "hidden", "reported": true, "page": 2}),
        ),
        ("admin/product", json!({"id": NO_ID})),
        ("admin/categories", json!({})),
        ("admin/reports", json!({"from": "2026-01-01", "to": "2026-01-31"})),
        (
            "admin/analytics",
            json!({"period": "range", "from": "2026-01-01", "to": "2026-01-31"}),
        ),
        (
            "admin/categories/change",
            json!({"change": {"action": "edit", "id": NO_ID, "name": "x", "description": ""}}),
        ),
        (
            "admin/product/act",
            json!({"id": NO_ID, "action": {"action": "hide", "reason": "x"}}),
        ),
        ("catalog/report/target", json!({"slug": "none"})),
        (
            "catalog/report",
            json!({"slug": "none", "reason": "other", "note": "x"}),
        ),
        (
            "admin/person/act",
            json!({"id": NO_ID, "action": {"action": "disable", "reason": "x"}}),
        ),
        (
            "admin/audit",
            json!({"action": "user.disable", "q": "x", "page": 1}),
        ),
        (
            "admin/orders",
            json!({"search": "x", "status": "paid", "from": "2026-01-01", "to": "2026-01-31"}),
        ),
        ("admin/order", json!({"number": "1"})),
        ("admin/settings", json!({})),
        (
            "admin/settings/change",
            json!({"change": {"delete-shipping": {"id": NO_ID}}}),
        ),
        ("admin/payouts", json!({"q": "x", "status": "failed", "page": 2})),
        ("admin/payouts/shop", json!({"shop": shop, "page": 2})),
        (
            "admin/payouts/act",
            json!({"shop": "none", "action": {"action": "hold", "reason": "x"}}),
        ),
        (
            "admin/order/act",
            json!({"number": "1", "action": {"action": "refund", "part": NO_ID, "amount": 100, "reason": "x", "key": "k"}}),
        ),
        ("orders/cancel", json!({"vendor_order_id": NO_ID, "reason": "x"})),
        (
            "orders/cancel-lines",
            json!({"vendor_order_id": NO_ID, "lines": [{"item_id": NO_ID, "quantity": 1}], "reason": "x", "key": "k"}),
        ),
        ("cart/view", json!({})),
        ("cart/add", json!({"sku": "NO-SUCH", "quantity": 1})),
        ("cart/update", json!({"sku": "NO-SUCH", "quantity": 0})),
        ("cart/count", json!({})),
        ("checkout/view", json!({})),
        ("checkout/details", json!({"details": {"email": "x@example.com"}})),
        ("checkout/place", json!({"key": "x"})),
        ("checkout/code", json!({"code": "WELCOME10"})),
        ("admin/discounts", json!({})),
        (
            "admin/discounts/act",
            json!({"action": {"create": {"code": "NEW10", "kind": "percent", "value": "10"}}}),
        ),
        ("vendor/discounts", json!({"vendor": shop})),
        (
            "vendor/discounts/act",
            json!({"vendor": shop, "action": {"disable": {"id": NO_ID}}}),
        ),
        ("checkout/pay_test", json!({"number": "1", "succeed": false})),
        ("orders/detail", json!({"number": "1", "returned": false})),
        ("orders/lookup", json!({"number": "1", "email": "x@example.com"})),
        ("orders/history", json!({})),
        (
            "orders/ship",
            json!({"vendor_order_id": NO_ID, "carrier": "UPS", "tracking_number": "1Z"}),
        ),
        ("orders/deliver", json!({"vendor_order_id": NO_ID})),
        (
            "orders/refund",
            json!({"vendor_order_id": NO_ID, "amount": 1, "restock": [{"item_id": NO_ID, "quantity": 1}],
                   "reason": "r", "key": "k"}),
        ),
    ];
    for name in [
        "vendor/dashboard",
        "vendor/orders",
        "vendor/money",
        "vendor/staff",
        "vendor/activity",
        "vendor/products",
        "vendor/product",
        "vendor/inventory",
        "vendor/import_report",
        "vendor/connect",
    ] {
        calls.push((name, json!({"vendor": shop})));
    }
    calls.extend([
        (
            "vendor/product/save",
            json!({"vendor": shop, "input": {"title": "T"}}),
        ),
        (
            "vendor/product/image_delete",
            json!({"vendor": shop, "image_id": NO_ID}),
        ),
        (
            "vendor/product/image_alt",
            json!({"vendor": shop, "image_id": NO_ID, "alt": "a"}),
        ),
        (
            "vendor/product/image_move",
            json!({"vendor": shop, "image_id": NO_ID, "earlier": true}),
        ),
        (
            "vendor/inventory/save",
            json!({"vendor": shop, "changes": [["NO-SUCH", "1"]]}),
        ),
        (
            "vendor/inventory/threshold",
            json!({"vendor": shop, "threshold": "3"}),
        ),
        (
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "x@example.com", "role": "staff"}),
        ),
        ("vendor/staff/remove", json!({"vendor": shop, "user_id": NO_ID})),
        ("vendor/staff/revoke", json!({"vendor": shop, "invite_id": NO_ID})),
    ]);
    calls
}

/// Server functions called with a GET and a query string instead of JSON.
pub const GET_CALLS: &[&str] = &["suggest?q=shi"];

/// Fails unless `every_call` and `GET_CALLS` name exactly the registered server functions.
pub fn assert_every_function_listed() {
    let listed: BTreeSet<String> = every_call("shop")
        .into_iter()
        .map(|(name, _)| format!("/api/{name}"))
        .chain(
            GET_CALLS
                .iter()
                .map(|call| format!("/api/{}", call.split('?').next().unwrap_or(call))),
        )
        .collect();
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert_eq!(
        registered, listed,
        "a server function is missing from tests/it/endpoints.rs"
    );
}
