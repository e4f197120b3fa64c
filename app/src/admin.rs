//! The operators' console (`/admin`): the overview with what needs acting on, people and their
//! accounts, every order (refunded, cancelled or confirmed again from its page), and the audit
//! log. Shops' applications and standing are decided in `vendors` (`/admin/vendors`), in the
//! same frame (`ui::AdminFrame`). Every page and server function is for admins whose session
//! passed two-factor authentication, and every change is written to the audit log.

pub mod api;
mod audit_page;
pub mod model;
pub mod order_model;
mod order_page;
mod orders_page;
mod overview;
mod people_page;
mod person_page;

#[cfg(feature = "ssr")]
mod order_console;
#[cfg(feature = "ssr")]
pub mod orders;
#[cfg(feature = "ssr")]
pub mod people;
#[cfg(feature = "ssr")]
pub mod person_actions;

pub use audit_page::AuditLogPage;
pub use order_page::ConsoleOrderPage;
pub use orders_page::AllOrdersPage;
#[cfg(feature = "ssr")]
pub use overview::attention;
pub use overview::{AdminFigures, AdminHome, Attention, admin_overview};
pub use people_page::PeoplePage;
pub use person_page::PersonPage;
