//! The SQL of each entity, one module per table (or per few tables that
//! are one thing: a change, its marker and its ranges).
//!
//! Each module reads and writes its own table and nothing else, with `?`
//! parameters and cached statements (the importer calls them once per CSV
//! row). Writes are upserts on the natural key that change a row only when
//! a value really differs, so re-importing the same data writes nothing.

pub mod changes;
pub mod chart_rows;
pub mod comparisons;
pub mod differences;
pub mod examples;
pub mod faqs;
pub mod pending;
pub mod redirects;
pub mod relations;
pub mod reviews;
pub mod revisions;
pub mod schedules;
pub mod senses;
pub mod sessions;
pub mod terms;
pub mod touch;
pub mod users;
pub mod variants;

use rusqlite::{params, Connection, OptionalExtension};

use crate::kind::Kind;
use crate::model::{Status, PARKED_OFFSET};

use crate::error::Result;

/// Whether `table` (one of the registry's, never input) has no rows.
pub fn is_empty(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn.query_row(
        &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
        [],
        |r| r.get(0),
    )?)
}

/// Reviews, schedules and redirects point at a comparison or a term, by
/// one of two columns (`comparison_id`, `term_id`), and name the kind by
/// its word: the column for `kind` (a term's, or else a comparison's).
pub fn owner_column(kind: Kind) -> &'static str {
    if kind == Kind::Term {
        "term_id"
    } else {
        "comparison_id"
    }
}

/// The kind such a row names by `word` (`term`, else `comparison`), and
/// the word, as the rows are read.
pub fn owner_kind(word: &str) -> (Kind, &'static str) {
    if word == "term" {
        (Kind::Term, "term")
    } else {
        (Kind::Comparison, "comparison")
    }
}

/// The kind a file's `kind` column names (`comparison` or `term`, the
/// kinds with a status, redirects and pending versions of their own);
/// anything else is the column's error.
pub fn owner_kind_typed(typed: &str) -> Result<Kind> {
    match typed.trim() {
        "comparison" => Ok(Kind::Comparison),
        "term" => Ok(Kind::Term),
        other => Err(crate::error::Error::BadValue {
            field: "kind".into(),
            problem: format!("must be comparison or term, not \"{other}\""),
        }),
    }
}

