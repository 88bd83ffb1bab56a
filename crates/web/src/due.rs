//! `glossary publish-due`, run by the server every minute (and once as it
//! starts): what is scheduled goes live, or comes down, at its time with
//! nobody at a keyboard. Each item is one change filed under whoever
//! scheduled it ([`glossary_core::schedule::run_due`]), so a timer running
//! `publish-due` beside the server does no item twice. A read-only server
//! (a replica) runs nothing.

use std::path::PathBuf;
use std::time::Duration;

use glossary_core::db::{self, Mode};
use glossary_core::schedule;

use crate::app::log;

/// How often the server looks for what is due.
pub(crate) const EVERY: Duration = Duration::from_secs(60);

/// Runs what is due now and every [`EVERY`] after, for as long as the
/// server's runtime does.
pub(crate) async fn every_minute(db: PathBuf) {
    let mut every = tokio::time::interval(EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        every.tick().await;
        let db = db.clone();
        let _ = tokio::task::spawn_blocking(move || once(&db)).await;
    }
}

fn once(db: &std::path::Path) {
    let run = db::open(db, Mode::Existing).and_then(|mut conn| schedule::run_due(&mut conn));
    match run {
        Ok(done) => {
            for d in done {
                match (&d.failure, d.change) {
                    (Some(why), _) => log(&format!(
                        "publish-due: could not {} {}: {why}",
                        d.action, d.entry
                    )),
                    (None, change) => log(&format!(
                        "publish-due: {} {} (scheduled by {}){}",
                        d.action,
                        d.entry,
                        d.scheduled_by,
                        change.map_or(String::new(), |c| format!(", change {c}"))
                    )),
                }
            }
        }
        Err(e) => log(&format!("publish-due: {e}")),
    }
}
