//! Transactions: every write is one IMMEDIATE transaction and one change
//! of the history ([`begin`], [`commit`], [`write`]); reads from one
//! snapshot ([`read`]); the pragmas set for a purpose ([`Tuning`]) and for
//! one write (deletes that leave no bytes, foreign keys checked at commit).

use std::time::Duration;

use rusqlite::Connection;

use crate::change::Actor;
use crate::db::busy_timeout;
use crate::db::copies::snapshot;
use crate::error::{Error, Result};

/// How a connection is tuned for the work it does. Every pragma glossary
/// sets for a purpose is set here, by name of the purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tuning {
    /// A server's long-lived connection: pages read through a memory map
    /// (no copy per page read) and more of them kept.
    Serve,
    /// A site build, which reads most of the file: all of it mapped.
    Build,
    /// A big import: a cache large enough for its indexes.
    Import,
}

/// SQLite's page cache for an import, in KiB. With the default 2 MB, a large
/// transaction spills dirty pages to the WAL again and again; a fixed
/// larger cache keeps the working set of the indexes in memory. It bounds
/// memory by itself, whatever the size of the input.
pub(crate) const IMPORT_CACHE_KIB: i64 = 128 * 1024;

/// Tunes `conn` for `work` ([`Tuning`]).
pub fn tune(conn: &Connection, work: Tuning) -> Result<()> {
    match work {
        Tuning::Serve => {
            conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
            conn.pragma_update(None, "cache_size", -32_768)?;
        }
        Tuning::Build => conn.pragma_update(None, "mmap_size", 1i64 << 32)?,
        Tuning::Import => conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?,
    }
    Ok(())
}

/// Runs `work` in one read transaction: everything it reads comes from one
/// snapshot of the database (and its many small queries share one lock
/// instead of taking one each). Inside a transaction already, it joins it.
pub fn read<T>(conn: &Connection, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let began = conn.is_autocommit();
    if began {
        conn.execute_batch("BEGIN DEFERRED")?;
    }
    let result = work(conn);
    if began {
        // Nothing was written: ending it either way is the same.
        let _ = conn.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
    }
    result
}

/// Begins a read transaction that stays open for as long as `conn` does: a
/// site build's workers each hold one, on the snapshot of the build.
pub fn begin_read(conn: &Connection) -> Result<()> {
    Ok(conn.execute_batch("BEGIN DEFERRED")?)
}

/// Takes SQLite's write lock on `conn` without writing, for as long as the
/// returned guard lives, if it can within `wait`: writers wait meanwhile,
/// readers go on. None if another writer holds it longer.
pub fn hold_write_lock(conn: &Connection, wait: Duration) -> Result<Option<WriteLock<'_>>> {
    conn.busy_timeout(wait)?;
    Ok(conn
        .execute_batch("BEGIN IMMEDIATE")
        .is_ok()
        .then_some(WriteLock(conn)))
}

/// The write lock [`hold_write_lock`] took; released when dropped.
pub struct WriteLock<'a>(&'a Connection);

impl Drop for WriteLock<'_> {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }
}

/// Runs `work` with SQLite's `secure_delete` on (`FAST` with `fast`): the
/// bytes of the rows it deletes are zeroed, so that bookkeeping deleted in
/// a write (a change marker) leaves no trace in the file.
pub fn zeroing_deletes<T>(
    conn: &Connection,
    fast: bool,
    work: impl FnOnce() -> Result<T>,
) -> Result<T> {
    conn.pragma_update(None, "secure_delete", if fast { "FAST" } else { "ON" })?;
    let result = work();
    conn.pragma_update(None, "secure_delete", "OFF")?;
    result
}

/// Defers the foreign-key checks of the write on `conn` to its commit (a
/// revert puts rows back in whatever order).
pub fn defer_foreign_keys(conn: &Connection) -> Result<()> {
    Ok(conn.pragma_update(None, "defer_foreign_keys", true)?)
}

/// Begins a write: an IMMEDIATE transaction, which takes the write lock at
/// once (waiting out the busy timeout), so a command never fails half-way
/// because another writer got in first. Every write of glossary begins
/// here; dropping the transaction rolls it back.
/// The write is one change of the history ([`crate::change`]), opened here
/// and closed by [`commit`].
pub fn begin(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    crate::change::open(&tx)?;
    Ok(tx)
}

/// Ends a write begun with [`begin`]: sums up its change, filed under
/// `actor`, and commits. Returns the change's id, or none if the write
/// changed nothing.
pub fn commit(tx: rusqlite::Transaction<'_>, actor: &Actor) -> Result<Option<i64>> {
    let change = crate::change::close(&tx, actor)?;
    crate::interrupt::check()?;
    // From here the write is whole whatever Ctrl-C does (see interrupt).
    crate::interrupt::committing();
    tx.commit()?;
    Ok(change)
}

/// Runs `work` in one write transaction ([`begin`]), committed only if it
/// succeeds: one command, one transaction, one change filed under `actor`.
pub fn write<T>(
    conn: &mut Connection,
    actor: &Actor,
    work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
) -> Result<T> {
    let tx = begin(conn)?;
    let value = work(&tx)?;
    commit(tx, actor)?;
    Ok(value)
}

/// Runs `work`, which changes nothing but needs SQLite's write lock for a
/// moment (FTS5's integrity check is written as an INSERT; an import's dry
/// run writes and rolls back), on `conn` if no one else is writing, else on
/// a snapshot copy: a command that only reads must work while another
/// program writes, as WAL lets plain reads do.
pub fn read_only<T>(
    conn: &mut Connection,
    mut work: impl FnMut(&mut Connection) -> Result<T>,
) -> Result<T> {
    conn.busy_timeout(Duration::ZERO)?;
    let first = work(conn);
    conn.busy_timeout(busy_timeout()?)?;
    match first {
        Err(Error::Busy) => {
            let (_file, mut copy) = snapshot(conn)?;
            work(&mut copy)
        }
        other => other,
    }
}
