//! An address shown as it is written on a parcel, in its country's order.

use super::model::AddressInput;
use leptos::prelude::*;

/// A shipping address as it is written on a parcel.
#[component]
pub fn PostalAddress(address: AddressInput) -> impl IntoView {
    let lines = address.lines();
    let last = lines.len().saturating_sub(1);
    view! {
        <address>
            {lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| view! { {line} {(i < last).then(|| view! { <br/> })} })
                .collect_view()}
        </address>
    }
}
