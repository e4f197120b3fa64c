//! The category tree as operators keep it (`/admin/categories`): create, rename, move (never
//! into its own branch), reorder, and delete when empty. Every change is checked against the
//! tree as it is inside its transaction, written to the audit log, and makes the storefront,
//! its menu and search forget the old tree.

pub mod api;
pub mod model;
mod page;

#[cfg(feature = "ssr")]
mod edit;

pub use page::CategoriesPage;
