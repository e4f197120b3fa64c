//! Server functions of the catalog: thin wrappers over `server.rs`.

use super::model::*;
use super::query::ListingQuery;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What every page's layout needs: the shop's name, its address and the category menu.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub name: String,
    pub public_url: String,
    /// A demo marketplace (sample people, simulated payments): every page says so.
    pub demo: bool,
    /// The category menu, already rendered (see `ui::CategoryMenu`).
    pub menu_html: Arc<str>,
}

#[server(prefix = "/api", endpoint = "site_info")]
pub async fn get_site_info() -> Result<SiteInfo, AppError> {
    let state = crate::state::app_state()?;
    let tree = state.catalog.tree(&state.pool).await?;
    Ok(SiteInfo {
        name: state.site.name.clone(),
        public_url: state.site.public_url.clone(),
        demo: state.site.mode == crate::state::Mode::Demo,
        menu_html: tree.menu_html(|menu| {
            use leptos::tachys::view::RenderHtml;
            view! { <crate::ui::CategoryMenu menu/> }.to_html()
        }),
    })
}

#[server(prefix = "/api", endpoint = "home")]
pub async fn get_home_page() -> Result<Arc<HomePage>, AppError> {
    let state = crate::state::app_state()?;
    super::server::home_page(&state).await
}

#[server(prefix = "/api", endpoint = "category", input = server_fn::codec::Json)]
pub async fn get_category_page(slug: String, query: ListingQuery) -> Result<Arc<CategoryPage>, AppError> {
    let state = crate::state::app_state()?;
    super::server::category_page(&state, &slug, &query).await
}

#[server(prefix = "/api", endpoint = "product", input = server_fn::codec::Json)]
pub async fn get_product_page(slug: String) -> Result<Arc<ProductPage>, AppError> {
    let state = crate::state::app_state()?;
    let page = super::server::product_page(&state, &slug).await?;
    // A product seen, for the overview's conversion (in memory; see `analytics::viewers`).
    let viewer = crate::accounts::viewer::Viewer::of_request();
    state.viewers.saw(&state.secret_key, viewer.client());
    Ok(page)
}

#[server(prefix = "/api", endpoint = "vendor", input = server_fn::codec::Json)]
pub async fn get_vendor_page(slug: String, query: ListingQuery) -> Result<Arc<VendorPage>, AppError> {
    let state = crate::state::app_state()?;
    super::server::vendor_page(&state, &slug, &query).await
}
