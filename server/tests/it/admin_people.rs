//! The console's people through the real router: found by email, name, role and standing;
//! disabled (signed out everywhere, no sign-in) and enabled; admin rights given and taken,
//! never by an admin to themselves and never leaving no admin; each change in the audit log,
//! which refuses to be rewritten.

use super::accounts::PASSWORD;
use super::people::{browser, enable_two_factor, member, user};
use super::shopping::body;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

/// An admin with 2FA on, signed in through it.
pub async fn operator<'a>(app: &'a TestApp, email: &str) -> (Uuid, Browser<'a>) {
    let id = user(&app.state.app.pool, email, true).await;
    enable_two_factor(app, id).await;
    (id, browser(app, email).await)
}

async fn act(admin: &mut Browser<'_>, id: Uuid, action: Value) -> super::support::TestResponse {
    admin
        .call(
            "admin/person/act",
            json!({"id": id.to_string(), "action": action}),
        )
        .await
}

async fn audit(pool: &PgPool, subject: Uuid) -> Vec<(String, Value, Value)> {
    sqlx::query_as(
        "select action, before, after from audit_log where subject_kind = 'user' and subject_id = $1 order by id",
    )
    .bind(subject.to_string())
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn people_are_found_by_email_name_role_and_standing(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let shopper = user(&pool, "rosa.shopper@example.com", false).await;
    sqlx::query("update users set name = 'Rosa Parks' where id = $1")
        .bind(shopper)
        .execute(&pool)
        .await
        .unwrap();
    let seller = user(&pool, "sam.seller@example.com", false).await;
    let shop: String =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    member(&pool, seller, &shop, "owner").await;
    sqlx::query("insert into users (email, password_hash) values ('new@example.com', 'x')")
        .execute(&pool)
        .await
        .unwrap();

    let emails = |list: &Value| -> Vec<String> {
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["email"].as_str().unwrap().to_string())
            .collect()
    };
    let find = |q: &str, role: &str, status: &str| json!({"q": q, "role": role, "status": status});
    let by_name = body(&admin.call("admin/people", find("rosa p", "", "")).await.body);
    assert_eq!(emails(&by_name), ["rosa.shopper@example.com"]);
    let sellers = body(&admin.call("admin/people", find("", "seller", "")).await.body);
    assert_eq!(emails(&sellers), ["sam.seller@example.com"]);
    let admins = body(&admin.call("admin/people", find("", "admin", "")).await.body);
    assert_eq!(emails(&admins), ["ops@example.com"]);
    let unconfirmed = body(&admin.call("admin/people", find("", "", "unverified")).await.body);
    assert_eq!(emails(&unconfirmed), ["new@example.com"]);
    // `%` and `_` are letters here, and nonsense filters mean "any".
    let wild = body(
        &admin
            .call("admin/people", find("%", "nonsense", "nonsense"))
            .await
            .body,
    );
    assert!(emails(&wild).is_empty());

    // The list and a person's page, without JavaScript.
    let list = admin.get("/admin/users?q=sam").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("sam.seller@example.com") && !list.body.contains("rosa.shopper"));
    assert!(
        list.body.contains(r#"aria-current="page">People</a>"#),
        "the menu marks People"
    );
    let page = admin.get(&format!("/admin/users/{seller}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&shop), "the shop they work in");
    let missing = admin.get(&format!("/admin/users/{}", Uuid::new_v4())).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let garbage = admin.call("admin/person", json!({"id": "not-an-id"})).await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_disabled_account_is_signed_out_everywhere_and_cannot_sign_in(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let (ops, mut admin) = operator(&app, "ops@example.com").await;
    let rosa = user(&pool, "rosa@example.com", false).await;
    let (mut phone, mut laptop) = (
        browser(&app, "rosa@example.com").await,
        browser(&app, "rosa@example.com").await,
    );
    assert_eq!(phone.get("/account").await.status, StatusCode::OK);
    let page = format!("/admin/users/{rosa}");

    // No reason: refused, with the field named; nothing changes.
    let refused = admin
        .post_form(&page, &[("_action", "disable"), ("reason", " ")])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body.contains(r##"href="#disable-reason""##),
        "{}",
        refused.body
    );
    assert_eq!(laptop.get("/account").await.status, StatusCode::OK);
    assert!(audit(&pool, rosa).await.is_empty());

    // With a reason, from the page's plain form.
    let disabled = admin
        .post_form(
            &page,
            &[
                ("_action", "disable"),
                ("reason", "Chargebacks on <three> orders"),
            ],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER, "{}", disabled.body);
    assert_eq!(
        disabled.header("location"),
        format!("{page}?notice=account-disabled")
    );
    for browser in [&mut phone, &mut laptop] {
        let account = browser.get("/account").await;
        assert!(
            account.header("location").starts_with("/account/login"),
            "signed out everywhere"
        );
    }
    let login = Browser::new(&app)
        .call(
            "account/login",
            json!({"email": "rosa@example.com", "password": PASSWORD, "next": ""}),
        )
        .await;
    assert_eq!(login.status, StatusCode::BAD_REQUEST);
    assert!(login.body.contains("disabled"), "{}", login.body);
    // A wrong password is told nothing more than any wrong password.
    let guess = Browser::new(&app)
        .call(
            "account/login",
            json!({"email": "rosa@example.com", "password": "wrong guess", "next": ""}),
        )
        .await;
    assert!(!guess.body.contains("disabled"), "{}", guess.body);
    let shown = admin.get(&page).await.body;
    assert!(
        shown.contains("Chargebacks on &lt;three&gt; orders"),
        "the reason, as text"
    );

    // Enabled again: signing in works.
    let enabled = act(&mut admin, rosa, json!({"action": "enable"})).await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.body);
    let again = act(&mut admin, rosa, json!({"action": "enable"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    browser(&app, "rosa@example.com").await;

    let log = audit(&pool, rosa).await;
    let actions: Vec<&str> = log.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(actions, ["user.disable", "user.enable"]);
    assert_eq!(log[0].2["reason"], "Chargebacks on <three> orders");
    assert_eq!(log[0].2["sessions_ended"], 2);
    let actor: Option<Uuid> = sqlx::query_scalar("select actor_id from audit_log order by id limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(actor, Some(ops));
    let listed = admin.get("/admin/audit?action=user.disable").await.body;
    assert!(
        listed.contains("Account disabled") && listed.contains("ops@example.com"),
        "{listed}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn admin_rights_are_never_changed_by_oneself_and_one_admin_always_remains(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let (ops, mut admin) = operator(&app, "ops@example.com").await;
    let (other, mut second) = operator(&app, "second@example.com").await;
    for action in ["revoke-admin", "sign-out", "force-reset"] {
        let own = act(&mut admin, ops, json!({"action": action})).await;
        assert_eq!(own.status, StatusCode::CONFLICT, "{action}: {}", own.body);
    }
    let own = act(&mut admin, ops, json!({"action": "disable", "reason": "testing"})).await;
    assert_eq!(own.status, StatusCode::CONFLICT);

    // Both at once try to remove the other: one wins, and an admin remains.
    let (a, b) = tokio::join!(
        act(&mut admin, other, json!({"action": "revoke-admin"})),
        act(&mut second, ops, json!({"action": "revoke-admin"})),
    );
    let statuses = [a.status, b.status];
    assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
    let admins: i64 = sqlx::query_scalar("select count(*) from users where is_admin")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(admins, 1, "{statuses:?} {} {}", a.body, b.body);

    // Granting: a confirmed, enabled account; it signs in again with its new rights.
    let mut winner = if a.status == StatusCode::OK { admin } else { second };
    let newcomer = user(&pool, "newcomer@example.com", false).await;
    let mut theirs = browser(&app, "newcomer@example.com").await;
    let granted = act(&mut winner, newcomer, json!({"action": "grant-admin"})).await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    assert!(
        theirs
            .get("/account")
            .await
            .header("location")
            .starts_with("/account/login")
    );
    let console = browser(&app, "newcomer@example.com").await.get("/admin").await;
    assert!(
        console.header("location").starts_with("/account/security"),
        "2FA first"
    );
    let log: Vec<String> = sqlx::query_scalar("select action from audit_log order by id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(log, ["admin.revoke", "admin.grant"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_forced_reset_voids_the_password_and_mails_a_link(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let (_, mut admin) = operator(&app, "ops@example.com").await;
    let rosa = user(&pool, "rosa@example.com", false).await;
    let mut hers = browser(&app, "rosa@example.com").await;
    let forced = act(&mut admin, rosa, json!({"action": "force-reset"})).await;
    assert_eq!(forced.status, StatusCode::OK, "{}", forced.body);
    assert!(
        hers.get("/account")
            .await
            .header("location")
            .starts_with("/account/login")
    );
    let login = Browser::new(&app)
        .call(
            "account/login",
            json!({"email": "rosa@example.com", "password": PASSWORD, "next": ""}),
        )
        .await;
    assert_eq!(
        login.status,
        StatusCode::BAD_REQUEST,
        "the old password no longer works"
    );
    let token = super::accounts::mailed_token(&app, "rosa@example.com", "/account/reset").await;
    assert!(!token.is_empty());
    assert_eq!(audit(&pool, rosa).await[0].0, "user.force_reset");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_audit_log_refuses_to_be_rewritten(pool: PgPool) {
    sqlx::query(
        "insert into audit_log (action, subject_kind, subject_id) values ('user.enable', 'user', 'x')",
    )
    .execute(&pool)
    .await
    .unwrap();
    for statement in [
        "update audit_log set subject_id = 'y'",
        "delete from audit_log",
        "truncate audit_log",
    ] {
        let refused = sqlx::query(statement).execute(&pool).await;
        assert!(
            refused.is_err_and(|e| e.to_string().contains("append-only")),
            "{statement}"
        );
    }
    let count: i64 = sqlx::query_scalar("select count(*) from audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}
