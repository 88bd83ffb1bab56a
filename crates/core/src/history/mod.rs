//! `glossary history` and `glossary revert`: the changes (what a person
//! did, [`crate::change`]) and the row-level revisions the schema's
//! triggers file under them, read back in words ("faq producer-vs-... 3:
//! answer: old → new"), and a whole change undone: every row it touched put
//! back as it was, which the triggers record as a new change like any
//! other.
//!
//! The `revisions` table is this module's own, so its SQL is here; the rows
//! it restores are written generically over the registry's tables.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Map;

use crate::edit::Entry;
use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::model::{FieldChange, PARKED_OFFSET};
use crate::store::Positioned;

mod questions;
mod revert;
pub use questions::*;
pub use revert::revert_change;

/// The columns the history triggers record for `table` (the registry's).
fn columns(table: &str) -> Result<&'static [&'static str]> {
    crate::kind::Kind::of_table(table)
        .map(|k| k.spec().recorded)
        .ok_or_else(|| Error::Invalid(format!("revisions name an unknown table \"{table}\"")))
}

fn positioned(table: &str) -> Option<Positioned> {
    crate::kind::positioned().find(|p| p.table == table)
}

/// One revision, in words.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    pub revision: i64,
    pub changed_at: String,
    pub action: String,
    pub table: String,
    pub row_id: i64,
    /// The entry as a person names it: `faq producer-vs-executive-producer 3`.
    pub entry: String,
    pub changes: Vec<FieldChange>,
}

type Row = Map<String, serde_json::Value>;

#[derive(Clone)]
struct Raw {
    id: i64,
    changed_at: String,
    table: String,
    row_id: i64,
    action: String,
    old: Option<Row>,
    new: Option<Row>,
}

fn parse_json(s: Option<String>) -> Option<Row> {
    s.and_then(|t| serde_json::from_str::<Row>(&t).ok())
}

fn raw_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok(Raw {
        id: r.get("id")?,
        changed_at: r.get("changed_at")?,
        table: r.get("table_name")?,
        row_id: r.get("row_id")?,
        action: r.get("action")?,
        old: parse_json(r.get("old_values")?),
        new: parse_json(r.get("new_values")?),
    })
}

const SELECT: &str =
    "SELECT id, changed_at, table_name, row_id, action, old_values, new_values FROM revisions";

fn describe(conn: &Connection, r: Raw) -> Result<Revision> {
    let values = match (&r.action[..], &r.old, &r.new) {
        (_, _, Some(new)) => Some(new.clone()),
        (_, Some(old), None) => Some(old.clone()),
        // An insert records no values: the row as it is, or as it was
        // when it was removed.
        _ => known(conn, &r.table, r.row_id)?,
    };
    let entry = match &values {
        Some(v) => label(conn, &r.table, v)?,
        None => format!("{} #{}", r.table, r.row_id),
    };
    // An update: the fields that changed. An insert: the values inserted
    // (as the row holds them now; inserts record no values). A delete: the
    // values deleted. Keys and bookkeeping columns are left out.
    let shown = |col: &str| !matches!(col, "lookup_key" | "created_at") && !col.ends_with("_id");
    let mut changes = Vec::new();
    match (&r.old, &r.new, values.as_ref()) {
        (Some(old), Some(new), _) => {
            for col in columns(&r.table)? {
                let (o, n) = (old.get(*col), new.get(*col));
                if o != n && *col != "lookup_key" {
                    changes.push(FieldChange {
                        field: col,
                        old: o.and_then(text),
                        new: n.and_then(text),
                    });
                }
            }
        }
        (Some(old), None, _) => {
            for col in columns(&r.table)?.iter().filter(|c| shown(c)) {
                changes.push(FieldChange {
                    field: col,
                    old: old.get(*col).and_then(text),
                    new: None,
                });
            }
        }
        (None, None, Some(now)) if r.action == "insert" => {
            for col in columns(&r.table)?.iter().filter(|c| shown(c)) {
                changes.push(FieldChange {
                    field: col,
                    old: None,
                    new: now.get(*col).and_then(text),
                });
            }
        }
        _ => {}
    }
    Ok(Revision {
        revision: r.id,
        changed_at: r.changed_at,
        action: r.action,
        table: r.table,
        row_id: r.row_id,
        entry,
        changes,
    })
}

fn text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The row's recorded columns as they are now, if it exists.
fn current(conn: &Connection, table: &str, id: i64) -> Result<Option<Row>> {
    let cols = columns(table)?;
    let pairs: Vec<String> = cols.iter().map(|c| format!("'{c}', {c}")).collect();
    let sql = format!(
        "SELECT json_object({}) FROM {table} WHERE id = ?1",
        pairs.join(", ")
    );
    let json: Option<String> = conn.query_row(&sql, [id], |r| r.get(0)).optional()?;
    Ok(parse_json(json))
}

