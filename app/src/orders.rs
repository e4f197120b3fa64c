//! Orders: one per checkout, split into one vendor order per shop, with a state machine
//! (`status`) every change goes through, and the pages shoppers follow them on.

pub mod api;
pub mod model;
mod pages;
pub mod status;

#[cfg(feature = "ssr")]
mod cancellation;
#[cfg(feature = "ssr")]
pub mod fulfilment;
#[cfg(feature = "ssr")]
pub mod payment;
#[cfg(feature = "ssr")]
pub mod restock;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod transitions;
#[cfg(feature = "ssr")]
pub mod view;

pub use pages::{AccountOrdersPage, LookupPage, OrderPage};
