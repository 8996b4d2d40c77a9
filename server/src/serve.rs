//! Starting, listening and shutting down.
//!
//! Connections are served here rather than by `axum::serve`, which has no
//! hook for hyper's timer: HTTP/1.1 only (the HTTP/2 sniff of hyper-util's
//! auto builder waits for the preface without a timeout), with a header
//! read timeout so a client that sends half a request line and waits is cut
//! off, at most `MAX_CONNECTIONS` connections at once and
//! `MAX_CONNECTIONS_PER_CLIENT` from one address. The binary and the HTTP
//! tests both serve through [`serve_on`].

use crate::unavailable::Readiness;
use app::ssr::{db, mail::Mailer, AppState, Settings};
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use ipnet::IpNet;
use leptos::config::{Env, LeptosOptions};
use secrecy::ExposeSecret;
use sqlx::postgres::PgConnectOptions;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

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
    let pool = db::connect_lazy(options, &settings);
    let mailer = Mailer::new(&settings)?;
    Ok(AppState::new(pool, mailer, settings))
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

/// Serves until Ctrl-C or SIGTERM (see [`run`]).
pub async fn serve(settings: Settings) -> Result<(), StartError> {
    let options = leptos_options(&settings);
    let addr = settings.listen_addr;
    let state = app_state(settings)?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })?;
    tracing::info!("Tiếp dân is listening on http://{addr}");
    println!("Tiếp dân is running at http://{addr} (Ctrl-C to stop)");
    run(listener, state, options, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// One instance's life on `listener`: it answers at once, so `/healthz`
/// does while the database is still coming up; it waits for the database
/// with backoff, applies the migrations, then opens the gate and starts the
/// workers. When `shutdown` completes it stops taking connections, lets the
/// requests under way finish, stops the workers and closes the pool.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    options: LeptosOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let readiness = Readiness::starting();
    let router = crate::router_with(state.clone(), options, readiness.clone());
    let (stop_workers, workers_stop) = tokio::sync::watch::channel(false);
    let started = tokio::spawn(start_up(state.clone(), readiness, workers_stop));
    serve_on(listener, router, Limits::from(&*state.settings), shutdown).await?;
    // A message being sent is finished first.
    let _ = stop_workers.send(true);
    if tokio::time::timeout(Duration::from_secs(30), started)
        .await
        .is_err()
    {
        tracing::warn!("workers did not stop in time");
    }
    state.pool.close().await;
    Ok(())
}

/// Waits for the database (backoff from 0.5 s up to 10 s), migrates, opens
/// the gate and runs the workers until `stop` says so.
async fn start_up(
    state: AppState,
    readiness: Readiness,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut wait = Duration::from_millis(500);
    loop {
        match db::MIGRATOR.run(&state.pool).await {
            Ok(()) => break,
            Err(e) => {
                tracing::warn!(
                    error = %e,
                    retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "database not ready; migrations wait"
                );
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => return,
                }
                wait = (wait * 2).min(Duration::from_secs(10));
            }
        }
    }
    readiness.set_ready();
    tracing::info!("migrations applied; serving");
    crate::workers::maintain(&state).await;
    crate::workers::run(state, stop).await;
}

/// The connection bounds, from the settings.
#[derive(Debug, Clone)]
pub struct Limits {
    pub header_timeout: Duration,
    pub drain: Duration,
    pub max_connections: usize,
    pub max_per_client: usize,
    /// Peers exempt from the per-client bound (the load balancers).
    pub trusted_proxies: Vec<IpNet>,
}

impl From<&Settings> for Limits {
    fn from(s: &Settings) -> Self {
        Self {
            header_timeout: Duration::from_secs(s.header_timeout_secs),
            drain: Duration::from_secs(s.shutdown_drain_secs),
            max_connections: s.max_connections,
            max_per_client: s.max_connections_per_client,
            trusted_proxies: s.trusted_proxies.clone(),
        }
    }
}

/// Open connections per client key (an IPv4 address or an IPv6 /64).
#[derive(Default)]
struct PerClient(Mutex<HashMap<String, usize>>);

/// One connection's place in [`PerClient`], given back on drop.
struct ClientSlot {
    table: Arc<PerClient>,
    key: Option<String>,
}

impl PerClient {
    fn admit(table: &Arc<Self>, ip: IpAddr, limits: &Limits) -> Option<ClientSlot> {
        if limits.trusted_proxies.iter().any(|net| net.contains(&ip)) {
            return Some(ClientSlot {
                table: table.clone(),
                key: None,
            });
        }
        let key = app::ssr::client::limit_key(ip);
        let mut open = table.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key.clone()).or_insert(0);
        if *count >= limits.max_per_client {
            return None;
        }
        *count += 1;
        Some(ClientSlot {
            table: table.clone(),
            key: Some(key),
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else {
            return;
        };
        let mut open = self.table.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&key);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops
/// accepting and lets the connections under way finish for up to the
/// drain time.
pub async fn serve_on(
    listener: TcpListener,
    router: axum::Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let per_client = Arc::new(PerClient::default());
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        // At the connection limit, new clients wait in the kernel's backlog.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = PerClient::admit(&per_client, remote.ip(), &limits) else {
            // One client holding too many connections: this one is closed.
            drop(tcp);
            continue;
        };
        // Without it a streamed page waits ~40 ms on Nagle's algorithm.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
        let service = router
            .clone()
            .map_request(move |mut request: hyper::Request<Incoming>| {
                // Rate limits read the client's address from here.
                request.extensions_mut().insert(ConnectInfo(remote));
                request
            });
        let connection =
            builder.serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients that went away or timed out.
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(slot);
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("connections drained"),
        () = tokio::time::sleep(limits.drain) => {
            tracing::warn!("connections still open after SHUTDOWN_DRAIN_SECS; closing")
        }
    }
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
