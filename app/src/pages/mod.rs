//! One module per public page.

mod book;
mod contact;
mod home;
mod manage;
mod not_found;
mod privacy;

pub use book::BookingPage;
pub use contact::ContactPage;
pub use home::HomePage;
pub use manage::ManagePage;
pub use not_found::NotFound;
pub use privacy::PrivacyPage;
