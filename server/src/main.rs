//! `server [serve]` runs the site; `server migrate` and `server seed-demo`
//! are the set-up steps `make run` and `make test` use.

use app::ssr::{db, Settings};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    match run(&command).await {
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
        other => Err(format!(
            "unknown command {other:?}; expected serve, migrate or seed-demo"
        )),
    }
}
