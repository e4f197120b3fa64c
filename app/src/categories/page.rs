//! `/admin/categories`: the tree, each category with its products, moved up and down among
//! its siblings, renamed, moved under another parent and deleted when empty; and a form for
//! a new one. Every form works without JavaScript.

use super::api;
use super::model::{CategoryAdmin, CategoryChange, CategoryRow};
use crate::error::AppResult;
use crate::ui::{
    AdminFrame, Confirm, Field, FormAction, FormError, FormState, Notice, TableScroll, act, page_body,
};
use leptos::prelude::*;
use serde::Deserialize;

/// The page's forms, one per action (`_action`).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum TreeForm {
    Create {
        #[serde(default)]
        name: String,
        #[serde(default)]
        slug: String,
        #[serde(default)]
        parent: String,
    },
    Edit {
        id: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        description: String,
    },
    Move {
        id: String,
        #[serde(default)]
        parent: String,
    },
    Shift {
        id: String,
        to: String,
    },
    Delete {
        id: String,
    },
}

impl From<TreeForm> for CategoryChange {
    fn from(form: TreeForm) -> Self {
        match form {
            TreeForm::Create { name, slug, parent } => CategoryChange::Create { name, slug, parent },
            TreeForm::Edit {
                id,
                name,
                description,
            } => CategoryChange::Edit {
                id,
                name,
                description,
            },
            TreeForm::Move { id, parent } => CategoryChange::Move { id, parent },
            TreeForm::Shift { id, to } => CategoryChange::Shift { id, to },
            TreeForm::Delete { id } => CategoryChange::Delete { id },
        }
    }
}

impl TreeForm {
    /// The notice that says it was done.
    fn notice(&self) -> Notice {
        match self {
            TreeForm::Create { .. } => Notice::CategoryAdded,
            TreeForm::Edit { .. } => Notice::CategorySaved,
            TreeForm::Move { .. } | TreeForm::Shift { .. } => Notice::CategoryMoved,
            TreeForm::Delete { .. } => Notice::CategoryDeleted,
        }
    }
}

const FORMS: [&str; 5] = ["create", "edit", "move", "shift", "delete"];

#[component]
pub fn CategoriesPage() -> impl IntoView {
    page_body(
        async move {
            let tree = api::categories_for_admin().await?;
            let state = act(|form: TreeForm| async move {
                let notice = form.notice();
                api::change_category(form.into()).await?;
                Ok(notice.on("/admin/categories"))
            })
            .await;
            AppResult::Ok((tree, state))
        },
        |(tree, state): (CategoryAdmin, FormState)| view! { <Tree tree state/> },
    )
}

/// The parents a category may be given, as (handle, label, chosen): every category but
/// `except` and its own branch, indented by depth.
fn parent_options(
    rows: &[CategoryRow],
    selected: &str,
    except: Option<&CategoryRow>,
) -> Vec<(String, String, bool)> {
    let mut skipping: Option<u32> = None;
    let mut options = Vec::new();
    for r in rows {
        if let Some(depth) = skipping {
            if r.depth > depth {
                continue;
            }
            skipping = None;
        }
        if except.is_some_and(|e| e.id == r.id) {
            skipping = Some(r.depth);
            continue;
        }
        let label = format!("{}{}", "— ".repeat(r.depth as usize), r.name);
        options.push((r.slug.clone(), label, r.slug == selected));
    }
    options
}

fn options_view(options: Vec<(String, String, bool)>) -> impl IntoView {
    options
        .into_iter()
        .map(|(value, label, selected)| view! { <option value=value selected=selected>{label}</option> })
        .collect_view()
}

