//! The settings' server functions: for admins whose session passed two-factor
//! authentication (`Viewer::admin`), nobody else.

use super::model::{PlatformSettings, SettingsChange};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The settings, the tax rates, the shipping defaults and the last changes.
#[server(prefix = "/api", endpoint = "admin/settings", input = server_fn::codec::Json)]
pub async fn read_settings() -> Result<PlatformSettings, AppError> {
    Viewer::of_request().admin()?;
    super::edit::load(&app_state()?).await
}

/// Changes the settings (see `SettingsChange`), recorded in the audit log.
#[server(prefix = "/api", endpoint = "admin/settings/change", input = server_fn::codec::Json)]
pub async fn change_settings(change: SettingsChange) -> Result<(), AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let actor = crate::audit::Actor::of(&viewer);
    super::edit::apply(&app_state()?, &actor, change).await
}
