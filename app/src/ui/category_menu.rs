//! The category menu, rendered once per category-tree load and shared by every page.
//!
//! Two views of the same tree, both plain HTML that opens without JavaScript: on phones a
//! drawer (one column, departments expand in place with `<details>`), on wider screens a
//! mega-menu (every department with its subcategories, in columns). CSS shows one of them;
//! the hidden one is `display: none`, so it is neither read out nor in the tab order.

use crate::catalog::model::CategoryNode;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn CategoryMenu(menu: Arc<Vec<CategoryNode>>) -> impl IntoView {
    view! {
        <nav class="menu" aria-label="Categories">
            <details class="menu-drawer">
                <summary class="menu-toggle">
                    <span class="icon-menu" aria-hidden="true"></span>
                    "Categories"
                </summary>
                <div class="drawer-panel">
                    <ul class="drawer-list">{menu.iter().map(drawer_item).collect_view()}</ul>
                </div>
            </details>
            <details class="menu-mega">
                <summary class="menu-toggle">"All categories"</summary>
                <div class="mega-panel">
                    <ul class="mega-columns">{menu.iter().map(mega_column).collect_view()}</ul>
                </div>
            </details>
            <ul class="menu-roots">
                {menu.iter().map(|c| view! { <li><a href=href(c)>{c.name.clone()}</a></li> }).collect_view()}
            </ul>
        </nav>
    }
}

fn href(node: &CategoryNode) -> String {
    format!("/c/{}", node.slug)
}

/// A department in the drawer: a link when it has nothing below it, else a disclosure whose
/// first entry leads to the department itself.
fn drawer_item(node: &CategoryNode) -> AnyView {
    if node.children.is_empty() {
        return view! { <li><a href=href(node)>{node.name.clone()}</a></li> }.into_any();
    }
    view! {
        <li>
            <details>
                <summary>{node.name.clone()}</summary>
                <ul>
                    <li><a href=href(node)>"All " {node.name.clone()}</a></li>
                    {node.children.iter().map(drawer_item).collect_view()}
                </ul>
            </details>
        </li>
    }
    .into_any()
}

/// A department in the mega-menu: its name over its subcategories and theirs.
fn mega_column(node: &CategoryNode) -> impl IntoView + use<> {
    let branches = node
        .children
        .iter()
        .map(|branch| {
            let leaves = (!branch.children.is_empty()).then(|| {
                view! {
                    <ul>
                        {branch.children.iter().map(|leaf| view! {
                            <li><a href=href(leaf)>{leaf.name.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                }
            });
            view! { <li><a class="mega-branch" href=href(branch)>{branch.name.clone()}</a>{leaves}</li> }
        })
        .collect_view();
    view! {
        <li>
            <a class="mega-heading" href=href(node)>{node.name.clone()}</a>
            <ul>{branches}</ul>
        </li>
    }
}
