//! Payouts in the console (`/admin/payouts`): every shop's balance, what is waiting and what
//! failed, and one shop's ledger with its running balance (`/admin/payouts/:shop`). Operators
//! hold a shop's payouts with a reason the shop reads (the payout job then leaves its balance
//! alone), release them, and pay out a shop's available balance now — which is also how a
//! failed payout is retried, its amount being back in the balance. Every action is in the
//! audit log; the payouts themselves are `money::payouts`.

pub mod api;
pub mod model;
mod page;
mod shop_page;

#[cfg(feature = "ssr")]
mod actions;
#[cfg(feature = "ssr")]
mod listing;

pub use page::PayoutsPage;
pub use shop_page::ShopPayoutsPage;
