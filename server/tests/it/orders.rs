//! Orders through the real router on a real database: stock never oversold, double submits,
//! declines, refunds, fulfilment, and who may see which order (expiry: `expiry.rs`).

use super::accounts::signed_in;
use super::shopping::*;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_guest_buys_from_two_vendors_and_pays(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let mut guest = Browser::new(&app);
    add(&mut guest, &a, 2).await;
    add(&mut guest, &b, 1).await;
    let count = guest.call("cart/count", json!({})).await;
    assert_eq!(count.body, "3");

    let cart = body(
        &guest
            .call("cart/view", json!({"country": "US", "region": "CA"}))
            .await
            .body,
    );
    let quote = &cart["quote"];
    assert_eq!(quote["vendors"].as_array().unwrap().len(), 2, "grouped by vendor");
    let total = quote["total"]["minor"].as_i64().unwrap();
    let sum: i64 = ["subtotal", "shipping", "tax"]
        .iter()
        .map(|k| quote[k]["minor"].as_i64().unwrap())
        .sum();
    assert_eq!(total, sum);
    assert_eq!(quote["tax_lines"][0]["rate_bp"], 725);

    details(&mut guest, "guest@example.com").await;
    let number = place(&mut guest, &key()).await;
    assert_eq!(order_status(&pool, number).await, "pending_payment");
    assert_eq!(stock(&pool, &a).await, (10, 2), "reserved, still on the shelf");

    assert_eq!(pay(&mut guest, number, true).await, "paid");
    assert_eq!(stock(&pool, &a).await, (8, 0), "sold");
    assert_eq!(stock(&pool, &b).await, (9, 0));
    let parts: Vec<String> = sqlx::query_scalar(
        "select vo.status from vendor_orders vo join orders o on o.id = vo.order_id where o.number = $1",
    )
    .bind(number)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(parts, ["awaiting_fulfilment", "awaiting_fulfilment"]);
    // The order's total is what the cart showed, and the parts add up to it.
    let (order_total, parts_total): (i64, i64) = sqlx::query_as(
        "select o.total, (select sum(total)::bigint from vendor_orders where order_id = o.id) from orders o where number = $1",
    )
    .bind(number)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((order_total, parts_total), (total, total));
    // Every change was recorded with its actor.
    let events: Vec<(String, String)> = sqlx::query_as(
        "select to_status, actor from order_events e join orders o on o.id = e.order_id
         where o.number = $1 and e.vendor_order_id is null order by e.id",
    )
    .bind(number)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(events[0], ("pending_payment".into(), "guest".into()));
    assert_eq!(events[1].0, "paid");
    // The cart is empty, the confirmation is in the outbox, the guest sees the order.
    assert_eq!(guest.call("cart/count", json!({})).await.body, "0");
    let subject: String =
        sqlx::query_scalar("select subject from mail_outbox where recipient = 'guest@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(subject, format!("Your order #{number} is confirmed"));
    let page = guest.get(&format!("/orders/{number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Being prepared"), "{}", page.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_declined_payment_releases_stock_and_the_cart_can_try_again(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 3).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 3).await;
    details(&mut guest, "decline@example.com").await;
    let first = place(&mut guest, &key()).await;
    assert_eq!(stock(&pool, &sku).await, (3, 3));
    assert_eq!(pay(&mut guest, first, false).await, "payment_failed");
    assert_eq!(stock(&pool, &sku).await, (3, 0), "released");
    assert_eq!(guest.call("cart/count", json!({})).await.body, "3", "cart kept");
    // A failed order can't be paid any more; a new one can.
    let again = guest
        .call(
            "checkout/pay_test",
            json!({"number": first.to_string(), "succeed": true}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let second = place(&mut guest, &key()).await;
    assert_eq!(pay(&mut guest, second, true).await, "paid");
    assert_eq!(stock(&pool, &sku).await, (0, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn refunds_are_partial_or_full_per_vendor_and_can_restock(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 10).await, stocked(&pool, 1, 10).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 2), (&b, 1), "refund@example.com").await;
    let parts: Vec<(uuid::Uuid, i64)> = parts.into_iter().map(|(id, _, total)| (id, total)).collect();
    let state = &app.state.app;
    let refund = |part: uuid::Uuid, amount: i64, restock: bool| async move {
        use app::orders::server::Restock;
        let key = app::money::refunds::new_key();
        let restock = if restock {
            Restock::Everything
        } else {
            Restock::Nothing
        };
        app::money::refunds::refund(
            state,
            part,
            (amount, restock),
            "test",
            &key,
            &app::audit::By::system("admin"),
        )
        .await
    };
    // Not before it is paid.
    assert!(matches!(
        refund(parts[0].0, 100, false).await,
        Err(app::error::AppError::Conflict(_))
    ));
    pay(&mut guest, number, true).await;
    refund(parts[0].0, 100, false).await.unwrap();
    assert_eq!(order_status(&pool, number).await, "partially_refunded");
    // More than what is left of that part is refused, and changes nothing.
    assert!(matches!(
        refund(parts[0].0, parts[0].1, false).await,
        Err(app::error::AppError::Invalid { .. })
    ));
    refund(parts[0].0, parts[0].1 - 100, true).await.unwrap();
    assert_eq!(stock(&pool, &a).await, (10, 0), "restocked");
    assert_eq!(order_status(&pool, number).await, "partially_refunded");
    refund(parts[1].0, parts[1].1, false).await.unwrap();
    assert_eq!(order_status(&pool, number).await, "refunded");
    assert_eq!(stock(&pool, &b).await, (9, 0), "not restocked");
    let refunded: i64 = sqlx::query_scalar("select refunded_total from orders where number = $1")
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(refunded, parts[0].1 + parts[1].1);
    assert!(
        refund(parts[1].0, 1, false).await.is_err(),
        "nothing left to refund"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn orders_are_seen_only_by_their_shopper(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 10).await;
    let mut alice = signed_in(&app, "alice@example.com").await;
    add(&mut alice, &sku, 1).await;
    details(&mut alice, "").await;
    let number = place(&mut alice, &key()).await;
    pay(&mut alice, number, true).await;
    let history = body(&alice.call("orders/history", json!({})).await.body);
    assert_eq!(history[0]["number"], number);

    let mut bob = signed_in(&app, "bob@example.com").await;
    let mut stranger = Browser::new(&app);
    let detail = json!({"number": number.to_string()});
    assert_eq!(
        alice.call("orders/detail", detail.clone()).await.status,
        StatusCode::OK
    );
    for other in [&mut bob, &mut stranger] {
        assert_eq!(
            other.call("orders/detail", detail.clone()).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            other.get(&format!("/orders/{number}")).await.status,
            StatusCode::NOT_FOUND
        );
        let pay = other
            .call(
                "checkout/pay_test",
                json!({"number": number.to_string(), "succeed": true}),
            )
            .await;
        assert_eq!(pay.status, StatusCode::NOT_FOUND);
        // Their carts are their own.
        assert_eq!(other.call("cart/count", json!({})).await.body, "0");
    }
    let bob_history = body(&bob.call("orders/history", json!({})).await.body);
    assert_eq!(bob_history, json!([]));

    // A guest finds their order by number and the email it was placed with, nothing else.
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 1).await;
    details(&mut guest, "guest@example.com").await;
    let guest_order = place(&mut guest, &key()).await;
    let guest_page = format!("/orders/{guest_order}");
    assert_eq!(guest.get(&guest_page).await.status, StatusCode::OK);
    assert_eq!(stranger.get(&guest_page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(bob.get(&guest_page).await.status, StatusCode::NOT_FOUND);
    // Signing in merges the guest's cart away; the order placed from it stays theirs to see.
    drop(signed_in(&app, "guest-account@example.com").await);
    let login = guest
        .call(
            "account/login",
            json!({"email": "guest-account@example.com", "password": super::accounts::PASSWORD, "next": ""}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    assert_eq!(guest.get(&guest_page).await.status, StatusCode::OK);
    let mut later = Browser::new(&app);
    let wrong = later
        .call(
            "orders/lookup",
            json!({"number": guest_order.to_string(), "email": "alice@example.com"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let other_order = later
        .call(
            "orders/lookup",
            json!({"number": number.to_string(), "email": "guest@example.com"}),
        )
        .await;
    assert_eq!(
        other_order.status,
        StatusCode::BAD_REQUEST,
        "same answer for another's number"
    );
    let right = later
        .call(
            "orders/lookup",
            json!({"number": format!("#{guest_order}"), "email": "GUEST@example.com"}),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    let page = later.get(&format!("/orders/{guest_order}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        later.get(&format!("/orders/{number}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn shops_ship_and_deliver_their_part_and_the_order_completes(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 1), (&b, 1), "tracked@example.com").await;
    let mut staff = Vec::new();
    for (i, (_, shop, _)) in parts.iter().enumerate() {
        let mut browser = signed_in(&app, &format!("staff{i}@example.com")).await;
        sqlx::query(
            "insert into vendor_members (vendor_id, user_id, role)
             select v.id, u.id, 'staff' from vendors v, users u where v.slug = $1 and u.email = $2",
        )
        .bind(shop)
        .bind(format!("staff{i}@example.com"))
        .execute(&pool)
        .await
        .unwrap();
        browser.get("/").await;
        staff.push(browser);
    }
    let ship = |part: uuid::Uuid, tracking: &str| json!({"vendor_order_id": part.to_string(), "carrier": "UPS", "tracking_number": tracking});
    let deliver = |part: uuid::Uuid| json!({"vendor_order_id": part.to_string()});
    // Nothing ships before it is paid.
    let early = staff[0].call("orders/ship", ship(parts[0].0, "1Z999")).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    pay(&mut guest, number, true).await;

    let other_shop = staff[0].call("orders/ship", ship(parts[1].0, "1Z999")).await;
    assert_eq!(other_shop.status, StatusCode::NOT_FOUND, "another shop's part");
    let bad = staff[0].call("orders/ship", ship(parts[0].0, "<script>")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let not_yet = staff[0].call("orders/deliver", deliver(parts[0].0)).await;
    assert_eq!(not_yet.status, StatusCode::CONFLICT, "delivered before shipped");
    let shipped = staff[0]
        .call("orders/ship", ship(parts[0].0, "1Z999AA10123456784"))
        .await;
    assert_eq!(shipped.status, StatusCode::OK, "{}", shipped.body);
    let twice = staff[0].call("orders/ship", ship(parts[0].0, "1Z000")).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    let page = guest.get(&format!("/orders/{number}")).await;
    assert!(
        page.body.contains("1Z999AA10123456784"),
        "the shopper sees the tracking number"
    );
    let mailed: String = sqlx::query_scalar(
        "select text_body from mail_outbox where recipient = 'tracked@example.com' and subject like '%on its way'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(mailed.contains("1Z999AA10123456784"), "{mailed}");

    assert_eq!(
        staff[0].call("orders/deliver", deliver(parts[0].0)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        order_status(&pool, number).await,
        "paid",
        "the other part is still open"
    );
    assert_eq!(
        staff[1]
            .call("orders/ship", ship(parts[1].0, "JD0001"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        staff[1].call("orders/deliver", deliver(parts[1].0)).await.status,
        StatusCode::OK
    );
    assert_eq!(order_status(&pool, number).await, "completed");
}
