//! The category tree's server functions, for admins whose session passed two-factor
//! authentication (`Viewer::admin`).

use super::model::{CategoryAdmin, CategoryChange};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// Every category in tree order, with how many products each holds.
#[server(prefix = "/api", endpoint = "admin/categories", input = server_fn::codec::Json)]
pub async fn categories_for_admin() -> Result<CategoryAdmin, AppError> {
    Viewer::of_request().admin()?;
    super::edit::tree(&app_state()?).await
}

/// Makes `change` to the tree; returns what the console says about it.
#[server(prefix = "/api", endpoint = "admin/categories/change", input = server_fn::codec::Json)]
pub async fn change_category(change: CategoryChange) -> Result<String, AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let actor = crate::audit::Actor::of(&viewer);
    super::edit::change(&app_state()?, &actor, change).await
}
