//! Who pays for a discount, as the ledger says it: a marketplace code is paid to the shop by
//! the marketplace (commission on the goods' full price), a shop's own code by the shop; a
//! refund of a discounted part takes the marketplace's share back with it.

use super::admin_people::operator;
use super::discounts::{apply, by_shop, console, create, shop};
use super::ledger::balance;
use super::people::{browser, member, user};
use super::shopping::{add, details, key, pay, place, stocked};
use super::support::{Browser, TestApp};
use app::money::commission::commission;
use http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_ledger_says_who_pays_for_a_discount(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    app.set_commission_bp(1000).await;
    let (a, shop_a) = (stocked(&pool, 0, 50).await, shop(&pool, 0).await);
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let made = console(&mut admin, create("MARKET20", "percent", "20")).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let owner = user(&pool, "owner@example.com", false).await;
    member(&pool, owner, &shop_a, "owner").await;
    let mut seller = browser(&app, "owner@example.com").await;
    let own = by_shop(&mut seller, &shop_a, create("SHOP20", "percent", "20")).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);

    let mut entries_of = Vec::new();
    for (code, email) in [("MARKET20", "m@example.com"), ("SHOP20", "s@example.com")] {
        let before = balance(&pool, &shop_a).await;
        let mut buyer = Browser::new(&app);
        add(&mut buyer, &a, 2).await;
        details(&mut buyer, email).await;
        let applied = apply(&mut buyer, code).await;
        assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
        let number = place(&mut buyer, &key()).await;
        pay(&mut buyer, number, true).await;
        let (subtotal, discount, funded, total): (i64, i64, i64, i64) = sqlx::query_as(
            "select vo.subtotal, vo.discount, vo.discount_funded, vo.total from vendor_orders vo
             join orders o on o.id = vo.order_id where o.number = $1",
        )
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(discount, commission(subtotal, 2000));
        let gained = balance(&pool, &shop_a).await - before;
        entries_of.push((code, subtotal, discount, funded, total, gained, number));
    }
    let (_, subtotal, discount, funded, total, gained, number) = entries_of[0];
    // The marketplace's code: the shop is paid the discount and charged commission on the
    // goods' full price.
    assert_eq!(funded, discount);
    assert_eq!(gained, total + funded - commission(total + funded, 1000));
    assert!(gained > total - commission(total, 1000));
    let kinds: Vec<(String, i64)> = sqlx::query_as(
        "select e.kind, e.amount from ledger_entries e join vendor_orders vo on vo.id = e.vendor_order_id
         join orders o on o.id = vo.order_id where o.number = $1 order by e.id",
    )
    .bind(number)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        kinds.contains(&("discount_funding".into(), discount)),
        "{kinds:?}"
    );
    let _ = subtotal;
    // The shop reads who pays on the order's page.
    let page = seller.get(&format!("/vendor/{shop_a}/orders/{number}")).await;
    assert!(
        page.body.contains("discount (paid to you by the marketplace)"),
        "{}",
        page.body
    );
    // The shop's own code: its sale is what the shopper paid, nothing from the marketplace.
    let (_, _, discount, funded, total, gained, _) = entries_of[1];
    assert!(discount > 0);
    assert_eq!(funded, 0);
    assert_eq!(gained, total - commission(total, 1000));

    // Refunding all of the marketplace-discounted part takes the funding back with it.
    let (part, left): (uuid::Uuid, i64) = sqlx::query_as(
        "select vo.id, vo.total from vendor_orders vo join orders o on o.id = vo.order_id where o.number = $1",
    )
    .bind(entries_of[0].6)
    .fetch_one(&pool)
    .await
    .unwrap();
    let before = balance(&pool, &shop_a).await;
    let here = format!("/admin/orders/{}", entries_of[0].6);
    let amount = format!("{}.{:02}", left / 100, left % 100);
    let refunded = admin
        .post_form(
            &here,
            &[
                ("_action", "refund"),
                ("part", &part.to_string()),
                ("amount", &amount),
                ("reason", "Returned"),
                ("key", &key()),
            ],
        )
        .await;
    assert_eq!(refunded.status, StatusCode::SEE_OTHER, "{}", refunded.body);
    assert_eq!(
        before - balance(&pool, &shop_a).await,
        entries_of[0].5,
        "the part nets to nothing"
    );
}
