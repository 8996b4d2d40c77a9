//! The waiting-list pages: `/book/{office}/wait?day=` (join a full day's
//! list) and `/waitlist` (an entry by its private link, or looked up by code
//! and phone: its place in line, the place on offer, claim and leave).
//! Every form posts natively to the waiting-list API and comes back here.

mod entry;
mod join;

pub use entry::WaitlistPage;
pub use join::JoinWaitlistPage;
