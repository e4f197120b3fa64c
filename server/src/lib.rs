//! Everything about running the marketplace as a process: configuration, telemetry, the
//! database pool, the HTTP router and its middleware, and the command-line subcommands.

pub mod accounts;
pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod http;
pub mod jobs;
pub mod search_eval;
pub mod seed;
pub mod telemetry;

pub use http::{ServerState, router};
