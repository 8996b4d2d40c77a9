//! One module per public page.

mod contact;
mod home;
mod not_found;
mod privacy;

pub use contact::ContactPage;
pub use home::HomePage;
pub use not_found::NotFound;
pub use privacy::PrivacyPage;
