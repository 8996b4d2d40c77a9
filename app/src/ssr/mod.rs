//! Server-only parts of the app: state, settings, database, mail and the glue
//! between [`AppError`](crate::error::AppError) and HTTP.

pub mod client;
pub mod cookies;
pub mod db;
pub mod db_error;
pub mod hashing;
pub mod limits;
pub mod mail;
pub mod outbox;
pub mod respond;
pub mod seal;
pub mod settings;
pub mod state;

pub use crate::error::respond;
pub use settings::{AppEnv, Settings};
pub use state::{app_state, AppState};
