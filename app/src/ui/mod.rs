//! What every page is built from: the frame around it (skip link, header,
//! footer) and the form pieces. Features compose these; nothing here knows
//! about bookings or cases.

mod footer;
pub mod forms;
mod header;

pub use footer::Footer;
pub use forms::{
    described_by, field_error, form_error, ErrorSummary, FieldNotes, TextArea, TextField,
};
pub use header::Header;
