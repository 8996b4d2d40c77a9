//! Every page the router serves, gathered from the features that own them,
//! and the site's own pages that belong to no feature (home, contact,
//! privacy).

mod contact;
mod home;
mod privacy;

pub use crate::booking::ui::{BookingPage, ManagePage};
pub use crate::booking::waitlist::ui::{JoinWaitlistPage, WaitlistPage};
pub use crate::cases::ui::{CasePage, CasesPage, TrackEmailPage, TrackPage};
pub use crate::reports::ui::ReportsPage;
pub use crate::staff::accounts::ui::{AccountsPage, PasswordPage, SetPasswordPage};
pub use crate::staff::audit::ui::AuditPage;
pub use crate::staff::desk::ui::DeskPage;
pub use crate::staff::mail::ui::MailPage;
pub use crate::staff::schedule::ui::SchedulePage;
pub use crate::staff::session::ui::{CodePage, EnrollPage, RecoveryCodesPage, SignInPage};
pub use crate::ui::NotFound;
pub use contact::ContactPage;
pub use home::HomePage;
pub use privacy::PrivacyPage;
