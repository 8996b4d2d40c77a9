//! `server purge [--dry-run]`: the retention table applied now, or what it
//! would take, printed by class (counts only, never a value).

use app::retention::policy::{Action, TABLE};
use app::retention::purge;
use app::ssr::AppState;
use std::fmt::Write;

/// Runs (or, with `dry_run`, only counts) the purge and prints the table.
pub async fn command(state: &AppState, dry_run: bool) -> Result<(), String> {
    let retention = &state.settings.retention;
    let counts = if dry_run {
        purge::dry_run(&state.pool, retention).await
    } else {
        purge::run(&state.pool, retention, purge::BATCH).await
    }
    .map_err(|e| format!("purge: {e}"))?;
    let mut out = format!(
        "{:<24} {:<10} {:>10} {:>8}\n",
        "data",
        "then",
        "kept",
        if dry_run { "due" } else { "done" }
    );
    for rule in &TABLE {
        let action = match rule.action {
            Action::Anonymise => "anonymise",
            Action::Delete => "delete",
        };
        let kept = format!("{} days", retention.days(rule.class));
        let _ = writeln!(
            out,
            "{:<24} {:<10} {:>10} {:>8}",
            rule.name.replace(' ', "-"),
            action,
            kept,
            counts.get(rule.class)
        );
    }
    out.push_str(if dry_run {
        "dry run: nothing was changed\n"
    } else {
        "purged\n"
    });
    print!("{out}");
    Ok(())
}
