//! The desk's page: the day, each slot, each booking's card, the desk's own
//! bookings (walk-ins, priority citizens).

mod booking_card;
mod day;
mod slot;
mod walk_in;

pub use day::DeskPage;
