#![recursion_limit = "256"]
//! The marketplace app: one Leptos app rendered on the server and hydrated in the browser.

pub mod accounts;
pub mod admin;
pub mod analytics;
pub mod audit;
pub mod cart;
pub mod catalog;
pub mod categories;
pub mod checkout;
pub mod discounts;
pub mod error;
pub mod id;
pub mod moderation;
pub mod money;
pub mod orders;
pub mod payouts;
pub mod portal;
pub mod search;
pub mod seo;
pub mod settings;
pub mod slug;
pub mod text;
pub mod ui;
pub mod vendors;

#[cfg(feature = "ssr")]
pub mod payments;
#[cfg(feature = "ssr")]
pub mod state;

use accounts::{account_pages, auth_pages, security_page};
use catalog::{CategoryPage, HomePage, ProductPage, VendorPage};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};
use ui::{Layout, NotFound};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#14532d"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/favicon.ico" sizes="32x32"/>
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <script src="/sw-register.js" defer></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Every page of the app. Pages render fully on the server before the first byte is sent
/// (`SsrMode::Async`), so titles and meta tags are in `<head>` and everything works without
/// JavaScript. Only `#[island]` components are hydrated in the browser: the storefront ships
/// the code of its interactive parts, not of its pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "ssr")]
    seo::send_security_policy();

    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:category") view=CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/p/:slug") view=ProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/p/:slug/report") view=moderation::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/v/:vendor") view=VendorPage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=search::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/cart") view=cart::CartPage ssr=SsrMode::Async/>
                    <Route path=path!("/checkout") view=checkout::CheckoutPage ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/review") view=checkout::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/pay/:number") view=checkout::PayPage ssr=SsrMode::Async/>
                    <Route path=path!("/orders/lookup") view=orders::LookupPage ssr=SsrMode::Async/>
                    <Route path=path!("/orders/:number") view=orders::OrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/orders") view=orders::AccountOrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/register") view=auth_pages::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/login") view=auth_pages::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/login/code") view=auth_pages::LoginCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/account/logout") view=auth_pages::LogoutPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/forgot") view=auth_pages::ForgotPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/reset") view=auth_pages::ResetPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/verify") view=auth_pages::VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/email") view=auth_pages::EmailChangePage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=account_pages::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/account/addresses") view=account_pages::AddressesPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/security") view=security_page::SecurityPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/confirm") view=auth_pages::ConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor") view=vendors::VendorHome ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/apply") view=vendors::ApplyPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/invite") view=vendors::InvitePage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor") view=vendors::VendorDashboard ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/products") view=vendors::ProductsPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/products/:id") view=vendors::ProductEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/import") view=vendors::ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/inventory") view=vendors::InventoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/orders") view=vendors::VendorOrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/orders/:number") view=vendors::VendorOrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/money") view=vendors::MoneyPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/staff") view=vendors::StaffPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/discounts") view=discounts::ShopCodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/vendor/:vendor/activity") view=vendors::ActivityPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=admin::AdminHome ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=admin::PeoplePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/:id") view=admin::PersonPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders") view=admin::AllOrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders/:number") view=admin::ConsoleOrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/payouts") view=payouts::PayoutsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/payouts/:shop") view=payouts::ShopPayoutsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings") view=settings::SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/discounts") view=discounts::MarketplaceCodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/reports") view=analytics::ReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/categories") view=categories::CategoriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products") view=moderation::ModeratedProductsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products/:id") view=moderation::ModeratedProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=admin::AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/vendors") view=vendors::AdminVendorsPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
