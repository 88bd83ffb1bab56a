//! `differences`: the "Key Differences" paragraphs of a comparison.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::ComparisonId;

/// The paragraph at `position`, with its id.
pub fn find(
    conn: &Connection,
    comparison: ComparisonId,
    position: i64,
) -> Result<Option<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, text FROM differences WHERE comparison_id = ?1 AND position = ?2",
    )?;
    Ok(stmt
        .query_row(params![comparison, position], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

pub fn upsert(
    conn: &Connection,
    comparison: ComparisonId,
    position: i64,
    text: &str,
) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO differences (comparison_id, position, text) VALUES (?1, ?2, ?3)
         ON CONFLICT (comparison_id, position) DO UPDATE SET text = excluded.text
         WHERE text IS NOT excluded.text
         RETURNING id",
    )?;
    match stmt
        .query_row(params![comparison, position, text], |r| r.get(0))
        .optional()?
    {
        Some(id) => Ok(id),
        None => Ok(find(conn, comparison, position)?
            .expect("upsert of an unchanged paragraph finds it")
            .0),
    }
}

/// A "Key Differences" paragraph and its number, which `edit` names it by.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Paragraph {
    pub position: i64,
    pub text: String,
}

pub fn for_comparison(conn: &Connection, comparison: ComparisonId) -> Result<Vec<Paragraph>> {
    let mut stmt = conn.prepare_cached(
        "SELECT position, text FROM differences WHERE comparison_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([comparison], |r| {
            Ok(Paragraph {
                position: r.get(0)?,
                text: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
