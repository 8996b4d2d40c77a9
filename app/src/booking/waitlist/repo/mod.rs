//! SQL for the waiting list. The database keeps its promises: one entry per
//! CCCD per office per day (a unique index), an offered place counted in
//! its slot (`taken` and `held`, under the slot's CHECKs), every offer, claim
//! and expiry under row locks that skip what another instance holds.

mod claim;
mod days;
mod entries;
mod offers;

pub use claim::{claim, ClaimError};
pub use days::{day_times, for_day, DeskEntry};
pub use entries::{
    by_code, by_token, find_in, issue_token, join, leave, EntryRow, JoinError, NewEntry,
};
pub use offers::{close_day, expire_offers, give_back, offer_all_room, offer_room};

// The waiting list's e-mails in the outbox, each rendered from the entry as
// it is when the message goes (`notify.rs`).
/// The entry's confirmation: its code and private link.
pub const JOINED: &str = "waitlist_joined";
/// A place offered and held for the entry.
pub const OFFER: &str = "waitlist_offer";
/// The offer ran out unclaimed and the entry left the list.
pub const LAPSED: &str = "waitlist_lapsed";
/// The office closed the entry's day.
pub const DAY_CLOSED: &str = "waitlist_day_closed";
