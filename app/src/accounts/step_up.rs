//! Confirming who you are on a browser already signed in ("step-up"): the password, plus a
//! code when two-factor authentication is on. Admin pages, refunds and cancellations ask for
//! it when the session has not passed a second factor (see `Viewer::admin` and
//! `Viewer::confirmed`).

use super::identity;
use super::profile::confirm_password;
use super::server::check_second_factor;
use super::validate;
use super::viewer::Viewer;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Checks the password (and the code, when the account has 2FA on), records the proof on this
/// browser's session and returns where to go next (`next`, a path on this site).
pub async fn confirm_identity(
    state: &AppState,
    viewer: &Viewer,
    password: &str,
    code: &str,
    next: &str,
) -> AppResult<String> {
    let me = viewer.signed_in()?;
    let id = me.id.uuid();
    state
        .limits
        .login(&viewer.client().ip, &me.id.to_string())
        .await?;
    confirm_password(state, id, password, "password").await?;
    if me.two_factor && !check_second_factor(state, id, code).await? {
        return Err(AppError::invalid(
            "code",
            "That code isn't valid. Try the newest code from your app, or a recovery code.",
        ));
    }
    identity::record_proof(&state.pool, viewer.session()?, me, true, me.two_factor).await?;
    Ok(validate::next_path(next))
}
