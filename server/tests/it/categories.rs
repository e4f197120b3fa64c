//! The category tree from the console, through the real router: created (with every problem
//! named at once), renamed and moved (the storefront and search follow at once; never into
//! its own branch, never deeper than the limit), reordered, deleted only when empty; each
//! change in the audit log.

use super::admin_people::operator;
use super::shopping::body;
use super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

async fn change(admin: &mut Browser<'_>, change: Value) -> super::support::TestResponse {
    admin
        .call("admin/categories/change", json!({"change": change}))
        .await
}

async fn id_of(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar("select id::text from categories where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The tree as the console lists it: (handle, depth) in order.
async fn listed(admin: &mut Browser<'_>) -> Vec<(String, u64)> {
    let tree = body(&admin.call("admin/categories", json!({})).await.body);
    tree["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["slug"].as_str().unwrap().to_string(),
                r["depth"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn operators_grow_rename_move_reorder_and_prune_the_tree(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 20).await;
    let (ops, mut admin) = operator(&app, "ops@example.com").await;
    let tree_before = listed(&mut admin).await;

    // Every problem at once, and nothing added.
    let bad = change(
        &mut admin,
        json!({"action": "create", "name": "", "slug": "Not A Handle", "parent": "no-such"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    for field in ["name", "slug", "parent"] {
        assert!(bad.body.contains(field), "{field}: {}", bad.body);
    }
    assert_eq!(listed(&mut admin).await, tree_before);

    // Added from the page without JavaScript (the handle made from the name), then below it.
    let added = admin
        .post_form(
            "/admin/categories",
            &[
                ("_action", "create"),
                ("name", "Garden & Patio"),
                ("slug", ""),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(
        added.header("location"),
        "/admin/categories?notice=category-added",
        "{}",
        added.body
    );
    let tools = change(
        &mut admin,
        json!({"action": "create", "name": "Tools", "slug": "patio-tools-x", "parent": "garden-patio"}),
    )
    .await;
    assert_eq!(tools.status, StatusCode::OK, "{}", tools.body);
    let taken = change(
        &mut admin,
        json!({"action": "create", "name": "More tools", "slug": "patio-tools-x", "parent": ""}),
    )
    .await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
    assert!(
        taken.body.contains("belongs to another category"),
        "{}",
        taken.body
    );
    // The storefront's menu and the category's page know them at once.
    assert!(app.get("/").await.body.contains("Garden &amp; Patio"));
    assert_eq!(app.get("/c/patio-tools-x").await.status, StatusCode::OK);

    // Never into its own branch; never deeper than the limit.
    let garden = id_of(&pool, "garden-patio").await;
    let circle = change(
        &mut admin,
        json!({"action": "move", "id": garden, "parent": "patio-tools-x"}),
    )
    .await;
    assert_eq!(circle.status, StatusCode::BAD_REQUEST, "{}", circle.body);
    let mut parent = "patio-tools-x".to_string();
    for level in 3..=app::categories::model::MAX_DEPTH + 1 {
        let slug = format!("level-{level}");
        let answer = change(
            &mut admin,
            json!({"action": "create", "name": slug, "slug": slug, "parent": parent}),
        )
        .await;
        if level <= app::categories::model::MAX_DEPTH {
            assert_eq!(answer.status, StatusCode::OK, "level {level}: {}", answer.body);
        } else {
            assert_eq!(
                answer.status,
                StatusCode::BAD_REQUEST,
                "level {level}: {}",
                answer.body
            );
        }
        parent = slug;
    }

    // A department with products renamed and moved under the new one: search finds its
    // products by the new names at once.
    let (department, product): (String, String) = sqlx::query_as(
        "select c.slug, p.slug from products p join categories c on c.id = p.category_id
         where c.parent_id is not null and p.status = 'active' order by p.slug limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let filed = id_of(&pool, &department).await;
    let renamed = change(
        &mut admin,
        json!({"action": "edit", "id": filed, "name": "Quetzalware", "description": "Everything quetzal."}),
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let link = format!("href=\"/p/{product}\"");
    let found = app.get("/search?q=quetzalware").await;
    assert!(found.body.contains(&link), "found by the category's new name");
    let moved = change(
        &mut admin,
        json!({"action": "move", "id": filed, "parent": "garden-patio"}),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let found = app.get("/search?q=patio").await;
    assert!(found.body.contains(&link), "found by its new parent's name");

    // Reordered among its siblings: the menu's order follows.
    let siblings = |tree: &[(String, u64)]| -> Vec<String> {
        tree.iter()
            .filter(|(_, d)| *d == 0)
            .map(|(s, _)| s.clone())
            .collect()
    };
    let before = siblings(&listed(&mut admin).await);
    let last = before.last().unwrap().clone();
    let up = admin
        .post_form(
            "/admin/categories",
            &[
                ("_action", "shift"),
                ("id", &id_of(&pool, &last).await),
                ("to", "up"),
            ],
        )
        .await;
    assert_eq!(up.header("location"), "/admin/categories?notice=category-moved");
    let after = siblings(&listed(&mut admin).await);
    assert_eq!(after[after.len() - 2], last);
    let first = id_of(&pool, &after[0]).await;
    let stuck = change(&mut admin, json!({"action": "shift", "id": first, "to": "up"})).await;
    assert_eq!(stuck.status, StatusCode::CONFLICT);
    let sideways = change(&mut admin, json!({"action": "shift", "id": first, "to": "left"})).await;
    assert_eq!(sideways.status, StatusCode::BAD_REQUEST);

    // Deleted only when empty: not with subcategories, not with products.
    let with_children = change(&mut admin, json!({"action": "delete", "id": garden})).await;
    assert_eq!(with_children.status, StatusCode::CONFLICT);
    let with_products = change(&mut admin, json!({"action": "delete", "id": filed})).await;
    assert_eq!(with_products.status, StatusCode::CONFLICT);
    assert!(
        with_products.body.contains("only an empty category"),
        "{}",
        with_products.body
    );
    let leaf = id_of(&pool, &format!("level-{}", app::categories::model::MAX_DEPTH)).await;
    let deleted = change(&mut admin, json!({"action": "delete", "id": leaf})).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let gone = format!("/c/level-{}", app::categories::model::MAX_DEPTH);
    assert_eq!(app.get(&gone).await.status, StatusCode::NOT_FOUND);
    let unknown = change(
        &mut admin,
        json!({"action": "delete", "id": "00000000-0000-0000-0000-000000000000"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let logged: Vec<(String, Option<uuid::Uuid>)> =
        sqlx::query_as("select action, actor_id from audit_log where subject_kind = 'category' order by id")
            .fetch_all(&pool)
            .await
            .unwrap();
    let actions: Vec<&str> = logged.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "category.create",
            "category.create",
            "category.create",
            "category.create",
            "category.create",
            "category.edit",
            "category.move",
            "category.move",
            "category.delete"
        ]
    );
    assert!(logged.iter().all(|(_, actor)| *actor == Some(ops)));
    let page = admin.get("/admin/categories").await;
    assert!(page.body.contains(r#"aria-current="page">Categories</a>"#));
}
