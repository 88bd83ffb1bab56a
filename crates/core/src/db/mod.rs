//! Opening the database: the one place that sets the connection's pragmas
//! and brings the schema up to date.
//!
//! Every command goes through [`open`], so every connection has foreign
//! keys on, WAL (readers never wait for a writer), and a busy timeout.
//! The schema version lives in `PRAGMA user_version` as well as in
//! refinery's history table: reading the pragma costs one header read, so
//! an up-to-date database opens without touching refinery at all.

mod copies;
mod transactions;

pub use copies::backup;
pub use copies::remove;
pub use copies::snapshot;

pub use transactions::{
    begin, begin_read, commit, defer_foreign_keys, hold_write_lock, read, read_only, tune, write,
    zeroing_deletes, Tuning, WriteLock,
};

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

refinery::embed_migrations!("migrations");

/// How long a command waits for another writer before giving up with
/// [`Error::Busy`], unless `GLOSSARY_BUSY_TIMEOUT` (milliseconds) says
/// otherwise: scripts that would rather fail fast, or wait out a long import.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A value that is not a number of milliseconds is a usage error, not
/// something to ignore: a script that meant to fail fast would otherwise
/// wait the default.
fn busy_timeout() -> Result<Duration> {
    match std::env::var("GLOSSARY_BUSY_TIMEOUT") {
        Err(_) => Ok(BUSY_TIMEOUT),
        Ok(v) => v.trim().parse().map(Duration::from_millis).map_err(|_| {
            Error::Usage(format!(
                "GLOSSARY_BUSY_TIMEOUT must be a whole number of milliseconds (such as 5000), not {v:?}"
            ))
        }),
    }
}

/// Prepared statements a connection keeps (see [`configure`]).
const STATEMENT_CACHE: usize = 256;

/// Whether a missing database file may be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Create the file (and the schema) if it does not exist: commands that
    /// write content.
    Create,
    /// Fail with [`Error::NoDatabase`] if the file does not exist: commands
    /// that only read, so a typo in `--db` does not leave an empty file.
    Existing,
    /// Open an existing file only to read it (`serve --read-only`, a
    /// replica): nothing is written, not even the journal mode or a schema
    /// upgrade, and a schema of another version is refused. The file stays
    /// byte-identical, and no `-wal` or `-shm` file is made beside it.
    ReadOnly,
}

/// The newest schema version this binary knows: the number of the last
/// file in `migrations/`. A constant, so that opening an up-to-date
/// database does not build refinery's migration list (it compiles regexes)
/// on every command; a unit test keeps it equal to that list.
pub const LATEST_VERSION: i64 = 21;

/// The newest schema version this binary knows.
pub fn latest_version() -> i64 {
    LATEST_VERSION
}

/// Opens (and if needed creates and upgrades) the glossary database at `path`.
/// A number that changes when another connection commits to the file
/// (SQLite's `data_version`): how a long-lived reader notices that there
/// is something new to read, whoever wrote it.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

pub fn open(path: &Path, mode: Mode) -> Result<Connection> {
    if mode == Mode::ReadOnly {
        return open_read_only(path);
    }
    if mode == Mode::Existing && !path.exists() {
        return Err(Error::NoDatabase {
            path: path.to_path_buf(),
        });
    }
    if path.is_dir() {
        return Err(is_a_folder(path));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("the folder {} does not exist", parent.display()),
                ),
            });
        }
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let timeout = busy_timeout()?;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| io_or_sqlite(path, e))?;
    configure(&conn, timeout).map_err(|e| classify(path, e))?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

fn is_a_folder(path: &Path) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(
            "it is a folder, not a database file (name the .db file inside it)",
        ),
    }
}