/// The row as it is now or, if deleted, as its latest deletion recorded it.
fn known(conn: &Connection, table: &str, id: i64) -> Result<Option<Row>> {
    if let Some(row) = current(conn, table, id)? {
        return Ok(Some(row));
    }
    let old: Option<String> = conn
        .query_row(
            "SELECT old_values FROM revisions
             WHERE table_name = ?1 AND row_id = ?2 AND action = 'delete'
             ORDER BY id DESC LIMIT 1",
            params![table, id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(parse_json(old))
}

fn field(v: &Row, name: &str) -> String {
    v.get(name).and_then(text).unwrap_or_default()
}

fn id_of(v: &Row, name: &str) -> i64 {
    v.get(name).and_then(serde_json::Value::as_i64).unwrap_or(0)
}

/// How a person names the entry these values belong to.
fn label(conn: &Connection, table: &str, v: &Row) -> Result<String> {
    // A parent gone from the database is named by its number.
    let term = |id: i64| -> Result<String> {
        Ok(known(conn, "terms", id)?.map_or_else(|| format!("#{id}"), |t| field(&t, "term")))
    };
    let slug = |id: i64| -> Result<String> {
        Ok(known(conn, "comparisons", id)?.map_or_else(|| format!("#{id}"), |c| field(&c, "slug")))
    };
    let n = |name: &str| field(v, name);
    Ok(match table {
        "terms" => Kind::Term.label(&[&n("term")]),
        "senses" => Kind::Sense.label(&[&term(id_of(v, "term_id"))?, &n("sense_number")]),
        "examples" => match known(conn, "senses", id_of(v, "sense_id"))? {
            Some(s) => Kind::Example.label(&[
                &term(id_of(&s, "term_id"))?,
                &field(&s, "sense_number"),
                &n("position"),
            ]),
            None => format!("example sense #{} {}", id_of(v, "sense_id"), n("position")),
        },
        "comparisons" => Kind::Comparison.label(&[&n("slug")]),
        "differences" => {
            Kind::Difference.label(&[&slug(id_of(v, "comparison_id"))?, &n("position")])
        }
        "comparison_rows" => Kind::Row.label(&[&slug(id_of(v, "comparison_id"))?, &n("aspect")]),
        "faqs" => Kind::Faq.label(&[&slug(id_of(v, "comparison_id"))?, &n("position")]),
        other => format!("{other} entry"),
    })
}

/// The table name if it is one of ours (it goes into SQL text).
fn checked_table(table: &str) -> Result<&'static str> {
    crate::kind::Kind::of_table(table)
        .map(|k| k.table())
        .ok_or_else(|| Error::Invalid(format!("unknown table \"{table}\"")))
}

fn sql_value(v: Option<&serde_json::Value>) -> Value {
    match v {
        None | Some(serde_json::Value::Null) => Value::Null,
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .map_or_else(|| Value::Real(n.as_f64().unwrap_or(0.0)), Value::Integer),
        Some(serde_json::Value::String(s)) => Value::Text(s.clone()),
        Some(other) => Value::Text(other.to_string()),
    }
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
}

/// A `changes` row read as (id, at, author, command, source, summary).
fn change_line(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeLine> {
    Ok(ChangeLine {
        change: r.get(0)?,
        at: r.get(1)?,
        author: r.get(2)?,
        command: r.get(3)?,
        source: r.get(4)?,
        summary: r.get(5)?,
    })
}

/// Which changes `history` lists.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    /// Only changes that touched this entry (a comparison: or its
    /// paragraphs, chart rows and FAQs; a term: or its senses, examples).
    pub entry: Option<&'a Entry>,
    pub author: Option<&'a str>,
    /// Only changes at or after this day (`YYYY-MM-DD`) or time.
    pub since: Option<&'a str>,
    /// Only changes older than this one: the next page of a listing.
    pub before: Option<i64>,
    pub limit: i64,
}

/// The revisions (`id`, `change_id`) of the comparison or term whose
/// table and id are the SQL parameters `table` and `id`, and of its parts,
/// found through indexes: its own, its parts' by the parent id they record
/// (the V7 index on exactly this expression), and those of the parts it
/// has now (inserts record no values). CROSS JOIN keeps SQLite reading
/// those from the parts (by their parent's index) and not from every
/// revision of their table, which grows with every save.
fn entry_revisions(table: &str, id: &str) -> String {
    let parent = "coalesce(json_extract(old_values, '$.comparison_id'), json_extract(new_values, '$.comparison_id'),
                           json_extract(old_values, '$.term_id'), json_extract(new_values, '$.term_id'))";
    format!(
        "SELECT id, change_id FROM revisions WHERE table_name = {table} AND row_id = {id}
         UNION ALL
         SELECT id, change_id FROM revisions
         WHERE {table} = 'comparisons' AND table_name IN ('differences', 'comparison_rows', 'faqs') AND {parent} = {id}
         UNION ALL
         SELECT id, change_id FROM revisions WHERE {table} = 'terms' AND table_name = 'senses' AND {parent} = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM differences AS d CROSS JOIN revisions AS r ON r.table_name = 'differences' AND r.row_id = d.id
         WHERE {table} = 'comparisons' AND d.comparison_id = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM comparison_rows AS x CROSS JOIN revisions AS r ON r.table_name = 'comparison_rows' AND r.row_id = x.id
         WHERE {table} = 'comparisons' AND x.comparison_id = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM faqs AS f CROSS JOIN revisions AS r ON r.table_name = 'faqs' AND r.row_id = f.id
         WHERE {table} = 'comparisons' AND f.comparison_id = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM senses AS s CROSS JOIN revisions AS r ON r.table_name = 'senses' AND r.row_id = s.id
         WHERE {table} = 'terms' AND s.term_id = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM senses AS s CROSS JOIN examples AS e ON e.sense_id = s.id
         CROSS JOIN revisions AS r ON r.table_name = 'examples' AND r.row_id = e.id
         WHERE {table} = 'terms' AND s.term_id = {id}"
    )
}

