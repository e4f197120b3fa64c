//! Payouts in the console through the real router and its forms: every shop's balance, a
//! hold the payout job respects and the shop reads, a payout made now, the failed ones listed
//! (and counted on the overview until the shop is paid again), one shop's ledger with the
//! balance after each entry; each action in the audit log.

use super::admin_people::operator;
use super::ledger::balance;
use super::people::{confirmed, member, user};
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::TestApp;
use super::vendors::mails_to;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

async fn payouts_of(pool: &PgPool, shop: &str) -> Vec<(i64, String)> {
    sqlx::query_as(
        "select p.amount, p.status from payouts p join vendors v on v.id = p.vendor_id where v.slug = $1 order by p.created_at",
    )
    .bind(shop)
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn audit_of(pool: &PgPool, shop: &str) -> Vec<String> {
    sqlx::query_scalar(
        "select l.action from audit_log l join vendors v on l.subject_kind = 'vendor' and l.subject_id = v.id::text
         where v.slug = $1 and l.action like 'payouts.%' order by l.id",
    )
    .bind(shop)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_operator_holds_releases_and_pays_out_a_shop(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    app.set_payout_delay_days(0).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 1), (&b, 1), "buyer@example.com").await;
    pay(&mut guest, number, true).await;
    let (shop_a, shop_b) = (parts[0].1.clone(), parts[1].1.clone());
    let owed = balance(&pool, &shop_a).await;
    assert!(owed > 0);
    sqlx::query("update vendors set contact_email = 'shop-a@example.com' where slug = $1")
        .bind(&shop_a)
        .execute(&pool)
        .await
        .unwrap();
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let here = format!("/admin/payouts/{shop_a}");

    let list = body(
        &admin
            .call("admin/payouts", json!({"q": shop_a.clone(), "status": "all"}))
            .await
            .body,
    );
    let row = &list["shops"][0];
    assert_eq!(
        (row["slug"].as_str(), row["available"]["minor"].as_i64()),
        (Some(shop_a.as_str()), Some(owed))
    );

    // A hold needs a reason; with one, the shop is mailed and the job leaves it alone.
    let bare = admin
        .post_form(&here, &[("_action", "hold"), ("reason", "  ")])
        .await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST, "{}", bare.body);
    let held = admin
        .post_form(
            &here,
            &[("_action", "hold"), ("reason", "Chargeback <b>dispute</b> open")],
        )
        .await;
    assert_eq!(
        held.header("location"),
        format!("{here}?notice=payouts-held"),
        "{}",
        held.body
    );
    assert_eq!(
        mails_to(&pool, "shop-a@example.com").await,
        ["Your payouts are on hold"]
    );
    assert_eq!(
        app::money::payouts::run_payouts(&app.state.app).await.unwrap(),
        1,
        "shop B only"
    );
    assert!(payouts_of(&pool, &shop_a).await.is_empty());
    assert_eq!(payouts_of(&pool, &shop_b).await.len(), 1);
    let now = admin.post_form(&here, &[("_action", "pay-now")]).await;
    assert_eq!(now.status, StatusCode::CONFLICT, "{}", now.body);

    // The shop's owner reads the reason, as text.
    let owner_id = user(&pool, "owner-a@example.com", false).await;
    member(&pool, owner_id, &shop_a, "owner").await;
    let mut owner = confirmed(&app, "owner-a@example.com").await;
    let money = owner.get(&format!("/vendor/{shop_a}/money")).await.body;
    assert!(
        money.contains("Chargeback &lt;b&gt;dispute&lt;/b&gt; open"),
        "{money}"
    );

    // Released and paid out now: the available balance goes, once.
    let released = admin.post_form(&here, &[("_action", "release")]).await;
    assert_eq!(
        released.header("location"),
        format!("{here}?notice=payouts-released")
    );
    let paid = admin.post_form(&here, &[("_action", "pay-now")]).await;
    assert_eq!(
        paid.header("location"),
        format!("{here}?notice=paid-out"),
        "{}",
        paid.body
    );
    assert_eq!(payouts_of(&pool, &shop_a).await, [(owed, "paid".to_string())]);
    assert_eq!(balance(&pool, &shop_a).await, 0);
    let again = admin.post_form(&here, &[("_action", "pay-now")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "nothing left: {}", again.body);
    assert_eq!(
        audit_of(&pool, &shop_a).await,
        ["payouts.hold", "payouts.release", "payouts.pay_now"]
    );

    // The ledger with its running balance: the sale, the commission, then the payout to zero.
    let page = body(
        &admin
            .call("admin/payouts/shop", json!({"shop": shop_a}))
            .await
            .body,
    );
    let ledger = page["ledger"].as_array().unwrap();
    assert_eq!(ledger[0]["balance"]["minor"], 0, "after the payout");
    assert_eq!(ledger[1]["balance"]["minor"], owed);
    let html = admin.get(&here).await.body;
    assert!(
        html.contains("Balance after") && html.contains(&format!("/admin/orders/{number}")),
        "{html}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn failed_payouts_are_listed_and_alerted_until_the_shop_is_paid_again(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    app.set_payout_delay_days(0).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 1), (&b, 1), "buyer@example.com").await;
    pay(&mut guest, number, true).await;
    let shop_a = parts[0].1.clone();
    // A transfer the provider refused: failed, its amount back in the balance (as `payouts.rs`
    // books it).
    sqlx::query(
        "with p as (insert into payouts (vendor_id, amount, currency, provider, status, failure_message)
                    select id, 500, 'USD', 'stripe', 'failed', 'account closed' from vendors where slug = $1 returning id, vendor_id)
         insert into ledger_entries (vendor_id, kind, amount, payout_id, memo)
         select vendor_id, 'payout', -500, id, 'transfer' from p union all select vendor_id, 'payout_reversal', 500, id, 'failed' from p",
    )
    .bind(&shop_a)
    .execute(&pool)
    .await
    .unwrap();
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let failed = body(
        &admin
            .call("admin/payouts", json!({"status": "failed"}))
            .await
            .body,
    );
    let rows = failed["payouts"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0]["shop_slug"].as_str(), rows[0]["failure"].as_str()),
        (Some(shop_a.as_str()), Some("account closed"))
    );
    let overview = admin.get("/admin").await.body;
    assert!(
        overview.contains("1 payout failed (not paid since)"),
        "{overview}"
    );
    let retry = admin.get(&format!("/admin/payouts/{shop_a}")).await.body;
    assert!(retry.contains("Retry the payout now"), "{retry}");
    let paid = admin
        .post_form(&format!("/admin/payouts/{shop_a}"), &[("_action", "pay-now")])
        .await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
    let overview = admin.get("/admin").await.body;
    assert!(!overview.contains("payout failed"), "{overview}");
    // Another shop's slug that does not exist is not found; bad filters mean the open ones.
    let none = admin
        .call(
            "admin/payouts/act",
            json!({"shop": "no-such-shop", "action": {"action": "release"}}),
        )
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let open = body(&admin.call("admin/payouts", json!({"status": "<x>"})).await.body);
    assert_eq!(open["filter"], "Open");
}
