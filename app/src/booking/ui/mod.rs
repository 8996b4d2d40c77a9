//! The booking pages: `/book/{office}` and `/my-booking`, their calendar
//! and slot picker, and the one island that checks their forms in the
//! browser.

pub mod book;
mod calendar;
mod guard;
mod manage;

pub use book::{BookingPage, CitizenDetails, ConsentField};
pub use calendar::{long_date, Calendar, SlotPicker};
pub use guard::FormGuard;
pub use manage::{CodeLookup, ManagePage};
