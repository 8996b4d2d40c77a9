//! The desk's page: the day, each booking's card, the walk-in form.

mod booking_card;
mod day;
mod walk_in;

pub use day::DeskPage;
