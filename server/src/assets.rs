//! The built front end: `/pkg` (hashed JS, WebAssembly, CSS) and the
//! `.br`/`.gz` copies `cargo leptos build --release --precompress` writes
//! beside them at the best compression levels.

use axum::http::HeaderValue;
use leptos::prelude::LeptosOptions;
use std::path::Path;
use tower::Layer;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::{SetResponseHeader, SetResponseHeaderLayer},
};

/// The files of `public/` served at the root of the site.
pub const PUBLIC_FILES: [&str; 4] = ["favicon.ico", "favicon.svg", "robots.txt", "desk-scan.js"];

/// File names under `/pkg` carry a content hash, so browsers may keep them
/// for a year without asking again. Pre-compressed `.br`/`.gz` siblings are
/// served when the browser accepts them.
pub fn pkg_service(options: &LeptosOptions) -> SetResponseHeader<ServeDir, HeaderValue> {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    SetResponseHeaderLayer::overriding(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    )
    .layer(files)
}

/// One file of `public/`. Its name carries no hash, so browsers keep it a
/// day and then ask again.
pub fn public_file(
    options: &LeptosOptions,
    name: &str,
) -> SetResponseHeader<ServeFile, HeaderValue> {
    let path = Path::new(options.site_root.as_ref()).join(name);
    SetResponseHeaderLayer::overriding(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    )
    .layer(ServeFile::new(path).precompressed_br().precompressed_gzip())
}
