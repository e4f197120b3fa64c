//! Catalogue moderation: shoppers report products (`/p/:slug/report`), and operators see every
//! product of every shop (`/admin/products`), hide one from the storefront and search with a
//! reason the shop reads, reinstate it, or dismiss its reports. A hidden product's status is
//! `hidden`, which every storefront read already leaves out; while hidden, the shop's own
//! saves can't list it (a trigger keeps it hidden and remembers what they chose).

pub mod api;
pub mod model;
mod product_page;
mod products_page;
mod report_page;

#[cfg(feature = "ssr")]
mod actions;
#[cfg(feature = "ssr")]
mod listing;
#[cfg(feature = "ssr")]
mod reports;

pub use product_page::ModeratedProductPage;
pub use products_page::ModeratedProductsPage;
pub use report_page::ReportPage;
#[cfg(feature = "ssr")]
pub use reports::PER_DAY as REPORTS_PER_DAY;
