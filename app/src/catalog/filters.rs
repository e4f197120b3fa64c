//! The listing controls: sort, filters and facets with counts. Choices that are one click
//! (a category, a price range, a rating) are links; the rest is one GET form. The URL is the
//! state, so every combination can be shared and works without JavaScript.

use super::query::{ListingQuery, Sort};
use crate::search::model::Facets;
use leptos::prelude::*;
use leptos_router::components::Form;

/// Where a category facet value leads.
#[derive(Clone, Copy, PartialEq)]
pub enum CategoryLinks {
    /// To the category's own page, keeping the filters (category pages).
    Pages,
    /// To this listing narrowed by `category=` (the search page).
    Facet,
}

#[component]
pub fn ListingFilters(
    query: ListingQuery,
    /// The listing's path (`/search`, `/c/shoes`...).
    #[prop(into)]
    action: String,
    facets: Facets,
    category_links: CategoryLinks,
) -> impl IntoView {
    let link = |change: &dyn Fn(&mut ListingQuery)| query.href_with(&action, change);
    let categories = category_facet(&query, &action, &facets, category_links);
    let prices = facets
        .prices
        .iter()
        .filter(|p| p.count > 0 || p.selected)
        .map(|p| {
            let (min, max) = (p.min, p.max);
            let href = if p.selected {
                link(&|q| (q.min_price, q.max_price) = (None, None))
            } else {
                link(&move |q| (q.min_price, q.max_price) = (Some(min), max))
            };
            view! {
                <li>
                    <a href=href rel="nofollow" aria-current=p.selected.then_some("true")>
                        {p.label.clone()} <span class="count">" (" {p.count} ")"</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let ratings = facets
        .ratings
        .iter()
        .filter(|r| r.count > 0 || r.selected)
        .map(|r| {
            let stars = r.stars;
            let href = if r.selected {
                link(&|q| q.rating = None)
            } else {
                link(&move |q| q.rating = Some(stars))
            };
            view! {
                <li>
                    <a href=href rel="nofollow" aria-current=r.selected.then_some("true")>
                        {format!("{stars} stars & up")} <span class="count">" (" {r.count} ")"</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let vendors = (!facets.vendors.is_empty()).then(|| {
        view! {
            <fieldset>
                <legend>"Vendor"</legend>
                {facets
                    .vendors
                    .iter()
                    .map(|v| {
                        let id = format!("vendor-{}", v.value);
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id.clone() name="vendor" value=v.value.clone() checked=v.selected/>
                                <label for=id>{v.label.clone()} <span class="count">" (" {v.count} ")"</span></label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    });
    let clear = query.href_with(&action, |q| {
        let text = std::mem::take(&mut q.q);
        *q = ListingQuery {
            q: text,
            per_page: q.per_page,
            ..ListingQuery::default()
        };
        q.sort = Sort::default_for(&q.q);
    });
    let sorts = Sort::ALL
        .into_iter()
        .filter(|s| *s != Sort::Relevance || !query.q.is_empty())
        .map(|s| view! { <option value=s.param() selected=s == query.sort>{s.label()}</option> })
        .collect_view();
    view! {
        <div class="filters">
            {categories}
            <Form method="GET" action=action attr:class="filter-form" attr:aria-label="Sort and filter">
                {(!query.q.is_empty()).then(|| view! { <input type="hidden" name="q" value=query.q.clone()/> })}
                {query.category.clone().map(|c| view! { <input type="hidden" name="category" value=c/> })}
                {query.rating.map(|r| view! { <input type="hidden" name="rating" value=r/> })}
                <div class="field">
                    <label for="sort">"Sort by"</label>
                    <select id="sort" name="sort">{sorts}</select>
                </div>
                <fieldset class="price-range">
                    <legend>"Price"</legend>
                    <ul class="facet-links">{prices}</ul>
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
                {vendors}
                <div class="check">
                    <input type="checkbox" id="in_stock" name="in_stock" value="1" checked=query.in_stock/>
                    <label for="in_stock">"In stock only" <span class="count">" (" {facets.in_stock} ")"</span></label>
                </div>
                <div class="actions">
                    <button type="submit">"Apply filters"</button>
                    {query.is_filtered().then(|| view! { <a href=clear>"Clear filters"</a> })}
                </div>
            </Form>
            <nav class="facet" aria-label="Rating">
                <h2 class="facet-title">"Rating"</h2>
                <ul class="facet-links">{ratings}</ul>
            </nav>
        </div>
    }
}

/// Categories one level down with their counts, and the way back up on the search page.
fn category_facet(
    query: &ListingQuery,
    path: &str,
    facets: &Facets,
    links: CategoryLinks,
) -> impl IntoView + use<> {
    let href = |slug: Option<&str>| match (links, slug) {
        (CategoryLinks::Pages, Some(slug)) => query.href_with(&format!("/c/{slug}"), |q| q.category = None),
        (_, slug) => query.href_with(path, |q| q.category = slug.map(str::to_string)),
    };
    let up = (links == CategoryLinks::Facet && query.category.is_some()).then(|| {
        let mut trail = facets.category_trail.clone();
        let current = trail.pop();
        view! {
            <li><a href=href(None) rel="nofollow">"All categories"</a></li>
            {trail.into_iter().map(|c| view! { <li><a href=href(Some(&c.slug)) rel="nofollow">{c.name}</a></li> }).collect_view()}
            {current.map(|c| view! { <li><strong aria-current="true">{c.name}</strong></li> })}
        }
    });
    (up.is_some() || !facets.categories.is_empty()).then(|| {
        view! {
            <nav class="facet" aria-label="Category">
                <h2 class="facet-title">"Category"</h2>
                <ul class="facet-links">
                    {up}
                    {facets
                        .categories
                        .iter()
                        .map(|c| view! {
                            <li class="facet-child">
                                <a href=href(Some(&c.value)) rel="nofollow">
                                    {c.label.clone()} <span class="count">" (" {c.count} ")"</span>
                                </a>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    })
}
