//! A grid of product cards, as kept by `rendered_cards`.

use crate::catalog::model::ProductCard;
use leptos::prelude::*;

/// A responsive grid of product cards. `titled`: the grid is the page's list of products
/// under its `h1`, so it gets an `h2` of its own (for screen readers only) and the cards'
/// `h3` titles keep the headings in order.
#[component]
pub fn ProductGrid(
    cards: Vec<ProductCard>,
    #[prop(into)] label: String,
    #[prop(optional)] titled: bool,
) -> impl IntoView {
    view! {
        {titled.then(|| view! { <h2 class="visually-hidden">{label.clone()}</h2> })}
        // Server-rendered (no island inside): the cards' HTML as kept, see `rendered_cards`.
        <ul class="grid" aria-label=label inner_html=super::rendered_cards::card_items(&cards)></ul>
    }
}
