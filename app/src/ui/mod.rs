//! What every page is built from: the frame around it (skip link, header,
//! footer), the form pieces and the page for what is not there. Features compose these; nothing here knows
//! about bookings or cases.

mod footer;
pub mod forms;
mod header;
mod not_found;

pub use footer::Footer;
pub use forms::{
    described_by, field_error, form_error, ErrorSummary, FieldNotes, TextArea, TextField,
};
pub use header::Header;
pub use not_found::NotFound;
