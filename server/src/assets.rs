//! The built front end: `/pkg` (hashed JS, WebAssembly, CSS) and its
//! pre-compressed copies.

use axum::http::HeaderValue;
use leptos::prelude::LeptosOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tower::Layer;
use tower_http::{services::ServeDir, set_header::SetResponseHeader};

/// File names under `/pkg` carry a content hash, so browsers may keep them
/// for a year without asking again. Pre-compressed `.br`/`.gz` siblings are
/// served when the browser accepts them.
pub fn pkg_service(options: &LeptosOptions) -> SetResponseHeader<ServeDir, HeaderValue> {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    tower_http::set_header::SetResponseHeaderLayer::overriding(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    )
    .layer(files)
}

/// Writes `name.br` and `name.gz` beside every `.js`, `.wasm` and `.css`
/// file in `dir` whose compressed copies are missing or older. Run once after
/// each build (`server precompress`): the best brotli level is too slow to
/// apply on the fly, and these are the bytes a citizen's phone waits for.
pub fn precompress(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "js" | "wasm" | "css"));
        if !compressible {
            continue;
        }
        let raw = std::fs::read(&path)?;
        let modified = std::fs::metadata(&path)?.modified()?;
        for (suffix, compress) in [
            ("br", brotli_bytes as fn(&[u8]) -> io::Result<Vec<u8>>),
            ("gz", gzip_bytes),
        ] {
            let target = PathBuf::from(format!("{}.{suffix}", path.display()));
            let fresh = std::fs::metadata(&target)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= modified);
            if fresh {
                continue;
            }
            // Write then rename: another instance may be serving this folder.
            let tmp = PathBuf::from(format!("{}.tmp", target.display()));
            std::fs::write(&tmp, compress(&raw)?)?;
            std::fs::rename(&tmp, &target)?;
            written.push(target);
        }
    }
    Ok(written)
}

fn brotli_bytes(raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut io::Cursor::new(raw), &mut out, &params)?;
    Ok(out)
}

fn gzip_bytes(raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precompress_writes_br_and_gz_that_decompress_to_the_original() {
        let dir = std::env::temp_dir().join(format!("tiepdan-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let original = "console.log('xin chào');\n".repeat(200);
        std::fs::write(dir.join("app.js"), &original).unwrap();
        std::fs::write(dir.join("notes.txt"), "not an asset").unwrap();

        let written = precompress(&dir).unwrap();
        assert_eq!(written.len(), 2);
        assert!(!dir.join("notes.txt.br").exists());

        let br = std::fs::read(dir.join("app.js.br")).unwrap();
        let mut unbr = Vec::new();
        brotli::BrotliDecompress(&mut io::Cursor::new(&br), &mut unbr).unwrap();
        assert_eq!(unbr, original.as_bytes());
        assert!(br.len() < original.len() / 10);

        let gz = std::fs::read(dir.join("app.js.gz")).unwrap();
        let mut ungz = String::new();
        io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut ungz).unwrap();
        assert_eq!(ungz, original);

        assert!(
            precompress(&dir).unwrap().is_empty(),
            "fresh copies are kept"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
