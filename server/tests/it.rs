//! Integration tests: the real router and real PostgreSQL (a fresh database per test,
//! migrated with the real migrations). One test binary, so linking happens once.

mod it {
    pub mod accounts;
    pub mod authorization;
    pub mod catalog;
    pub mod database;
    pub mod mail;
    pub mod operations;
    pub mod orders;
    pub mod profile;
    pub mod search;
    pub mod storefront;
    pub mod stripe;
    pub mod support;
    pub mod two_factor;
}
