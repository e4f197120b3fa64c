//! A new product's images chosen on the editor's form and saved with it (a plain multipart
//! form to the page, no JavaScript): all of them added in order, none when the form is
//! refused, never through another shop, never more than the form takes.

use super::people::browser;
use super::support::{Browser, TestApp};
use super::vendor_catalog::{category, two_shops};
use super::vendor_files::png;
use http::StatusCode;
use sqlx::PgPool;

async fn products_titled(pool: &PgPool, title: &str) -> Vec<(String, String)> {
    sqlx::query_as("select p.id::text, coalesce(i.key, '') from products p left join product_images i on i.product_id = p.id
                    where p.title = $1 order by i.position")
        .bind(title)
        .fetch_all(pool)
        .await
        .unwrap()
}

fn files_under(app: &TestApp) -> usize {
    let dir = app.state.http.media_dir.join("uploads");
    walkdir(&dir)
}

fn walkdir(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| if e.path().is_dir() { walkdir(&e.path()) } else { 1 })
            .sum()
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_product_is_saved_with_the_images_chosen_on_its_form(pool: PgPool) {
    let (app, shop, _) = two_shops(&pool).await;
    let mut owner = browser(&app, "a@example.com").await;
    let category = category(&pool).await;
    let page = format!("/vendor/{shop}/products/new");
    let form = |title: &'static str, price: &'static str| {
        vec![
            ("_action", "product"),
            ("title", title),
            ("description", "Woven linen."),
            ("category", category.as_str()),
            ("status", "draft"),
            ("base_price", price),
            ("option.0.name", ""),
            ("option.0.values", ""),
        ]
    };
    let (wide, square) = (png(800, 600), png(400, 400));
    let two = [
        ("images", "front.png", "image/png", &wide[..]),
        ("images", "side.png", "image/png", &square[..]),
    ];

    // The editor's new-product page sends its form with files.
    let editor = owner.get(&page).await;
    assert!(
        editor.body.contains(r#"enctype="multipart/form-data""#),
        "{}",
        editor.body
    );
    assert!(editor.body.contains(r#"name="images""#));

    // A bad price: the form comes back with the error and a word about the lost files;
    // nothing saved, nothing stored.
    let refused = owner.post_files(&page, &form("Linen Napkin", "nine"), &two).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body.contains("Choose the images again"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Linen Napkin"), "the title is kept");
    assert!(products_titled(&pool, "Linen Napkin").await.is_empty());
    assert_eq!(files_under(&app), 0);

    // Another shop's owner reaches neither shop's page with a file.
    let mut other = browser(&app, "b@example.com").await;
    let theirs = other.post_files(&page, &form("Linen Napkin", "9.50"), &two).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.body);
    let anonymous = Browser::new(&app)
        .post_files(&page, &form("Linen Napkin", "9.50"), &two)
        .await;
    assert!(anonymous.header("location").starts_with("/account/login"));
    assert!(products_titled(&pool, "Linen Napkin").await.is_empty());
    assert_eq!(files_under(&app), 0);

    // Six images are more than the form takes: refused before anything is saved.
    let six = vec![("images", "a.png", "image/png", &square[..]); 6];
    let too_many = owner.post_files(&page, &form("Linen Napkin", "9.50"), &six).await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    assert!(too_many.body.contains("at most 5"), "{}", too_many.body);
    assert!(products_titled(&pool, "Linen Napkin").await.is_empty());

    // A good form: the product and both images, in the order chosen, described by its title.
    let saved = owner.post_files(&page, &form("Linen Napkin", "9.50"), &two).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let rows = products_titled(&pool, "Linen Napkin").await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    let id = rows[0].0.clone();
    assert_eq!(
        saved.header("location"),
        format!("/vendor/{shop}/products/{id}?notice=product-saved")
    );
    let sizes: Vec<(i32, i32, String)> = sqlx::query_as(
        "select width, height, alt from product_images where product_id = $1::uuid order by position",
    )
    .bind(&id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        sizes,
        [
            (960, 720, "Linen Napkin".into()),
            (960, 960, "Linen Napkin".into())
        ]
    );
    assert_eq!(files_under(&app), 6, "two images, three widths each");

    // A file that is not an image: the product is saved with the good ones, and the editor
    // says which kind of file was refused.
    let pdf = b"%PDF-1.7".as_slice();
    let mixed = [
        ("images", "menu.pdf", "application/pdf", pdf),
        ("images", "front.png", "image/png", &wide[..]),
    ];
    let partly = owner
        .post_files(&page, &form("Linen Runner", "19.00"), &mixed)
        .await;
    assert_eq!(partly.status, StatusCode::SEE_OTHER, "{}", partly.body);
    assert!(partly.header("location").ends_with("?notice=image-not-image"));
    assert_eq!(products_titled(&pool, "Linen Runner").await.len(), 1);
    assert_eq!(files_under(&app), 9);

    // No file chosen (the browser sends one empty part): a product without images.
    let none = [("images", "", "application/octet-stream", &b""[..])];
    let plain = owner
        .post_files(&page, &form("Linen Apron", "29.00"), &none)
        .await;
    assert!(plain.header("location").ends_with("?notice=product-saved"));
}
