//! The server's state and its connections: one read connection per
//! worker thread, one writer at a time, each write one change in the
//! history filed under the account that made it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use glossary_core::accounts::users::Role;
use glossary_core::db;
use glossary_core::db::Mode;
use glossary_core::error::{Error, Result};

use crate::Log;

/// What every request shares.
pub(crate) struct App {
    pub db: PathBuf,
    /// One writer at a time: SQLite allows no more, and waiting here keeps
    /// the busy timeout for writers outside this process.
    pub writer: Mutex<()>,
    /// Uploads checked by a dry run, waiting to be applied, by token.
    pub uploads: Mutex<HashMap<String, Upload>>,
    /// Served on loopback: a database without accounts is its owner's and
    /// needs no sign-in.
    pub owner_may_skip: bool,
    pub trusted_proxy: Option<IpAddr>,
    /// Host names it answers to (lower case, without a port), besides
    /// addresses and `localhost`: see [`crate::guard::origin::host_allowed`].
    pub hosts: Vec<String>,
    pub read_only: bool,
    pub session_seconds: u64,
    /// Sessions of a read-only server (None: they are in the database).
    pub memory: Option<crate::auth::replica::Memory>,
    pub throttle: crate::auth::throttle::Throttle,
}

/// The server's log: set once, when it starts (one server a process).
pub(crate) static LOG: std::sync::OnceLock<Log> = std::sync::OnceLock::new();

/// Writes `line` to the server's log.
pub(crate) fn log(line: &str) {
    if let Some(log) = LOG.get() {
        log(line);
    }
}

pub(crate) type Shared = Arc<App>;

/// How the server opens the database: a read-only one never writes to
/// the file (nor migrates it, nor makes a WAL beside it).
pub(crate) fn mode(read_only: bool) -> Mode {
    if read_only {
        Mode::ReadOnly
    } else {
        Mode::Existing
    }
}

thread_local! {
    /// Each worker thread keeps its connection: opening one (and checking
    /// the schema) per request would cost more than most pages. With it,
    /// on a read-only server, the identity of the file it opened: a
    /// replica restored over it, or a file changed in place, is opened
    /// anew instead of served from the old view for ever.
    static CONNECTION: RefCell<Option<(Connection, db::Identity)>> = const { RefCell::new(None) };
}

/// Runs `work` on this thread's connection to the server's database
/// (opened as the server serves it: read-only on a replica).
pub(crate) fn with_connection<T>(
    app: &App,
    work: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    let db = app.db.as_path();
    CONNECTION.with(|cell| {
        let mut slot = cell.borrow_mut();
        let read_only = app.read_only;
        let identity = if read_only { db::identity(db) } else { None };
        if slot.as_ref().is_some_and(|(_, opened)| *opened != identity) {
            *slot = None;
        }
        if slot.is_none() {
            // A replica is opened read-only and query-only: whatever a
            // request tries, SQLite writes nothing.
            let conn = db::open(db, mode(read_only))?;
            // A long-lived connection reads pages through a memory map
            // (no copy per page read), and keeps more of them.
            db::tune(&conn, db::Tuning::Serve)?;
            *slot = Some((conn, identity));
        }
        let conn = &mut slot.as_mut().expect("opened above").0;
        let result = work(conn);
        if matches!(result, Err(Error::Sqlite(_))) && !conn.is_autocommit() {
            // A connection left inside a transaction is not reused.
            *slot = None;
        }
        result
    })
}

/// Runs `work` off the async threads (SQLite and Argon2 block), as the
/// person the request is for.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let who = crate::auth::who::current();
    tokio::task::spawn_blocking(move || crate::auth::who::acting(who, work))
        .await
        .map_err(|e| Error::Invalid(format!("a request failed: {e}")))?
}

/// Runs `work` on this thread's connection as the one writer (call it
/// off the async threads, from [`blocking`]).
pub(crate) fn as_writer<T>(
    app: &App,
    work: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    let _one_writer = app.writer.lock().unwrap_or_else(|e| e.into_inner());
    with_connection(app, work)
}

/// Runs `work` as the writer in a transaction that is always rolled
/// back: how a page shows a pending version (applied, read, and put back;
/// see `glossary_core::pending`). None on a read-only copy, which cannot.
pub(crate) async fn rolled_back<T: Send + 'static>(
    app: &Shared,
    work: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
) -> Result<Option<T>> {
    let app = app.clone();
    blocking(move || {
        if app.read_only {
            return Ok(None);
        }
        as_writer(&app, |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // Dropped, not committed: nothing it did stays.
            work(&tx).map(Some)
        })
    })
    .await
}

/// Runs `work` on a connection, off the async threads, in one read
/// transaction: a page is read from one snapshot of the database (and its
/// hundred small queries share one lock instead of taking one each).
pub(crate) async fn read<T: Send + 'static>(
    app: &Shared,
    work: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
) -> Result<T> {
    let app = app.clone();
    blocking(move || with_connection(&app, |conn| db::read(conn, work))).await
}

/// Runs `work` as one change of the history, filed under the signed-in
/// account (the owner's, on a server without accounts, as the CLI files
/// them), off the async threads. `command` says what it does as the CLI
/// would (`edit`); `work` may say it better once it knows the entry
/// (`edit faq SLUG 3`): the change's command is `serve: ` and that.
pub(crate) async fn write<T: Send + 'static>(
    app: &Shared,
    command: String,
    work: impl FnOnce(&rusqlite::Transaction<'_>, &mut String) -> Result<T> + Send + 'static,
) -> Result<T> {
    let app = app.clone();
    blocking(move || {
        let who = crate::auth::who::current();
        if app.read_only {
            return Err(Error::Refused {
                action: "change the glossary here".into(),
                reasons: vec!["this editor serves a read-only copy (`serve --read-only`)".into()],
                hints: vec!["make the change on the main server".into()],
            });
        }
        let Some(who) = who else {
            return Err(crate::auth::who::require(Role::Editor, "changing the glossary").unwrap_err());
        };
        as_writer(&app, |conn| {
            let tx = db::begin(conn)?;
            let mut command = command;
            let done = work(&tx, &mut command)?;
            if !who.may(Role::Publisher) {
                let change = glossary_core::change::current(&tx)?;
                if let Some(entry) = glossary_core::history::touched_published(&tx, change)? {
                    return Err(who.forbidden(
                        Role::Publisher,
                        format!("changing {entry}, which is published,"),
                        Some("an editor changes drafts: ask a publisher to unpublish it, or to make the change".into()),
                    ));
                }
            }
            db::commit(tx, &who.actor(&command))?;
            Ok(done)
        })
    })
    .await
}

/// An upload waiting for its import to be confirmed: the files, kept in
/// a temporary directory, and when they came.
/// An upload checked by a dry run, waiting to be applied.
pub(crate) struct Upload {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) at: std::time::Instant,
}