/// [`open`] for [`Mode::ReadOnly`]. SQLite opens a WAL database read-only
/// only by making its `-wal` and `-shm` files; where there are none (no
/// writer has it open), nothing can be in a WAL, so the file is opened
/// `immutable`: read without locks or side files. A caller that keeps the
/// connection must open it anew when the file changes ([`identity`]).
fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::NoDatabase {
            path: path.to_path_buf(),
        });
    }
    if path.is_dir() {
        return Err(is_a_folder(path));
    }
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut header = [0u8; 20];
    let wal_header = {
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(io)?;
        // A file shorter than the header is not a database: SQLite says so.
        file.read(&mut header).map_err(io)? == header.len() && header[18] == 2
    };
    let absolute = std::path::absolute(path).map_err(io)?;
    let mut uri = String::from("file:");
    for b in absolute.as_os_str().as_encoded_bytes() {
        // A path in a URI: every byte but the plainest is percent-encoded.
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(*b));
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?mode=ro");
    if wal_header && !side_file(path, "-wal").exists() && !side_file(path, "-shm").exists() {
        uri.push_str("&immutable=1");
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&uri, flags).map_err(|e| io_or_sqlite(path, e))?;
    conn.busy_timeout(busy_timeout()?)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "query_only", true)?;
    let current: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    let latest = latest_version();
    if current > latest {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: current,
            supported: latest,
        });
    }
    if current < latest {
        return Err(Error::OlderSchema {
            path: path.to_path_buf(),
            found: current,
            supported: latest,
        });
    }
    Ok(conn)
}

/// What tells a file from the one a read-only connection opened: its
/// device and inode (a replica restored over it is a new file), size and
/// modification time (a write in place), and whether a WAL is beside it
/// (a writer opened it since).
pub type Identity = Option<(u64, u64, u64, i64, i64, bool)>;

/// The [`Identity`] of the file at `path` now (None where it cannot be read).
pub fn identity(path: &Path) -> Identity {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        let wal = side_file(path, "-wal").exists();
        Some((m.dev(), m.ino(), m.size(), m.mtime(), m.mtime_nsec(), wal))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut side = path.as_os_str().to_owned();
    side.push(suffix);
    PathBuf::from(side)
}

/// An in-memory database with the full schema, for unit tests.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn, BUSY_TIMEOUT)?;
    migrate(&mut conn, Path::new(":memory:"))?;
    Ok(conn)
}

fn configure(conn: &Connection, busy_timeout: Duration) -> rusqlite::Result<()> {
    conn.busy_timeout(busy_timeout)?;
    // rusqlite keeps 16 prepared statements by default: a page of the site
    // or the editor uses more, and past the cache each is parsed and
    // planned again (a third of an incremental build's time was SQLite
    // parsing the history's queries anew).
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "foreign_keys", true)?;
    // Statement journals (one per upsert, as foreign keys and ON CONFLICT
    // need them) and temporary indexes stay in memory rather than going
    // through a temp file: a third of an import's time otherwise.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // journal_mode answers with the mode in force; only a change writes.
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    }
    Ok(())
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let latest = latest_version();
    let current: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if current == latest {
        return Ok(());
    }
    if current > latest {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: current,
            supported: latest,
        });
    }
    if current == 0 {
        refuse_foreign_database(conn, path)?;
    }
    // An existing database is copied before its schema changes: if the
    // upgrade fails it is rolled back anyway (one transaction), but the copy
    // is what a person can go back to if the new version is not for them.
    if current > 0 && path != Path::new(":memory:") {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".v{current}.bak"));
        let copy = PathBuf::from(name);
        if !copy.exists() {
            backup(conn, &copy)?;
        }
        notice(format!(
            "upgraded {} from schema version {current} to {latest}; a copy of the old file is at {}",
            path.display(),
            copy.display()
        ));
    }
    let runner = migrations::runner().set_grouped(true);
    // A history table naming versions we do not know means a newer binary
    // migrated this file (and someone reset user_version): refuse it too.
    let applied_max: Option<i64> = conn
        .query_row(
            "SELECT max(version) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )
        .optional()
        .unwrap_or(None)
        .flatten();
    if let Some(found) = applied_max.filter(|v| *v > latest) {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: latest,
        });
    }
    runner.run(conn).map_err(|e| {
        if let Some(rusqlite_err) = migration_sqlite_error(&e) {
            if crate::error::is_busy(rusqlite_err) {
                return Error::Busy;
            }
        }
        Error::Migration(Box::new(e))
    })?;
    conn.pragma_update(None, "user_version", latest)?;
    Ok(())
}

