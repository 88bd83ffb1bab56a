//! `examples`: example sentences of a sense, in display order.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::SenseId;

/// Whether the sense already has this exact sentence.
pub fn exists(conn: &Connection, sense: SenseId, text: &str) -> Result<bool> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM examples WHERE sense_id = ?1 AND text = ?2")?;
    Ok(stmt
        .query_row(params![sense, text], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The id of the sentence, if the sense has it.
pub fn find_id(conn: &Connection, sense: SenseId, text: &str) -> Result<Option<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM examples WHERE sense_id = ?1 AND text = ?2")?;
    Ok(stmt
        .query_row(params![sense, text], |r| r.get(0))
        .optional()?)
}

/// Adds the sentence after the sense's last example; an existing sentence is
/// left where it is. Returns the example's id.
pub fn append(conn: &Connection, sense: SenseId, text: &str) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO examples (sense_id, position, text)
         VALUES (?1,
                 (SELECT coalesce(max(position), 0) + 1 FROM examples WHERE sense_id = ?1),
                 ?2)
         ON CONFLICT (sense_id, text) DO NOTHING
         RETURNING id",
    )?;
    match stmt
        .query_row(params![sense, text], |r| r.get(0))
        .optional()?
    {
        Some(id) => Ok(id),
        None => Ok(find_id(conn, sense, text)?.expect("an existing example is found")),
    }
}

/// The position of example `id` under its sense.
pub fn position(conn: &Connection, id: i64) -> Result<i64> {
    let mut stmt = conn.prepare_cached("SELECT position FROM examples WHERE id = ?1")?;
    Ok(stmt.query_row([id], |r| r.get(0))?)
}

/// A sense's example sentences in order.
pub fn for_sense(conn: &Connection, sense: SenseId) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT text FROM examples WHERE sense_id = ?1 ORDER BY position")?;
    let rows = stmt
        .query_map([sense], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
