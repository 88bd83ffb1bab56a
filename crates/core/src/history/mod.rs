//! `glossary history` and `glossary revert`: the changes (what a person
//! did, [`crate::change`]) and the row-level revisions the schema's
//! triggers file under them, read back in words ("faq producer-vs-... 3:
//! answer: old → new"), and a whole change undone: every row it touched put
//! back as it was, which the triggers record as a new change like any
//! other.
//!
//! The SQL of `revisions` and `changes` is [`crate::store::revisions`] and
//! [`crate::store::changes`]; the rows a revert restores are written
//! generically over the registry's tables, in [`revert`].

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::edit::Entry;
use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::model::{FieldChange, PARKED_OFFSET};
use crate::store::changes as change_rows;
pub use crate::store::changes::ChangeLine;
use crate::store::revisions::{self as recorded, Recorded, Values};
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

fn describe(conn: &Connection, r: Recorded) -> Result<Revision> {
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
fn current(conn: &Connection, table: &str, id: i64) -> Result<Option<Values>> {
    recorded::values_now(conn, table, columns(table)?, id)
}

/// The row as it is now or, if deleted, as its latest deletion recorded it.
fn known(conn: &Connection, table: &str, id: i64) -> Result<Option<Values>> {
    if let Some(row) = current(conn, table, id)? {
        return Ok(Some(row));
    }
    recorded::latest_deletion(conn, table, id)
}

fn field(v: &Values, name: &str) -> String {
    v.get(name).and_then(text).unwrap_or_default()
}

fn id_of(v: &Values, name: &str) -> i64 {
    v.get(name).and_then(serde_json::Value::as_i64).unwrap_or(0)
}

/// How a person names the entry these values belong to.
fn label(conn: &Connection, table: &str, v: &Values) -> Result<String> {
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
        "variants" => Kind::Variant.label(&[&term(id_of(v, "term_id"))?, &n("variant")]),
        "relations" => Kind::Relation.label(&[&term(id_of(v, "term_id"))?, &n("position")]),
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

/// The newest change that touched `entry` or its parts (0 if none did):
/// the version of it a page showed, which a decision taken on that page
/// ([`crate::review::approve`]) checks is still the one there.
pub fn version(conn: &Connection, entry: &Entry) -> Result<i64> {
    recorded::entry_version(conn, entry.kind.table(), entry.id)
}

/// The newest changes that pass `filter`.
pub fn changes(conn: &Connection, filter: &Filter<'_>) -> Result<Vec<ChangeLine>> {
    let mut lines = change_rows::list(
        conn,
        &change_rows::Listing {
            entry: filter.entry.map(|e| (e.kind.table(), e.id)),
            author: filter.author,
            since: filter.since,
            before: filter.before,
            limit: filter.limit,
        },
    )?;
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
    if change_rows::marked(conn)?.is_some_and(|m| m.id == id) {
        // The change this very command is writing is not one to show.
        return Err(no_such_change(id));
    }
    let mut line = change_rows::line(conn, id)?.ok_or_else(|| no_such_change(id))?;
    if line.summary.is_empty() {
        line.summary = crate::change::summary(conn, id)?;
    }
    let raws = recorded::of_change(conn, id, DETAIL_LIMIT as i64 + 1)?;
    let mut revisions = Vec::new();
    let mut moved: Vec<(String, i64)> = Vec::new();
    let mut more = 0;
    if raws.len() > DETAIL_LIMIT {
        more = recorded::count_of_change(conn, id)? - DETAIL_LIMIT as i64;
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

/// An update that changed nothing but the row's position (or sense number).
fn only_moved(raw: &Recorded) -> bool {
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
