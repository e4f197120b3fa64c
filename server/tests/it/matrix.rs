//! The authorization matrix: every server function, page, upload and route, tried by each kind
//! of person with real objects that belong to someone else, against the exact set of people
//! allowed. A refusal is 401, 403 or 404 (for pages: a redirect to sign in, to turn on 2FA or
//! to confirm who you are) and must change nothing in the database; anything else but a 5xx
//! counts as let through. The test fails when a server function or route is not listed.

mod calls;
mod doors;
mod snapshot;
mod world;

use super::support::{TestApp, TestResponse};
use doors::Knock;
use http::{Request, StatusCode, header};
use serde_json::json;
use sqlx::PgPool;
use std::collections::BTreeSet;
use world::{EVERYONE, Who, World, browser_of};

/// Statuses that mean "refused" for every row.
const REFUSALS: [u16; 3] = [401, 403, 404];

/// Where a refused page sends the browser.
const REFUSED_TO: [&str; 3] = ["/account/login", "/account/security", "/account/confirm"];

/// The callers of a row: those who must be refused first (their calls must change nothing
/// while the objects are intact), then those allowed.
fn callers(allowed: &[Who]) -> (Vec<Who>, Vec<Who>) {
    let (yes, no): (Vec<Who>, Vec<Who>) = EVERYONE.iter().partition(|w| allowed.contains(w));
    (no, yes)
}

struct Outcome {
    failures: Vec<String>,
}

impl Outcome {
    /// Records a 5xx; returns whether the answer was a refusal.
    fn judge(&mut self, label: String, answer: &TestResponse, refused: bool) -> bool {
        if answer.status.is_server_error() {
            self.failures
                .push(format!("{label}: {} {:.200}", answer.status, answer.body));
        }
        refused
    }

    /// Records a change to the database made while only refused callers called.
    async fn unchanged(&mut self, pool: &PgPool, what: &str, before: String, callers: &[Who]) {
        if snapshot::fingerprint(pool).await != before {
            self.failures.push(format!(
                "{what}: the refused callers {callers:?} changed the database"
            ));
        }
    }

