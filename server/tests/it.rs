//! Integration tests: the real router and real PostgreSQL (a fresh database per test,
//! migrated with the real migrations). One test binary, so linking happens once.

mod it {
    pub mod accounts;
    pub mod authorization;
    pub mod cart;
    pub mod catalog;
    pub mod client_limits;
    pub mod concurrency;
    pub mod database;
    pub mod endpoints;
    pub mod escaping;
    pub mod expiry;
    pub mod hostile;
    pub mod inbox;
    pub mod ledger;
    pub mod links;
    pub mod mail;
    pub mod modes;
    pub mod money_retries;
    pub mod operations;
    pub mod order_numbers;
    pub mod order_races;
    pub mod orders;
    pub mod people;
    pub mod placing;
    pub mod profile;
    pub mod refund_restock;
    pub mod search;
    pub mod shopping;
    pub mod staff_access;
    pub mod step_up;
    pub mod storefront;
    pub mod stripe;
    pub mod stripe_connect;
    pub mod stripe_standin;
    pub mod suggestions;
    pub mod support;
    pub mod suspended_shops;
    pub mod two_factor;
    pub mod vendor_catalog;
    pub mod vendor_csv;
    pub mod vendor_files;
    pub mod vendor_orders;
    pub mod vendors;
}