/// The status of `table`'s row `id` (a term or a comparison: the tables
/// with one, never input), if the row exists.
pub fn status(conn: &Connection, table: &str, id: i64) -> Result<Option<Status>> {
    Ok(conn
        .query_row(
            &format!("SELECT status FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Runs `sql` (selecting a name and its folded key, or one column that is
/// both) and returns the names
/// closest to `wanted`, reading each row in place: nothing is copied but
/// the few names kept.
pub(crate) fn closest(
    conn: &Connection,
    sql: &str,
    wanted: &str,
    limit: usize,
) -> Result<Vec<String>> {
    let mut matcher = crate::suggest::Matcher::new(wanted, limit);
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    // One column: the name is its own key (slugs, terms' keys).
    let both = rows.as_ref().is_some_and(|s| s.column_count() == 1);
    while let Some(row) = rows.next()? {
        let name = row.get_ref(0)?.as_str().unwrap_or_default();
        let key = if both {
            name
        } else {
            row.get_ref(1)?.as_str().unwrap_or_default()
        };
        matcher.offer(name, key);
    }
    Ok(matcher.best())
}

/// A table whose rows are ordered within a parent by a 1-based number that
/// is unique per parent: senses of a term, examples of a sense, a
/// comparison's paragraphs, chart rows and FAQs. Moving a row shifts the
/// others; because each position is unique, rows pass through the transient
/// range from [`PARKED_OFFSET`] up (see the V2 migration), never through a
/// position another row holds. The names are constants of this crate,
/// never input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Positioned {
    pub table: &'static str,
    /// The column naming the parent row.
    pub parent: &'static str,
    /// The position column.
    pub column: &'static str,
    /// The column that names a row to a person.
    pub label: &'static str,
}

pub const SENSES: Positioned = Positioned {
    table: "senses",
    parent: "term_id",
    column: "sense_number",
    label: "definition",
};
pub const EXAMPLES: Positioned = Positioned {
    table: "examples",
    parent: "sense_id",
    column: "position",
    label: "text",
};
pub const VARIANTS: Positioned = Positioned {
    table: "variants",
    parent: "term_id",
    column: "position",
    label: "variant",
};
pub const RELATIONS: Positioned = Positioned {
    table: "relations",
    parent: "term_id",
    column: "position",
    label: "relation",
};
pub const DIFFERENCES: Positioned = Positioned {
    table: "differences",
    parent: "comparison_id",
    column: "position",
    label: "text",
};
pub const ROWS: Positioned = Positioned {
    table: "comparison_rows",
    parent: "comparison_id",
    column: "position",
    label: "aspect",
};
pub const FAQS: Positioned = Positioned {
    table: "faqs",
    parent: "comparison_id",
    column: "position",
    label: "question",
};

impl Positioned {
    /// The row at `position` under `parent`: its id and label.
    pub fn holder(
        &self,
        conn: &Connection,
        parent: i64,
        position: i64,
    ) -> Result<Option<(i64, String)>> {
        let sql = format!(
            "SELECT id, {} FROM {} WHERE {} = ?1 AND {} = ?2",
            self.label, self.table, self.parent, self.column
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row(params![parent, position], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// The ids of the parent's rows, in order.
    pub fn ids(&self, conn: &Connection, parent: i64) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT id FROM {} WHERE {} = ?1 ORDER BY {}",
            self.table, self.parent, self.column
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([parent], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many rows the parent has (so the last position, when dense).
    pub fn count(&self, conn: &Connection, parent: i64) -> Result<i64> {
        let sql = format!(
            "SELECT count(*) FROM {} WHERE {} = ?1",
            self.table, self.parent
        );
        Ok(conn
            .prepare_cached(&sql)?
            .query_row([parent], |r| r.get(0))?)
    }

    /// How many rows the parent has, and its highest position: equal when
    /// the positions run 1..n (they are unique and positive).
    pub fn count_and_max(&self, conn: &Connection, parent: i64) -> Result<(i64, i64)> {
        let sql = format!(
            "SELECT count(*), coalesce(max({}), 0) FROM {} WHERE {} = ?1",
            self.column, self.table, self.parent
        );
        Ok(conn
            .prepare_cached(&sql)?
            .query_row([parent], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    /// Moves a row out of the way into the transient range, keeping its
    /// position readable (position + PARKED_OFFSET).
    pub fn park(&self, conn: &Connection, id: i64) -> Result<()> {
        let sql = format!(
            "UPDATE {t} SET {c} = {c} + ?2 WHERE id = ?1",
            t = self.table,
            c = self.column
        );
        conn.prepare_cached(&sql)?
            .execute(params![id, PARKED_OFFSET])?;
        Ok(())
    }

    /// Adds `delta` (+1 or -1) to the positions from `from` to `to` under
    /// `parent`, through the transient range so no two rows ever meet. The
    /// row `except` (a row being moved, parked meanwhile) stays put.
    fn shift(
        &self,
        conn: &Connection,
        parent: i64,
        (from, to): (i64, i64),
        delta: i64,
        except: i64,
    ) -> Result<()> {
        let park = format!(
            "UPDATE {t} SET {c} = {c} + ?4 WHERE {p} = ?1 AND {c} BETWEEN ?2 AND ?3",
            t = self.table,
            c = self.column,
            p = self.parent
        );
        conn.prepare_cached(&park)?
            .execute(params![parent, from, to, PARKED_OFFSET])?;
        let land = format!(
            "UPDATE {t} SET {c} = {c} - ?2 + ?3 WHERE {p} = ?1 AND {c} > ?2 AND id <> ?4",
            t = self.table,
            c = self.column,
            p = self.parent
        );
        conn.prepare_cached(&land)?
            .execute(params![parent, PARKED_OFFSET, delta, except])?;
        Ok(())
    }

    /// Makes room at `position`: the rows from there on move down one.
    pub fn open_gap(&self, conn: &Connection, parent: i64, position: i64) -> Result<()> {
        self.shift(conn, parent, (position, PARKED_OFFSET - 1), 1, 0)
    }

    /// Moves row `id` from `from` to `to` under `parent`; the rows between
    /// shift by one to make room and close the gap.
    pub fn move_row(
        &self,
        conn: &Connection,
        id: i64,
        parent: i64,
        from: i64,
        to: i64,
    ) -> Result<()> {
        if from == to {
            return Ok(());
        }
        // The row waits in the transient range while the others shift.
        self.park(conn, id)?;
        if to < from {
            self.shift(conn, parent, (to, from - 1), 1, id)?;
        } else {
            self.shift(conn, parent, (from + 1, to), -1, id)?;
        }
        let sql = format!(
            "UPDATE {t} SET {c} = ?2 WHERE id = ?1",
            t = self.table,
            c = self.column
        );
        conn.prepare_cached(&sql)?.execute(params![id, to])?;
        Ok(())
    }

    /// If the row is still parked: its parent's name (the comparison's
    /// slug), its original position and its label.
    pub fn still_parked(
        &self,
        conn: &Connection,
        id: i64,
    ) -> Result<Option<(String, i64, String)>> {
        let sql = format!(
            "SELECT c.slug, t.{col} - ?2, t.{label}
             FROM {table} AS t JOIN comparisons AS c ON c.id = t.{parent}
             WHERE t.id = ?1 AND t.{col} > ?2",
            col = self.column,
            label = self.label,
            table = self.table,
            parent = self.parent
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row(params![id, PARKED_OFFSET], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }
}
