//! The Tiếp dân HTTP server: axum + leptos_axum around the `app` crate.
//!
//! The binary in `main.rs` only parses the command line; everything here is a
//! library so the HTTP tests can build the same router against their own
//! database and mail sink.

#![recursion_limit = "256"]

pub mod assets;
pub mod bounds;
pub mod calendar;
pub mod demo;
pub mod downloads;
pub mod health;
pub mod http_layers;
pub mod json_error;
pub mod memory;
pub mod page_scripts;
pub mod purge;
pub mod routes;
pub mod serve;
pub mod sessions;
pub mod state;
pub mod telemetry;
pub mod unavailable;
pub mod workers;

pub use routes::{router, router_with};
pub use serve::serve;