/// The changes (`change_id`) whose import ranges added the parts the
/// comparison or term (the SQL parameters `table`, `id`) has now: an
/// import records the rows it adds as ranges of ids, not revisions, so a
/// FAQ imported into an existing article is found here. Ranges are few
/// (one per import and table); each is asked whether the entry has a part
/// in it, through the parts' index by parent.
fn part_ranges(table: &str, id: &str) -> String {
    let mut parts: Vec<String> = ["differences", "comparison_rows", "faqs"]
        .iter()
        .map(|part| {
            format!(
                "SELECT NULL, g.change_id FROM change_ranges AS g
                 WHERE {table} = 'comparisons' AND g.table_name = '{part}'
                   AND EXISTS (SELECT 1 FROM {part} AS p
                               WHERE p.comparison_id = {id} AND p.id BETWEEN g.first_id AND g.last_id)"
            )
        })
        .collect();
    parts.push(format!(
        "SELECT NULL, g.change_id FROM change_ranges AS g
         WHERE {table} = 'terms' AND g.table_name = 'senses'
           AND EXISTS (SELECT 1 FROM senses AS p
                       WHERE p.term_id = {id} AND p.id BETWEEN g.first_id AND g.last_id)"
    ));
    parts.push(format!(
        "SELECT NULL, g.change_id FROM change_ranges AS g
         WHERE {table} = 'terms' AND g.table_name = 'examples'
           AND EXISTS (SELECT 1 FROM senses AS s CROSS JOIN examples AS p ON p.sense_id = s.id
                       WHERE s.term_id = {id} AND p.id BETWEEN g.first_id AND g.last_id)"
    ));
    parts.join("\n UNION ALL\n")
}

/// The changes (rows of revision `id` or NULL, `change_id`) that touched the comparison or term (the SQL
/// parameters `table`, `id`) or its parts: revisions, and import ranges
/// of the entry and of its parts.
fn entry_changes(table: &str, id: &str) -> String {
    format!(
        // One flat UNION ALL of (revision id, change id), as entry_revisions
        // is: nested in a subquery, SQLite planned it slower.
        "{}
         UNION ALL
         SELECT NULL, change_id FROM change_ranges WHERE table_name = {table} AND first_id <= {id} AND last_id >= {id}
         UNION ALL
         {}",
        entry_revisions(table, id),
        part_ranges(table, id)
    )
}

/// The newest change that touched `entry` or its parts (0 if none did):
/// the version of it a page showed, which a decision taken on that page
/// ([`crate::review::approve`]) checks is still the one there.
pub fn version(conn: &Connection, entry: &Entry) -> Result<i64> {
    let sql = format!(
        "SELECT coalesce(max(change_id), 0) FROM ({})
         WHERE change_id <> coalesce((SELECT change_id FROM current_change), -1)",
        entry_changes("?1", "?2")
    );
    Ok(conn.query_row(&sql, params![entry.kind.table(), entry.id], |r| r.get(0))?)
}

