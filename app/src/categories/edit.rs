//! Reading and changing the tree. A change locks the table against other changes (reads go
//! on), loads the tree inside its transaction and checks itself against it, so two operators
//! moving categories at once can't make a circle between them.

use super::model::{CategoryAdmin, CategoryChange, CategoryRow, MAX_DEPTH};
use crate::accounts::validate;
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::catalog::server::load_tree;
use crate::catalog::tree::CategoryTree;
use crate::error::{AppError, AppResult, Problems};
use crate::slug::Slug;
use crate::state::AppState;
use serde_json::{Value, json};
use std::collections::HashMap;
use uuid::Uuid;

/// The longest handle a category may have.
const SLUG_MAX: usize = 80;

/// Every category in tree order, with its product counts.
pub async fn tree(state: &AppState) -> AppResult<CategoryAdmin> {
    let tree = load_tree(&state.pool).await?;
    let counts: HashMap<Uuid, i64> =
        sqlx::query!(r#"select category_id, count(*) as "n!" from products group by category_id"#)
            .fetch_all(&state.pool)
            .await?
            .into_iter()
            .map(|r| (r.category_id, r.n))
            .collect();
    let mut rows = Vec::new();
    walk(&tree, None, 0, &counts, &mut rows);
    Ok(CategoryAdmin { rows })
}

fn walk(
    tree: &CategoryTree,
    parent: Option<Uuid>,
    depth: u32,
    counts: &HashMap<Uuid, i64>,
    rows: &mut Vec<CategoryRow>,
) {
    let siblings: Vec<_> = tree.children(parent).collect();
    let parent_slug = parent
        .and_then(|p| tree.get(p))
        .map(|p| p.slug.clone())
        .unwrap_or_default();
    for (i, c) in siblings.iter().enumerate() {
        let below = tree
            .subtree_ids(c.id)
            .iter()
            .map(|id| counts.get(id).copied().unwrap_or(0))
            .sum();
        rows.push(CategoryRow {
            id: c.id.to_string(),
            slug: c.slug.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            depth,
            parent: parent_slug.clone(),
            products: counts.get(&c.id).copied().unwrap_or(0),
            products_below: below,
            has_children: tree.children(Some(c.id)).next().is_some(),
            first: i == 0,
            last: i + 1 == siblings.len(),
        });
        if (depth as usize) < MAX_DEPTH * 2 {
            walk(tree, Some(c.id), depth + 1, counts, rows);
        }
    }
}

/// The parent named by `slug` ("" for the top), or a problem with the `parent` field.
fn parent_of(tree: &CategoryTree, slug: &str) -> AppResult<Option<Uuid>> {
    if slug.is_empty() {
        return Ok(None);
    }
    tree.by_slug(slug)
        .map(|c| Some(c.id))
        .ok_or_else(|| AppError::invalid("parent", "Choose a parent from the list."))
}

/// The category named by `id`, which must exist.
fn category(tree: &CategoryTree, id: &str) -> AppResult<Uuid> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::BadRequest("That is not a category's id.".into()))?;
    tree.get(id).map(|c| c.id).ok_or(AppError::NotFound)
}

/// How many levels a category under `parent` sits at (1 for a department).
fn level_under(tree: &CategoryTree, parent: Option<Uuid>) -> usize {
    parent.map_or(0, |p| tree.path_to(p).len()) + 1
}

/// How many levels the branch from `id` down spans (1 for a leaf).
fn height(tree: &CategoryTree, id: Uuid) -> usize {
    let top = tree.path_to(id).len();
    tree.subtree_ids(id)
        .into_iter()
        .map(|c| tree.path_to(c).len() + 1 - top)
        .max()
        .unwrap_or(1)
}

fn too_deep() -> AppError {
    AppError::invalid(
        "parent",
        format!("The tree goes {MAX_DEPTH} levels deep at most: choose a parent higher up."),
    )
}