#[component]
fn Tree(tree: CategoryAdmin, state: FormState) -> impl IntoView {
    let rows = tree
        .rows
        .iter()
        .map(|r| view! { <Row row=r.clone() parents=parent_options(&tree.rows, &r.parent, Some(r))/> })
        .collect_view();
    let chosen_parent = state.value("create", "parent");
    view! {
        <AdminFrame title="Categories">
            {FORMS.map(|form| view! { <FormError form state=state.clone()/> }).collect_view()}
            <form method="post" class="panel stack narrow" aria-labelledby="new-title">
                <h2 id="new-title">"New category"</h2>
                <FormAction name="create"/>
                <Field form="create" name="name" label="Name" state=state.clone() maxlength=80/>
                <Field form="create" name="slug" label="Handle" state=state.clone() required=false maxlength=80
                    hint="Its address: /c/handle. Left empty, it is made from the name."/>
                <div class="field">
                    <label for="create-parent">"Inside"</label>
                    <select id="create-parent" name="parent">
                        <option value="">"The top (a department)"</option>
                        {options_view(parent_options(&tree.rows, &chosen_parent, None))}
                    </select>
                </div>
                <button type="submit" class="button">"Add the category"</button>
            </form>
            <TableScroll label="Categories"><table class="data-table">
                <thead><tr><th>"Category"</th><th>"Handle"</th><th>"Products"</th><th>"Order"</th><th>"Change"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></TableScroll>
        </AdminFrame>
    }
}

#[component]
fn Row(row: CategoryRow, parents: Vec<(String, String, bool)>) -> impl IntoView {
    let id = row.id.clone();
    let shift = |to: &'static str, label: &'static str, hidden: bool| {
        let (id, name) = (id.clone(), row.name.clone());
        (!hidden).then(move || {
            view! {
                <form method="post" class="inline">
                    <FormAction name="shift"/>
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="to" value=to/>
                    <button type="submit" class="secondary" aria-label=format!("Move {name} {to}")>{label}</button>
                </form>
            }
        })
    };
    let (delete_id, name, slug) = (id.clone(), row.name.clone(), row.slug.clone());
    let delete = (!row.has_children && row.products == 0).then(move || {
        view! {
            <Confirm
                label="Delete".to_string()
                question=format!("Delete “{name}”? Its address /c/{slug} stops working.")
                confirm=format!("Yes, delete {name}")
            >
                <FormAction name="delete"/>
                <input type="hidden" name="id" value=delete_id/>
            </Confirm>
        }
    });
    let products = if row.products_below == row.products {
        row.products.to_string()
    } else {
        format!("{} ({} with subcategories)", row.products, row.products_below)
    };
    let name_id = format!("name-{}", row.id);
    let description_id = format!("description-{}", row.id);
    let parent_id = format!("parent-{}", row.id);
    view! {
        <tr>
            <th scope="row">{"— ".repeat(row.depth as usize)}<a href=format!("/c/{}", row.slug)>{row.name.clone()}</a></th>
            <td>{row.slug.clone()}</td>
            <td class="amount">{products}</td>
            <td><div class="image-actions">{shift("up", "↑", row.first)}{shift("down", "↓", row.last)}</div></td>
            <td>
                <details class="confirm">
                    <summary class="button secondary">"Edit"</summary>
                    <form method="post" class="stack confirm-body">
                        <FormAction name="edit"/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <label for=name_id.clone()>"Name"</label>
                        <input id=name_id name="name" value=row.name.clone() maxlength="80" required/>
                        <label for=description_id.clone()>"Description"</label>
                        <textarea id=description_id name="description" rows="3" maxlength="2000">{row.description.clone()}</textarea>
                        <button type="submit" class="button">"Save"</button>
                    </form>
                    <form method="post" class="stack confirm-body">
                        <FormAction name="move"/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <label for=parent_id.clone()>"Inside"</label>
                        <select id=parent_id name="parent">
                            <option value="">"The top (a department)"</option>
                            {options_view(parents)}
                        </select>
                        <button type="submit" class="button">"Move"</button>
                    </form>
                </details>
                {delete}
            </td>
        </tr>
    }
}
