use crate::money::Money;
use leptos::prelude::*;

/// "$12.00" or "From $12.00" when variants differ in price.
#[component]
pub fn PriceRange(min: Money, max: Money) -> impl IntoView {
    let label = if min == max {
        min.to_string()
    } else {
        format!("From {min}")
    };
    view! { <span class="price">{label}</span> }
}
