//! The discount codes' server functions: the console's for admins whose session passed
//! two-factor authentication (`Viewer::admin`), a shop's for its owners (`Need::Owner` to
//! change, `Need::OwnerRead` to read: codes cost the shop money).

use super::model::{CodeAction, Codes};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::manage::{self, Owner};
#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;
#[cfg(feature = "ssr")]
use crate::vendors::shop::Need;

/// Every code: the marketplace's and every shop's.
#[server(prefix = "/api", endpoint = "admin/discounts", input = server_fn::codec::Json)]
pub async fn marketplace_codes() -> Result<Codes, AppError> {
    Viewer::of_request().admin()?;
    manage::list(&app_state()?, Owner::Marketplace, None).await
}

/// Creates a marketplace code, or disables or enables any code; returns the code.
#[server(prefix = "/api", endpoint = "admin/discounts/act", input = server_fn::codec::Json)]
pub async fn act_on_marketplace_codes(action: CodeAction) -> Result<String, AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let actor = crate::audit::Actor::of(&viewer);
    manage::act(&app_state()?, &actor, Owner::Marketplace, action).await
}

/// The codes of shop `vendor`.
#[server(prefix = "/api", endpoint = "vendor/discounts", input = server_fn::codec::Json)]
pub async fn shop_codes(vendor: String) -> Result<Codes, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::OwnerRead)?;
    manage::list(&app_state()?, Owner::Shop(shop.id), Some(shop.membership.clone())).await
}

/// Creates a code of shop `vendor`, or disables or enables one of its codes; returns the code.
#[server(prefix = "/api", endpoint = "vendor/discounts/act", input = server_fn::codec::Json)]
pub async fn act_on_shop_codes(vendor: String, action: CodeAction) -> Result<String, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Owner)?;
    manage::act(&app_state()?, &shop.audit, Owner::Shop(shop.id), action).await
}
