//! `pending_versions`: the unpublished changes to published entries
//! (migration V16). What the edits mean (applying, merging, deriving them)
//! is in [`crate::pending`]; this is their SQL.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::kind::Kind;

/// One pending version as stored; `edits` is its JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub kind: Kind,
    /// The entry's id; None when the entry was removed meanwhile.
    pub entry_id: Option<i64>,
    pub label: String,
    pub edits: String,
    pub started_by: String,
    pub started_at: String,
    pub updated_by: String,
    pub updated_at: String,
    /// How many times it was saved.
    pub revision: i64,
}

const SELECT: &str = "
    SELECT id, owner_kind, coalesce(comparison_id, term_id), label, edits,
           started_by, started_at, updated_by, updated_at, revision
    FROM pending_versions";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    let kind: String = r.get(1)?;
    Ok(Stored {
        id: r.get(0)?,
        kind: super::owner_kind(&kind).0,
        entry_id: r.get(2)?,
        label: r.get(3)?,
        edits: r.get(4)?,
        started_by: r.get(5)?,
        started_at: r.get(6)?,
        updated_by: r.get(7)?,
        updated_at: r.get(8)?,
        revision: r.get(9)?,
    })
}

/// Every pending version, most recently saved first.
pub fn all(conn: &Connection) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY updated_at DESC, id DESC"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The pending version of the entry `id` of `kind` (a term or a
/// comparison), if it has one.
pub fn of(conn: &Connection, kind: Kind, id: i64) -> Result<Option<Stored>> {
    let col = super::owner_column(kind);
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE {col} = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The pending version `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Writes the pending version of the entry `id` of `kind`: its edits and
/// label, saved by `by` (who started it stays).
pub fn put(
    conn: &Connection,
    kind: Kind,
    id: i64,
    label: &str,
    edits: &str,
    by: &str,
) -> Result<()> {
    let col = super::owner_column(kind);
    let word = super::owner_kind(kind.word()).1;
    conn.execute(
        &format!(
            "INSERT INTO pending_versions (owner_kind, {col}, label, edits, started_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT ({col}) DO UPDATE SET
                label = excluded.label, edits = excluded.edits,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at,
                revision = revision + 1"
        ),
        params![word, id, label, edits, by],
    )?;
    Ok(())
}

/// Removes the pending version `id`; returns how many went.
pub fn delete(conn: &Connection, id: i64) -> Result<usize> {
    Ok(conn.execute("DELETE FROM pending_versions WHERE id = ?1", [id])?)
}

/// Writes a pending version as it was elsewhere (an import of an
/// export): every column as given, replacing the entry's.
pub fn restore(conn: &Connection, s: &Stored) -> Result<()> {
    let col = super::owner_column(s.kind);
    let word = super::owner_kind(s.kind.word()).1;
    conn.execute(
        &format!(
            "INSERT INTO pending_versions
                (owner_kind, {col}, label, edits, started_by, started_at, updated_by, updated_at, revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT ({col}) DO UPDATE SET
                label = excluded.label, edits = excluded.edits,
                started_by = excluded.started_by, started_at = excluded.started_at,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at,
                revision = excluded.revision"
        ),
        params![
            word,
            s.entry_id,
            s.label,
            s.edits,
            s.started_by,
            s.started_at,
            s.updated_by,
            s.updated_at,
            s.revision
        ],
    )?;
    Ok(())
}
