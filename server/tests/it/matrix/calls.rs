//! The server functions of the matrix: each with arguments naming real objects (customer B's
//! order, address and cart; shop B's product, images, invitation and order part) and the
//! exact set of people allowed. Shop functions are listed once per shop, and shop B's
//! objects are also tried through shop A, where they must not be found.

use super::world::{EVERYONE, Need, Who, World, signed_in};
use serde_json::{Value, json};

/// One row: a server function, its arguments (per caller where each needs its own object),
/// who may call it, and a status that also counts as a refusal (besides 401, 403 and 404).
pub struct Call {
    pub name: &'static str,
    pub args: Args,
    pub allowed: Vec<Who>,
    pub also_refused: Option<u16>,
}

pub enum Args {
    Same(Value),
    /// Each caller gets its own object (the call destroys it).
    PerCaller(Vec<(Who, Value)>),
}

impl Args {
    pub fn for_caller(&self, who: Who) -> Value {
        match self {
            Args::Same(value) => value.clone(),
            Args::PerCaller(values) => values
                .iter()
                .find(|(w, _)| *w == who)
                .map(|(_, v)| v.clone())
                .expect("arguments for every caller"),
        }
    }
}

fn call(name: &'static str, args: Value, allowed: &[Who]) -> Call {
    Call {
        name,
        args: Args::Same(args),
        allowed: allowed.to_vec(),
        also_refused: None,
    }
}

