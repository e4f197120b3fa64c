//! The listing controls: sort and filters as one GET form, so the URL is the state.

use super::model::FacetValue;
use super::query::{ListingQuery, Sort};
use leptos::prelude::*;
use leptos_router::components::Form;

/// Sort, price range, vendors and stock, submitted as query parameters to `action`.
#[component]
pub fn ListingFilters(
    query: ListingQuery,
    #[prop(into)] action: String,
    /// Vendors to offer as a filter; empty on a vendor's own page.
    #[prop(optional)]
    vendors: Vec<FacetValue>,
) -> impl IntoView {
    let vendor_filter = (!vendors.is_empty()).then(|| {
        let chosen = query.vendors.clone();
        view! {
            <fieldset>
                <legend>"Vendor"</legend>
                {vendors
                    .into_iter()
                    .map(|v| {
                        let id = format!("vendor-{}", v.value);
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id.clone() name="vendor" value=v.value.clone()
                                    checked=chosen.contains(&v.value)/>
                                <label for=id>{v.label} <span class="count">" (" {v.count} ")"</span></label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    });
    let clear = action.clone();
    view! {
        <Form method="GET" action=action attr:class="filters" attr:aria-label="Sort and filter">
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">
                    {Sort::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.param() selected=s == query.sort>{s.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <fieldset class="price-range">
                <legend>"Price"</legend>
                <div class="field">
                    <label for="min_price">"Min"</label>
                    <input id="min_price" name="min_price" type="number" min="0" step="1" inputmode="numeric"
                        value=query.min_price.map(|v| v.to_string())/>
                </div>
                <div class="field">
                    <label for="max_price">"Max"</label>
                    <input id="max_price" name="max_price" type="number" min="0" step="1" inputmode="numeric"
                        value=query.max_price.map(|v| v.to_string())/>
                </div>
            </fieldset>
            {vendor_filter}
            <div class="check">
                <input type="checkbox" id="in_stock" name="in_stock" value="1" checked=query.in_stock/>
                <label for="in_stock">"In stock only"</label>
            </div>
            <div class="actions">
                <button type="submit">"Apply filters"</button>
                {query.is_filtered().then(|| view! { <a href=clear>"Clear filters"</a> })}
            </div>
        </Form>
    }
}
