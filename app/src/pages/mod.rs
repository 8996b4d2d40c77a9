//! One module per public page.

pub(crate) mod book;
mod contact;
mod home;
mod manage;
mod not_found;
mod privacy;
mod staff;
mod track;

pub use book::BookingPage;
pub use contact::ContactPage;
pub use home::HomePage;
pub use manage::ManagePage;
pub use not_found::NotFound;
pub use privacy::PrivacyPage;
pub use staff::{
    AccountsPage, AuditPage, CasePage, CasesPage, CodePage, DeskPage, EnrollPage, MailPage,
    PasswordPage, RecoveryCodesPage, ReportsPage, SchedulePage, SetPasswordPage, SignInPage,
};
pub use track::{TrackEmailPage, TrackPage};
