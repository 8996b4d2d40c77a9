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
pub use offers::{
    close_day, expire_offers, give_back, offer_all_room, offer_room, DAY_CLOSED, OFFER,
};
