//! Vendors running their own shops: applying and being approved (`/admin/vendors`), their staff,
//! and the portal (`/vendor/:shop`: dashboard, products, stock, orders, money). What the
//! marketplace owes each shop is booked in `money`.

mod activity_page;
mod admin_pages;
pub mod api;
mod import_page;
mod inventory_page;
pub mod model;
mod money_model;
mod money_page;
pub mod options;
mod order_detail_page;
mod order_pages;
mod portal_pages;
mod product_images;
mod product_pages;
pub mod sections;
mod staff_pages;

#[cfg(feature = "ssr")]
pub mod applications;
#[cfg(feature = "ssr")]
pub mod catalog_csv;
#[cfg(feature = "ssr")]
mod dashboard;
#[cfg(feature = "ssr")]
pub mod images;
#[cfg(feature = "ssr")]
mod inventory;
#[cfg(feature = "ssr")]
mod product_audit;
#[cfg(feature = "ssr")]
mod product_check;
#[cfg(feature = "ssr")]
pub mod products;
#[cfg(feature = "ssr")]
pub mod shop;
#[cfg(feature = "ssr")]
mod shop_orders;
#[cfg(feature = "ssr")]
pub mod staff;

pub use activity_page::ActivityPage;
pub use admin_pages::AdminVendorsPage;
pub use import_page::ImportPage;
pub use inventory_page::InventoryPage;
pub use money_page::MoneyPage;
pub use order_detail_page::VendorOrderPage;
pub use order_pages::VendorOrdersPage;
pub use portal_pages::{ApplyPage, PortalFrame, VendorDashboard, VendorHome, shop_param};
pub use product_pages::{ProductEditPage, ProductsPage};
pub use staff_pages::{InvitePage, StaffPage};
