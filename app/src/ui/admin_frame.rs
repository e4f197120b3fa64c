//! The operators' console's frame: its menu beside the page (a row on phones), the page's
//! title and notice. The same layout as the vendor portal's.

use super::{PageNotice, is_current};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The console's sections, in menu order: path under `/admin`, name.
pub const ADMIN_SECTIONS: [(&str, &str); 11] = [
    ("", "Overview"),
    ("/users", "People"),
    ("/vendors", "Shops"),
    ("/products", "Products"),
    ("/categories", "Categories"),
    ("/orders", "Orders"),
    ("/payouts", "Payouts"),
    ("/discounts", "Discounts"),
    ("/reports", "Reports"),
    ("/settings", "Settings"),
    ("/audit", "Audit log"),
];

#[component]
pub fn AdminFrame(#[prop(into)] title: String, children: Children) -> impl IntoView {
    let here = leptos_router::hooks::use_location().pathname.get_untracked();
    let links = ADMIN_SECTIONS
        .iter()
        .map(|(path, name)| {
            let current = is_current(&here, "/admin", path).then_some("page");
            view! { <a href=format!("/admin{path}") aria-current=current>{*name}</a> }
        })
        .collect_view();
    view! {
        <Title text=format!("{title} · Admin")/>
        <Meta name="robots" content="noindex"/>
        <div class="account portal admin">
            <nav class="account-nav" aria-label="Admin">
                <strong>"Marketplace admin"</strong>
                {links}
            </nav>
            <section class="account-main">
                <h1>{title}</h1>
                <PageNotice/>
                {children()}
            </section>
        </div>
    }
}
