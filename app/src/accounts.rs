//! Accounts: sign-up with email confirmation, login with an optional second factor (TOTP or
//! recovery code), password reset, profile, address book, sessions, and the guards every
//! protected page and server function calls (`identity`).

pub mod account_pages;
pub mod address_fields;
pub mod api;
pub mod auth_pages;
pub mod countries;
pub mod model;
pub mod postal_address;
pub mod security_page;

/// The signed-in user of the request being rendered (never known in the browser: pages are
/// rendered on the server).
pub fn signed_in_user() -> Option<std::sync::Arc<model::CurrentUser>> {
    #[cfg(feature = "ssr")]
    return viewer::Viewer::of_request().user().cloned();
    #[cfg(not(feature = "ssr"))]
    None
}

#[cfg(feature = "ssr")]
pub mod addresses;
#[cfg(feature = "ssr")]
pub mod devices;
#[cfg(feature = "ssr")]
pub mod erasure;
#[cfg(feature = "ssr")]
pub mod identity;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod password_reset;
#[cfg(feature = "ssr")]
pub mod profile;
#[cfg(feature = "ssr")]
pub mod sealed;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod step_up;
#[cfg(feature = "ssr")]
pub mod time_zone;
#[cfg(feature = "ssr")]
pub mod two_factor;
#[cfg(feature = "ssr")]
pub mod validate;
#[cfg(feature = "ssr")]
pub mod viewer;
