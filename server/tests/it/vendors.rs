//! Becoming a vendor, staff, shop orders and the ledger, through the real router.

use super::accounts::{mailed_token, signed_in};
use super::authorization::{browser, member, user};
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::{Browser, TestApp};
use app::vendors::commission::commission;
use http::StatusCode;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::PgPool;

/// A platform admin with 2FA on, signed in.
async fn admin<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let pool = &app.state.app.pool;
    let id = user(pool, email, true).await;
    sqlx::query("update users set totp_secret = $2, totp_enabled_at = now() where id = $1")
        .bind(id)
        .bind(app::accounts::two_factor::new_secret())
        .execute(pool)
        .await
        .unwrap();
    browser(app, email).await
}

fn application(slug: &str) -> serde_json::Value {
    json!({"name": "River Pottery", "slug": slug, "description": "Bowls and mugs.\nFired in Vermont.",
           "contact_email": "hello@river.example", "country": "us"})
}

async fn vendor_status(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar("select status from vendors where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn vendor_id(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("select id from vendors where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

async fn mails_to(pool: &PgPool, recipient: &str) -> Vec<String> {
    sqlx::query_scalar("select subject from mail_outbox where recipient = $1 order by created_at")
        .bind(recipient)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_user_applies_and_staff_approve_reject_suspend_and_reinstate(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 20).await;
    let mut applicant = signed_in(&app, "maker@example.com").await;
    let vendors_before: i64 = sqlx::query_scalar("select count(*) from vendors")
        .fetch_one(&pool)
        .await
        .unwrap();

    // Bad input: a clear error on the field, nothing created.
    for (field, value) in [
        ("slug", json!("Bad Slug!")),
        ("slug", json!("ab")),
        ("country", json!("USA")),
        ("contact_email", json!("not-an-email")),
        ("name", json!("")),
        ("description", json!("x".repeat(2_001))),
    ] {
        let mut form = application("river-pottery");
        form[field] = value;
        let answer = applicant.call("vendor/apply", form).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{field}: {}", answer.body);
        assert!(answer.body.contains(field), "{field}: {}", answer.body);
    }
    let taken: String = sqlx::query_scalar("select slug from vendors limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let answer = applicant.call("vendor/apply", application(&taken)).await;
    assert!(answer.body.contains("taken"), "{}", answer.body);
    let count: i64 = sqlx::query_scalar("select count(*) from vendors")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, vendors_before);

    let applied = applicant.call("vendor/apply", application("river-pottery")).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(vendor_status(&pool, "river-pottery").await, "pending");
    let again = applicant
        .call("vendor/apply", application("river-pottery-two"))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "one application at a time");
    assert_eq!(mails_to(&pool, "hello@river.example").await.len(), 1);
    // The applicant owns the pending shop, which has shipping methods and can't be seen.
    let shops = body(&applicant.call("vendor/shops", json!({})).await.body);
    assert_eq!(shops[0]["vendor_slug"], "river-pottery");
    assert_eq!(shops[0]["role"], "owner");
    assert_eq!(shops[0]["vendor_status"], "pending");
    assert_eq!(app.get("/v/river-pottery").await.status, StatusCode::NOT_FOUND);
    let methods: i64 = sqlx::query_scalar(
        "select count(*) from shipping_methods m join vendors v on v.id = m.vendor_id where v.slug = 'river-pottery'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(methods, 2);

    let mut staff = admin(&app, "ops@example.com").await;
    let id = vendor_id(&pool, "river-pottery").await;
    let decide =
        |decision: &str, reason: &str| json!({"vendor_id": id, "decision": decision, "reason": reason});
    let listed = body(
        &staff
            .call("admin/vendors", json!({"status": "pending"}))
            .await
            .body,
    );
    let listed = listed["vendors"].as_array().unwrap();
    assert!(listed.iter().all(|v| v["status"] == "pending"));
    let mine = listed.iter().find(|v| v["slug"] == "river-pottery").unwrap();
    assert_eq!(mine["applicant"], "maker@example.com");

    let no_reason = staff.call("admin/vendors/decide", decide("reject", " ")).await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(no_reason.body.contains("reason"));
    let wrong = staff.call("admin/vendors/decide", decide("suspend", "x")).await;
    assert_eq!(
        wrong.status,
        StatusCode::CONFLICT,
        "a pending shop can't be suspended"
    );
    assert_eq!(vendor_status(&pool, "river-pottery").await, "pending");

    let approved = staff.call("admin/vendors/decide", decide("approve", "")).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(vendor_status(&pool, "river-pottery").await, "approved");
    let owner_mail = mails_to(&pool, "maker@example.com").await;
    assert!(owner_mail.iter().any(|s| s.contains("is open")), "{owner_mail:?}");
    assert_eq!(app.get("/v/river-pottery").await.status, StatusCode::OK);

    // Suspending takes a shop's products off the storefront and keeps them.
    let (shop, product): (String, String) = sqlx::query_as(
        "select v.slug, p.slug from products p join vendors v on v.id = p.vendor_id
         where p.status = 'active' and v.status = 'approved' and v.slug <> 'river-pottery' limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let other = vendor_id(&pool, &shop).await;
    let suspend = json!({"vendor_id": other, "decision": "suspend", "reason": "Counterfeit goods reported"});
    assert_eq!(
        staff.call("admin/vendors/decide", suspend).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/p/{product}")).await.status,
        StatusCode::NOT_FOUND
    );
    let outboxed: i64 = sqlx::query_scalar(
        "select count(*) from search_outbox o join products p on p.id = o.product_id join vendors v on v.id = p.vendor_id where v.slug = $1",
    )
    .bind(&shop)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(outboxed > 0, "the search index learns of the suspension");
    let reinstate = json!({"vendor_id": other, "decision": "reinstate"});
    assert_eq!(
        staff.call("admin/vendors/decide", reinstate).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get(&format!("/p/{product}")).await.status, StatusCode::OK);

    // A rejection tells the applicant why.
    let mut second = signed_in(&app, "second@example.com").await;
    let mut form = application("second-shop");
    form["contact_email"] = json!("second@example.com");
    assert_eq!(second.call("vendor/apply", form).await.status, StatusCode::OK);
    let second_id = vendor_id(&pool, "second-shop").await;
    let reject =
        json!({"vendor_id": second_id, "decision": "reject", "reason": "We only take ceramics this season"});
    assert_eq!(
        staff.call("admin/vendors/decide", reject).await.status,
        StatusCode::OK
    );
    let text: String = sqlx::query_scalar(
        "select text_body from mail_outbox where recipient = 'second@example.com' order by created_at desc limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(text.contains("We only take ceramics this season"), "{text}");
    // A rejected shop changes nothing.
    let invite = second
        .call(
            "vendor/staff/invite",
            json!({"vendor": "second-shop", "email": "x@example.com", "role": "staff"}),
        )
        .await;
    assert_eq!(invite.status, StatusCode::CONFLICT, "{}", invite.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn owners_invite_and_remove_staff_and_staff_cannot(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let shop: String =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let mut owner = browser(&app, "owner@example.com").await;

    let bad = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "nope", "role": "staff"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad_role = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "helper@example.com", "role": "admin"}),
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    let invited = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "Helper@Example.com", "role": "staff"}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let token = mailed_token(&pool, "helper@example.com", "/vendor/invite").await;

    // Someone else can't use the link; the invited address can, once.
    let mut stranger = signed_in(&app, "stranger@example.com").await;
    let refused = stranger
        .call("vendor/invite/accept", json!({"token": token}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("helper@example.com"), "{}", refused.body);
    let mut helper = signed_in(&app, "helper@example.com").await;
    let joined = helper.call("vendor/invite/accept", json!({"token": token})).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(body(&joined.body), json!(shop));
    let reused = helper.call("vendor/invite/accept", json!({"token": token})).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);

    // Staff read the staff list but can't invite or remove.
    let list = body(&helper.call("vendor/staff", json!({"vendor": shop})).await.body);
    assert_eq!(list["members"].as_array().unwrap().len(), 2);
    let helper_id = list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "helper@example.com")
        .unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let staff_invites = helper
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "x@example.com", "role": "owner"}),
        )
        .await;
    assert_eq!(staff_invites.status, StatusCode::FORBIDDEN);
    let staff_removes = helper
        .call(
            "vendor/staff/remove",
            json!({"vendor": shop, "user_id": owner_id.to_string()}),
        )
        .await;
    assert_eq!(staff_removes.status, StatusCode::FORBIDDEN);

    // The only owner stays; staff can be removed.
    let last = owner
        .call(
            "vendor/staff/remove",
            json!({"vendor": shop, "user_id": owner_id.to_string()}),
        )
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    let removed = owner
        .call(
            "vendor/staff/remove",
            json!({"vendor": shop, "user_id": helper_id}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    let gone = helper.call("vendor/staff", json!({"vendor": shop})).await;
    assert_eq!(gone.status, StatusCode::FORBIDDEN);

    // The staff page's forms work without JavaScript.
    let page = owner
        .post_form(
            &format!("/vendor/{shop}/staff"),
            &[
                ("_action", "invite"),
                ("email", "later@example.com"),
                ("role", "owner"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        page.header("location"),
        format!("/vendor/{shop}/staff?notice=invited")
    );
    let shown = owner.get(&format!("/vendor/{shop}/staff")).await;
    assert!(shown.body.contains("later@example.com"));
}

/// Sum of a shop's ledger.
pub async fn balance(pool: &PgPool, shop: &str) -> i64 {
    sqlx::query_scalar(
        "select coalesce(sum(e.amount), 0)::bigint from ledger_entries e join vendors v on v.id = e.vendor_id where v.slug = $1",
    )
    .bind(shop)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn sales_refunds_and_payouts_are_booked_once_in_the_ledger(pool: PgPool) {
    let app = TestApp::seeded(
        pool.clone(),
        40,
        &["--payout-delay-days", "0", "--commission-bp", "1000"],
    )
    .await;
    let (a, b) = (stocked(&pool, 0, 50).await, stocked(&pool, 1, 50).await);
    let mut ops = admin(&app, "ops@example.com").await;
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 3), (&b, 1), "ledger@example.com").await;
    let (shop_a, shop_b) = (parts[0].1.clone(), parts[1].1.clone());
    // Shop A has its own rate, set before the sale; changing it later changes nothing booked.
    let bad = ops
        .call(
            "admin/vendors/commission",
            json!({"vendor_id": vendor_id(&pool, &shop_a).await, "percent": "101"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let set = ops
        .call(
            "admin/vendors/commission",
            json!({"vendor_id": vendor_id(&pool, &shop_a).await, "percent": "12.5"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(balance(&pool, &shop_a).await, 0, "nothing before payment");
    pay(&mut guest, number, true).await;
    let (total_a, total_b) = (parts[0].2, parts[1].2);
    assert_eq!(balance(&pool, &shop_a).await, total_a - commission(total_a, 1250));
    assert_eq!(balance(&pool, &shop_b).await, total_b - commission(total_b, 1000));
    let set = ops
        .call(
            "admin/vendors/commission",
            json!({"vendor_id": vendor_id(&pool, &shop_a).await, "percent": "50"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);
    // A repeated success changes nothing.
    app::orders::server::payment_succeeded(&app.state.app, order_id(&pool, number).await, "test")
        .await
        .unwrap();
    assert_eq!(balance(&pool, &shop_a).await, total_a - commission(total_a, 1250));

    // The owner refunds part of A's share: the refund and the commission given back.
    let owner_id = user(&pool, "owner-a@example.com", false).await;
    member(&pool, owner_id, &shop_a, "owner").await;
    let mut owner = browser(&app, "owner-a@example.com").await;
    let refund = 700;
    let refunded = owner
        .call(
            "orders/refund",
            json!({"vendor_order_id": parts[0].0.to_string(), "amount": refund, "restock": false}),
        )
        .await;
    assert_eq!(refunded.status, StatusCode::OK, "{}", refunded.body);
    let net = total_a - refund;
    assert_eq!(balance(&pool, &shop_a).await, net - commission(net, 1250));

    // The money page says the same, and that payouts are simulated.
    let money = body(&owner.call("vendor/money", json!({"vendor": shop_a})).await.body);
    assert_eq!(money["balance"]["minor"], net - commission(net, 1250));
    assert_eq!(money["simulated"], true);
    assert_eq!(money["commission_bp"], 5000, "the rate now, for future sales");

    // Payouts: each shop's available balance once; running again pays nothing more.
    let paid = app::vendors::payouts::run_payouts(&app.state.app).await.unwrap();
    assert_eq!(paid, 2);
    assert_eq!(
        app::vendors::payouts::run_payouts(&app.state.app).await.unwrap(),
        0
    );
    assert_eq!(balance(&pool, &shop_a).await, 0);
    let payouts: Vec<(i64, String)> = sqlx::query_as(
        "select p.amount, p.provider from payouts p join vendors v on v.id = p.vendor_id where v.slug = $1",
    )
    .bind(&shop_a)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(payouts, vec![(net - commission(net, 1250), "test".to_string())]);
    // A refund after the payout leaves the shop owing the difference.
    let refunded = owner
        .call(
            "orders/refund",
            json!({"vendor_order_id": parts[0].0.to_string(), "amount": 100, "restock": false}),
        )
        .await;
    assert_eq!(refunded.status, StatusCode::OK);
    assert_eq!(
        balance(&pool, &shop_a).await,
        -100 + (commission(net, 1250) - commission(net - 100, 1250))
    );
}

async fn order_id(pool: &PgPool, number: i64) -> uuid::Uuid {
    sqlx::query_scalar("select id from orders where number = $1")
        .bind(number)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The ledger property over the real database: random orders, random partial refunds, and
/// the shop's balance is always sales minus commission minus refunds.
#[sqlx::test(migrations = "../migrations")]
async fn the_ledger_balances_for_random_payments_and_refunds(pool: PgPool) {
    let app = TestApp::seeded(pool.clone(), 40, &["--commission-bp", "1337"]).await;
    let (a, b) = (stocked(&pool, 0, 500).await, stocked(&pool, 1, 500).await);
    let owner_id = user(&pool, "owner@example.com", false).await;
    let shop: String = sqlx::query_scalar(
        "select v.slug from variants x join products p on p.id = x.product_id join vendors v on v.id = p.vendor_id where x.sku = $1",
    )
    .bind(&a)
    .fetch_one(&pool)
    .await
    .unwrap();
    member(&pool, owner_id, &shop, "owner").await;
    let mut owner = browser(&app, "owner@example.com").await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261122);
    let (mut sales, mut refunds, mut net_commission) = (0i64, 0i64, 0i64);
    for i in 0..6 {
        let (mut guest, number, parts) = two_shop_order(
            &app,
            (&a, rng.random_range(1..4)),
            (&b, 1),
            &format!("p{i}@example.com"),
        )
        .await;
        pay(&mut guest, number, true).await;
        let (part, _, total) = parts.into_iter().find(|p| p.1 == shop).unwrap();
        sales += total;
        let mut refunded = 0;
        for _ in 0..rng.random_range(0..4) {
            let left = total - refunded;
            if left == 0 {
                break;
            }
            let amount = rng.random_range(1..=left);
            let answer = owner
                .call(
                    "orders/refund",
                    json!({"vendor_order_id": part.to_string(), "amount": amount, "restock": false}),
                )
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            refunded += amount;
        }
        refunds += refunded;
        net_commission += commission(total - refunded, 1337);
        assert_eq!(
            balance(&pool, &shop).await,
            sales - net_commission - refunds,
            "after order {i}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn shops_see_and_handle_only_their_own_orders(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 2), (&b, 1), "parts@example.com").await;
    let (shop_a, shop_b) = (parts[0].1.clone(), parts[1].1.clone());
    let staff_a = user(&pool, "staff-a@example.com", false).await;
    member(&pool, staff_a, &shop_a, "staff").await;
    let owner_b = user(&pool, "owner-b@example.com", false).await;
    member(&pool, owner_b, &shop_b, "owner").await;
    let (mut staff, mut other) = (
        browser(&app, "staff-a@example.com").await,
        browser(&app, "owner-b@example.com").await,
    );
    let list = |shop: &str| json!({"vendor": shop, "filter": "to-ship"});
    let empty = body(&staff.call("vendor/orders", list(&shop_a)).await.body);
    assert_eq!(empty["orders"].as_array().unwrap().len(), 0, "unpaid parts wait");
    pay(&mut guest, number, true).await;
    let mine = body(&staff.call("vendor/orders", list(&shop_a)).await.body);
    assert_eq!(mine["orders"].as_array().unwrap().len(), 1);
    assert_eq!(mine["orders"][0]["number"], number);
    assert!(
        mine["orders"][0]["ship_to"]
            .as_str()
            .unwrap()
            .contains("Los Angeles")
    );
    assert_eq!(
        staff.call("vendor/orders", list(&shop_b)).await.status,
        StatusCode::FORBIDDEN
    );

    // B's owner can't touch A's part, whatever the call.
    let part_a = parts[0].0.to_string();
    for (call, args) in [
        (
            "orders/ship",
            json!({"vendor_order_id": part_a, "carrier": "UPS", "tracking_number": "1Z"}),
        ),
        (
            "orders/cancel",
            json!({"vendor_order_id": part_a, "reason": "no"}),
        ),
        (
            "orders/refund",
            json!({"vendor_order_id": part_a, "amount": 1, "restock": false}),
        ),
        ("orders/deliver", json!({"vendor_order_id": part_a})),
    ] {
        assert_eq!(
            other.call(call, args).await.status,
            StatusCode::NOT_FOUND,
            "{call}"
        );
    }
    // Staff ship but can't cancel (money moves: owners only).
    let cancel = staff
        .call(
            "orders/cancel",
            json!({"vendor_order_id": part_a, "reason": "no"}),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::FORBIDDEN);
    let shipped = staff
        .post_form(
            &format!("/vendor/{shop_a}/orders?filter=to-ship"),
            &[
                ("_action", "ship"),
                ("vendor_order_id", &part_a),
                ("carrier", "UPS"),
                ("tracking_number", "1Z999AA1"),
            ],
        )
        .await;
    assert_eq!(shipped.status, StatusCode::SEE_OTHER, "{}", shipped.body);
    let tracked: (String, Option<String>) =
        sqlx::query_as("select status, tracking_number from vendor_orders where id = $1")
            .bind(parts[0].0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(tracked, ("shipped".into(), Some("1Z999AA1".into())));

    // B's owner cancels B's part: refunded in full, restocked, the shopper told.
    let before = super::shopping::stock(&pool, &b).await;
    let empty_reason = other
        .call(
            "orders/cancel",
            json!({"vendor_order_id": parts[1].0.to_string(), "reason": ""}),
        )
        .await;
    assert_eq!(empty_reason.status, StatusCode::BAD_REQUEST);
    let cancelled = other
        .call(
            "orders/cancel",
            json!({"vendor_order_id": parts[1].0.to_string(), "reason": "Broken in the warehouse"}),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    let after = super::shopping::stock(&pool, &b).await;
    assert_eq!(after.0, before.0 + 1, "back in stock");
    let part_b: (String, i64, i64) =
        sqlx::query_as("select status, refunded, total from vendor_orders where id = $1")
            .bind(parts[1].0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(part_b.0, "cancelled");
    assert_eq!(part_b.1, part_b.2);
    assert_eq!(
        balance(&pool, &shop_b).await,
        0,
        "sale, commission and their reversal"
    );
    let mails = mails_to(&pool, "parts@example.com").await;
    assert!(
        mails.iter().any(|s| s.contains("cancelled its part")),
        "{mails:?}"
    );
    let twice = other
        .call(
            "orders/cancel",
            json!({"vendor_order_id": parts[1].0.to_string(), "reason": "again"}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // The dashboard counts A's sale and what waits.
    let dash = body(
        &staff
            .call("vendor/dashboard", json!({"vendor": shop_a}))
            .await
            .body,
    );
    assert_eq!(dash["sales_today"]["minor"], parts[0].2);
    assert_eq!(dash["chart"].as_array().unwrap().len(), 30);
    let page = staff.get(&format!("/vendor/{shop_a}")).await;
    assert!(page.body.contains("<svg"), "the chart is drawn on the server");
}
