//! `docs/api.md` and the code agree: every server function is documented,
//! every documented endpoint exists and answers in the documented way.

use crate::helpers::spawn_app;
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeSet;

fn documented() -> BTreeSet<(String, String)> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md")).unwrap();
    let mut found = BTreeSet::new();
    for piece in text.split('`').skip(1).step_by(2) {
        let Some((method, rest)) = piece.split_once(' ') else {
            continue;
        };
        if matches!(method, "GET" | "POST") && rest.starts_with("/api/") {
            let path = rest.split(['?', ' ']).next().unwrap_or(rest);
            found.insert((method.to_owned(), path.to_owned()));
        }
    }
    found
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn every_server_function_is_documented_and_every_documented_endpoint_answers(pool: PgPool) {
    let app = spawn_app(pool).await;
    // Building the router registered every server function.
    let registered: BTreeSet<(String, String)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (method.to_string(), path.to_owned()))
        .collect();
    let documented = documented();
    assert_eq!(
        registered, documented,
        "docs/api.md and the server functions differ"
    );

    for (method, path) in &documented {
        let response = if method == "GET" {
            app.get_with(path, &[("accept", "application/json")]).await
        } else {
            app.call(path, &[], &[]).await
        };
        // A real endpoint answers JSON: a result, or an AppError with a kind.
        let body: Value = serde_json::from_slice(&response.body)
            .unwrap_or_else(|_| panic!("{method} {path}: not JSON: {}", response.text()));
        match response.status() {
            200 => {}
            // Staff functions need a session.
            401 if path.starts_with("/api/staff/") => {
                assert_eq!(body["kind"], "unauthorized", "{method} {path}: {body}")
            }
            400 | 404 | 422 => assert!(body["kind"].is_string(), "{method} {path}: {body}"),
            other => panic!("{method} {path}: unexpected {other}: {body}"),
        }
    }
}
