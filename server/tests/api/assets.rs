use crate::helpers::spawn_app_with_site;
use http::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use sqlx::PgPool;
use std::path::PathBuf;

/// A site folder with one hashed bundle and its pre-compressed copies.
fn site_with_bundle() -> PathBuf {
    let root = std::env::temp_dir().join(format!("tiepdan-site-{}", uuid::Uuid::new_v4()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("tiepdan.abc123.js"),
        "export function hydrate() {}\n".repeat(50),
    )
    .unwrap();
    // Stands in for the brotli copy `cargo leptos build --precompress` writes.
    std::fs::write(pkg.join("tiepdan.abc123.js.br"), b"\x1b\x30brotli bytes").unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../public/favicon.ico"),
        root.join("favicon.ico"),
    )
    .unwrap();
    root
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn hashed_bundles_are_cached_for_a_year_and_served_precompressed(pool: PgPool) {
    let site = site_with_bundle();
    let app = spawn_app_with_site(pool, site.clone()).await;

    let res = app
        .get_with("/pkg/tiepdan.abc123.js", &[("accept-encoding", "br")])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[CONTENT_ENCODING], "br");
    assert_eq!(
        res.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let served = &res.body;
    let on_disk = std::fs::read(site.join("pkg/tiepdan.abc123.js.br")).unwrap();
    assert_eq!(
        served.as_slice(),
        on_disk.as_slice(),
        "the pre-compressed file itself"
    );

    let missing = app.get("/pkg/tiepdan.nothere.js").await;
    assert_eq!(missing.status(), 404);
    std::fs::remove_dir_all(site).unwrap();
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_favicon_is_served(pool: PgPool) {
    let site = site_with_bundle();
    let app = spawn_app_with_site(pool, site.clone()).await;
    let res = app.get("/favicon.ico").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[CACHE_CONTROL], "public, max-age=86400");
    assert!(res.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("icon"));
    std::fs::remove_dir_all(site).unwrap();
}
