//! `server [serve]` runs the site; `server migrate` and `server seed-demo`
//! are the set-up steps `make run` and `make test` use; `server purge
//! [--dry-run]` applies the retention table now (docs/retention.md).

use app::ssr::{db, Settings};
use std::process::ExitCode;

fn main() -> ExitCode {
    server::memory::tune_allocator();
    server::telemetry::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: could not start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    match runtime.block_on(run(&command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: &str) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| format!("configuration: {e}"))?;
    match command {
        "serve" => server::serve(settings).await.map_err(|e| e.to_string()),
        "migrate" | "seed-demo" => {
            let state = server::serve::app_state(settings).map_err(|e| e.to_string())?;
            db::MIGRATOR
                .run(&state.pool)
                .await
                .map_err(|e| e.to_string())?;
            if command == "seed-demo" {
                let summary = server::demo::seed(&state.pool, &state.settings)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "demo data: {} offices, {} staff accounts, {} slots updated",
                    summary.offices, summary.staff, summary.slots
                );
            }
            Ok(())
        }
        "purge" => {
            let dry_run = match std::env::args().nth(2).as_deref() {
                None => false,
                Some("--dry-run") => true,
                Some(other) => {
                    return Err(format!(
                        "purge: unknown option {other:?}; expected --dry-run"
                    ))
                }
            };
            let state = server::serve::app_state(settings).map_err(|e| e.to_string())?;
            server::purge::command(&state, dry_run).await
        }
        other => Err(format!(
            "unknown command {other:?}; expected serve, migrate, seed-demo or purge [--dry-run]"
        )),
    }
}
