//! The staff console: signing in, the front desk, cases' officers, schedule
//! rules, accounts, the audit trail and undelivered mail.
//!
//! Every server function here checks the session, the role and the office
//! itself (401 without a session, 403 for the wrong role or office) — the
//! pages only decide what to show.

pub mod accounts;
pub mod audit;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod confidentiality;
pub mod desk;
pub mod mail;
mod role;
pub mod schedule;
pub mod session;
pub mod ui;

pub use crate::offices::OfficeChoice;
pub use audit::{staff_audit, AuditEntry, StaffAudit};
pub use desk::{
    staff_day, BlockedSlot, DayCounts, DaySlot, DayView, DeskBooking, DeskResult,
    StaffBookPriority, StaffCancel, StaffCheckIn, StaffComplete, StaffConfirm, StaffDay,
    StaffNoShow, StaffNote, StaffPropose, StaffReject, StaffWalkIn,
};
pub use mail::{
    staff_undelivered, StaffResendMail, StaffUndelivered, UndeliveredMail, UndeliveredView,
};
pub use role::Role;
pub use session::{
    staff_enrollment, staff_me, staff_recovery_codes, Enrollment, RecoveryCodes, SecondFactor,
    StaffEnrollConfirm, StaffEnrollment, StaffLogin, StaffLoginCode, StaffLogout, StaffMe,
    StaffProfile, StaffRecoveryCodes,
};
