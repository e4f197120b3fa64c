//! The accounts JSON API: one server function per operation, each a thin call into
//! `server.rs`, `security.rs` or `addresses.rs`, where the guards are. The form pages call the
//! same functions on the server.

use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

#[server(prefix = "/api", endpoint = "account/register", input = server_fn::codec::Json)]
pub async fn register(email: String, password: String, name: String) -> Result<(), AppError> {
    super::server::register(&app_state()?, &Viewer::of_request(), &email, &password, &name).await
}

#[server(prefix = "/api", endpoint = "account/verify", input = server_fn::codec::Json)]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    super::server::verify_email(&app_state()?, &token).await
}

#[server(prefix = "/api", endpoint = "account/login", input = server_fn::codec::Json)]
pub async fn login(email: String, password: String, next: String) -> Result<LoginOutcome, AppError> {
    use super::server::Login;
    let (state, viewer) = (app_state()?, Viewer::of_request());
    match super::server::login(&state, &viewer, &email, &password, &next).await? {
        Login::SignedIn(signed_in) => {
            crate::cart::owner::merge_guest_cart(&state.pool, viewer.session()?, signed_in.user).await?;
            Ok(LoginOutcome::SignedIn { next: signed_in.next })
        }
        Login::NeedsCode => Ok(LoginOutcome::NeedsCode),
    }
}

/// The second step of a login with two-factor authentication; returns where to go next.
#[server(prefix = "/api", endpoint = "account/login_code", input = server_fn::codec::Json)]
pub async fn login_code(code: String) -> Result<String, AppError> {
    let (state, viewer) = (app_state()?, Viewer::of_request());
    let signed_in = super::server::login_code(&state, &viewer, &code).await?;
    crate::cart::owner::merge_guest_cart(&state.pool, viewer.session()?, signed_in.user).await?;
    Ok(signed_in.next)
}

#[server(prefix = "/api", endpoint = "account/logout", input = server_fn::codec::Json)]
pub async fn logout() -> Result<(), AppError> {
    super::server::logout(&app_state()?, &Viewer::of_request()).await
}

#[server(prefix = "/api", endpoint = "account/forgot", input = server_fn::codec::Json)]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    super::password_reset::forgot_password(&app_state()?, &Viewer::of_request(), &email).await
}

#[server(prefix = "/api", endpoint = "account/reset", input = server_fn::codec::Json)]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    super::password_reset::reset_password(&app_state()?, &token, &password).await
}

#[server(prefix = "/api", endpoint = "account/email_confirm", input = server_fn::codec::Json)]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    super::profile::confirm_email_change(&app_state()?, &token).await
}

/// The signed-in user.
#[server(prefix = "/api", endpoint = "account/me", input = server_fn::codec::Json)]
pub async fn me() -> Result<CurrentUser, AppError> {
    Ok((**Viewer::of_request().signed_in()?).clone())
}

#[server(prefix = "/api", endpoint = "account/profile", input = server_fn::codec::Json)]
pub async fn update_profile(name: String) -> Result<(), AppError> {
    super::profile::update_profile(&app_state()?, &Viewer::of_request(), &name).await
}

#[server(prefix = "/api", endpoint = "account/password", input = server_fn::codec::Json)]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    super::profile::change_password(
        &app_state()?,
        &Viewer::of_request(),
        &current_password,
        &new_password,
    )
    .await
}

#[server(prefix = "/api", endpoint = "account/email", input = server_fn::codec::Json)]
pub async fn change_email(new_email: String, password: String) -> Result<(), AppError> {
    super::profile::change_email(&app_state()?, &Viewer::of_request(), &new_email, &password).await
}

#[server(prefix = "/api", endpoint = "account/delete", input = server_fn::codec::Json)]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    super::profile::delete_account(&app_state()?, &Viewer::of_request(), &password).await
}

#[server(prefix = "/api", endpoint = "account/addresses", input = server_fn::codec::Json)]
pub async fn list_addresses() -> Result<Vec<Address>, AppError> {
    super::addresses::list(&app_state()?, &Viewer::of_request()).await
}

/// Adds an address (`id` empty) or changes one; returns its id.
#[server(prefix = "/api", endpoint = "account/address_save", input = server_fn::codec::Json)]
pub async fn save_address(id: Option<String>, address: AddressInput) -> Result<String, AppError> {
    let id = id.as_deref().filter(|s| !s.is_empty());
    super::addresses::save(&app_state()?, &Viewer::of_request(), id, &address).await
}

#[server(prefix = "/api", endpoint = "account/address_delete", input = server_fn::codec::Json)]
pub async fn delete_address(id: String) -> Result<(), AppError> {
    super::addresses::delete(&app_state()?, &Viewer::of_request(), &id).await
}

#[server(prefix = "/api", endpoint = "account/security", input = server_fn::codec::Json)]
pub async fn get_security() -> Result<SecurityOverview, AppError> {
    super::security::overview(&app_state()?, &Viewer::of_request()).await
}

/// Starts enrolling in two-factor authentication (the current password is asked).
#[server(prefix = "/api", endpoint = "account/totp_start", input = server_fn::codec::Json)]
pub async fn start_totp(password: String) -> Result<(), AppError> {
    super::security::start_totp(&app_state()?, &Viewer::of_request(), &password).await
}

/// Turns two-factor authentication on; returns the recovery codes (shown once). Every other
/// browser of the account is signed out.
#[server(prefix = "/api", endpoint = "account/totp_confirm", input = server_fn::codec::Json)]
pub async fn confirm_totp(code: String, password: String) -> Result<Vec<String>, AppError> {
    super::security::confirm_totp(&app_state()?, &Viewer::of_request(), &code, &password).await
}

#[server(prefix = "/api", endpoint = "account/recovery_codes", input = server_fn::codec::Json)]
pub async fn new_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
    super::security::new_recovery_codes(&app_state()?, &Viewer::of_request(), &code).await
}

/// Turns two-factor authentication off (password and code); every other browser is signed out.
#[server(prefix = "/api", endpoint = "account/totp_disable", input = server_fn::codec::Json)]
pub async fn disable_totp(code: String, password: String) -> Result<(), AppError> {
    super::security::disable_totp(&app_state()?, &Viewer::of_request(), &code, &password).await
}

/// Confirms who is using this browser (password, and a code with 2FA on), for admin work,
/// refunds and cancellations; returns where to go next.
#[server(prefix = "/api", endpoint = "account/confirm", input = server_fn::codec::Json)]
pub async fn confirm_identity(
    password: String,
    #[server(default)] code: String,
    #[server(default)] next: String,
) -> Result<String, AppError> {
    super::step_up::confirm_identity(&app_state()?, &Viewer::of_request(), &password, &code, &next).await
}

/// Signs out every other browser; returns how many.
#[server(prefix = "/api", endpoint = "account/sign_out_others", input = server_fn::codec::Json)]
pub async fn sign_out_others() -> Result<u64, AppError> {
    super::security::sign_out_others(&app_state()?, &Viewer::of_request()).await
}
