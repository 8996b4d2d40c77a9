//! The pages of cases: the citizen's tracking page, the staff list and one
//! case.

mod case;
mod list;
mod track;

pub use case::CasePage;
pub use list::CasesPage;
pub use track::{TrackEmailPage, TrackPage};
