//! `serve --site DIR`: the published site kept in step with the database.
//! A thread of its own builds it as the server starts, then watches the
//! file (SQLite's `data_version`: any commit by anyone, the web, the CLI,
//! `publish-due`, the sqlite3 shell) and, once writes have been quiet for
//! [`QUIET`], builds it again, incrementally: only pages whose content
//! changed are written, so a save to a draft writes nothing, and a live
//! fix rewrites its article and its terms' pages.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use glossary_core::db::{self, Mode};
use glossary_site::templates::Templates;

use crate::app::log;

/// How often the file is looked at.
const POLL: Duration = Duration::from_millis(500);
/// How long writes must have stopped before a build: a burst of saves (an
/// import, a publish with its terms) is one build.
pub(crate) const QUIET: Duration = Duration::from_secs(1);

/// Where and how to build the site.
pub struct SiteOptions {
    pub dir: PathBuf,
    /// A theme's templates (see `glossary theme`); the built-in ones if None.
    pub templates: Option<Templates>,
}

/// Starts the thread that keeps `site.dir` in step with `db` until `stop`
/// is set.
pub(crate) fn keep_in_step(db: PathBuf, mode: Mode, site: SiteOptions, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        if let Err(e) = run(&db, mode, &site, &stop) {
            log(&format!(
                "site: stopped keeping {} in step: {e}",
                site.dir.display()
            ));
        }
    });
}

fn run(
    db_path: &std::path::Path,
    mode: Mode,
    site: &SiteOptions,
    stop: &AtomicBool,
) -> glossary_core::error::Result<()> {
    // Not a read-only connection, though it only reads: one opened on a
    // file with no WAL beside it would take the file as immutable and
    // never see a change. A read-only server (a replica) opens it so.
    let conn = db::open(db_path, mode)?;
    db::tune(&conn, db::Tuning::Build)?;
    let templates = site
        .templates
        .as_ref()
        .unwrap_or_else(|| Templates::builtin());
    let build = || match glossary_site::build::site(&conn, &site.dir, false, templates, |_| {}) {
        Ok(w) => log(&format!(
            "site: {} in {} ({} files, {} unchanged, {} deleted)",
            if w.files == w.unchanged && w.deleted == 0 {
                "nothing changed"
            } else {
                "rebuilt"
            },
            site.dir.display(),
            w.files,
            w.unchanged,
            w.deleted
        )),
        Err(e) => log(&format!(
            "site: could not build {}: {e}",
            site.dir.display()
        )),
    };
    build();
    let mut seen = db::data_version(&conn)?;
    let mut changed: Option<Instant> = None;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(POLL);
        let now = db::data_version(&conn)?;
        if now != seen {
            seen = now;
            changed = Some(Instant::now());
        } else if changed.is_some_and(|at| at.elapsed() >= QUIET) {
            changed = None;
            build();
        }
    }
    Ok(())
}
