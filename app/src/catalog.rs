//! The catalog: categories, products, variants, vendors' shop fronts, reviews.

pub mod api;
pub mod model;
pub mod query;

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod cards;
#[cfg(feature = "ssr")]
pub mod changes;
#[cfg(feature = "ssr")]
pub mod listing;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod sitemap;
#[cfg(feature = "ssr")]
pub mod tree;

pub mod active_filters;
mod category_page;
pub mod filters;
mod home_page;
pub mod listing_view;
mod product_page;
mod variant_picker;
mod vendor_page;

pub use category_page::CategoryPage;
pub use home_page::HomePage;
pub use product_page::ProductPage;
pub use vendor_page::VendorPage;