/// Every JSON server function, in the order they are tried: reads and harmless calls first,
/// then the calls that change or destroy what later rows do not need.
pub fn all(world: &World) -> Vec<Call> {
    use Who::*;
    let signed_in = signed_in();
    let b = world.shop(1);
    let b_number = world.b_order.to_string();
    let admin = [Admin];
    // Money out of shop B: its owner (this session confirmed who it is) and an admin whose
    // session passed the second factor.
    let b_money = [OwnerB, Admin];
    let mut calls = vec![
        call("site_info", json!({}), EVERYONE),
        call("home", json!({}), EVERYONE),
        call("category", json!({"slug": "clothing", "query": {}}), EVERYONE),
        call("product", json!({"slug": world.b_product_slug}), EVERYONE),
        call("vendor", json!({"slug": b.slug, "query": {}}), EVERYONE),
        call("search", json!({"query": {"q": "shirt"}}), EVERYONE),
        call("account/register", json!({"email": "x", "password": "", "name": ""}), EVERYONE),
        call("account/verify", json!({"token": "unknown"}), EVERYONE),
        call("account/login", json!({"email": "", "password": "", "next": ""}), EVERYONE),
        call("account/login_code", json!({"code": "000000"}), EVERYONE),
        call("account/forgot", json!({"email": "x"}), EVERYONE),
        call("account/reset", json!({"token": "unknown", "password": ""}), EVERYONE),
        call("account/email_confirm", json!({"token": "unknown"}), EVERYONE),
        call("account/me", json!({}), &signed_in),
        call("account/profile", json!({"name": "Name"}), &signed_in),
        call("account/password", json!({"current_password": "wrong", "new_password": ""}), &signed_in),
        call("account/email", json!({"new_email": "x", "password": ""}), &signed_in),
        call("account/delete", json!({"password": "wrong"}), &signed_in),
        call("account/addresses", json!({}), &signed_in),
        call("account/security", json!({}), &signed_in),
        call("account/totp_start", json!({"password": "wrong"}), &signed_in),
        call("account/totp_confirm", json!({"code": "000000", "password": "wrong"}), &signed_in),
        call("account/recovery_codes", json!({"code": "000000"}), &signed_in),
        call("account/totp_disable", json!({"code": "000000", "password": "wrong"}), &signed_in),
        call("account/confirm", json!({"password": "wrong", "code": "000000", "next": "/"}), &signed_in),
        call("account/sign_out_others", json!({}), &signed_in),
        // Customer B's address: only Customer B finds it.
        call(
            "account/address_save",
            json!({"id": world.b_address, "address": {"full_name": "Someone Else", "line1": "9 Other Road",
                   "city": "Reno", "region": "NV", "postal_code": "89501", "country": "US"}}),
            &[CustomerB],
        ),
        call("vendor/shops", json!({}), &signed_in),
        call("vendor/apply", json!({"name": "", "slug": "", "contact_email": "", "country": ""}), &signed_in),
        call("vendor/invite/accept", json!({"token": "unknown"}), &signed_in),
        // Carts and checkouts belong to the session or account: there is no id to name.
        call("cart/view", json!({}), EVERYONE),
        call("cart/count", json!({}), EVERYONE),
        // Customer B's cart line, named by its SKU: everyone else finds no such line in their
        // own cart; Customer B's keeps it (checked after the matrix).
        Call {
            name: "cart/update",
            args: Args::PerCaller(
                EVERYONE
                    .iter()
                    .map(|who| (*who, json!({"sku": world.b_cart_sku, "quantity": if *who == CustomerB { 2 } else { 0 }})))
                    .collect(),
            ),
            allowed: vec![CustomerB],
            also_refused: None,
        },
        call("cart/add", json!({"sku": "NO-SUCH", "quantity": 1}), EVERYONE),
        call("checkout/view", json!({}), EVERYONE),
        call("checkout/details", json!({"details": {}}), EVERYONE),
        call("checkout/place", json!({"key": "x"}), EVERYONE),
        // Shop B's code, tried by anyone: without checkout details it is refused (400) and
        // nothing is kept.
        call("checkout/code", json!({"code": "SHOPB10"}), EVERYONE),
        // Customer B's order: Customer B and admins whose session passed the second factor.
        call("orders/detail", json!({"number": b_number}), &[CustomerB, Admin]),
        call("checkout/pay_test", json!({"number": b_number, "succeed": true}), &[CustomerB, Admin]),
        call("orders/lookup", json!({"number": b_number, "email": "customer-b@example.com"}), EVERYONE),
        call("orders/history", json!({}), &signed_in),
        call("admin/overview", json!({}), &admin),
        call("admin/vendors", json!({}), &admin),
        // An empty reason is refused for a rejection: nothing changes, whoever asks.
        call(
            "admin/vendors/decide",
            json!({"vendor_id": world.pending_vendor_id, "decision": "reject", "reason": ""}),
            &admin,
        ),
        call("admin/vendors/commission", json!({"vendor_id": world.b_vendor_id, "percent": "12"}), &admin),
        // The console's people: Customer B's account. Sending the confirmation link again to
        // a confirmed address changes nothing, whoever asks (an admin is told why: 409).
        call("admin/people", json!({"q": "customer-b"}), &admin),
        call("admin/person", json!({"id": world.b_customer_id}), &admin),
        call(
            "admin/person/act",
            json!({"id": world.b_customer_id, "action": {"action": "resend-verification"}}),
            &admin,
        ),
        call("admin/audit", json!({}), &admin),
        call("admin/orders", json!({"search": b_number}), &admin),
        // Customer B's order in the console. Cancelling it without a reason is refused,
        // whoever asks (an admin is told why: 400), and it is paid anyway.
        call("admin/order", json!({"number": b_number}), &admin),
        // Shop B's payouts. Holding them without a reason is refused, whoever asks.
        call("admin/payouts", json!({"q": b.slug}), &admin),
        // The platform's settings: an impossible commission is refused, whoever asks.
        call("admin/settings", json!({}), &admin),
        call(
            "admin/settings/change",
            json!({"change": {"general": {"commission": "101", "reservation_minutes": "30", "payout_delay_days": "7"}}}),
            &admin,
        ),
        call("admin/payouts/shop", json!({"shop": b.slug}), &admin),
        // Every code, and shop B's own disabled from the console.
        call("admin/discounts", json!({}), &admin),
        call(
            "admin/discounts/act",
            json!({"action": {"disable": {"id": world.b_code}}}),
            &admin,
        ),
        call(
            "admin/payouts/act",
            json!({"shop": b.slug, "action": {"action": "hold", "reason": ""}}),
            &admin,
        ),
        call(
            "admin/order/act",
            json!({"number": b_number, "action": {"action": "cancel", "reason": ""}}),
            &admin,
        ),
        // Reporting shop B's product: any signed-in shopper (a reason nobody offers is
        // refused, and nothing is filed).
        call("catalog/report/target", json!({"slug": world.b_product_slug}), &signed_in),
        call(
            "catalog/report",
            json!({"slug": world.b_product_slug, "reason": "nonsense"}),
            &signed_in,
        ),
        // The console's catalogue, with shop B's product. Dismissing reports it doesn't have
        // changes nothing, whoever asks (an admin is told why: 409).
        call("admin/products", json!({"q": world.b_product_slug}), &admin),
        call("admin/product", json!({"id": world.b_product}), &admin),
        call(
            "admin/product/act",
            json!({"id": world.b_product, "action": {"action": "dismiss"}}),
            &admin,
        ),
        call("admin/analytics", json!({"period": "30"}), &admin),
        call("admin/reports", json!({"from": "2026-01-01", "to": "2026-01-31"}), &admin),
        // The category tree: a category without a name is refused, whoever asks.
        call("admin/categories", json!({}), &admin),
        call(
            "admin/categories/change",
            json!({"change": {"action": "create", "name": "", "slug": "", "parent": "clothing"}}),
            &admin,
        ),
    ];
    calls.extend(shop_calls(world));
    calls.extend(shop_b_objects(world));
    // Shop B's order part: its members and admins ship and deliver; money goes out by its
    // owner or an admin (admins whose session passed the second factor, as for all admin power).
    let part = &world.b_part;
    let fulfil: Vec<Who> = b.allowed(Need::Edit).into_iter().chain([Admin]).collect();
    calls.extend([
        call("orders/ship", json!({"vendor_order_id": part, "carrier": "UPS", "tracking_number": "1Z999"}), &fulfil),
        call("orders/refund", json!({"vendor_order_id": part, "amount": 1, "restock": [], "key": "matrix-refund"}), &b_money),
        call(
            "orders/cancel-lines",
            json!({"vendor_order_id": part, "lines": [{"item_id": world.b_item, "quantity": 1}], "reason": "x", "key": "matrix-lines"}),
            &b_money,
        ),
        call("orders/deliver", json!({"vendor_order_id": part}), &fulfil),
        call("orders/cancel", json!({"vendor_order_id": part, "reason": "x"}), &b_money),
        call("account/address_delete", json!({"id": world.b_address}), &[CustomerB]),
    ]);
    calls
}

