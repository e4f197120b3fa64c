//! The checkout: details (email, address, shipping per vendor), review with taxes, place the
//! order, pay.

pub mod api;
mod discount_code;
pub mod model;
mod pages;
mod totals;

#[cfg(feature = "ssr")]
pub mod place;
#[cfg(feature = "ssr")]
mod repeat;
#[cfg(feature = "ssr")]
pub mod server;

pub use pages::{CheckoutPage, PayPage, ReviewPage};
pub use totals::{QuoteTotals, Totals};
