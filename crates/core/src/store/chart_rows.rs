//! `comparison_rows`: the comparison chart, one aspect per row.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::model::ComparisonId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartRow {
    #[serde(skip)]
    pub id: i64,
    pub position: i64,
    pub aspect: String,
    pub left: String,
    pub right: String,
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChartRow> {
    Ok(ChartRow {
        id: r.get("id")?,
        position: r.get("position")?,
        aspect: r.get("aspect")?,
        left: r.get("left_value")?,
        right: r.get("right_value")?,
    })
}

pub fn find(conn: &Connection, comparison: ComparisonId, aspect: &str) -> Result<Option<ChartRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, aspect, left_value, right_value
         FROM comparison_rows WHERE comparison_id = ?1 AND aspect = ?2",
    )?;
    Ok(stmt
        .query_row(params![comparison, aspect], from_row)
        .optional()?)
}

/// Inserts or updates the row for `aspect`. Fails with a UNIQUE violation
/// on (comparison_id, position) when another aspect holds the position.
pub fn upsert(
    conn: &Connection,
    comparison: ComparisonId,
    position: i64,
    aspect: &str,
    left: &str,
    right: &str,
) -> Result<Option<i64>, rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO comparison_rows (comparison_id, position, aspect, left_value, right_value)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (comparison_id, aspect) DO UPDATE SET
             position = excluded.position,
             left_value = excluded.left_value,
             right_value = excluded.right_value
         WHERE (position, left_value, right_value)
               IS NOT (excluded.position, excluded.left_value, excluded.right_value)
         RETURNING id",
    )?;
    stmt.query_row(params![comparison, position, aspect, left, right], |r| {
        r.get(0)
    })
    .optional()
}

pub fn for_comparison(conn: &Connection, comparison: ComparisonId) -> Result<Vec<ChartRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, aspect, left_value, right_value
         FROM comparison_rows WHERE comparison_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([comparison], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
