use super::api::get_vendor_page;
use super::filters::CategoryLinks;
use super::listing_view::ListingView;
use super::model::VendorPage as Page;
use super::query::ListingQuery;
use crate::seo::PageMeta;
use crate::ui::{Pagination, ProductGrid, RatingSummaryView, page_body};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::sync::Arc;

#[component]
pub fn VendorPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("vendor")
        .unwrap_or_default();
    let query = ListingQuery::from_params(&use_query_map().read_untracked());
    page_body(get_vendor_page(slug, query.clone()), move |page| {
        view! { <VendorView page=Arc::unwrap_or_clone(page) query/> }
    })
}

#[component]
fn VendorView(page: Page, query: ListingQuery) -> impl IntoView {
    let vendor = page.vendor;
    let path = format!("/v/{}", vendor.slug);
    let canonical = if query.page > 1 {
        query.href_for_page(&path, query.page)
    } else {
        path.clone()
    };
    let description = if vendor.tagline.is_empty() {
        format!("Products from {} on the marketplace.", vendor.name)
    } else {
        vendor.tagline.clone()
    };
    let listing = page.listing;
    let page_count = listing.page_count();
    let total = listing.total;
    let results = if listing.items.is_empty() {
        view! {
            <div class="empty">
                <p>"No products match these filters."</p>
                <p><a href=path.clone()>"Show everything from " {vendor.name.clone()}</a></p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <ProductGrid cards=listing.items label=format!("Products from {}", vendor.name) titled=true/>
            <Pagination query=query.clone() page_count path=path.clone()/>
        }
        .into_any()
    };
    view! {
        <PageMeta title=vendor.name.clone() description path=canonical/>
        <header class="vendor-header">
            {vendor.logo_key.clone().map(|key| view! {
                <img class="vendor-logo" src=crate::ui::image_src(&key, 320) width="96" height="96" alt=format!("{} logo", vendor.name)/>
            })}
            <h1>{vendor.name.clone()}</h1>
            <p class="tagline">{vendor.tagline.clone()}</p>
            <p class="muted">
                {crate::text::counted(vendor.product_count, "product", "products")} " · " {vendor.country.clone()} " · selling since " {vendor.since_year}
            </p>
            <RatingSummaryView rating=vendor.rating/>
            <div class="description">
                {vendor.description.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
            </div>
        </header>
        <ListingView query=query.clone() path=path.clone() facets=page.facets category_links=CategoryLinks::Facet
            total label="Products">
            {results}
        </ListingView>
    }
}
