//! A wide table on a narrow screen: it scrolls sideways in a region of its own, which the
//! keyboard can reach (focusable, named) even when the table holds no link.

use leptos::prelude::*;

#[component]
pub fn TableScroll(
    /// What the table is, for the region's name ("Ledger").
    #[prop(into)]
    label: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=label>
            {children()}
        </div>
    }
}
