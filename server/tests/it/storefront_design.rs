//! How storefront pages are laid out, as the server renders them: the header's order, the
//! whole category menu, the filters in use, the product form's order, the cart's totals and
//! the demo seed's dates.

use super::shopping::{add, stocked};
use super::support::{Browser, TestApp};
use sqlx::PgPool;

/// Where `needle` first occurs in `haystack`, or a failure naming it.
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} is not on the page"))
}

#[sqlx::test(migrations = "../migrations")]
async fn the_header_reads_logo_search_account_cart_then_the_menu(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 60).await;
    let page = app.get("/").await.body;
    let header = &page[at(&page, r#"<header class="site-header">"#)..];
    let logo = at(header, r#"class="logo""#);
    let search = at(header, r#"role="search""#);
    let account = at(header, r#"href="/account/login""#);
    let cart = at(header, r#"href="/cart""#);
    let menu = at(header, r#"aria-label="Categories""#);
    assert!(
        logo < search && search < account && account < cart && cart < menu,
        "logo {logo}, search {search}, account {account}, cart {cart}, menu {menu}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_category_menu_holds_every_department_and_its_subcategories(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 60).await;
    let page = app.get("/").await.body;
    let menu = &page[at(&page, r#"aria-label="Categories""#)..];
    let menu = &menu[..at(menu, "</nav>")];
    let categories: Vec<(String, Option<uuid::Uuid>)> =
        sqlx::query_as("select slug, parent_id from categories")
            .fetch_all(&pool)
            .await
            .unwrap();
    let roots = categories.iter().filter(|(_, parent)| parent.is_none()).count();
    assert!(roots >= 8, "the demo has its eight departments");
    for (slug, _) in &categories {
        let link = format!(r#"href="/c/{slug}""#);
        // Once in the phone drawer and once in the mega-menu.
        assert!(
            menu.matches(&link).count() >= 2,
            "{slug} is in both the drawer and the mega-menu"
        );
    }
    assert!(menu.contains(r#"<details class="menu-drawer">"#));
    assert!(menu.contains(r#"<details class="menu-mega">"#));
    assert!(
        menu.contains("<summary>Clothing</summary>"),
        "departments expand in the drawer"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn filters_in_use_are_chips_that_each_remove_one(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 300).await;
    let page = app
        .get("/c/clothing?in_stock=1&rating=3&min_price=10&max_price=90&sort=price-asc")
        .await
        .body;
    assert!(page.contains(r#"aria-label="Filters in use""#));
    for (chip, without) in [
        (
            "In stock",
            "/c/clothing?sort=price-asc&amp;min_price=10&amp;max_price=90&amp;rating=3",
        ),
        (
            "3 stars &amp; up",
            "/c/clothing?sort=price-asc&amp;min_price=10&amp;max_price=90&amp;in_stock=1",
        ),
        (
            "$10 to $90",
            "/c/clothing?sort=price-asc&amp;in_stock=1&amp;rating=3",
        ),
    ] {
        assert!(
            page.contains(&format!(
                r#"href="{without}" rel="nofollow" aria-label="Remove filter: {chip}""#
            )),
            "a chip removes {chip}"
        );
    }
    assert!(page.contains(r#"href="/c/clothing" rel="nofollow" class="clear-all""#));
    assert!(
        page.contains(r##"<a href="#filters" class="button secondary filter-toggle">Filter and sort</a>"##)
    );
    assert!(page.contains(r#"<p role="status" class="result-count">"#));
    assert!(page.contains("1 star &amp; up"), "one star, singular");
    assert!(!page.contains("1 stars"));

    // Nothing found and nothing to narrow: the message alone, no filter box above it.
    let none = app.get("/search?q=zzzqqqxxy").await.body;
    assert!(none.contains("Nothing matches"));
    assert!(!none.contains(r#"id="filters""#), "no empty filter box");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_product_form_has_options_then_quantity_then_add_to_cart(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 300).await;
    let slug = app
        .product_slug("p.status = 'active' and v.status = 'approved' and cardinality(p.option_names) = 2")
        .await;
    let page = app.get(&format!("/p/{slug}")).await.body;
    let options = at(&page, r#"role="group" aria-label="Size""#);
    let quantity = at(&page, r#"id="add-quantity""#);
    let button = at(&page, ">Add to cart</button>");
    assert!(
        options < quantity && quantity < button,
        "{options} {quantity} {button}"
    );
    assert!(page.contains(r#"role="group" aria-label="Color""#));
    let description = &page[at(&page, r#"class="description""#)..];
    let description = &description[..at(description, "</div>")];
    assert!(
        !description.contains("<p>Size: ") && !description.contains("<p>Color: "),
        "the description does not repeat the options: {description}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn seeded_reviews_are_dated_in_the_past_and_shown_in_words(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 300).await;
    let future: i64 = sqlx::query_scalar("select count(*) from reviews where created_at > now()")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(future, 0, "no review is dated in the future");
    let slug = app
        .product_slug("p.status = 'active' and v.status = 'approved' and p.review_count > 0")
        .await;
    let page = app.get(&format!("/p/{slug}")).await.body;
    let date: chrono::NaiveDate = sqlx::query_scalar(
        "select r.created_at::date from reviews r join products p on p.id = r.product_id
          where p.slug = $1 order by r.created_at desc limit 1",
    )
    .bind(&slug)
    .fetch_one(&pool)
    .await
    .unwrap();
    let words = date.format("%-d %B %Y").to_string();
    assert!(
        page.contains(&format!(r#"<time datetime="{date}">{words}</time>"#)),
        "the newest review is dated {words}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_cart_counts_units_and_leaves_unknown_tax_to_the_checkout(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 60).await;
    let sku = stocked(&pool, 0, 10).await;
    let mut guest = Browser::new(&app);
    add(&mut guest, &sku, 3).await;
    // The shop's country (US) has no country-wide rate: the state decides, at checkout.
    let cart = guest.get("/cart").await.body;
    assert!(cart.contains("Items (3)"), "counted in units");
    assert!(cart.contains("Calculated at checkout"));
    assert!(
        !cart.contains("<dt>Tax</dt><dd>$0.00</dd>"),
        "no nought that changes later"
    );
    // With a destination that has a rate, the estimate shows it, without a space before %.
    let california = guest.get("/cart?country=US&region=CA").await.body;
    assert!(california.contains("7.25%</dt>"), "no space before the % sign");
    assert!(
        !california.contains("Calculated at checkout"),
        "the tax is estimated"
    );
}
