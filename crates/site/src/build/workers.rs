//! The build's workers: pages rendered side by side, each worker with a
//! connection of its own, all in the build's one snapshot.

use std::path::Path;

use rusqlite::Connection;

use glossary_core::error::{Error, Result};

/// Runs `work` on each job that is `wanted` (None for the others) on the
/// workers of `pool`, each with its connection (all in one snapshot, see
/// [`Workers`]); returns the results in the jobs' order.
pub(super) fn in_parallel<J: Sync, T: Send>(
    pool: &Workers,
    jobs: &[J],
    wanted: impl Fn(&J) -> bool + Sync,
    work: impl Fn(&Connection, &J) -> Result<T> + Sync,
) -> Result<Vec<Option<T>>> {
    let size = jobs.len().div_ceil(pool.conns.len()).max(1);
    let (work, wanted) = (&work, &wanted);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(size)
            .zip(&pool.conns)
            .map(|(chunk, conn)| {
                scope.spawn(move || -> Result<Vec<Option<T>>> {
                    if !chunk.iter().any(wanted) {
                        return Ok(chunk.iter().map(|_| None).collect());
                    }
                    let conn = conn.lock().unwrap_or_else(|e| e.into_inner());
                    chunk
                        .iter()
                        .map(|job| {
                            if wanted(job) {
                                work(&conn, job).map(Some)
                            } else {
                                Ok(None)
                            }
                        })
                        .collect()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(jobs.len());
        for h in handles {
            out.extend(h.join().expect("a rendering worker")?);
        }
        Ok(out)
    })
}

/// The build's workers' connections, one per core (at most 4), each in a
/// read transaction that sees the snapshot the build's own connection
/// sees: one build, one snapshot, whatever is written meanwhile.
pub(super) struct Workers {
    pub(super) conns: Vec<std::sync::Mutex<Connection>>,
}

impl Workers {
    /// Opens the workers' connections while holding SQLite's write lock on
    /// one more (a few milliseconds: writers wait, readers go on), so that
    /// no commit can land between `conn`'s first read and theirs. On a
    /// file that cannot be written (a replica), no one commits anyway.
    /// `conn` must be in a read transaction that has not read yet.
    pub(super) fn open(conn: &Connection, db: &Path) -> Result<(Workers, i64)> {
        let lock = Connection::open(db)?;
        // A long write (an import) holds it for long: then the workers are
        // opened without it (it commits nothing meanwhile, most likely).
        let held =
            glossary_core::db::hold_write_lock(&lock, std::time::Duration::from_millis(500))?;
        let opened = (|| {
            let newest = glossary_core::history::newest_change(conn)?;
            let n = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .clamp(1, 4);
            let mut conns = Vec::with_capacity(n);
            for _ in 0..n {
                let c = glossary_core::db::open(db, glossary_core::db::Mode::Existing)?;
                glossary_core::db::tune(&c, glossary_core::db::Tuning::Build)?;
                glossary_core::db::begin_read(&c)?;
                if glossary_core::history::newest_change(&c)? != newest {
                    // Only where the lock could not be taken.
                    return Err(Error::Busy);
                }
                conns.push(std::sync::Mutex::new(c));
            }
            Ok((Workers { conns }, newest))
        })();
        drop(held);
        opened
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workers_see_the_builds_snapshot_whatever_is_written_after() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("g.db");
        let mut writer = glossary_core::db::open(&db, glossary_core::db::Mode::Create).unwrap();
        let add = |w: &mut Connection, term: &str| {
            glossary_core::db::write(w, &glossary_core::change::Actor::default(), |tx| {
                tx.execute("INSERT INTO terms (term) VALUES (?1)", [term])?;
                Ok(())
            })
            .unwrap();
        };
        add(&mut writer, "Producer");
        let build = glossary_core::db::open(&db, glossary_core::db::Mode::Existing).unwrap();
        build.execute_batch("BEGIN").unwrap();
        let (workers, newest) = Workers::open(&build, &db).unwrap();
        add(&mut writer, "Director");
        let count = |c: &Connection| -> i64 {
            c.query_row("SELECT count(*) FROM terms", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count(&build), 1);
        for w in &workers.conns {
            assert_eq!(count(&w.lock().unwrap()), 1);
            assert_eq!(
                glossary_core::history::newest_change(&w.lock().unwrap()).unwrap(),
                newest
            );
        }
        assert_eq!(count(&writer), 2);
    }
}
