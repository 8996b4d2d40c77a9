//! The sign-in pages: the password, then an administrator's code or
//! enrolment, and the recovery codes shown once.

mod second_factor;
mod sign_in;

pub use second_factor::{CodePage, EnrollPage, RecoveryCodesPage};
pub use sign_in::SignInPage;
