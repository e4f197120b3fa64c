//! The console's payouts server functions: for admins whose session passed two-factor
//! authentication (`Viewer::admin`), nobody else.

use super::model::{PayoutAction, PayoutsOverview, ShopPayouts};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// Shops whose name contains `q`, with their balances (a page of them), and the payouts with
/// status `status` (a filter's key: "" pending or failed, "failed", "pending", "all").
#[server(prefix = "/api", endpoint = "admin/payouts", input = server_fn::codec::Json)]
pub async fn list_payouts(
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] page: u32,
) -> Result<PayoutsOverview, AppError> {
    Viewer::of_request().admin()?;
    let filter = super::model::PayoutFilter::parse(&status);
    super::listing::list(&app_state()?, &q, filter, page).await
}

/// One shop's balances, payouts and ledger with its running balance (page `page`).
#[server(prefix = "/api", endpoint = "admin/payouts/shop", input = server_fn::codec::Json)]
pub async fn payouts_of_shop(shop: String, #[server(default)] page: u32) -> Result<ShopPayouts, AppError> {
    Viewer::of_request().admin()?;
    super::listing::shop(&app_state()?, &shop, page).await
}

/// Holds, releases or pays out now a shop's payouts (see `PayoutAction`); returns the shop's
/// name.
#[server(prefix = "/api", endpoint = "admin/payouts/act", input = server_fn::codec::Json)]
pub async fn act_on_payouts(shop: String, action: PayoutAction) -> Result<String, AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let actor = crate::audit::Actor::of(&viewer);
    super::actions::act(&app_state()?, &actor, &shop, action).await
}