/// Makes `change` for `actor`; returns what the console says about it.
pub async fn change(state: &AppState, actor: &Actor, change: CategoryChange) -> AppResult<String> {
    let mut tx = state.pool.begin().await?;
    sqlx::query!("lock table categories in share row exclusive mode")
        .execute(&mut *tx)
        .await?;
    let tree = load_tree(&mut *tx).await?;
    let (action, id, before, after, said) = match change {
        CategoryChange::Create { name, slug, parent } => {
            let mut problems = Problems::default();
            let name = problems.take(validate::text("name", &name, 1, 80, "The name"));
            let wanted = slug.trim();
            let slug = if wanted.is_empty() {
                crate::text::slugify(&name)
                    .chars()
                    .take(SLUG_MAX)
                    .collect::<String>()
                    .trim_end_matches('-')
                    .to_string()
            } else {
                wanted.to_string()
            };
            let usable = Slug::is_valid(&slug) && slug.len() <= SLUG_MAX;
            if !wanted.is_empty() && !usable {
                problems.add(
                    "slug",
                    "Use lower-case letters, digits and single dashes, like “garden-tools” (80 at most).",
                );
            } else if tree.by_slug(&slug).is_some() {
                problems.add(
                    "slug",
                    format!("The handle “{slug}” belongs to another category."),
                );
            } else if slug.is_empty() && !name.is_empty() {
                problems.add(
                    "slug",
                    "Give it a handle: the name has no letters or digits to make one from.",
                );
            }
            let parent = problems.keep(parent_of(&tree, &parent)).flatten();
            if level_under(&tree, parent) > MAX_DEPTH {
                problems.keep::<()>(Err(too_deep()));
            }
            problems.finish()?;
            let id = sqlx::query_scalar!(
                "insert into categories (parent_id, slug, name, position)
                 values ($1, $2, $3, (select coalesce(max(position), -1) + 1 from categories where parent_id is not distinct from $1))
                 returning id",
                parent,
                slug,
                name
            )
            .fetch_one(&mut *tx)
            .await?;
            let after = json!({"name": name, "slug": slug, "parent": parent});
            (
                Action::CategoryCreated,
                id,
                Value::Null,
                after,
                format!("“{name}” was added."),
            )
        }
        CategoryChange::Edit {
            id,
            name,
            description,
        } => {
            let id = category(&tree, &id)?;
            let mut problems = Problems::default();
            let name = problems.take(validate::text("name", &name, 1, 80, "The name"));
            let description = problems.take(validate::text(
                "description",
                &description,
                0,
                2_000,
                "The description",
            ));
            problems.finish()?;
            let old = tree.get(id).expect("found above");
            let before = json!({"name": old.name, "description": old.description});
            sqlx::query!(
                "update categories set name = $2, description = $3 where id = $1",
                id,
                name,
                description
            )
            .execute(&mut *tx)
            .await?;
            let after = json!({"name": name, "description": description});
            (
                Action::CategoryEdited,
                id,
                before,
                after,
                format!("“{name}” was saved."),
            )
        }
        CategoryChange::Move { id, parent } => {
            let id = category(&tree, &id)?;
            let parent = parent_of(&tree, &parent)?;
            let old = tree.get(id).expect("found above");
            if parent.is_some_and(|p| tree.subtree_ids(id).contains(&p)) {
                return Err(AppError::invalid(
                    "parent",
                    "A category can't move under itself or one of its own subcategories.",
                ));
            }
            if level_under(&tree, parent) + height(&tree, id) - 1 > MAX_DEPTH {
                return Err(too_deep());
            }
            if parent == old.parent_id {
                return Err(AppError::Conflict(format!("“{}” is there already.", old.name)));
            }
            sqlx::query!(
                "update categories set parent_id = $2,
                        position = (select coalesce(max(position), -1) + 1 from categories where parent_id is not distinct from $2)
                 where id = $1",
                id,
                parent
            )
            .execute(&mut *tx)
            .await?;
            let name_of = |p: Option<Uuid>| p.and_then(|p| tree.get(p)).map(|c| c.slug.clone());
            let (before, after) = (
                json!({"parent": name_of(old.parent_id)}),
                json!({"parent": name_of(parent)}),
            );
            (
                Action::CategoryMoved,
                id,
                before,
                after,
                format!("“{}” was moved.", old.name),
            )
        }
        CategoryChange::Shift { id, to } => {
            let id = category(&tree, &id)?;
            let old = tree.get(id).expect("found above");
            let mut order: Vec<Uuid> = tree.children(old.parent_id).map(|c| c.id).collect();
            let at = order.iter().position(|c| *c == id).expect("among its siblings");
            let next = match to.as_str() {
                "up" if at > 0 => at - 1,
                "down" if at + 1 < order.len() => at + 1,
                "up" | "down" => {
                    return Err(AppError::Conflict(format!(
                        "“{}” can't move further {to}.",
                        old.name
                    )));
                }
                _ => return Err(AppError::BadRequest("Move a category up or down.".into())),
            };
            order.swap(at, next);
            let positions: Vec<i32> = (0..order.len() as i32).collect();
            sqlx::query!(
                "update categories set position = x.position
                 from unnest($1::uuid[], $2::int[]) as x(id, position) where categories.id = x.id",
                &order,
                &positions
            )
            .execute(&mut *tx)
            .await?;
            let (before, after) = (json!({"position": at}), json!({"position": next}));
            (
                Action::CategoryMoved,
                id,
                before,
                after,
                format!("“{}” was moved {to}.", old.name),
            )
        }
        CategoryChange::Delete { id } => {
            let id = category(&tree, &id)?;
            let old = tree.get(id).expect("found above");
            if tree.children(Some(id)).next().is_some() {
                return Err(AppError::Conflict(format!(
                    "“{}” has subcategories: move or delete them first.",
                    old.name
                )));
            }
            let products = sqlx::query_scalar!(
                r#"select count(*) as "n!" from products where category_id = $1"#,
                id
            )
            .fetch_one(&mut *tx)
            .await?;
            if products > 0 {
                return Err(AppError::Conflict(format!(
                    "{} in “{}”: only an empty category can be deleted.",
                    crate::text::counted(products as u64, "product is", "products are"),
                    old.name
                )));
            }
            sqlx::query!("delete from categories where id = $1", id)
                .execute(&mut *tx)
                .await?;
            let before = json!({"name": old.name, "slug": old.slug});
            (
                Action::CategoryDeleted,
                id,
                before,
                Value::Null,
                format!("“{}” was deleted.", old.name),
            )
        }
    };
    let entry = Entry {
        action,
        subject: Subject::Category(id),
        vendor: None,
        before: (!before.is_null()).then_some(before),
        after: (!after.is_null()).then_some(after),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    tracing::info!(category = %id, action = action.key(), actor = ?actor.user, "category tree changed");
    state.catalog.invalidate_tree().await;
    Ok(said)
}
