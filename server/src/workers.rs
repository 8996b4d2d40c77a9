//! Background work every instance runs: sending the outbox, and keeping
//! slots, reminders and rate-limit counters up to date. All of it is safe
//! to run on any number of instances at once (see each function's notes).

use app::booking::waitlist::repo as waitlist;
use app::booking::{generator, repo};
use app::cases::digest;
use app::retention::{purge, DataClass};
use app::ssr::AppState;
use chrono::Timelike;
use std::time::Duration;
use tokio::sync::watch;

/// Vietnam hour from which the day's case digest goes out.
const DIGEST_HOUR: u32 = 7;

/// Runs the workers until `stop` turns true; a message being sent or a
/// maintenance pass under way finishes first.
pub async fn run(state: AppState, stop: watch::Receiver<bool>) {
    tokio::join!(
        outbox_loop(state.clone(), stop.clone()),
        offers_loop(state.clone(), stop.clone()),
        maintenance_loop(state, stop)
    );
}

/// Starts the outbox sender and the waiting-list offers, for as long as
/// the runtime lives (tests; the maintenance pass is theirs to call).
pub fn spawn_for_tests(state: AppState) {
    let (keep, stop) = watch::channel(false);
    tokio::spawn(async move {
        tokio::join!(
            outbox_loop(state.clone(), stop.clone()),
            offers_loop(state, stop)
        );
        drop(keep);
    });
}

/// Waits `period`, or until told to stop (`false` then).
async fn pause(period: Duration, stop: &mut watch::Receiver<bool>) -> bool {
    if *stop.borrow() {
        return false;
    }
    tokio::select! {
        () = tokio::time::sleep(period) => !*stop.borrow(),
        changed = stop.changed() => changed.is_ok() && !*stop.borrow(),
    }
}

async fn outbox_loop(state: AppState, mut stop: watch::Receiver<bool>) {
    let idle = Duration::from_millis(state.settings.outbox_poll_ms.max(50));
    loop {
        // A closed pool means the instance (or a test) is shutting down.
        if *stop.borrow() || state.pool.is_closed() {
            return;
        }
        match app::mailing::deliver_due(&state).await {
            // Some sent or retried: there may be more waiting.
            Ok(true) => continue,
            Ok(false) => {}
            Err(_) if state.pool.is_closed() => return,
            Err(e) => tracing::warn!(error = %e, "outbox round failed"),
        }
        if !pause(idle, &mut stop).await {
            return;
        }
    }
}

/// Room for the waiting lists, a few times per hold (between 1 second and a
/// minute apart), so a place never waits long past its time: offers nobody
/// claimed pass to the next entry, proposals nobody answered give their
/// places back, and room that freed itself (kept places released, a
/// capacity raised) is offered.
async fn offers_loop(state: AppState, mut stop: watch::Receiver<bool>) {
    let period =
        (state.settings.waitlist_hold() / 4).clamp(Duration::from_secs(1), Duration::from_secs(60));
    while pause(period, &mut stop).await {
        if state.pool.is_closed() {
            return;
        }
        if !offers_round(&state).await {
            return;
        }
    }
}

/// One round of the offers loop; false when the pool has closed.
async fn offers_round(state: &AppState) -> bool {
    match waitlist::expire_offers(&state.pool, state.settings.waitlist_hold(), 200).await {
        Ok(n) if n > 0 => tracing::info!(count = n, "waiting-list offers lapsed"),
        Ok(_) => {}
        Err(_) if state.pool.is_closed() => return false,
        Err(e) => tracing::warn!(error = %e, "expiring waiting-list offers failed"),
    }
    // In batches; the next round takes the rest.
    match repo::expire_due(&state.pool, 500).await {
        Ok(n) if n > 0 => tracing::info!(count = n, "proposals expired"),
        Ok(_) => {}
        Err(_) if state.pool.is_closed() => return false,
        Err(e) => tracing::warn!(error = %e, "expiring proposals failed"),
    }
    match waitlist::offer_all_room(&state.pool).await {
        Ok(n) if n > 0 => tracing::info!(count = n, "places offered to waiting lists"),
        Ok(_) => {}
        Err(_) if state.pool.is_closed() => return false,
        Err(e) => tracing::warn!(error = %e, "offering room to waiting lists failed"),
    }
    true
}

async fn maintenance_loop(state: AppState, mut stop: watch::Receiver<bool>) {
    // `serve` ran one pass at start-up; the next is due a period later.
    let period = Duration::from_secs(600);
    while pause(period, &mut stop).await {
        maintain(&state).await;
    }
}

/// One maintenance pass: slots generated ahead (room a raised capacity
/// opens is the offers loop's), tomorrow's reminders and
/// today's case digests queued, personal data past its period purged
/// (bookings, notes, waiting lists, cases, mail, links, rate-limit windows,
/// sessions, drafts), mail whose last attempt was interrupted declared dead.
pub async fn maintain(state: &AppState) {
    match generator::generate(&state.pool).await {
        Ok(done) => tracing::info!(
            upserted = done.upserted,
            withdrawn = done.withdrawn,
            deleted = done.deleted,
            "slots generated"
        ),
        Err(e) => tracing::warn!(error = %e, "slot generation failed"),
    }
    match repo::queue_reminders(&state.pool).await {
        Ok(n) if n > 0 => tracing::info!(count = n, "reminders queued"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "queueing reminders failed"),
    }
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    // The officers' deadline e-mail, once a day from the start of office hours.
    if now.hour() >= DIGEST_HOUR {
        match digest::queue(&state.pool, now.date_naive()).await {
            Ok(n) if n > 0 => tracing::info!(count = n, "case digests queued"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "queueing case digests failed"),
        }
    }
    // Personal data past its period (docs/retention.md), in batches.
    match purge::run(&state.pool, &state.settings.retention, purge::BATCH).await {
        Ok(counts) if counts.total() > 0 => tracing::info!(
            bookings = counts.get(DataClass::Bookings),
            booking_notes = counts.get(DataClass::BookingNotes),
            waitlist_entries = counts.get(DataClass::WaitlistEntries),
            case_contacts = counts.get(DataClass::CaseContacts),
            sent_mail = counts.get(DataClass::SentMail),
            private_links = counts.get(DataClass::PrivateLinks),
            rate_limit_windows = counts.get(DataClass::RateLimitWindows),
            staff_sessions = counts.get(DataClass::StaffSessions),
            form_drafts = counts.get(DataClass::FormDrafts),
            "personal data purged"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "purging personal data failed"),
    }
    match app::ssr::outbox::bury_interrupted(&state.pool, state.settings.outbox_max_attempts).await
    {
        Ok(n) if n > 0 => tracing::error!(count = n, "mail dead after an interrupted last attempt"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "checking for interrupted mail failed"),
    }
}
