//! Which pages load the WebAssembly bundle, and the script that loads it.
//!
//! leptos's `HydrationScripts` puts the bundle on every page and preloads it
//! in the `<head>`, where on a slow link it competes with the stylesheet and
//! the page's own text. Here a page without an island ships no code at all,
//! and a page with islands gets one small inline loader that fetches the
//! bundle only after the page has painted (`islands.js`). The choice is made
//! by route: the head renders before the body, so the islands the body will
//! render are not known yet.

use leptos::prelude::*;
use std::sync::OnceLock;

/// Whether the page at `path` has an island: the forms the `FormGuard`
/// checks — booking (`/book/{office}`), joining a waiting list
/// (`/book/{office}/wait`) and the ticket with its look-up, move and cancel
/// forms (`/my-booking`). A route added with a `FormGuard` belongs here; the
/// browser tests of its form find out if it does not.
pub fn has_islands(path: &str) -> bool {
    let mut parts = path.trim_end_matches('/').split('/').skip(1);
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("book"), Some(office), None, None)
            | (Some("book"), Some(office), Some("wait"), None) if !office.is_empty()
    ) || path.trim_end_matches('/') == "/my-booking"
}

/// The loader of the islands' bundle, on the pages [`has_islands`] names;
/// nothing elsewhere. Inline, with this response's nonce (the CSP allows no
/// other inline script).
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Islands mode: only what an island reads is serialized for the
    // browser (what leptos's `HydrationScripts` sets too).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let path = use_context::<http::request::Parts>()
        .map(|parts| parts.uri.path().to_owned())
        .unwrap_or_default();
    has_islands(&path).then(|| {
        let (js, wasm) = bundle_names(&options);
        let pkg = &options.site_pkg_dir;
        let script = format!("{}(\"/{pkg}/{js}\", \"/{pkg}/{wasm}\");", loader());
        view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
    })
}

/// `islands.js` as it goes into a page: without its comment lines and
/// indentation (it has no comment after code on a line).
fn loader() -> &'static str {
    static LOADER: OnceLock<String> = OnceLock::new();
    LOADER.get_or_init(|| {
        include_str!("islands.js")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// The bundle's file names: `tiepdan.{hash}.js` and `tiepdan.{hash}.wasm`,
/// the hashes read once from the file cargo-leptos writes beside the server
/// binary (`hash.txt`); unhashed names when hashing is off.
fn bundle_names(options: &LeptosOptions) -> &'static (String, String) {
    static NAMES: OnceLock<(String, String)> = OnceLock::new();
    NAMES.get_or_init(|| {
        let name = options.output_name.to_string();
        let (mut js, mut wasm) = (name.clone(), name.clone());
        if !options.hash_files {
            wasm.push_str("_bg");
            return (format!("{js}.js"), format!("{wasm}.wasm"));
        }
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join(options.hash_file.as_ref())))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_else(|| {
                tracing::error!("file hashing is on but the hash file cannot be read");
                String::new()
            });
        for line in hashes.lines() {
            match line.trim().split_once(':') {
                Some(("js", hash)) => js = format!("{name}.{}", hash.trim()),
                Some(("wasm", hash)) => wasm = format!("{name}.{}", hash.trim()),
                _ => {}
            }
        }
        (format!("{js}.js"), format!("{wasm}.wasm"))
    })
}

#[cfg(test)]
mod tests {
    use super::{has_islands, loader};

    #[test]
    fn the_loader_goes_out_without_comments() {
        let script = loader();
        assert!(script.starts_with("((js, wasm) => {"), "{script}");
        assert!(script.ends_with("})"), "{script}");
        assert!(!script.contains("//"), "{script}");
        assert!(script.len() < include_str!("islands.js").len() * 3 / 4);
    }

    #[test]
    fn only_the_citizen_forms_load_the_bundle() {
        for path in [
            "/book/tw-ha-noi",
            "/book/tw-ha-noi/",
            "/book/tw-ha-noi/wait",
            "/my-booking",
        ] {
            assert!(has_islands(path), "{path}");
        }
        for path in [
            "/",
            "/contact",
            "/privacy",
            "/track",
            "/track/email",
            "/waitlist",
            "/book",
            "/book/",
            "/book/tw-ha-noi/wait/x",
            "/book/tw-ha-noi/other",
            "/my-booking/calendar.ics",
            "/staff",
            "/staff/sign-in",
        ] {
            assert!(!has_islands(path), "{path}");
        }
    }
}
