//! The matrix's other doors: every page and every route besides server functions, opened with
//! real objects (customer B's order, shop B's product and import), the shops' uploads, and
//! state-changing requests from another site.

use super::world::{EVERYONE, Need, Who, World, signed_in};

/// How a door is knocked on.
pub enum Knock {
    Get,
    /// A multipart form with one file (field, file name, content type, bytes).
    Upload(&'static str, &'static str, &'static str, Vec<u8>),
}

pub struct Door {
    /// The route as the router knows it.
    pub route: &'static str,
    pub path: String,
    pub knock: Knock,
    pub allowed: Vec<Who>,
}

fn get(route: &'static str, path: impl Into<String>, allowed: &[Who]) -> Door {
    Door {
        route,
        path: path.into(),
        knock: Knock::Get,
        allowed: allowed.to_vec(),
    }
}

/// A tiny valid PNG.
fn png() -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(4, 4, image::Rgb([20, 83, 45]))
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap();
    bytes.into_inner()
}

pub fn all(world: &World) -> Vec<Door> {
    use Who::*;
    let signed_in = signed_in();
    let (a, b) = (world.shop(0), world.shop(1));
    let number = world.b_order;
    let mut doors = vec![
        get("/", "/", EVERYONE),
        get("/c/{category}", "/c/clothing", EVERYONE),
        get("/p/{slug}", format!("/p/{}", world.b_product_slug), EVERYONE),
        get("/v/{vendor}", format!("/v/{}", b.slug), EVERYONE),
        get("/search", "/search?q=shirt", EVERYONE),
        get("/cart", "/cart", EVERYONE),
        get("/checkout", "/checkout", EVERYONE),
        get("/checkout/review", "/checkout/review", EVERYONE),
        get("/orders/lookup", "/orders/lookup", EVERYONE),
        get("/account/register", "/account/register", EVERYONE),
        get("/account/login", "/account/login", EVERYONE),
        get("/account/login/code", "/account/login/code", EVERYONE),
        get("/account/forgot", "/account/forgot", EVERYONE),
        get("/account/reset", "/account/reset?token=unknown", EVERYONE),
        get("/account/verify", "/account/verify?token=unknown", EVERYONE),
        get("/account/email", "/account/email?token=unknown", EVERYONE),
        get("/account/confirm", "/account/confirm?next=/admin", &signed_in),
        get("/account", "/account", &signed_in),
        get("/account/addresses", "/account/addresses", &signed_in),
        get("/account/security", "/account/security", &signed_in),
        get("/account/orders", "/account/orders", &signed_in),
        get("/vendor", "/vendor", &signed_in),
        get("/vendor/apply", "/vendor/apply", &signed_in),
        get("/vendor/invite", "/vendor/invite?token=unknown", &signed_in),
        get("/admin", "/admin", &[Admin]),
        get("/admin/vendors", "/admin/vendors", &[Admin]),
        get("/admin/users", "/admin/users?q=customer", &[Admin]),
        get(
            "/admin/users/{id}",
            format!("/admin/users/{}", world.b_customer_id),
            &[Admin],
        ),
        get("/admin/audit", "/admin/audit", &[Admin]),
        get("/admin/categories", "/admin/categories", &[Admin]),
        get(
            "/admin/reports",
            "/admin/reports?from=2026-01-01&to=2026-01-31",
            &[Admin],
        ),
        get(
            "/admin/reports/{file}",
            "/admin/reports/orders.csv?from=2026-01-01&to=2026-12-31",
            &[Admin],
        ),
        get(
            "/admin/products",
            format!("/admin/products?q={}", world.b_product_slug),
            &[Admin],
        ),
        get(
            "/admin/products/{id}",
            format!("/admin/products/{}", world.b_product),
            &[Admin],
        ),
        get(
            "/p/{slug}/report",
            format!("/p/{}/report", world.b_product_slug),
            &signed_in,
        ),
        get(
            "/admin/orders",
            format!("/admin/orders?search={}", world.b_order),
            &[Admin],
        ),
        get("/admin/payouts", "/admin/payouts".to_string(), &[Admin]),
        get("/admin/settings", "/admin/settings".to_string(), &[Admin]),
        get("/admin/discounts", "/admin/discounts".to_string(), &[Admin]),
        get(
            "/admin/payouts/{shop}",
            format!("/admin/payouts/{}", world.shop(1).slug),
            &[Admin],
        ),
        get(
            "/admin/orders/{number}",
            format!("/admin/orders/{}", world.b_order),
            &[Admin],
        ),
        // Customer B's order, and its pay page: Customer B and admins who passed 2FA.
        get(
            "/orders/{number}",
            format!("/orders/{number}"),
            &[CustomerB, Admin],
        ),
        get(
            "/checkout/pay/{number}",
            format!("/checkout/pay/{number}"),
            &[CustomerB, Admin],
        ),
        get("/healthz", "/healthz", EVERYONE),
        get("/readyz", "/readyz", EVERYONE),
        get("/metrics", "/metrics", EVERYONE),
        get("/robots.txt", "/robots.txt", EVERYONE),
        get("/sitemap.xml", "/sitemap.xml", EVERYONE),
        get("/sitemaps/{file}", "/sitemaps/pages.xml", EVERYONE),
        get("/sw.js", "/sw.js", EVERYONE),
        get("/pkg", "/pkg/marketplace.css", EVERYONE),
        get("/media", "/media/matrix.txt", EVERYONE),
    ];
    for shop in &world.shops {
        let vendor = &shop.slug;
        for (route, tail, need) in [
            ("/vendor/{vendor}", "", Need::Read),
            ("/vendor/{vendor}/orders", "/orders", Need::Read),
            ("/vendor/{vendor}/products", "/products", Need::Read),
            ("/vendor/{vendor}/products/{id}", "/products/new", Need::Read),
            ("/vendor/{vendor}/inventory", "/inventory", Need::Read),
            ("/vendor/{vendor}/import", "/import", Need::Read),
            (
                "/vendor/{vendor}/export/products.csv",
                "/export/products.csv",
                Need::Read,
            ),
            ("/vendor/{vendor}/money", "/money", Need::OwnerRead),
            ("/vendor/{vendor}/staff", "/staff", Need::OwnerRead),
            ("/vendor/{vendor}/activity", "/activity", Need::OwnerRead),
            ("/vendor/{vendor}/discounts", "/discounts", Need::OwnerRead),
        ] {
            doors.push(get(route, format!("/vendor/{vendor}{tail}"), &shop.allowed(need)));
        }
        doors.push(Door {
            route: "/vendor/{vendor}/upload/logo",
            path: format!("/vendor/{vendor}/upload/logo"),
            knock: Knock::Upload("logo", "logo.png", "image/png", png()),
            allowed: shop.allowed(Need::Owner),
        });
        doors.push(Door {
            route: "/vendor/{vendor}/upload/csv",
            path: format!("/vendor/{vendor}/upload/csv"),
            knock: Knock::Upload(
                "file",
                "products.csv",
                "text/csv",
                app::vendors::catalog_csv::COLUMNS.join(",").into_bytes(),
            ),
            allowed: shop.allowed(Need::Edit),
        });
    }
    // Shop B's product, order and import: through shop B its members; through shop A, nobody.
    for (shop, through_b) in [(a, false), (b, true)] {
        let allowed = |need: Need| if through_b { b.allowed(need) } else { Vec::new() };
        let vendor = &shop.slug;
        doors.extend([
            get(
                "/vendor/{vendor}/products/{id}",
                format!("/vendor/{vendor}/products/{}", world.b_product),
                &allowed(Need::Read),
            ),
            get(
                "/vendor/{vendor}/orders/{number}",
                format!("/vendor/{vendor}/orders/{}", world.b_order),
                &allowed(Need::Read),
            ),
            get(
                "/vendor/{vendor}/import/progress/{token}",
                format!("/vendor/{vendor}/import/progress/{}", world.b_import_token),
                &allowed(Need::Read),
            ),
            Door {
                route: "/vendor/{vendor}/upload/image/{product}",
                path: format!("/vendor/{vendor}/upload/image/{}", world.b_product),
                knock: Knock::Upload("image", "picture.png", "image/png", png()),
                allowed: allowed(Need::Edit),
            },
        ]);
    }
    doors
}

/// Routes reached only by a POST from Stripe: public, and checked by signature
/// (`tests/it/stripe.rs`).
pub const WEBHOOKS: &[&str] = &["/webhooks/stripe"];