fn migration_sqlite_error(e: &refinery::Error) -> Option<&rusqlite::Error> {
    std::error::Error::source(e).and_then(|s| s.downcast_ref::<rusqlite::Error>())
}

/// A database with tables of its own but no glossary schema is someone
/// else's file: adding our tables to it would be a surprise.
fn refuse_foreign_database(conn: &Connection, path: &Path) -> Result<()> {
    let foreign: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema
             WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
               AND name <> 'refinery_schema_history'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| classify(path, e))?;
    let ours: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE name = 'refinery_schema_history'",
        [],
        |r| r.get(0),
    )?;
    if foreign > 0 && ours == 0 {
        return Err(Error::NotAGlossary {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

fn classify(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotADatabase {
            path: path.to_path_buf(),
        },
        _ => Error::from(e),
    }
}

fn io_or_sqlite(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) => Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(
                "cannot open the file (check the path and its permissions)",
            ),
        },
        _ => classify(path, e),
    }
}

/// Something a command should tell the user after it ran (a schema upgrade).
static NOTICE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn notice(text: String) {
    if let Ok(mut n) = NOTICE.lock() {
        *n = Some(text);
    }
}

/// The notice left by [`open`], if any, for the command layer to print.
pub fn take_notice() -> Option<String> {
    NOTICE.lock().ok().and_then(|mut n| n.take())
}

