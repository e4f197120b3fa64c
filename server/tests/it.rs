//! Integration tests: the real router and real PostgreSQL (a fresh database per test,
//! migrated with the real migrations). One test binary, so linking happens once.

mod it {
    pub mod accounts;
    pub mod authorization;
    pub mod cart;
    pub mod catalog;
    pub mod concurrency;
    pub mod database;
    pub mod expiry;
    pub mod ledger;
    pub mod mail;
    pub mod operations;
    pub mod orders;
    pub mod people;
    pub mod profile;
    pub mod search;
    pub mod shopping;
    pub mod storefront;
    pub mod stripe;
    pub mod stripe_connect;
    pub mod stripe_standin;
    pub mod suggestions;
    pub mod support;
    pub mod two_factor;
    pub mod upload_limits;
    pub mod upload_text;
    pub mod uploads_memory;
    pub mod vendor_catalog;
    pub mod vendor_csv;
    pub mod vendor_files;
    pub mod vendor_orders;
    pub mod vendors;
}
