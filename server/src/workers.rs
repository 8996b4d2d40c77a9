//! Background work every instance runs: sending the outbox, and keeping
//! slots, reminders and rate-limit counters up to date. All of it is safe
//! to run on any number of instances at once (see each function's notes).

use app::booking::{drafts, notify, repo, schedule};
use app::cases::digest;
use app::ssr::{limits, outbox, AppState};
use chrono::Timelike;
use std::time::Duration;

/// Vietnam hour from which the day's case digest goes out.
const DIGEST_HOUR: u32 = 7;

/// Messages one outbox round takes.
const BATCH: i64 = 20;

/// Starts the workers; they stop with the runtime.
pub fn spawn(state: AppState) {
    spawn_outbox(state.clone());
    tokio::spawn(maintenance_loop(state));
}

/// Starts only the outbox sender.
pub fn spawn_outbox(state: AppState) {
    tokio::spawn(outbox_loop(state));
}

async fn outbox_loop(state: AppState) {
    let idle = Duration::from_millis(state.settings.outbox_poll_ms.max(50));
    // A closed pool means the server is shutting down.
    while !state.pool.is_closed() {
        match outbox::deliver_due(&state.pool, &state.mailer, BATCH).await {
            // A full batch: there may be more waiting.
            Ok(round) if round.sent + round.retried + round.failed == BATCH as usize => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outbox round failed"),
        }
        tokio::time::sleep(idle).await;
    }
}

async fn maintenance_loop(state: AppState) {
    // `serve` ran one pass at start-up; the next is due a period later.
    let period = Duration::from_secs(600);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        tick.tick().await;
        maintain(&state).await;
    }
}

/// One maintenance pass: slots generated ahead, tomorrow's reminders and
/// today's case digests queued, old form drafts, rate-limit windows and expired staff sessions
/// dropped.
pub async fn maintain(state: &AppState) {
    match schedule::generate(&state.pool).await {
        Ok(done) => tracing::info!(
            upserted = done.upserted,
            withdrawn = done.withdrawn,
            deleted = done.deleted,
            "slots generated"
        ),
        Err(e) => tracing::warn!(error = %e, "slot generation failed"),
    }
    let public_url = state.settings.public_url.clone();
    let mail = move |b: &repo::BookingRow, token: &str| {
        notify::message(notify::MailKind::Reminder, b, &public_url, token)
    };
    match repo::queue_reminders(&state.pool, &mail).await {
        Ok(n) if n > 0 => tracing::info!(count = n, "reminders queued"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "queueing reminders failed"),
    }
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    // The officers' deadline e-mail, once a day from the start of office hours.
    if now.hour() >= DIGEST_HOUR {
        match digest::queue(&state.pool, &state.settings.public_url, now.date_naive()).await {
            Ok(n) if n > 0 => tracing::info!(count = n, "case digests queued"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "queueing case digests failed"),
        }
    }
    if let Err(e) = drafts::purge(&state.pool).await {
        tracing::warn!(error = %e, "purging form drafts failed");
    }
    if let Err(e) = limits::purge(&state.pool).await {
        tracing::warn!(error = %e, "purging rate limits failed");
    }
    if let Err(e) = crate::sessions::purge_expired(state).await {
        tracing::warn!(error = %e, "purging expired staff sessions failed");
    }
}
