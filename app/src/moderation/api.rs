//! Moderation's server functions: a signed-in shopper reports a product; admins whose session
//! passed two-factor authentication (`Viewer::admin`) list every product and act on one.

use super::model::{ModeratedList, ModeratedProduct, Moderation, ReportTarget};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The product on sale at `slug`, as the signed-in shopper's report page shows it.
#[server(prefix = "/api", endpoint = "catalog/report/target", input = server_fn::codec::Json)]
pub async fn product_to_report(slug: String) -> Result<ReportTarget, AppError> {
    let user = Viewer::of_request().signed_in_id()?;
    super::reports::target(&app_state()?, user, &slug).await
}

/// Files the signed-in shopper's report of the product at `slug`: a reason's key and a note.
#[server(prefix = "/api", endpoint = "catalog/report", input = server_fn::codec::Json)]
pub async fn report_product(
    slug: String,
    reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let user = Viewer::of_request().signed_in_id()?;
    super::reports::file(&app_state()?, user, &slug, &reason, &note).await
}

/// Every product of every shop: by title, handle or SKU (`q`), the shop's name, a category
/// (its slug, with its descendants), status (its key) and open reports, newest first.
#[server(prefix = "/api", endpoint = "admin/products", input = server_fn::codec::Json)]
pub async fn moderated_products(
    #[server(default)] q: String,
    #[server(default)] shop: String,
    #[server(default)] category: String,
    #[server(default)] status: String,
    #[server(default)] reported: bool,
    #[server(default)] page: u32,
) -> Result<ModeratedList, AppError> {
    Viewer::of_request().admin()?;
    let search = super::listing::Search {
        q,
        shop,
        category,
        status: super::model::StatusFilter::parse(&status),
        reported,
    };
    super::listing::list(&app_state()?, search, page).await
}

/// One product of any shop, with its reports and the log about it.
#[server(prefix = "/api", endpoint = "admin/product", input = server_fn::codec::Json)]
pub async fn moderation_detail(id: String) -> Result<ModeratedProduct, AppError> {
    Viewer::of_request().admin()?;
    let id = crate::id::ProductId::sent(&id)?.uuid();
    super::listing::detail(&app_state()?, id).await
}

/// Hides, reinstates or dismisses the reports of a product (see `Moderation`); returns what
/// the console says about it.
#[server(prefix = "/api", endpoint = "admin/product/act", input = server_fn::codec::Json)]
pub async fn moderate_product(id: String, action: Moderation) -> Result<String, AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let id = crate::id::ProductId::sent(&id)?.uuid();
    let actor = crate::audit::Actor::of(&viewer);
    super::actions::act(&app_state()?, &actor, id, action).await
}
