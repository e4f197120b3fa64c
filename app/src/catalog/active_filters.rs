//! The filters in force, above the results: one removable chip each (a link to the same
//! listing without it) and a link that removes them all.

use super::filters::{clear_href, stars_and_up};
use super::query::ListingQuery;
use crate::money::Money;
use crate::search::model::Facets;
use leptos::prelude::*;

/// One filter in force: what it says and the listing without it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chip {
    pub label: String,
    pub href: String,
}

/// Every filter of `query`, each with the link that removes it.
pub fn chips(query: &ListingQuery, path: &str, facets: &Facets) -> Vec<Chip> {
    let currency = facets.currency;
    let mut chips = Vec::new();
    let mut push = |label: String, change: &dyn Fn(&mut ListingQuery)| {
        chips.push(Chip {
            label,
            href: query.href_with(path, change),
        });
    };
    if let Some(slug) = &query.category {
        let name = facets
            .category_trail
            .last()
            .map(|c| c.name.clone())
            .unwrap_or_else(|| slug.clone());
        push(format!("Category: {name}"), &|q| q.category = None);
    }
    let whole = |v: u32| {
        let text = Money::new(v as i64 * 10_i64.pow(currency.exponent()), currency).to_string();
        text.strip_suffix(".00").map(str::to_string).unwrap_or(text)
    };
    match (query.min_price, query.max_price) {
        (Some(min), Some(max)) => push(format!("{} to {}", whole(min), whole(max)), &|q| {
            (q.min_price, q.max_price) = (None, None)
        }),
        (Some(min), None) => push(format!("{} and up", whole(min)), &|q| q.min_price = None),
        (None, Some(max)) => push(format!("Up to {}", whole(max)), &|q| q.max_price = None),
        (None, None) => {}
    }
    if let Some(stars) = query.rating {
        push(stars_and_up(stars), &|q| q.rating = None);
    }
    for slug in &query.vendors {
        let name = facets
            .vendors
            .iter()
            .find(|v| &v.value == slug)
            .map(|v| v.label.clone())
            .unwrap_or_else(|| slug.clone());
        push(name, &|q| q.vendors.retain(|v| v != slug));
    }
    if query.in_stock {
        push("In stock".to_string(), &|q| q.in_stock = false);
    }
    chips
}

#[component]
pub fn ActiveFilters(query: ListingQuery, #[prop(into)] path: String, facets: Facets) -> impl IntoView {
    let chips = chips(&query, &path, &facets);
    (!chips.is_empty()).then(|| {
        let clear = clear_href(&query, &path);
        view! {
            <ul class="active-filters" aria-label="Filters in use">
                {chips.into_iter().map(|chip| {
                    let name = format!("Remove filter: {}", chip.label);
                    view! {
                    <li>
                        <a class="chip chip-remove" href=chip.href rel="nofollow"
                            aria-label=name>
                            {chip.label} <span aria-hidden="true">"×"</span>
                        </a>
                    </li>
                    }
                }).collect_view()}
                <li><a class="clear-all" href=clear rel="nofollow">"Clear all"</a></li>
            </ul>
        }
    })
}
