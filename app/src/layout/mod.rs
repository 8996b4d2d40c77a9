//! The frame around every page: skip link, header, footer.

mod footer;
mod header;

pub use footer::Footer;
pub use header::Header;
