//! The vendor portal and the account as their people see them: the menu a role may use with
//! the current page marked, where a sign-in lands, the shop list for someone who already
//! sells, the inventory's search and low badges, devices and dates in the viewer's words, and
//! a shop's orders in the viewer's time zone.

use super::accounts::{PASSWORD, signed_in};
use super::people::{browser, member, user};
use super::shopping::{body, pay, stocked, two_shop_order};
use super::support::{Browser, TestApp};
use serde_json::json;
use sqlx::PgPool;

/// The portal menu of `page`: the links between `aria-label="Shop"` and its `</nav>`.
fn menu(page: &str) -> &str {
    let start = page.find(r#"aria-label="Shop""#).expect("the portal menu");
    let menu = &page[start..];
    &menu[..menu.find("</nav>").unwrap()]
}

async fn shop_with_owner_and_staff(pool: &PgPool) -> String {
    let shop: String =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(pool)
            .await
            .unwrap();
    let owner = user(pool, "owner@example.com", false).await;
    member(pool, owner, &shop, "owner").await;
    let staff = user(pool, "staff@example.com", false).await;
    member(pool, staff, &shop, "staff").await;
    shop
}

#[sqlx::test(migrations = "../migrations")]
async fn the_portal_menu_shows_each_role_what_it_may_open_and_marks_the_page(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let shop = shop_with_owner_and_staff(&pool).await;
    let mut owner = browser(&app, "owner@example.com").await;
    let mut staff = browser(&app, "staff@example.com").await;
    let page = owner.get(&format!("/vendor/{shop}/inventory")).await.body;
    for section in ["", "/products", "/inventory", "/orders", "/money", "/staff"] {
        assert!(
            menu(&page).contains(&format!(r#"href="/vendor/{shop}{section}""#)),
            "{section}"
        );
    }
    assert!(
        menu(&page).contains(&format!(r#"href="/vendor/{shop}/inventory" aria-current="page""#)),
        "{}",
        menu(&page)
    );
    assert_eq!(menu(&page).matches("aria-current").count(), 1);
    // The portal is a workplace: no storefront search or departments in its header.
    assert!(page.contains("portal-header"));

    let page = staff.get(&format!("/vendor/{shop}/orders")).await.body;
    assert!(
        !menu(&page).contains("/money") && !menu(&page).contains("/staff"),
        "{}",
        menu(&page)
    );
    assert!(menu(&page).contains(&format!(r#"href="/vendor/{shop}/orders" aria-current="page""#)));

    // The invite form describes the roles with the menu's words.
    let page = owner.get(&format!("/vendor/{shop}/staff")).await.body;
    assert!(
        page.contains("Staff: Dashboard, Products, Inventory and Orders"),
        "{page}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn someone_who_sells_lands_on_their_shop_and_is_not_asked_to_apply(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let shop = shop_with_owner_and_staff(&pool).await;
    user(&pool, "shopper@example.com", false).await;
    for (email, landing) in [
        ("owner@example.com", format!("/vendor/{shop}")),
        ("staff@example.com", format!("/vendor/{shop}")),
        ("shopper@example.com", "/account".into()),
    ] {
        let mut visitor = Browser::new(&app);
        let answer = visitor
            .post_form(
                "/account/login",
                &[("email", email), ("password", PASSWORD), ("next", "")],
            )
            .await;
        assert_eq!(answer.header("location"), landing, "{email}: {}", answer.body);
    }
    // A `next` still wins.
    let mut visitor = Browser::new(&app);
    let answer = visitor
        .post_form(
            "/account/login",
            &[
                ("email", "owner@example.com"),
                ("password", PASSWORD),
                ("next", "/cart"),
            ],
        )
        .await;
    assert_eq!(answer.header("location"), "/cart");

    let mut owner = browser(&app, "owner@example.com").await;
    let page = owner.get("/vendor").await.body;
    assert!(page.contains("Open the dashboard"), "{page}");
    assert!(
        !page.contains(">Apply to sell<"),
        "no apply button for someone who sells"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_inventory_finds_a_sku_and_badges_low_stock(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let shop = shop_with_owner_and_staff(&pool).await;
    let (sku, others): (String, i64) = sqlx::query_as(
        "select min(v.sku), count(*) from variants v join products p on p.id = v.product_id
         join vendors s on s.id = p.vendor_id where s.slug = $1 and p.status <> 'archived'",
    )
    .bind(&shop)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(others > 1);
    sqlx::query("update variants set stock_on_hand = 0, stock_reserved = 0 where sku = $1")
        .bind(&sku)
        .execute(&pool)
        .await
        .unwrap();
    let mut owner = browser(&app, "owner@example.com").await;
    let search = &sku[..sku.len() - 1].to_lowercase();
    let page = owner
        .get(&format!("/vendor/{shop}/inventory?q={search}"))
        .await
        .body;
    assert!(page.contains(&format!("<td>{sku}</td>")), "{page}");
    assert!(page.contains("low-badge"), "an empty variant is low");
    // `%` is text, not a pattern: it finds nothing rather than everything.
    let page = owner.get(&format!("/vendor/{shop}/inventory?q=%25")).await.body;
    assert!(page.contains("No variant matches"), "{page}");
}

#[sqlx::test(migrations = "../migrations")]
async fn sessions_are_named_devices_and_dates_read_in_the_viewers_zone(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let mut shopper = signed_in(&app, "zone@example.com").await;
    let session = shopper.cookie.clone().unwrap();
    shopper.cookie = Some(format!("{session}; tz=Europe/Berlin"));
    let page = shopper.get("/account/security").await.body;
    assert!(page.contains("(Europe/Berlin)"), "{page}");
    // The test client names no browser.
    assert!(page.contains("Unknown browser"));
    shopper.cookie = Some(format!("{session}; tz=Mars/Olympus_Mons"));
    let page = shopper.get("/account/security").await.body;
    assert!(
        page.contains("(UTC)") && !page.contains("Mars"),
        "an unknown zone reads as UTC"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shops_orders_read_and_filter_days_in_the_viewers_zone(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let (a, b) = (stocked(&pool, 0, 5).await, stocked(&pool, 1, 5).await);
    let (mut guest, number, parts) = two_shop_order(&app, (&a, 1), (&b, 1), "late@example.com").await;
    pay(&mut guest, number, true).await;
    let shop = parts[0].1.clone();
    let owner = user(&pool, "night@example.com", false).await;
    member(&pool, owner, &shop, "owner").await;
    // Placed at 23:30 UTC on 10 March: 12:30 on 11 March in Auckland (NZDT, UTC+13).
    sqlx::query("update vendor_orders set created_at = '2026-03-10 23:30:00+00' where id = $1")
        .bind(parts[0].0)
        .execute(&pool)
        .await
        .unwrap();
    let mut viewer = browser(&app, "night@example.com").await;
    let session = viewer.cookie.clone().unwrap();
    let on = |day: &str| json!({"vendor": shop, "from": day, "to": day});
    let placed = |list: &serde_json::Value| {
        list["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["placed"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };

    let utc = body(&viewer.call("vendor/orders", on("2026-03-10")).await.body);
    assert_eq!(placed(&utc), ["10 Mar 2026, 23:30 UTC"]);
    viewer.cookie = Some(format!("{session}; tz=Pacific/Auckland"));
    let auckland = body(&viewer.call("vendor/orders", on("2026-03-11")).await.body);
    assert_eq!(placed(&auckland), ["11 Mar 2026, 12:30"]);
    let day_before = body(&viewer.call("vendor/orders", on("2026-03-10")).await.body);
    assert!(
        placed(&day_before).is_empty(),
        "10 March in Auckland ended before it was placed"
    );
    let table = viewer
        .get(&format!(
            "/vendor/{shop}/orders?filter=all&from=2026-03-11&to=2026-03-11"
        ))
        .await
        .body;
    assert!(table.contains("11 Mar 2026, 12:30"), "{table}");
}
