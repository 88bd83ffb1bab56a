//! The full-text indexes kept in step: deferred during a big import and
//! caught up after it in slices, checked, and rebuilt.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::search::{indexes, sources};

/// Where an import started: the last revision and the highest row id of
/// each indexed table, so that what it inserted and changed can be told
/// apart from what was there.
pub struct Deferral {
    revision: i64,
    max_ids: Vec<i64>,
}

/// Makes the full-text triggers stand aside for the rest of this
/// transaction (see the V4 migration); [`catch_up`] indexes the rows
/// written meanwhile and ends it.
pub fn defer(conn: &Connection) -> Result<Deferral> {
    conn.execute("INSERT INTO fts_deferred DEFAULT VALUES", [])?;
    let revision: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM revisions", [], |r| {
        r.get(0)
    })?;
    let mut max_ids = Vec::new();
    for (table, _) in sources() {
        max_ids.push(conn.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?);
    }
    Ok(Deferral { revision, max_ids })
}

/// How many new rows one indexing statement of [`catch_up`] takes.
pub(crate) const CATCH_UP_SLICE: i64 = 50_000;

/// Indexes, a few statements per index, the rows inserted since [`defer`]
/// and re-indexes the rows changed since: their old text, as the first
/// revision of the import recorded it, is what the index holds.
pub fn catch_up(conn: &Connection, d: &Deferral) -> Result<()> {
    for ((table, columns), max_id) in sources().zip(&d.max_ids) {
        let cols = columns.join(", ");
        let old: Vec<String> = columns
            .iter()
            .map(|c| format!("json_extract(r.old_values, '$.{c}')"))
            .collect();
        let delete = format!(
            "INSERT INTO {table}_fts ({table}_fts, rowid, {cols})
             SELECT 'delete', r.row_id, {old}
             FROM revisions AS r
             WHERE r.id > ?1 AND r.table_name = '{table}' AND r.action = 'update' AND r.row_id <= ?2
               AND r.id = (SELECT min(r2.id) FROM revisions AS r2
                           WHERE r2.table_name = '{table}' AND r2.row_id = r.row_id AND r2.id > ?1)",
            old = old.join(", ")
        );
        conn.execute(&delete, rusqlite::params![d.revision, max_id])?;
        let changed = format!(
            "INSERT INTO {table}_fts (rowid, {cols})
             SELECT id, {cols} FROM {table}
             WHERE id IN (SELECT row_id FROM revisions
                          WHERE id > ?1 AND table_name = '{table}' AND action = 'update' AND row_id <= ?2)"
        );
        conn.execute(&changed, rusqlite::params![d.revision, max_id])?;
        // New rows in slices of ids: each statement keeps a journal of the
        // index pages it rewrites, in memory, so one statement for millions
        // of rows would hold a large one; a slice is still far more than
        // FTS5 gathers before writing a segment.
        let inserted = format!(
            "INSERT INTO {table}_fts (rowid, {cols})
             SELECT id, {cols} FROM {table} WHERE id > ?1 AND id <= ?2"
        );
        let last: i64 = conn.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?;
        let mut from = *max_id;
        while from < last {
            let to = from.saturating_add(CATCH_UP_SLICE).min(last);
            conn.execute(&inserted, rusqlite::params![from, to])?;
            from = to;
        }
    }
    // The marker goes with its bytes zeroed: left in the page, its time
    // would make an import that changed nothing change the file.
    crate::db::zeroing_deletes(conn, true, || {
        Ok(conn.execute("DELETE FROM fts_deferred", [])?)
    })?;
    Ok(())
}

/// Runs FTS5's own integrity check on every index; returns the names of
/// the indexes that fail it.
pub fn check_indexes(conn: &Connection) -> Result<Vec<&'static str>> {
    let mut bad = Vec::new();
    for (_, table) in indexes() {
        let sql = format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)");
        if let Err(e) = conn.execute(&sql, []) {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) {
                bad.push(table);
            } else {
                return Err(Error::from(e));
            }
        }
    }
    Ok(bad)
}

/// Rebuilds one index from its content table.
pub fn rebuild(conn: &Connection, table: &str) -> Result<()> {
    let (_, table) = indexes()
        .find(|(_, t)| *t == table)
        .ok_or_else(|| Error::Invalid(format!("no search index {table}")))?;
    conn.execute(
        &format!("INSERT INTO {table} ({table}) VALUES ('rebuild')"),
        [],
    )?;
    Ok(())
}
