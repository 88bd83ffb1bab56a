//! Copies of the database: a consistent backup while others write, a
//! snapshot for read-only work that needs a moment's write lock, and
//! removing a database file with its side files.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use crate::db::{io_or_sqlite, side_file};
use crate::error::{Error, Result};

/// Copies the database to `dest` with SQLite's online backup API, page by
/// page, while other connections go on reading and writing (the copy starts
/// over if one writes meanwhile, so it is always consistent). The copy is
/// written under a temporary name and renamed into place when complete.
pub fn backup(conn: &Connection, dest: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: dest.to_path_buf(),
        source,
    };
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest.file_name().map_or_else(
        || "backup".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let tmp = crate::files::replacement(dir, &name)
        .map_err(io)?
        .into_temp_path();
    let copied = (|| -> Result<()> {
        let mut target = Connection::open(&tmp).map_err(|e| io_or_sqlite(&tmp, e))?;
        {
            let copy = rusqlite::backup::Backup::new(conn, &mut target)?;
            copy.run_to_completion(512, Duration::from_millis(5), None)?;
        }
        // The copy is a database of its own: no WAL left beside it.
        let _: String = target.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        Ok(())
    })();
    if let Err(e) = copied {
        remove(&tmp); // and its -wal and -shm files
        return Err(e);
    }
    tmp.persist(dest).map_err(|e| io(e.error))
}

/// A consistent copy of the database in a temporary file beside it (the
/// same disk, which has room for it; the system's temp dir may not),
/// deleted when the returned path is dropped. Copied in one step of the
/// backup API, inside one read transaction, so writers never restart it.
pub fn snapshot(conn: &Connection) -> Result<(tempfile::TempPath, Connection)> {
    let dir = conn
        .path()
        .map(Path::new)
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(std::env::temp_dir, Path::to_path_buf);
    let file = tempfile::Builder::new()
        .prefix(".glossary-snapshot-")
        .tempfile_in(&dir)
        .map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?
        .into_temp_path();
    let mut copy = Connection::open(&file).map_err(|e| io_or_sqlite(&file, e))?;
    {
        use rusqlite::backup::{Backup, StepResult};
        let backup = Backup::new(conn, &mut copy)?;
        let mut tries = 0;
        // -1: every page in one step (run_to_completion takes only > 0).
        while backup.step(-1)? != StepResult::Done {
            tries += 1;
            if tries > 500 {
                return Err(Error::Busy);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    // The copy's header says WAL; a private copy needs no side files.
    let _: String = copy.query_row("PRAGMA journal_mode = MEMORY", [], |r| r.get(0))?;
    copy.pragma_update(None, "foreign_keys", true)?;
    copy.pragma_update(None, "temp_store", "MEMORY")?;
    Ok((file, copy))
}

/// Removes a database file this process created, with its WAL and
/// shared-memory files. Best effort: what cannot be removed stays.
pub fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(side_file(path, suffix));
    }
}
