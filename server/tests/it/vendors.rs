//! Becoming a vendor and its staff, through the real router.

use super::accounts::{mailed_token, signed_in};
use super::people::{browser, enable_two_factor, member, user};
use super::shopping::body;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

/// A platform admin with 2FA on, signed in.
pub async fn admin<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let pool = &app.state.app.pool;
    let id = user(pool, email, true).await;
    enable_two_factor(app, id).await;
    browser(app, email).await
}

fn application(slug: &str) -> serde_json::Value {
    json!({"name": "River Pottery", "slug": slug, "description": "Bowls and mugs.\nFired in Vermont.",
           "contact_email": "hello@river.example", "country": "us"})
}

async fn vendor_status(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar("select status from vendors where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn vendor_id(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("select id from vendors where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

pub async fn mails_to(pool: &PgPool, recipient: &str) -> Vec<String> {
    sqlx::query_scalar("select subject from mail_outbox where recipient = $1 order by created_at")
        .bind(recipient)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_user_applies_and_staff_approve_reject_suspend_and_reinstate(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 20).await;
    let mut applicant = signed_in(&app, "maker@example.com").await;
    let vendors_before: i64 = sqlx::query_scalar("select count(*) from vendors")
        .fetch_one(&pool)
        .await
        .unwrap();

    // Bad input: a clear error on the field, nothing created.
    for (field, value) in [
        ("slug", json!("Bad Slug!")),
        ("slug", json!("ab")),
        ("country", json!("USA")),
        ("contact_email", json!("not-an-email")),
        ("name", json!("")),
        ("description", json!("x".repeat(2_001))),
    ] {
        let mut form = application("river-pottery");
        form[field] = value;
        let answer = applicant.call("vendor/apply", form).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{field}: {}", answer.body);
        assert!(answer.body.contains(field), "{field}: {}", answer.body);
    }
    let taken: String = sqlx::query_scalar("select slug from vendors limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let answer = applicant.call("vendor/apply", application(&taken)).await;
    assert!(answer.body.contains("taken"), "{}", answer.body);
    let count: i64 = sqlx::query_scalar("select count(*) from vendors")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, vendors_before);

    let applied = applicant.call("vendor/apply", application("river-pottery")).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(vendor_status(&pool, "river-pottery").await, "pending");
    let again = applicant
        .call("vendor/apply", application("river-pottery-two"))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "one application at a time");
    assert_eq!(mails_to(&pool, "hello@river.example").await.len(), 1);
    // The applicant owns the pending shop, which has shipping methods and can't be seen.
    let shops = body(&applicant.call("vendor/shops", json!({})).await.body);
    assert_eq!(shops[0]["vendor_slug"], "river-pottery");
    assert_eq!(shops[0]["role"], "owner");
    assert_eq!(shops[0]["vendor_status"], "pending");
    assert_eq!(app.get("/v/river-pottery").await.status, StatusCode::NOT_FOUND);
    let methods: i64 = sqlx::query_scalar(
        "select count(*) from shipping_methods m join vendors v on v.id = m.vendor_id where v.slug = 'river-pottery'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(methods, 2);
    // The application's logo: the next step, on the pending shop's page, which shows it first.
    let dashboard = applicant.get("/vendor/river-pottery?notice=applied").await;
    let (logo_form, figures) = (
        dashboard.body.find("logo-file").unwrap(),
        dashboard.body.find("Sales today").unwrap(),
    );
    assert!(logo_form < figures, "the logo step comes first while applying");
    let logo = applicant
        .post_multipart(
            "/vendor/river-pottery/upload/logo",
            &[],
            ("logo", "logo.png", "image/png", &super::vendor_files::png(64, 64)),
        )
        .await;
    assert_eq!(logo.header("location"), "/vendor/river-pottery?notice=logo-saved");

    let mut staff = admin(&app, "ops@example.com").await;
    let id = vendor_id(&pool, "river-pottery").await;
    let decide =
        |decision: &str, reason: &str| json!({"vendor_id": id, "decision": decision, "reason": reason});
    let listed = body(
        &staff
            .call("admin/vendors", json!({"status": "pending"}))
            .await
            .body,
    );
    let listed = listed["vendors"].as_array().unwrap();
    assert!(listed.iter().all(|v| v["status"] == "pending"));
    let mine = listed.iter().find(|v| v["slug"] == "river-pottery").unwrap();
    assert_eq!(mine["applicant"], "maker@example.com");
    assert!(mine["logo_key"].as_str().is_some(), "staff see the logo");

    let no_reason = staff.call("admin/vendors/decide", decide("reject", " ")).await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(no_reason.body.contains("reason"));
    let wrong = staff.call("admin/vendors/decide", decide("suspend", "x")).await;
    assert_eq!(
        wrong.status,
        StatusCode::CONFLICT,
        "a pending shop can't be suspended"
    );
    assert_eq!(vendor_status(&pool, "river-pottery").await, "pending");

    let approved = staff.call("admin/vendors/decide", decide("approve", "")).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(vendor_status(&pool, "river-pottery").await, "approved");
    let owner_mail = mails_to(&pool, "maker@example.com").await;
    assert!(owner_mail.iter().any(|s| s.contains("is open")), "{owner_mail:?}");
    assert_eq!(app.get("/v/river-pottery").await.status, StatusCode::OK);

    // Suspending takes a shop's products off the storefront and keeps them.
    let (shop, product): (String, String) = sqlx::query_as(
        "select v.slug, p.slug from products p join vendors v on v.id = p.vendor_id
         where p.status = 'active' and v.status = 'approved' and v.slug <> 'river-pottery' limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let other = vendor_id(&pool, &shop).await;
    let suspend = json!({"vendor_id": other, "decision": "suspend", "reason": "Counterfeit goods reported"});
    assert_eq!(
        staff.call("admin/vendors/decide", suspend).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/p/{product}")).await.status,
        StatusCode::NOT_FOUND
    );
    let outboxed: i64 = sqlx::query_scalar(
        "select count(*) from search_outbox o join products p on p.id = o.product_id join vendors v on v.id = p.vendor_id where v.slug = $1",
    )
    .bind(&shop)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(outboxed > 0, "the search index learns of the suspension");
    let reinstate = json!({"vendor_id": other, "decision": "reinstate"});
    assert_eq!(
        staff.call("admin/vendors/decide", reinstate).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get(&format!("/p/{product}")).await.status, StatusCode::OK);

    // A rejection tells the applicant why.
    let mut second = signed_in(&app, "second@example.com").await;
    let mut form = application("second-shop");
    form["contact_email"] = json!("second@example.com");
    assert_eq!(second.call("vendor/apply", form).await.status, StatusCode::OK);
    let second_id = vendor_id(&pool, "second-shop").await;
    let reject =
        json!({"vendor_id": second_id, "decision": "reject", "reason": "We only take ceramics this season"});
    assert_eq!(
        staff.call("admin/vendors/decide", reject).await.status,
        StatusCode::OK
    );
    let text: String = sqlx::query_scalar(
        "select text_body from mail_outbox where recipient = 'second@example.com' order by created_at desc limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(text.contains("We only take ceramics this season"), "{text}");
    // A rejected shop changes nothing.
    let invite = second
        .call(
            "vendor/staff/invite",
            json!({"vendor": "second-shop", "email": "x@example.com", "role": "staff"}),
        )
        .await;
    assert_eq!(invite.status, StatusCode::FORBIDDEN, "{}", invite.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn owners_invite_and_remove_staff_and_staff_cannot(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let shop: String =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let owner_id = user(&pool, "owner@example.com", false).await;
    member(&pool, owner_id, &shop, "owner").await;
    let mut owner = browser(&app, "owner@example.com").await;

    let bad = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "nope", "role": "staff"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad_role = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "helper@example.com", "role": "admin"}),
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    let invited = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "Helper@Example.com", "role": "staff"}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let token = mailed_token(&app, "helper@example.com", "/vendor/invite").await;

    // Someone else can't use the link; the invited address can, once.
    let mut stranger = signed_in(&app, "stranger@example.com").await;
    let refused = stranger
        .call("vendor/invite/accept", json!({"token": token}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("helper@example.com"), "{}", refused.body);
    let mut helper = signed_in(&app, "helper@example.com").await;
    let joined = helper.call("vendor/invite/accept", json!({"token": token})).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(body(&joined.body), json!(shop));
    let reused = helper.call("vendor/invite/accept", json!({"token": token})).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);

    // Staff neither read the staff list nor invite or remove: the shop's people are the owners'.
    let refused = helper.call("vendor/staff", json!({"vendor": shop})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let list = body(&owner.call("vendor/staff", json!({"vendor": shop})).await.body);
    assert_eq!(list["members"].as_array().unwrap().len(), 2);
    let helper_id = list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "helper@example.com")
        .unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let staff_invites = helper
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "x@example.com", "role": "owner"}),
        )
        .await;
    assert_eq!(staff_invites.status, StatusCode::FORBIDDEN);
    let staff_removes = helper
        .call(
            "vendor/staff/remove",
            json!({"vendor": shop, "user_id": owner_id.to_string()}),
        )
        .await;
    assert_eq!(staff_removes.status, StatusCode::FORBIDDEN);

    // The only owner stays; staff can be removed.
    let last = owner
        .call(
            "vendor/staff/remove",
            json!({"vendor": shop, "user_id": owner_id.to_string()}),
        )
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    let removed = owner
        .call(
            "vendor/staff/remove",
            json!({"vendor": shop, "user_id": helper_id}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    let gone = helper.call("vendor/staff", json!({"vendor": shop})).await;
    assert_eq!(gone.status, StatusCode::FORBIDDEN);

    // The staff page's forms work without JavaScript.
    let page = owner
        .post_form(
            &format!("/vendor/{shop}/staff"),
            &[
                ("_action", "invite"),
                ("email", "later@example.com"),
                ("role", "owner"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        page.header("location"),
        format!("/vendor/{shop}/staff?notice=invited")
    );
    let shown = owner.get(&format!("/vendor/{shop}/staff")).await;
    assert!(shown.body.contains("later@example.com"));
}