/// The functions of a shop, for each shop: who passes depends on the shop's status and the
/// caller's role in it (`Need`).
fn shop_calls(world: &World) -> Vec<Call> {
    let mut calls = Vec::new();
    for shop in &world.shops {
        let vendor = json!(shop.slug);
        let reads = [
            ("vendor/dashboard", json!({"vendor": vendor})),
            ("vendor/orders", json!({"vendor": vendor})),
            ("vendor/products", json!({"vendor": vendor})),
            ("vendor/product", json!({"vendor": vendor, "id": ""})),
            ("vendor/inventory", json!({"vendor": vendor})),
            ("vendor/import_report", json!({"vendor": vendor})),
        ];
        for (name, args) in reads {
            calls.push(call(name, args, &shop.allowed(Need::Read)));
        }
        for name in [
            "vendor/money",
            "vendor/staff",
            "vendor/activity",
            "vendor/discounts",
        ] {
            calls.push(call(
                name,
                json!({"vendor": vendor}),
                &shop.allowed(Need::OwnerRead),
            ));
        }
        let mut new_product = world.b_product_input.clone();
        new_product["title"] = json!(format!("Matrix test product {}", shop.slug));
        new_product["variants"] = json!([]);
        calls.push(call(
            "vendor/product/save",
            json!({"vendor": vendor, "id": "", "input": new_product}),
            &shop.allowed(Need::Edit),
        ));
        calls.push(call(
            "vendor/inventory/threshold",
            json!({"vendor": vendor, "threshold": "3"}),
            &shop.allowed(Need::Edit),
        ));
        calls.push(call(
            "vendor/staff/invite",
            json!({"vendor": vendor, "email": format!("new-{}@example.com", shop.slug), "role": "staff"}),
            &shop.allowed(Need::Owner),
        ));
        calls.push(call(
            "vendor/connect",
            json!({"vendor": vendor}),
            &shop.allowed(Need::Owner),
        ));
        // A code without a name is refused (400) for those let in: nothing is made.
        calls.push(call(
            "vendor/discounts/act",
            json!({"vendor": vendor, "action": {"create": {"code": "", "kind": "percent", "value": "10"}}}),
            &shop.allowed(Need::Owner),
        ));
    }
    calls
}

/// Shop B's product, images, stock, people and invitation: through shop B its members pass
/// (by role); through shop A nobody finds them.
fn shop_b_objects(world: &World) -> Vec<Call> {
    let (a, b) = (world.shop(0), world.shop(1));
    let mut calls = Vec::new();
    for (shop, through_b) in [(a, false), (b, true)] {
        let allowed = |need: Need| if through_b { b.allowed(need) } else { Vec::new() };
        let vendor = json!(shop.slug);
        calls.extend([
            call(
                "vendor/product",
                json!({"vendor": vendor, "id": world.b_product}),
                &allowed(Need::Read),
            ),
            call(
                "vendor/product/save",
                json!({"vendor": vendor, "id": world.b_product, "input": world.b_product_input}),
                &allowed(Need::Edit),
            ),
            call(
                "vendor/product/image_alt",
                json!({"vendor": vendor, "image_id": world.b_image, "alt": "changed"}),
                &allowed(Need::Edit),
            ),
            call(
                "vendor/product/image_move",
                json!({"vendor": vendor, "image_id": world.b_image, "earlier": true}),
                &allowed(Need::Edit),
            ),
        ]);
        // A SKU of another shop is a field error of the inventory form (nothing is changed).
        calls.push(Call {
            also_refused: (!through_b).then_some(400),
            ..call(
                "vendor/inventory/save",
                json!({"vendor": vendor, "changes": [[world.b_sku, "42"]]}),
                &allowed(Need::Edit),
            )
        });
        let per_caller = EVERYONE
            .iter()
            .map(|who| {
                let image = world.b_images.get(who).unwrap_or(&world.b_image);
                (*who, json!({"vendor": vendor, "image_id": image}))
            })
            .collect();
        calls.push(Call {
            name: "vendor/product/image_delete",
            args: Args::PerCaller(per_caller),
            allowed: allowed(Need::Edit),
            also_refused: None,
        });
        calls.extend([
            call(
                "vendor/staff/revoke",
                json!({"vendor": vendor, "invite_id": world.b_invite}),
                &allowed(Need::Owner),
            ),
            call(
                "vendor/staff/remove",
                json!({"vendor": vendor, "user_id": world.b_spare_member}),
                &allowed(Need::Owner),
            ),
            call(
                "vendor/discounts/act",
                json!({"vendor": vendor, "action": {"enable": {"id": world.b_code}}}),
                &allowed(Need::Owner),
            ),
        ]);
    }
    calls
}
