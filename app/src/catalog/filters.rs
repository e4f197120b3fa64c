//! The listing controls: sort and filters in one GET form, and the categories to browse. The
//! URL is the state, so every combination can be shared and works without JavaScript.
//!
//! One rule for applying: without JavaScript the form's one button applies every choice; with
//! it (`public/listing.js`), a choice from a list, box or button applies as soon as it is made
//! and typed prices when Enter is pressed. On phones the controls are a drawer opened by a
//! link to `#filters` (CSS `:target`); wider, they are a sidebar.

use super::query::{ListingQuery, PER_PAGE_DEFAULT, Sort};
use crate::search::model::Facets;
use leptos::prelude::*;

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
    /// How many products match: the drawer's button says so.
    total: u64,
) -> impl IntoView {
    let categories = category_facet(&query, &action, &facets, category_links);
    let ratings = facets
        .ratings
        .iter()
        .filter(|r| r.count > 0 || r.selected)
        .map(|r| {
            let id = format!("rating-{}", r.stars);
            view! {
                <div class="check">
                    <input type="radio" id=id.clone() name="rating" value=r.stars checked=r.selected/>
                    <label for=id>{stars_and_up(r.stars)} <span class="count">" (" {r.count} ")"</span></label>
                </div>
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
    let clear = clear_href(&query, &action);
    let sorts = Sort::ALL
        .into_iter()
        .filter(|s| *s != Sort::Relevance || !query.q.is_empty())
        .map(|s| view! { <option value=s.param() selected=s == query.sort>{s.label()}</option> })
        .collect_view();
    view! {
        <aside id="filters" class="filter-drawer" aria-labelledby="filters-heading">
            <div class="filter-head">
                <h2 id="filters-heading">"Filter and sort"</h2>
                <a class="filter-close" href="#results">"Close"</a>
            </div>
            {categories}
            <form method="get" action=action class="filter-form" aria-label="Sort and filter">
                {(!query.q.is_empty()).then(|| view! { <input type="hidden" name="q" value=query.q.clone()/> })}
                {query.category.clone().map(|c| view! { <input type="hidden" name="category" value=c/> })}
                {(query.per_page != PER_PAGE_DEFAULT).then(|| view! { <input type="hidden" name="per_page" value=query.per_page/> })}
                <div class="field">
                    <label for="sort">"Sort by"</label>
                    <select id="sort" name="sort">{sorts}</select>
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
                <fieldset>
                    <legend>"Rating"</legend>
                    <div class="check">
                        <input type="radio" id="rating-any" name="rating" value="" checked=query.rating.is_none()/>
                        <label for="rating-any">"Any rating"</label>
                    </div>
                    {ratings}
                </fieldset>
                {vendors}
                <fieldset>
                    <legend>"Availability"</legend>
                    <div class="check">
                        <input type="checkbox" id="in_stock" name="in_stock" value="1" checked=query.in_stock/>
                        <label for="in_stock">"In stock only" <span class="count">" (" {facets.in_stock} ")"</span></label>
                    </div>
                </fieldset>
                <div class="filter-actions">
                    {query.is_filtered().then(|| view! { <a href=clear.clone()>"Clear all"</a> })}
                    <button type="submit">"Apply filters"</button>
                    <a class="button secondary filter-done" href="#results">{results_label(total)}</a>
                </div>
            </form>
            <script src="/listing.js" defer></script>
        </aside>
    }
}

/// "1 star & up", "4 stars & up".
pub fn stars_and_up(stars: u8) -> String {
    match stars {
        1 => "1 star & up".to_string(),
        n => format!("{n} stars & up"),
    }
}

/// "1 product", "24 products".
pub fn products_label(total: u64) -> String {
    crate::text::counted(total, "product", "products")
}

fn results_label(total: u64) -> String {
    match total {
        0 => "No results".to_string(),
        n => format!("Show {}", products_label(n)),
    }
}

/// The listing with every filter removed (the search text and page size kept).
pub fn clear_href(query: &ListingQuery, action: &str) -> String {
    query.href_with(action, |q| {
        let text = std::mem::take(&mut q.q);
        *q = ListingQuery {
            q: text,
            per_page: q.per_page,
            ..ListingQuery::default()
        };
        q.sort = Sort::default_for(&q.q);
    })
}

/// Categories one level down with their counts, and the way back up on the search page.
/// Choosing one goes to that category (a page of its own, or this listing narrowed to it):
/// browsing, so these are links rather than form fields.
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
                <h3 class="facet-title">"Category"</h3>
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
