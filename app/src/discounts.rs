//! Discount codes: the marketplace's (on every shop's goods, paid for by the marketplace, which
//! the ledger books as a payment to each shop) and a shop's own (on its goods, paid for by the
//! shop). A percentage or a fixed amount, from a minimum subtotal, between two days, with
//! limits in total and per customer, and for first orders only. Applied on the checkout's
//! review with a message saying why when a code does not apply, and claimed exactly once per
//! order under the code's row lock when the order is placed.

pub mod api;
pub mod model;
mod page;

#[cfg(feature = "ssr")]
mod manage;
#[cfg(feature = "ssr")]
pub mod offer;
#[cfg(feature = "ssr")]
pub mod redeem;

pub use page::{MarketplaceCodesPage, ShopCodesPage};
