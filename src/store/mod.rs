//! The SQL of each entity, one module per table.
//!
//! Each module reads and writes its own table and nothing else, with `?`
//! parameters and cached statements (the importer calls them once per CSV
//! row). Writes are upserts on the natural key that change a row only when
//! a value really differs, so re-importing the same data writes nothing.

pub mod comparisons;
pub mod differences;
pub mod examples;
pub mod faqs;
pub mod rows;
pub mod senses;
pub mod terms;

use rusqlite::Connection;

use crate::error::Result;

/// Every name in a column, for did-you-mean suggestions. A full scan of one
/// narrow index; only run when a look-up has already failed.
pub(crate) fn all_names(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names)
}

/// The tables whose rows have a position that is unique within their
/// comparison but a natural key of their own (an aspect, a question): a CSV
/// may reorder them, so the importer moves a row aside while another takes
/// its position. `table` and `label` are constants of this crate, never input.
#[derive(Debug, Clone, Copy)]
pub struct Positioned {
    pub table: &'static str,
    /// The column that names a row to a person.
    pub label: &'static str,
}

pub const ROWS: Positioned = Positioned {
    table: "comparison_rows",
    label: "aspect",
};
pub const FAQS: Positioned = Positioned {
    table: "faqs",
    label: "question",
};

impl Positioned {
    /// The row at `position` of the comparison: its id and label.
    pub fn holder(
        &self,
        conn: &Connection,
        comparison: crate::model::ComparisonId,
        position: i64,
    ) -> Result<Option<(i64, String)>> {
        use rusqlite::OptionalExtension;
        let sql = format!(
            "SELECT id, {} FROM {} WHERE comparison_id = ?1 AND position = ?2",
            self.label, self.table
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row(rusqlite::params![comparison, position], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }

    /// Moves a row out of the way, far above any real position.
    pub fn park(&self, conn: &Connection, id: i64) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET position = position + ?2 WHERE id = ?1",
            self.table
        );
        conn.prepare_cached(&sql)?
            .execute(rusqlite::params![id, crate::model::PARKED_OFFSET])?;
        Ok(())
    }

    /// If the row is still parked: its comparison's slug, its original
    /// position and its label.
    pub fn still_parked(
        &self,
        conn: &Connection,
        id: i64,
    ) -> Result<Option<(String, i64, String)>> {
        use rusqlite::OptionalExtension;
        let sql = format!(
            "SELECT c.slug, t.position - ?2, t.{label}
             FROM {table} AS t JOIN comparisons AS c ON c.id = t.comparison_id
             WHERE t.id = ?1 AND t.position > ?2",
            label = self.label,
            table = self.table
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row(rusqlite::params![id, crate::model::PARKED_OFFSET], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }
}
