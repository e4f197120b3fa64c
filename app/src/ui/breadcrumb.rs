use crate::catalog::model::CategoryLink;
use leptos::prelude::*;

/// Home › ancestors › the current page (not a link).
#[component]
pub fn Breadcrumb(trail: Vec<CategoryLink>, #[prop(into)] current: String) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li><a href="/">"Home"</a></li>
                {trail
                    .into_iter()
                    .map(|c| view! { <li><a href=format!("/c/{}", c.slug)>{c.name}</a></li> })
                    .collect_view()}
                <li><span aria-current="page">{current}</span></li>
            </ol>
        </nav>
    }
}
