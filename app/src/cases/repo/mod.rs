//! Every SQL statement about cases.

mod change;
mod contact;
mod open;
mod read;

pub use change::{add_event, assign, events, extensions, save_state, Event, EventRow, State};
pub use contact::{
    confirm_email_change, email_change_addresses, mint_email_change_token, pending_email,
    request_email_change, set_notify,
};
pub use open::{booking_contact, booking_ref, insert, BookingContact, BookingRef, NewCase};
pub use read::{
    by_code, by_id, by_token, holidays, issue_token, list, lock, officers, CaseRow, Officer,
};
