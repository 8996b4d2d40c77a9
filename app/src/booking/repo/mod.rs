//! SQL for bookings. Every rule that concurrency could break is enforced by
//! PostgreSQL itself: the slot's `taken` counter and its CHECK, conditional
//! updates, the one-active-booking unique index, and status
//! compare-and-swap.

mod change;
mod create;
mod events;
mod proposals;
mod read;
mod reminders;
mod tokens;

pub use change::{cancel, reschedule};
pub use create::{create, BookError, Created, NewBooking, SlotProblem};
pub use events::record_event;
pub use proposals::{
    answer, close_open, expire_due, open_for, withdraw_into_day, AnswerError, OpenProposal,
};
pub use read::{by_code, by_id, by_id_in, by_token, history, BookingRow};
pub use reminders::queue_reminders;
pub use tokens::{issue_lookup_token, issue_token, new_token, token_hash};
