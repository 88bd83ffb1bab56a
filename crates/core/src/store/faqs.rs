//! `faqs`: the questions and answers of a comparison.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::model::ComparisonId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Faq {
    #[serde(skip)]
    pub id: i64,
    pub position: i64,
    pub question: String,
    pub answer: String,
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Faq> {
    Ok(Faq {
        id: r.get("id")?,
        position: r.get("position")?,
        question: r.get("question")?,
        answer: r.get("answer")?,
    })
}

pub fn find(conn: &Connection, comparison: ComparisonId, question: &str) -> Result<Option<Faq>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, question, answer
         FROM faqs WHERE comparison_id = ?1 AND question = ?2",
    )?;
    Ok(stmt
        .query_row(params![comparison, question], from_row)
        .optional()?)
}

/// Inserts or updates the FAQ for `question`. Fails with a UNIQUE violation
/// on (comparison_id, position) when another question holds the position.
pub fn upsert(
    conn: &Connection,
    comparison: ComparisonId,
    position: i64,
    question: &str,
    answer: &str,
) -> Result<Option<i64>, rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO faqs (comparison_id, position, question, answer)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (comparison_id, question) DO UPDATE SET
             position = excluded.position,
             answer = excluded.answer
         WHERE (position, answer) IS NOT (excluded.position, excluded.answer)
         RETURNING id",
    )?;
    stmt.query_row(params![comparison, position, question, answer], |r| {
        r.get(0)
    })
    .optional()
}

pub fn for_comparison(conn: &Connection, comparison: ComparisonId) -> Result<Vec<Faq>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, question, answer
         FROM faqs WHERE comparison_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([comparison], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
