//! Listening and shutting down.

use crate::router;
use app::ssr::{db, mail::Mailer, AppState, Settings};
use axum::serve::ListenerExt;
use leptos::config::{Env, LeptosOptions};
use secrecy::ExposeSecret;
use sqlx::postgres::PgConnectOptions;
use std::sync::Arc;

/// Errors that stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("DATABASE_URL is not a valid PostgreSQL address: {0}")]
    DatabaseUrl(#[source] sqlx::Error),
    #[error("could not apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Mail(#[from] app::ssr::mail::MailError),
    #[error("could not listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Builds the shared state: a lazy pool and the mailer.
pub fn app_state(settings: Settings) -> Result<AppState, StartError> {
    let options: PgConnectOptions = settings
        .database_url
        .expose_secret()
        .parse()
        .map_err(StartError::DatabaseUrl)?;
    Ok(AppState {
        pool: db::connect_lazy(options, settings.database_max_connections),
        mailer: Mailer::new(&settings)?,
        settings: Arc::new(settings),
    })
}

/// The leptos options for this build. cargo-leptos writes `hash.txt` beside
/// the release binary; when it is there, asset names carry their hashes.
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    let hashed = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
        .unwrap_or(false);
    LeptosOptions::builder()
        .output_name("tiepdan")
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.listen_addr)
        .hash_files(hashed)
        .env(if std::env::var_os("LEPTOS_WATCH").is_some() {
            Env::DEV
        } else {
            Env::PROD
        })
        .build()
}

/// Migrates the database, then serves until Ctrl-C or SIGTERM.
pub async fn serve(settings: Settings) -> Result<(), StartError> {
    let options = leptos_options(&settings);
    let addr = settings.listen_addr;
    let state = app_state(settings)?;
    db::MIGRATOR.run(&state.pool).await?;
    crate::workers::maintain(&state).await;
    crate::workers::spawn(state.clone());

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })?
        // Without it a streamed page waits ~40 ms on Nagle's algorithm.
        .tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "could not set TCP_NODELAY");
            }
        });
    tracing::info!("Tiếp dân is listening on http://{addr}");
    println!("Tiếp dân is running at http://{addr} (Ctrl-C to stop)");
    // Connection info gives rate limits the client's address.
    axum::serve(
        listener,
        router(state, options).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