    fn compare(&mut self, what: &str, actual: BTreeSet<Who>, allowed: &[Who]) {
        let expected: BTreeSet<Who> = allowed.iter().copied().collect();
        if actual != expected {
            let extra: Vec<_> = actual.difference(&expected).collect();
            let missing: Vec<_> = expected.difference(&actual).collect();
            self.failures.push(format!(
                "{what}: let through also {extra:?}, refused also {missing:?}"
            ));
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn who_may_do_what_with_whose_objects(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 30).await;
    std::fs::create_dir_all(&app.state.http.media_dir).unwrap();
    std::fs::write(app.state.http.media_dir.join("matrix.txt"), "a file").unwrap();
    let mut world = world::build(&app).await;
    let calls = calls::all(&world);
    let doors = doors::all(&world);
    assert_everything_listed(&calls, &doors);
    let mut outcome = Outcome { failures: Vec::new() };

    for row in &calls {
        let what = format!("{} {}", row.name, row.args.for_caller(Who::Anonymous));
        let mut let_through = BTreeSet::new();
        let (refused_ones, allowed_ones) = callers(&row.allowed);
        let before = snapshot::fingerprint(&pool).await;
        for (n, who) in refused_ones.iter().chain(&allowed_ones).enumerate() {
            if n == refused_ones.len() {
                outcome
                    .unchanged(&pool, &what, before.clone(), &refused_ones)
                    .await;
            }
            let answer = browser_of(&mut world, *who)
                .call(row.name, row.args.for_caller(*who))
                .await;
            let status = answer.status.as_u16();
            let refused = REFUSALS.contains(&status) || row.also_refused == Some(status);
            let label = format!("{} {} as {who:?}", row.name, row.args.for_caller(*who));
            if !outcome.judge(label, &answer, refused) {
                let_through.insert(*who);
            }
        }
        if allowed_ones.is_empty() {
            outcome.unchanged(&pool, &what, before, &refused_ones).await;
        }
        outcome.compare(&what, let_through, &row.allowed);
    }

    for door in &doors {
        let mut let_through = BTreeSet::new();
        let (refused_ones, allowed_ones) = callers(&door.allowed);
        let before = snapshot::fingerprint(&pool).await;
        for (n, who) in refused_ones.iter().chain(&allowed_ones).enumerate() {
            if n == refused_ones.len() {
                outcome
                    .unchanged(&pool, &door.path, before.clone(), &refused_ones)
                    .await;
            }
            let browser = browser_of(&mut world, *who);
            let answer = match &door.knock {
                Knock::Get => browser.get(&door.path).await,
                Knock::Upload(field, name, kind, bytes) => {
                    browser
                        .post_multipart(&door.path, &[("alt", "a picture")], (field, name, kind, bytes))
                        .await
                }
            };
            let location = answer.header("location");
            let refused = REFUSALS.contains(&answer.status.as_u16())
                || (answer.status.is_redirection() && REFUSED_TO.iter().any(|to| location.starts_with(to)));
            if *who == Who::Anonymous && refused && matches!(door.knock, Knock::Get) {
                assert!(
                    location.starts_with("/account/login?next=") || answer.status == StatusCode::NOT_FOUND,
                    "{}: the anonymous visitor is sent to sign in, got {}",
                    door.path,
                    answer.status
                );
            }
            if !outcome.judge(format!("{} as {who:?}", door.path), &answer, refused) {
                let_through.insert(*who);
            }
        }
        if allowed_ones.is_empty() {
            outcome.unchanged(&pool, &door.path, before, &refused_ones).await;
        }
        outcome.compare(&door.path, let_through, &door.allowed);
    }

    cross_site(&app, &mut world, &mut outcome).await;
    let suggest = browser_of(&mut world, Who::Anonymous)
        .get("/api/suggest?q=shi")
        .await;
    assert_eq!(suggest.status, StatusCode::OK);

    // Nobody else's calls reached Customer B's cart.
    let kept: i32 = sqlx::query_scalar(
        "select i.quantity from cart_items i join carts c on c.id = i.cart_id join users u on u.id = c.user_id
         join variants v on v.id = i.variant_id where u.email = 'customer-b@example.com' and v.sku = $1",
    )
    .bind(&world.b_cart_sku)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(kept, 2, "Customer B's cart line is as Customer B left it");

    // Signing out, last: everyone may.
    for (who, browser) in world.browsers.iter_mut() {
        let answer = browser.call("account/logout", json!({})).await;
        assert_eq!(answer.status, StatusCode::OK, "logout as {who:?}");
        let page = browser.get("/account/logout").await;
        assert!(!page.status.is_server_error(), "the sign-out page as {who:?}");
    }
    assert!(
        outcome.failures.is_empty(),
        "{} failures:\n{}",
        outcome.failures.len(),
        outcome.failures.join("\n")
    );
}

/// A signed-in browser tricked by another site into posting: refused before anything runs,
/// for form pages, uploads and server functions alike.
async fn cross_site(app: &TestApp, world: &mut World<'_>, outcome: &mut Outcome) {
    let pool = &app.state.app.pool;
    let shop_b = world.shop(1).slug.clone();
    let form = "application/x-www-form-urlencoded";
    let posts: Vec<(String, &str, String)> = vec![
        (
            "/account/addresses".into(),
            form,
            "action=save&full_name=Evil&line1=1+Road&city=Town&postal_code=1000&country=US".into(),
        ),
        (
            format!("/vendor/{shop_b}/orders"),
            form,
            format!("action=ship&vendor_order_id={}&carrier=UPS&tracking_number=1", world.b_part),
        ),
        (
            "/api/orders/refund".into(),
            "application/json",
            json!({"vendor_order_id": world.b_part, "amount": 1, "restock": [], "key": "evil"}).to_string(),
        ),
        (
            format!("/vendor/{shop_b}/upload/image/{}", world.b_product),
            "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--x--\r\n".into(),
        ),
    ];
    for (path, kind, body) in posts {
        for who in [Who::CustomerB, Who::OwnerB, Who::Admin] {
            let before = snapshot::fingerprint(pool).await;
            let request = Request::post(&path)
                .header(header::ORIGIN, "https://evil.example")
                .header(header::CONTENT_TYPE, kind)
                .body(axum::body::Body::from(body.clone()))
                .unwrap();
            let answer = browser_of(world, who).send(request).await;
            if answer.status != StatusCode::FORBIDDEN {
                outcome
                    .failures
                    .push(format!("cross-site POST {path} as {who:?}: {}", answer.status));
            }
            if snapshot::fingerprint(pool).await != before {
                outcome
                    .failures
                    .push(format!("cross-site POST {path} as {who:?} changed the database"));
            }
        }
    }
}

/// Every registered server function and every route is a row of the matrix.
fn assert_everything_listed(calls: &[calls::Call], doors: &[doors::Door]) {
    let listed: BTreeSet<String> = calls
        .iter()
        .map(|c| format!("/api/{}", c.name))
        .chain(["/api/suggest".into(), "/api/account/logout".into()])
        .collect();
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert_eq!(registered, listed, "a server function is missing from the matrix");

    let covered: BTreeSet<String> = doors
        .iter()
        .map(|d| d.route.to_string())
        .chain(doors::WEBHOOKS.iter().map(|r| r.to_string()))
        .chain(["/account/logout".to_string()])
        .collect();
    let routes: BTreeSet<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| route.path().to_string())
        .chain(server::http::handler_paths().into_iter().map(str::to_string))
        .collect();
    assert_eq!(routes, covered, "a route is missing from the matrix");
}
