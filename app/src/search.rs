//! Product search: the `/search` page, autocomplete, and the engine behind every listing
//! (search, category and vendor pages), so facet counts agree everywhere.
//!
//! Two engines sit behind one interface (`engine::SearchEngine`): PostgreSQL full-text search
//! with trigram typo correction (the embedded default) and Meilisearch when configured.

pub mod api;
pub mod model;

#[cfg(feature = "ssr")]
pub mod early;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
mod fallback;
#[cfg(feature = "ssr")]
pub mod meilisearch;
#[cfg(feature = "ssr")]
pub mod postgres;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod terms;

mod page;
mod search_box;

pub use page::SearchPage;
pub use search_box::SearchBox;
