use super::api::get_category_page;
use super::filters::CategoryLinks;
use super::listing_view::ListingView;
use super::model::CategoryPage as Page;
use super::query::ListingQuery;
use crate::seo::PageMeta;
use crate::ui::{Breadcrumb, Pagination, ProductGrid, page_body};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::sync::Arc;

#[component]
pub fn CategoryPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("category")
        .unwrap_or_default();
    let query = ListingQuery::from_params(&use_query_map().read_untracked());
    page_body(get_category_page(slug, query.clone()), move |page| {
        view! { <CategoryView page=Arc::unwrap_or_clone(page) query/> }
    })
}

#[component]
fn CategoryView(page: Page, query: ListingQuery) -> impl IntoView {
    let path = format!("/c/{}", page.category.slug);
    let canonical = if query.page > 1 {
        query.href_for_page(&path, query.page)
    } else {
        path.clone()
    };
    let description = if page.description.is_empty() {
        format!("Shop {} from independent vendors.", page.category.name)
    } else {
        page.description.clone()
    };
    let title = match query.page {
        1 => page.category.name.clone(),
        n => format!("{} – page {n}", page.category.name),
    };
    let listing = page.listing;
    let page_count = listing.page_count();
    let total = listing.total;
    let results = if listing.items.is_empty() {
        view! {
            <div class="empty">
                <p>"No products match these filters."</p>
                <p><a href=path.clone()>"Show everything in " {page.category.name.clone()}</a></p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <ProductGrid cards=listing.items label=format!("Products in {}", page.category.name) titled=true/>
            <Pagination query=query.clone() page_count path=path.clone()/>
        }
        .into_any()
    };
    view! {
        <PageMeta title description=description.clone() path=canonical/>
        <Breadcrumb trail=page.ancestors current=page.category.name.clone()/>
        <header class="page-header">
            <h1>{page.category.name.clone()}</h1>
            <p class="muted">{description}</p>
        </header>
        <ListingView query=query.clone() path=path.clone() facets=page.facets category_links=CategoryLinks::Pages
            total label="Products">
            {results}
        </ListingView>
    }
}