/// The database path from `--db`, else `GLOSSARY_DB`, else `./glossary.db`
/// (clap reads the environment variable; this supplies the default).
pub fn default_path() -> PathBuf {
    PathBuf::from("glossary.db")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_version_is_the_last_migration() {
        let last = migrations::runner()
            .get_migrations()
            .iter()
            .map(|m| i64::from(m.version()))
            .max();
        assert_eq!(Some(LATEST_VERSION), last, "update db::LATEST_VERSION");
    }

    #[test]
    fn in_memory_schema_has_every_table() {
        let conn = open_in_memory().unwrap();
        for table in crate::kind::tables() {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name=?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "{table}");
        }
    }

    /// V17 makes `schedules` again: the plans of a version-16 file are
    /// kept, and the new action's rules hold.
    #[test]
    fn schedules_survive_v17_and_a_pending_plan_needs_a_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations::runner()
            .set_target(refinery::Target::Version(16))
            .run(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO terms (term, status) VALUES ('Producer', 'published');
             INSERT INTO schedules (term_id, action, due_at, requested_by, failed_at, failure)
             VALUES (1, 'unpublish', '2027-01-05T08:00:00Z', 'pia', '2027-01-05T08:01:00Z', 'why');",
        )
        .unwrap();
        migrations::runner().run(&mut conn).unwrap();
        let kept: (String, String, String, Option<i64>) = conn
            .query_row(
                "SELECT action, due_at, failure, pending_revision FROM schedules WHERE term_id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            kept,
            (
                "unpublish".into(),
                "2027-01-05T08:00:00Z".into(),
                "why".into(),
                None
            )
        );
        let plan_pending = "UPDATE schedules SET action = 'publish-pending', pending_revision = 1";
        let err = conn.execute(plan_pending, []).unwrap_err().to_string();
        assert!(err.contains("needs a pending version"), "{err}");
        conn.execute_batch(
            "INSERT INTO pending_versions (owner_kind, term_id, label, edits, started_by, updated_by)
             VALUES ('term', 1, 'term \"Producer\"', '[]', 'ana', 'ana');",
        )
        .unwrap();
        conn.execute(plan_pending, []).unwrap();
        // A pending plan names its revision; no other does.
        let err = conn
            .execute("UPDATE schedules SET pending_revision = NULL", [])
            .unwrap_err()
            .to_string();
        assert!(err.contains("CHECK"), "{err}");
        // Discarding the version ends its plan.
        conn.execute("DELETE FROM pending_versions", []).unwrap();
        let left: i64 = conn
            .query_row("SELECT count(*) FROM schedules", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    /// V19 makes the history's tables again without their CHECK on
    /// table_name: a version-18 file's revisions and ranges are kept with
    /// their indexes and trigger, the rule holds as a trigger, and the
    /// legacy rename it used is off again.
    #[test]
    fn history_survives_v19_and_still_names_content_tables() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations::runner()
            .set_target(refinery::Target::Version(18))
            .run(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO terms (term, status) VALUES ('Producer', 'published');
             UPDATE terms SET note = 'A note.';
             INSERT INTO changes (author, command, source) VALUES ('ana', 'import', 'glossary');
             INSERT INTO change_ranges (change_id, table_name, first_id, last_id)
             VALUES ((SELECT max(id) FROM changes), 'terms', 1, 1);",
        )
        .unwrap();
        let count = |conn: &Connection, sql: &str| -> i64 {
            conn.query_row(sql, [], |r| r.get(0)).unwrap()
        };
        let revisions = "SELECT count(*) FROM revisions WHERE change_id IS NOT NULL";
        let before = (
            count(&conn, revisions),
            count(&conn, "SELECT count(*) FROM change_ranges"),
        );
        assert!(before.0 >= 2 && before.1 == 1, "{before:?}");
        migrations::runner().run(&mut conn).unwrap();
        let after = (
            count(&conn, revisions),
            count(&conn, "SELECT count(*) FROM change_ranges"),
        );
        assert_eq!(after, before);
        for name in [
            "revisions_by_row",
            "revisions_by_change",
            "revisions_by_parent",
            "change_ranges_by_table",
            "revisions_in_a_change",
        ] {
            let sql = format!("SELECT count(*) FROM sqlite_schema WHERE name = '{name}'");
            assert_eq!(count(&conn, &sql), 1, "{name}");
        }
        // A revision written by hand still gets a change of its own.
        conn.execute("UPDATE terms SET note = 'Another.'", [])
            .unwrap();
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM revisions WHERE change_id IS NULL"
            ),
            0
        );
        let err = conn
            .execute(
                "INSERT INTO revisions (table_name, row_id, action) VALUES ('users', 1, 'insert')",
                [],
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a content table"), "{err}");
        conn.execute(
            "INSERT INTO revisions (table_name, row_id, action) VALUES ('variants', 1, 'insert')",
            [],
        )
        .unwrap();
        assert_eq!(count(&conn, "PRAGMA legacy_alter_table"), 0);
    }

    #[test]
    fn dropped_transaction_rolls_back() {
        let mut conn = open_in_memory().unwrap();
        {
            let tx = conn.transaction().unwrap();
            tx.execute("INSERT INTO terms (term, lookup_key) VALUES ('x', 'x')", [])
                .unwrap();
        }
        let n: i64 = conn
            .query_row("SELECT count(*) FROM terms", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn lookup_key_is_filled_for_hand_inserted_terms() {
        let conn = open_in_memory().unwrap();
        conn.execute("INSERT INTO terms (term) VALUES ('Producer')", [])
            .unwrap();
        let key: String = conn
            .query_row("SELECT lookup_key FROM terms", [], |r| r.get(0))
            .unwrap();
        assert_eq!(key, "producer");
        conn.execute("UPDATE terms SET term = 'Maker'", []).unwrap();
        let key: String = conn
            .query_row("SELECT lookup_key FROM terms", [], |r| r.get(0))
            .unwrap();
        assert_eq!(key, "maker");
    }
}
