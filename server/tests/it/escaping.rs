//! User text is always text: what shoppers type (reflected) and what shops write (stored) in
//! `<title>`, every `<meta content>`, JSON-LD, the category menu and the sitemaps.

use super::support::TestApp;
use http::StatusCode;
use sqlx::PgPool;

/// Markup a hostile name carries: closes the title, opens a refresh to another site, breaks
/// out of a double-quoted attribute, and has an ampersand to be escaped on the way. Short
/// enough for every name column (categories allow 80 characters).
const HOSTILE: &str = r#"</title><meta http-equiv="refresh" content="0;url=//x.test"> "q" & <b>bold</b>"#;

/// The document's `<head>`.
fn head(body: &str) -> &str {
    let end = body.find("</head>").expect("a head");
    &body[..end]
}

/// The text of the one `<title>` element.
fn title(body: &str) -> &str {
    let head = head(body);
    assert_eq!(head.matches("<title").count(), 1, "one title element:\n{head}");
    let start = head.find("<title>").expect("a title") + "<title>".len();
    let end = head[start..].find("</title>").expect("a closed title") + start;
    &head[start..end]
}

/// Nothing hostile became markup anywhere in the page.
fn assert_inert(body: &str, context: &str) {
    assert!(
        !body.contains("<meta http-equiv"),
        "{context}: a meta refresh became markup"
    );
    assert!(!body.contains("<b>bold"), "{context}: <b> became markup");
    let title = title(body);
    assert!(
        !title.contains('<') && !title.contains('"'),
        "{context}: title {title:?}"
    );
    // Every attribute value in the head is closed where it should be: no stray `">` from the name.
    for attribute in head(body).split("content=\"").skip(1) {
        let value = &attribute[..attribute.find('"').expect("a closed attribute")];
        assert!(!value.contains('<'), "{context}: content={value:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn what_a_shopper_types_stays_text_in_the_title(pool: PgPool) {
    let app = TestApp::with_catalog(pool, 10).await;
    let query = "%3C%2Ftitle%3E%3Cmeta%20http-equiv%3D%22refresh%22%20content%3D%220%3Burl%3Dhttps%3A%2F%2Fexample.org%22%3E";
    let page = app.get(&format!("/search?q={query}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_inert(&page.body, "search");
    assert!(
        title(&page.body).contains("&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;"),
        "the query is shown as text: {}",
        title(&page.body)
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn what_a_shop_writes_stays_text_in_titles_meta_json_ld_menu_and_sitemaps(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let (product, vendor): (String, String) = sqlx::query_as(
        "select p.slug, v.slug from products p join vendors v on v.id = p.vendor_id
         where p.status = 'active' and v.status = 'approved' order by p.slug limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let category: String = sqlx::query_scalar(
        "select c.slug from categories c join products p on p.category_id = c.id where p.slug = $1",
    )
    .bind(&product)
    .fetch_one(&pool)
    .await
    .unwrap();
    for statement in [
        "update products set title = $1, description = $1 where slug = $2",
        "update vendors set name = $1, tagline = $1, description = $1 where slug = $3",
        "update categories set name = $1, description = $1 where slug = $4",
    ] {
        sqlx::query(statement)
            .bind(HOSTILE)
            .bind(&product)
            .bind(&vendor)
            .bind(&category)
            .execute(&pool)
            .await
            .unwrap();
    }

    let product_page = app.get(&format!("/p/{product}")).await;
    assert_eq!(product_page.status, StatusCode::OK, "{}", product_page.body);
    assert_inert(&product_page.body, "product");
    assert!(
        title(&product_page.body).starts_with(&format!("{} · ", app::text::escape_html(HOSTILE))),
        "{}",
        title(&product_page.body)
    );
    let head = head(&product_page.body);
    assert!(
        head.contains(r#"content="&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;"#),
        "og:title and the description are escaped attributes:\n{head}"
    );
    let json_ld = product_page
        .body
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("JSON-LD");
    assert!(
        !json_ld.contains('<'),
        "JSON-LD cannot close its script: {json_ld}"
    );
    let data: serde_json::Value = serde_json::from_str(json_ld).expect("JSON-LD parses");
    assert_eq!(
        data["name"], HOSTILE,
        "and still says exactly what the shop wrote"
    );

    for path in [
        format!("/c/{category}"),
        format!("/v/{vendor}"),
        "/search?q=bold".to_string(),
        "/".to_string(),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_inert(&page.body, &path);
    }
    // The category menu (rendered once as HTML for every page) shows the name as text.
    let home = app.get("/").await;
    assert!(
        home.body
            .contains("&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;")
            || home
                .body
                .contains("&lt;/title&gt;&lt;meta http-equiv=\"refresh\""),
        "the menu names the category as text"
    );

    for sitemap in ["/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/products-1.xml"] {
        let file = app.get(sitemap).await;
        assert_eq!(file.status, StatusCode::OK, "{sitemap}");
        assert!(
            !file.body.contains("<meta") && !file.body.contains("bold"),
            "{sitemap}"
        );
    }
}

/// Titles are escaped by the formatter the layout sets (`ui::layout::page_title`); a page that
/// set a formatter of its own would take the place of that one and bypass the escaping.
#[test]
fn no_page_replaces_the_escaping_title_formatter() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut pending = vec![root.clone()];
    let mut formatters = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("formatter=") || text.contains("formatter:") {
                    formatters.push(path.strip_prefix(&root).unwrap().display().to_string());
                }
            }
        }
    }
    assert_eq!(formatters, vec!["ui/layout.rs".to_string()]);
}