/// The newest changes that pass `filter`.
pub fn changes(conn: &Connection, filter: &Filter<'_>) -> Result<Vec<ChangeLine>> {
    // The rows an entry stands for: itself, and what belongs to it (found
    // by the parent id in the recorded values, or in the row as it is).
    let (table, id) = filter
        .entry
        .map(|e| (e.kind.table(), e.id))
        .unwrap_or(("", 0));
    // The changes that touched the entry, found through indexes: its own
    // revisions and import ranges, its parts' revisions by the parent id
    // they record (the V7 index on exactly this expression), and the
    // revisions of the parts it has now.
    let touched = format!(
        // DISTINCT: without it, one form of this query listed a change
        // twice on the 100,000-comparison file (SQLite's plan for an IN
        // over a UNION ALL); it costs nothing on a handful of ids.
        "c.id IN (SELECT DISTINCT change_id FROM ({}))",
        entry_changes("?3", "?4")
    );
    let sql = format!(
        "SELECT c.id, c.at, c.author, c.command, c.source, coalesce(c.summary, '')
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
        change_line,
    )?;
    let mut lines: Vec<ChangeLine> = rows.collect::<rusqlite::Result<_>>()?;
    // Changes typed in SQL have no summary stored: glossary did not see
    // them end. It is worked out when they are shown.
    for line in lines.iter_mut().filter(|l| l.summary.is_empty()) {
        line.summary = crate::change::summary(conn, line.change)?;
    }
    Ok(lines)
}

/// One change in full: what it was, and its revisions in words, with the
/// rows that only moved because of a neighbour summed up.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeDetail {
    #[serde(flatten)]
    pub change: ChangeLine,
    pub revisions: Vec<Revision>,
    /// `18 faqs moved`: positions that only shifted for a neighbour.
    pub moved: Vec<String>,
    /// Revisions not listed: the summary counts them all.
    pub more: i64,
    /// Rows an import added, as ranges: `440000 faqs (ids 1–440000)`.
    pub added: Vec<String>,
}

/// How many revisions `history N` describes; the summary counts the rest.
const DETAIL_LIMIT: usize = 200;

pub fn change(conn: &Connection, id: i64) -> Result<ChangeDetail> {
    let open: Option<i64> = conn
        .query_row("SELECT change_id FROM current_change", [], |r| r.get(0))
        .optional()?;
    if open == Some(id) {
        // The change this very command is writing is not one to show.
        return Err(no_such_change(id));
    }
    let mut line = conn
        .query_row(
            "SELECT id, at, author, command, source, coalesce(summary, '') FROM changes WHERE id = ?1",
            [id],
            change_line,
        )
        .optional()?
        .ok_or_else(|| no_such_change(id))?;
    if line.summary.is_empty() {
        line.summary = crate::change::summary(conn, id)?;
    }
    let raws = revisions_of(conn, id, DETAIL_LIMIT as i64 + 1)?;
    let mut revisions = Vec::new();
    let mut moved: Vec<(String, i64)> = Vec::new();
    let mut more = 0;
    if raws.len() > DETAIL_LIMIT {
        more = conn.query_row(
            "SELECT count(*) FROM revisions WHERE change_id = ?1",
            [id],
            |r| r.get::<_, i64>(0),
        )? - DETAIL_LIMIT as i64;
    }
    for raw in raws.into_iter().take(DETAIL_LIMIT) {
        if only_moved(&raw) {
            let word = crate::kind::Kind::of_table(&raw.table).map_or("row", |k| k.word());
            match moved.iter_mut().find(|(w, _)| w == word) {
                Some((_, n)) => *n += 1,
                None => moved.push((word.to_string(), 1)),
            }
            continue;
        }
        revisions.push(describe(conn, raw)?);
    }
    let moved = moved
        .into_iter()
        .map(|(w, n)| format!("{n} {w}{} moved", if n == 1 { "" } else { "s" }))
        .collect();
    let added = crate::change::ranges(conn, id)?
        .into_iter()
        .map(|(table, first, last)| {
            let word = crate::kind::Kind::of_table(&table).map_or("row", |k| k.word());
            let n = last - first + 1;
            format!(
                "{n} {word}{} (ids {first}–{last})",
                if n == 1 { "" } else { "s" }
            )
        })
        .collect();
    Ok(ChangeDetail {
        change: line,
        revisions,
        moved,
        more,
        added,
    })
}

fn no_such_change(id: i64) -> Error {
    Error::NoSuchChange { id }
}

fn revisions_of(conn: &Connection, change: i64, limit: i64) -> Result<Vec<Raw>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE change_id = ?1 ORDER BY id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![change, limit], raw_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An update that changed nothing but the row's position (or sense number).
fn only_moved(raw: &Raw) -> bool {
    let (Some(old), Some(new)) = (&raw.old, &raw.new) else {
        return false;
    };
    let Some(p) = positioned(&raw.table) else {
        return false;
    };
    raw.action == "update"
        && old
            .iter()
            .all(|(k, v)| k == p.column || new.get(k) == Some(v))
}
