//! The header's icons: inline SVG in the text colour, hidden from assistive technology (the
//! link around each one carries its name).

use leptos::prelude::*;

/// A shopping bag.
#[component]
pub fn CartIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <path d="M6 8h12l-1 12H7L6 8zm3 0V6a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor"
                stroke-width="1.8" stroke-linejoin="round"/>
        </svg>
    }
}

/// A person: the shopper's account.
#[component]
pub fn AccountIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="1.8"/>
            <path d="M4 21a8 8 0 0 1 16 0" fill="none" stroke="currentColor" stroke-width="1.8"/>
        </svg>
    }
}
