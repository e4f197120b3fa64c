//! Storefront pages, rendered by the real router over a seeded database.

use super::support::TestApp;
use sqlx::PgPool;

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[sqlx::test(migrations = "../migrations")]
async fn home_shows_featured_categories_new_arrivals_and_top_rated(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 300).await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    for heading in ["Featured categories", "New arrivals", "Top rated"] {
        assert!(page.body.contains(heading), "missing section {heading}");
    }
    assert!(page.body.contains(r#"href="/c/clothing""#));
    assert_eq!(
        count(&page.body, r#"class="card""#),
        16,
        "8 new arrivals + 8 top rated"
    );
    assert!(
        page.body
            .contains("<title>Independent shops, one checkout · Marketplace</title>")
    );
    assert!(
        page.body
            .contains(r#"<link href="https://shop.example/" rel="canonical">"#)
    );
    assert!(page.body.contains(r#"<meta name="description""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn category_page_has_breadcrumb_subcategories_grid_and_pagination(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 400).await;
    let page = app.get("/c/mens-clothing").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"aria-label="Breadcrumb""#));
    assert!(
        page.body.contains(r#"<a href="/c/clothing">Clothing</a>"#),
        "breadcrumb links the parent"
    );
    assert!(
        page.body.contains(r#"href="/c/mens-t-shirts""#),
        "subcategories are listed"
    );
    assert!(page.body.contains("<h1>Men</h1>"));

    let page = app.get("/c/clothing?per_page=5").await;
    assert_eq!(count(&page.body, r#"class="card""#), 5);
    assert!(
        page.body
            .contains(r#"rel="next" href="/c/clothing?per_page=5&amp;page=2""#)
    );
    let second = app.get("/c/clothing?per_page=5&page=2").await;
    assert!(second.body.contains(r#"rel="prev""#));
    assert!(
        second.body.contains(
            r#"<link href="https://shop.example/c/clothing?per_page=5&amp;page=2" rel="canonical">"#
        )
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_listing_parameters_are_clamped_not_errors(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 200).await;
    for query in [
        "page=-1",
        "page=99999999999999999999",
        "per_page=100000",
        "per_page=-5",
        "sort=%27%3B%20drop%20table%20products",
        "min_price=abc&max_price=-7",
        "vendor=%3Cscript%3E",
        "in_stock=maybe",
        "page=200",
    ] {
        let page = app.get(&format!("/c/electronics?{query}")).await;
        assert_eq!(page.status, 200, "{query}");
    }
    // A NUL byte is not a malformed value but a malformed request: refused at the edge.
    let nul = app.get("/c/electronics?min_price=abc&max_price=%00").await;
    assert_eq!(nul.status, 400);
    let huge = app.get("/c/electronics?per_page=100000").await;
    assert!(count(&huge.body, r#"class="card""#) <= 60);
    let beyond = app.get("/c/electronics?page=200").await;
    assert!(beyond.body.contains("No products match"));
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_pages_are_404_pages(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 50).await;
    for uri in [
        "/p/no-such-product",
        "/c/no-such-category",
        "/v/no-such-vendor",
        "/nowhere",
        "/p/..%2f..%2fetc",
    ] {
        let page = app.get(uri).await;
        assert_eq!(page.status, 404, "{uri}");
        assert!(page.body.contains("Page not found"), "{uri}");
        assert!(
            page.body.contains(r#"<meta name="robots" content="noindex">"#),
            "{uri}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn product_page_shows_variants_reviews_related_and_structured_data(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 300).await;
    let slug = app
        .product_slug("p.status = 'active' and v.status = 'approved' and p.review_count > 0 and cardinality(p.option_names) = 2")
        .await;
    let page = app.get(&format!("/p/{slug}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<script type="application/ld+json">{"#));
    assert!(page.body.contains(r#""@type":"Product""#));
    assert!(page.body.contains(r#""@type":"AggregateOffer""#));
    assert!(page.body.contains(r#""@type":"AggregateRating""#));
    assert!(page.body.contains(&format!(
        r#"<link href="https://shop.example/p/{slug}" rel="canonical">"#
    )));
    assert!(
        page.body.contains("srcset=\"/media/demo/"),
        "images are responsive"
    );
    assert!(page.body.contains(" 960w"));
    assert!(page.body.contains(r#"id="reviews""#));
    assert!(page.body.contains("More like this"));
    assert!(page.body.contains(r#"role="group" aria-label="Size""#));
    assert!(page.body.contains(r#"role="group" aria-label="Color""#));

    // Choosing a variant changes the SKU and price shown.
    let (sku, price): (String, i64) = sqlx::query_as(
        "select v.sku, v.price from variants v join products p on p.id = v.product_id
          where p.slug = $1 order by v.position desc limit 1",
    )
    .bind(&slug)
    .fetch_one(&app.state.app.pool)
    .await
    .unwrap();
    let chosen = app.get(&format!("/p/{slug}?variant={sku}")).await;
    assert!(
        chosen
            .body
            .contains(&format!(r#"<span class="sku-code">{sku}</span>"#))
    );
    let shown = app::money::Money::new(price, app::money::Currency::Usd).to_string();
    assert!(
        chosen
            .body
            .contains(&format!(r#"<p class="price price-large">{shown}</p>"#))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn drafts_and_products_of_shops_not_approved_are_not_on_sale(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 400).await;
    let draft = app.product_slug("p.status = 'draft'").await;
    assert_eq!(app.get(&format!("/p/{draft}")).await.status, 404);
    let suspended = app
        .product_slug("v.status = 'suspended' and p.status = 'active'")
        .await;
    assert_eq!(app.get(&format!("/p/{suspended}")).await.status, 404);
    assert_eq!(app.get("/v/shady-deals").await.status, 404);
    assert_eq!(app.get("/v/maple-and-moss").await.status, 404);
    let electronics = app.get("/c/electronics?per_page=60").await;
    assert!(!electronics.body.contains("Shady Deals"));
    assert!(!electronics.body.contains(&format!("/p/{suspended}\"")));
    // Nor found by searching for the shop's name, which is in its products' documents.
    let searched = app.get("/search?q=shady+deals").await;
    assert_eq!(searched.status, 200);
    assert!(!searched.body.contains(&format!("/p/{suspended}\"")));
    assert!(!searched.body.contains("Shady Deals"));
}

#[sqlx::test(migrations = "../migrations")]
async fn vendor_page_shows_profile_and_products(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 300).await;
    let page = app.get("/v/sonic-grove").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Sonic Grove</h1>"));
    assert!(page.body.contains("Headphones and speakers, tuned by ear."));
    assert!(count(&page.body, r#"class="card""#) > 0);
    assert!(
        !page.body.contains("Volt &amp; Wire</a>"),
        "only this vendor's products"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn server_functions_answer_json_and_typed_errors(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 100).await;
    let slug = app
        .product_slug("p.status = 'active' and v.status = 'approved'")
        .await;
    let found = app.call("product", serde_json::json!({ "slug": slug })).await;
    assert_eq!(found.status, 200);
    let data: serde_json::Value = serde_json::from_str(&found.body).unwrap();
    assert_eq!(data["slug"], slug.as_str());
    assert!(data["variants"].as_array().is_some_and(|v| !v.is_empty()));

    let missing = app.call("product", serde_json::json!({ "slug": "nope" })).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, r#""NotFound""#);

    let malformed = app.call("category", serde_json::json!({ "slug": 5 })).await;
    assert_eq!(malformed.status, 400);
    assert!(malformed.body.contains("BadRequest"), "{}", malformed.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn sitemaps_list_pages_and_products(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 120).await;
    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, 200);
    assert!(
        index
            .body
            .contains("<loc>https://shop.example/sitemaps/pages.xml</loc>")
    );
    assert!(
        index
            .body
            .contains("<loc>https://shop.example/sitemaps/products-1.xml</loc>")
    );
    let pages = app.get("/sitemaps/pages.xml").await;
    assert!(
        pages
            .body
            .contains("<loc>https://shop.example/c/mens-t-shirts</loc>")
    );
    assert!(
        pages
            .body
            .contains("<loc>https://shop.example/v/sonic-grove</loc>")
    );
    assert!(!pages.body.contains("shady-deals"));
    let products = app.get("/sitemaps/products-1.xml").await;
    let on_sale: i64 = sqlx::query_scalar(
        "select count(*) from products p join vendors v on v.id = p.vendor_id where p.status = 'active' and v.status = 'approved'",
    )
    .fetch_one(&app.state.app.pool)
    .await
    .unwrap();
    assert_eq!(count(&products.body, "<url>") as i64, on_sale);
    assert_eq!(app.get("/sitemaps/products-2.xml").await.status, 404);
    assert_eq!(app.get("/sitemaps/other.xml").await.status, 404);
    let robots = app.get("/robots.txt").await;
    assert!(robots.body.contains("Sitemap: https://shop.example/sitemap.xml"));
    assert!(robots.body.contains("Disallow: /api/"));
}
