//! The cart: guests' carts live with their session, signed-in shoppers' carts with their
//! account (the same on every device); logging in merges the first into the second.

pub mod api;
pub mod model;
mod page;
pub mod pricing;

#[cfg(feature = "ssr")]
pub mod owner;
#[cfg(feature = "ssr")]
pub mod priced;
#[cfg(feature = "ssr")]
pub mod server;

pub use page::CartPage;

/// Most units of one variant in a cart.
pub const MAX_QUANTITY: u32 = 99;
