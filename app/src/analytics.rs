//! The marketplace's figures for operators: daily rollups (`stats_daily*`, refreshed by a job
//! every minute) and the overview read from them, so the numbers cost the shop nothing
//! however many orders it has.

pub mod api;
pub mod model;
mod panel;
pub mod reports;
mod reports_page;

#[cfg(feature = "ssr")]
pub mod overview;
#[cfg(feature = "ssr")]
pub mod period;
#[cfg(feature = "ssr")]
pub mod rollup;
#[cfg(feature = "ssr")]
pub mod viewers;

pub use panel::Analytics;
pub use reports_page::ReportsPage;
