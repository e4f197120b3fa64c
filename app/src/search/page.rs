//! `/search?q=…`: results with facets, corrected spelling, and an empty state that helps.

use super::api::get_search_page;
use super::model::SearchPage as Page;
use crate::catalog::filters::{CategoryLinks, products_label};
use crate::catalog::listing_view::ListingView;
use crate::catalog::query::ListingQuery;
use crate::seo::PageMeta;
use crate::ui::{Pagination, ProductGrid, page_body};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/search";

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = ListingQuery::from_params(&use_query_map().read_untracked());
    page_body(
        get_search_page(query.clone()),
        move |page| view! { <Results page=std::sync::Arc::unwrap_or_clone(page) query/> },
    )
}

#[component]
fn Results(page: Page, query: ListingQuery) -> impl IntoView {
    let heading = if query.q.is_empty() {
        "All products".to_string()
    } else {
        format!("Results for “{}”", query.q)
    };
    let canonical = query.href_for_page(PATH, query.page);
    let listing = page.listing;
    let page_count = listing.page_count();
    let total = listing.total;
    let notes = view! {
        {page.corrected.map(|words| view! {
            <p class="search-note" role="status">"Showing results for " <strong>{words}</strong> "."</p>
        })}
        {page.any_word.then(|| view! {
            <p class="search-note">"No product matches every word, so these match some of them."</p>
        })}
    };
    let results = if listing.items.is_empty() {
        view! {
            <div class="empty">
                <p><strong>"Nothing matches “" {query.q.clone()} "”" {query.is_filtered().then_some(" with these filters")} "."</strong></p>
                <p>"Check the spelling, use fewer or more general words, or remove a filter."</p>
                {(!page.popular_categories.is_empty()).then(|| view! {
                    <nav aria-label="Popular categories">
                        <h2>"Browse popular categories"</h2>
                        <ul class="chips">
                            {page.popular_categories.into_iter().map(|c| view! {
                                <li><a class="chip" href=format!("/c/{}", c.slug)>{c.name}</a></li>
                            }).collect_view()}
                        </ul>
                    </nav>
                })}
                {(!page.popular_products.is_empty()).then(|| view! {
                    <h2>"Shoppers love these"</h2>
                    <ProductGrid cards=page.popular_products label="Shoppers love these"/>
                })}
            </div>
        }
        .into_any()
    } else {
        view! {
            <ProductGrid cards=listing.items label="Search results" titled=true/>
            <Pagination query=query.clone() page_count path=PATH/>
        }
        .into_any()
    };
    view! {
        <PageMeta title=heading.clone() description=format!("{} matching your search.", products_label(total)) path=canonical/>
        <Meta name="robots" content="noindex, follow"/>
        <header class="page-header">
            <h1>{heading}</h1>
            {notes}
        </header>
        <ListingView query=query.clone() path=PATH facets=page.facets category_links=CategoryLinks::Facet
            total label="Results">
            {results}
        </ListingView>
    }
}
