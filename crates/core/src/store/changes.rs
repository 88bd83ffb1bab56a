//! `changes`, `current_change` and `change_ranges`: the unit of history
//! (migration V6). The rules of a change (who, when it is kept) are in
//! [`crate::change`]; this is their SQL.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;

/// The id of the change the write on `conn` files its revisions under.
pub fn current(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT change_id FROM current_change", [], |r| r.get(0))?)
}

/// Makes the next change id the open one: the marker the triggers read.
/// A marker left by hand (`check` E113) goes first.
pub fn mark_next(conn: &Connection) -> Result<i64> {
    conn.execute("DELETE FROM current_change", [])?;
    conn.execute(
        "INSERT INTO current_change (change_id)
         VALUES ((SELECT coalesce(max(id), 0) + 1 FROM changes))",
        [],
    )?;
    current(conn)
}

/// The open change, as its marker says.
pub struct Marked {
    pub id: i64,
    /// The change it reverts.
    pub reverts: Option<i64>,
    /// Who wrote the pending version it publishes.
    pub written_by: Option<String>,
}

/// The open change, if one is open.
pub fn marked(conn: &Connection) -> Result<Option<Marked>> {
    Ok(conn
        .query_row(
            "SELECT change_id, reverts, written_by FROM current_change",
            [],
            |r| {
                Ok(Marked {
                    id: r.get(0)?,
                    reverts: r.get(1)?,
                    written_by: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Notes who wrote the pending version the open change publishes.
pub fn mark_written_by(conn: &Connection, names: &str) -> Result<()> {
    conn.execute("UPDATE current_change SET written_by = ?1", [names])?;
    Ok(())
}

/// Empties the marker, its bytes zeroed: an import that changes nothing
/// leaves the file as it was.
pub fn unmark(conn: &Connection) -> Result<()> {
    // ON, not FAST: FAST leaves a deleted cell's bytes where overwriting
    // them would cost a write, and a change's time left in a page is
    // enough to make the file differ.
    crate::db::zeroing_deletes(conn, false, || {
        Ok(conn.execute("DELETE FROM current_change", [])?)
    })?;
    Ok(())
}

/// Notes that the open change reverts change `id`.
pub fn mark_reverts(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("UPDATE current_change SET reverts = ?1", [id])?;
    Ok(())
}

/// Marks the open change as a replay (revert) or not.
pub fn mark_replaying(conn: &Connection, on: bool) -> Result<()> {
    conn.execute("UPDATE current_change SET replaying = ?1", [on])?;
    Ok(())
}

/// A change as it is filed.
pub struct NewChange<'a> {
    pub id: i64,
    pub author: &'a str,
    pub command: &'a str,
    pub summary: &'a str,
    pub reverts: Option<i64>,
    pub written_by: Option<&'a str>,
}

/// Files a change of glossary's.
pub fn insert(conn: &Connection, c: &NewChange<'_>) -> Result<()> {
    conn.execute(
        "INSERT INTO changes (id, author, command, source, summary, reverts, written_by)
         VALUES (?1, ?2, ?3, 'glossary', ?4, ?5, ?6)",
        params![
            c.id,
            c.author,
            c.command,
            c.summary,
            c.reverts,
            c.written_by
        ],
    )?;
    Ok(())
}

/// The highest id of `table` (one of the registry's, never input).
pub fn max_id(conn: &Connection, table: &str) -> Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT coalesce(max(id), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

/// Records that the open change added the rows `first..=last` of `table`.
pub fn insert_range(conn: &Connection, table: &str, first: i64, last: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO change_ranges (change_id, table_name, first_id, last_id)
         SELECT change_id, ?1, ?2, ?3 FROM current_change",
        params![table, first, last],
    )?;
    Ok(())
}

/// The ranges of ids change `id` added: table, first, last.
pub fn ranges(conn: &Connection, id: i64) -> Result<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT table_name, first_id, last_id FROM change_ranges WHERE change_id = ?1",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What change `id` did, counted: (table, action, rows), the action one
/// of `insert`, `delete`, `update` and `move` (an update of a position
/// only).
pub fn counts(conn: &Connection, id: i64) -> Result<Vec<(String, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        // Rows added or removed are counted as they come (an import's
        // hundreds of thousands need no set of ids); changed rows once each
        // however many times they changed, and a row the change added
        // counts as added whatever else it did.
        "SELECT table_name, action, count(*) FROM revisions
         WHERE change_id = ?1 AND action IN ('insert', 'delete')
         GROUP BY table_name, action
         UNION ALL
         SELECT table_name, 'insert', last_id - first_id + 1 FROM change_ranges
         WHERE change_id = ?1
         UNION ALL
         SELECT table_name,
                CASE WHEN json_remove(old_values, '$.position', '$.sense_number')
                       IS json_remove(new_values, '$.position', '$.sense_number')
                     THEN 'move' ELSE 'update' END AS what,
                count(DISTINCT row_id)
         FROM revisions AS r WHERE change_id = ?1 AND action = 'update'
           AND NOT EXISTS (
                -- By row (revisions_by_row), not by change: a change's
                -- revisions are many, a row's few (+ keeps the planner off
                -- revisions_by_change).
                SELECT 1 FROM revisions AS i WHERE +i.change_id = ?1 AND i.action = 'insert'
                  AND i.table_name = r.table_name AND i.row_id = r.row_id)
           AND NOT EXISTS (
                SELECT 1 FROM change_ranges AS g WHERE g.change_id = ?1
                  AND g.table_name = r.table_name AND r.row_id BETWEEN g.first_id AND g.last_id)
         GROUP BY table_name, what",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One change, as `history` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeLine {
    pub change: i64,
    pub at: String,
    pub author: String,
    pub command: String,
    pub source: String,
    pub summary: String,
    /// Who wrote the pending version the change published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_by: Option<String>,
}

/// A `changes` row read as (id, at, author, command, source, summary,
/// written_by).
fn line_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeLine> {
    Ok(ChangeLine {
        change: r.get(0)?,
        at: r.get(1)?,
        author: r.get(2)?,
        command: r.get(3)?,
        source: r.get(4)?,
        summary: r.get(5)?,
        written_by: r.get(6)?,
    })
}

/// The change `id`, if there is one.
pub fn line(conn: &Connection, id: i64) -> Result<Option<ChangeLine>> {
    Ok(conn
        .query_row(
            "SELECT id, at, author, command, source, coalesce(summary, ''), written_by
             FROM changes WHERE id = ?1",
            [id],
            line_from_row,
        )
        .optional()?)
}

/// The newest change's id (0 before the first).
pub fn newest(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM changes", [], |r| r.get(0))?)
}

/// Which changes [`list`] reads.
pub struct Listing<'a> {
    /// Only changes that touched this comparison or term (table, id) or
    /// its parts.
    pub entry: Option<(&'a str, i64)>,
    pub author: Option<&'a str>,
    /// At or after this day or time.
    pub since: Option<&'a str>,
    /// Older than this change.
    pub before: Option<i64>,
    pub limit: i64,
}

/// The newest changes that pass `filter`, newest first.
pub fn list(conn: &Connection, filter: &Listing<'_>) -> Result<Vec<ChangeLine>> {
    // The rows an entry stands for: itself, and what belongs to it (found
    // by the parent id in the recorded values, or in the row as it is).
    let (table, id) = filter.entry.unwrap_or(("", 0));
    // The changes that touched the entry, found through indexes: its own
    // revisions and import ranges, its parts' revisions by the parent id
    // they record (the V7 index on exactly this expression), and the
    // revisions of the parts it has now.
    let touched = format!(
        // DISTINCT: without it, one form of this query listed a change
        // twice on the 100,000-comparison file (SQLite's plan for an IN
        // over a UNION ALL); it costs nothing on a handful of ids.
        "c.id IN (SELECT DISTINCT change_id FROM ({}))",
        crate::store::revisions::entry_changes("?3", "?4")
    );
    let sql = format!(
        "SELECT c.id, c.at, c.author, c.command, c.source, coalesce(c.summary, ''), c.written_by
         FROM changes AS c
         WHERE (?1 IS NULL OR c.author = ?1)
           AND (?2 IS NULL OR c.at >= ?2)
           AND (?6 IS NULL OR c.id < ?6)
           AND {}
         ORDER BY c.id DESC LIMIT ?5",
        if filter.entry.is_some() {
            touched.as_str()
        } else {
            "?3 = '' AND ?4 = 0"
        }
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            filter.author,
            filter.since,
            table,
            id,
            filter.limit,
            filter.before
        ],
        line_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
