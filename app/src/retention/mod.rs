//! Personal data over its life: how long each kind is kept ([`policy`]) and
//! the purge that applies it ([`purge`]). Past its period a finished
//! booking or a closed case keeps its row, so counts and reports read the
//! same, and loses the citizen's personal fields; what only served one
//! moment (waiting-list entries, delivered mail, expired links, sessions,
//! drafts, rate-limit windows) is deleted. `docs/retention.md` is the table
//! an office reads.

pub mod erase;
pub mod policy;
pub mod purge;

pub use policy::{DataClass, Retention};
