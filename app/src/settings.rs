//! The marketplace's own settings, kept in the database and edited in the console
//! (`/admin/settings`): the default commission, how long an unpaid order holds its stock, how
//! long a sale waits before it is paid out, the tax rates per country and region, and the
//! shipping methods a new shop starts with. Every change is validated whole (every field's
//! problem at once) and written to the audit log, which is their history. Readers take the
//! values inside their own transaction (`current`), so every instance sees a change at once
//! and nothing caches a stale rate. Environment variables stay for secrets and infrastructure.

pub mod api;
pub mod model;
mod page;

#[cfg(feature = "ssr")]
mod current;
#[cfg(feature = "ssr")]
mod edit;

#[cfg(feature = "ssr")]
pub use current::{Current, current};
pub use page::SettingsPage;
