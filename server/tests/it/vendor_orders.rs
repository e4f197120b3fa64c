//! A shop's parts of orders through the real router: listed for the shop only, shipped by
//! staff, cancelled and refunded by owners, never reachable by another shop.

use super::ledger::balance;
use super::people::{browser, confirmed, member, user};
use super::shopping::{add, body, details, key, order_status, pay, place, stock, stocked, two_shop_order};
use super::support::Browser;
use super::support::TestApp;
use super::vendors::mails_to;
use app::money::commission::commission;
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

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
        confirmed(&app, "owner-b@example.com").await,
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
        ("orders/refund", json!({"vendor_order_id": part_a, "amount": 1})),
        ("orders/deliver", json!({"vendor_order_id": part_a})),
        (
            "orders/cancel-lines",
            json!({"vendor_order_id": part_a, "lines": [], "reason": "no"}),
        ),
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
    let page = super::shopping::part_page(&staff, &part_a).await;
    let shipped = staff
        .post_form(
            &page,
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

    // Sales in money, and their chart, are for owners: staff's dashboard has units only.
    let dash = body(
        &staff
            .call("vendor/dashboard", json!({"vendor": shop_a}))
            .await
            .body,
    );
    assert_eq!(dash["sales"], serde_json::Value::Null);
    assert_eq!(dash["top"][0]["units"], 2);
    let page = staff.get(&format!("/vendor/{shop_a}")).await;
    assert!(
        !page.body.contains(r#"aria-labelledby="chart-caption""#),
        "no sales chart for staff"
    );
    let dash = body(
        &other
            .call("vendor/dashboard", json!({"vendor": shop_b}))
            .await
            .body,
    );
    assert_eq!(dash["sales"]["chart"].as_array().unwrap().len(), 30);
    let page = other.get(&format!("/vendor/{shop_b}")).await;
    assert!(
        page.body.contains(r#"aria-labelledby="chart-caption""#),
        "the chart is drawn on the server"
    );
}

/// Two SKUs of the first approved shop with 10 units each, and the shop's slug.
async fn two_of_one_shop(pool: &PgPool) -> (String, String, String) {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select v.sku, s.slug from variants v join products p on p.id = v.product_id join vendors s on s.id = p.vendor_id
         where p.status = 'active' and s.id = (select id from vendors where status = 'approved' order by slug limit 1)
         order by v.sku limit 2",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    sqlx::query("update variants set stock_on_hand = 10, stock_reserved = 0 where sku = any($1)")
        .bind(rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>())
        .execute(pool)
        .await
        .unwrap();
    (rows[0].0.clone(), rows[1].0.clone(), rows[0].1.clone())
}

#[sqlx::test(migrations = "../migrations")]
async fn owners_cancel_some_units_before_shipping(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (x, y, shop) = two_of_one_shop(&pool).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &x, 3).await;
    add(&mut guest, &y, 1).await;
    details(&mut guest, "lines@example.com").await;
    let number = place(&mut guest, &key()).await;
    pay(&mut guest, number, true).await;
    assert_eq!((stock(&pool, &x).await.0, stock(&pool, &y).await.0), (7, 9));
    let (part, subtotal, total): (uuid::Uuid, i64, i64) = sqlx::query_as(
        "select vo.id, vo.subtotal, vo.total from vendor_orders vo join orders o on o.id = vo.order_id where o.number = $1",
    )
    .bind(number)
    .fetch_one(&pool)
    .await
    .unwrap();
    let items: Vec<(uuid::Uuid, String, i64)> =
        sqlx::query_as("select id, sku, unit_price from order_items where vendor_order_id = $1 order by sku")
            .bind(part)
            .fetch_all(&pool)
            .await
            .unwrap();
    let item = |sku: &str| items.iter().find(|i| i.1 == sku).unwrap().clone();
    let (x_item, y_item) = (item(&x), item(&y));
    let owner = user(&pool, "lines-owner@example.com", false).await;
    member(&pool, owner, &shop, "owner").await;
    let staff_id = user(&pool, "lines-staff@example.com", false).await;
    member(&pool, staff_id, &shop, "staff").await;
    let (mut owner, mut staff) = (
        confirmed(&app, "lines-owner@example.com").await,
        browser(&app, "lines-staff@example.com").await,
    );
    let lines = |units: &[(&uuid::Uuid, u32)]| {
        json!({"vendor_order_id": part.to_string(), "reason": "Only one left on the shelf",
               "lines": units.iter().map(|(id, q)| json!({"item_id": id.to_string(), "quantity": q})).collect::<Vec<_>>()})
    };

    // Refused, nothing changed: staff; no units; more units than ordered; an item of another order.
    let by_staff = staff.call("orders/cancel-lines", lines(&[(&x_item.0, 1)])).await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN);
    for (units, message) in [
        (vec![(&x_item.0, 0)], "Choose how many units"),
        (vec![(&x_item.0, 4)], "Only 3 of"),
        (vec![(&part, 1)], "not part of this order"),
    ] {
        let refused = owner.call("orders/cancel-lines", lines(&units)).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains(message), "{}", refused.body);
    }
    let refunded: i64 = sqlx::query_scalar("select refunded from vendor_orders where id = $1")
        .bind(part)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((refunded, stock(&pool, &x).await.0), (0, 7));

    // Two of the three x, from the portal's plain form: their price and tax come back, the units
    // are on sale again, the rest of the part still waits to ship.
    let x_field = format!("cancel-{}", x_item.0);
    let y_field = format!("cancel-{}", y_item.0);
    let part_id = part.to_string();
    let page = super::shopping::part_page(&owner, &part_id).await;
    let cancelled = owner
        .post_form(
            &page,
            &[
                ("_action", "cancel-lines"),
                ("vendor_order_id", &part_id),
                (&x_field, "2"),
                (&y_field, "0"),
                ("reason", "Only one left on the shelf"),
            ],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER, "{}", cancelled.body);
    let after: (String, i64) = sqlx::query_as("select status, refunded from vendor_orders where id = $1")
        .bind(part)
        .fetch_one(&pool)
        .await
        .unwrap();
    let goods = 2 * x_item.2;
    let tax = total
        - subtotal
        - sqlx::query_scalar::<_, i64>("select shipping from vendor_orders where id = $1")
            .bind(part)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(after.0, "awaiting_fulfilment");
    assert!(
        after.1 >= goods && after.1 <= goods + tax,
        "goods and their tax: {after:?}"
    );
    assert_eq!(stock(&pool, &x).await.0, 9);
    assert_eq!(order_status(&pool, number).await, "partially_refunded");
    let net = total - after.1;
    assert_eq!(
        balance(&pool, &shop).await,
        net - commission(net, 1000),
        "the default 10 % of what is left"
    );
    let page = guest.get(&format!("/orders/{number}")).await;
    assert!(page.body.contains("2 cancelled"), "the shopper sees it");
    let mails = mails_to(&pool, "lines@example.com").await;
    assert!(
        mails.iter().any(|s| s.contains("cancelled some items")),
        "{mails:?}"
    );

    // Cancelling everything left cancels the part: all refunded, all back in stock.
    let rest = owner
        .call("orders/cancel-lines", lines(&[(&x_item.0, 1), (&y_item.0, 1)]))
        .await;
    assert_eq!(rest.status, StatusCode::OK, "{}", rest.body);
    let done: (String, i64) = sqlx::query_as("select status, refunded from vendor_orders where id = $1")
        .bind(part)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(done, ("cancelled".into(), total));
    assert_eq!((stock(&pool, &x).await.0, stock(&pool, &y).await.0), (10, 10));
    assert_eq!(balance(&pool, &shop).await, 0);
    let again = owner.call("orders/cancel-lines", lines(&[(&x_item.0, 1)])).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}
