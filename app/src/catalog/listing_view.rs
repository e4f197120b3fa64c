//! The frame of every listing (category, search, shop): the filter drawer or sidebar, then
//! the results with their count, the "Filter and sort" button and the filters in use.

use super::active_filters::ActiveFilters;
use super::filters::{CategoryLinks, ListingFilters, products_label};
use super::query::ListingQuery;
use crate::search::model::Facets;
use leptos::prelude::*;

#[component]
pub fn ListingView(
    query: ListingQuery,
    /// The listing's path (`/search`, `/c/shoes`...).
    #[prop(into)]
    path: String,
    facets: Facets,
    category_links: CategoryLinks,
    total: u64,
    /// What the results are, for assistive technology.
    #[prop(into)]
    label: String,
    /// The grid and its pages, or what to do when nothing matches.
    children: Children,
) -> impl IntoView {
    // With nothing to narrow, an empty listing shows its message alone: no filter box above.
    let controls = (total > 0).then(|| {
        view! {
            <ListingFilters query=query.clone() action=path.clone() facets=facets.clone() category_links total/>
        }
    });
    view! {
        <div class="listing" class:listing-empty=total == 0>
            {controls}
            <section id="results" class="listing-results" aria-label=label>
                <div class="listing-toolbar">
                    {(total > 0).then(|| view! {
                        <a class="button secondary filter-toggle" href="#filters">"Filter and sort"</a>
                    })}
                    <p class="result-count" role="status">{products_label(total)}</p>
                </div>
                <ActiveFilters query path facets/>
                {children()}
            </section>
        </div>
    }
}
