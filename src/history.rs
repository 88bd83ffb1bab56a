//! `glossary history` and `glossary revert`: reading the `revisions`
//! table that the schema's triggers keep, and undoing one change.
//!
//! The triggers record every insert, update and delete whoever makes it;
//! this module only reads them back in words ("faq producer-vs-... 3:
//! answer: old → new") and writes the reverse change, which the triggers
//! then record as a new revision like any other.
//!
//! The `revisions` table is this module's own, so its SQL is here; the rows
//! it restores are written generically over the registry's tables.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Map;

use crate::edit::Entry;
use crate::error::{Error, Result};
use crate::model::{quote_name, Change};
use crate::store::Positioned;

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
    pub changes: Vec<Change>,
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

/// The newest `limit` revisions, of one entry or of everything.
pub fn list(conn: &Connection, entry: Option<&Entry>, limit: i64) -> Result<Vec<Revision>> {
    let raws: Vec<Raw> = match entry {
        Some(e) => {
            let sql =
                format!("{SELECT} WHERE table_name = ?1 AND row_id = ?2 ORDER BY id DESC LIMIT ?3");
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(params![e.kind.table(), e.id, limit], raw_from_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        }
        None => {
            let sql = format!("{SELECT} ORDER BY id DESC LIMIT ?1");
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([limit], raw_from_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        }
    };
    raws.into_iter().map(|r| describe(conn, r)).collect()
}

fn describe(conn: &Connection, r: Raw) -> Result<Revision> {
    let values = match (&r.action[..], &r.old, &r.new) {
        (_, _, Some(new)) => Some(new.clone()),
        (_, Some(old), None) => Some(old.clone()),
        _ => current(conn, &r.table, r.row_id)?,
    };
    let entry = match &values {
        Some(v) => label(conn, &r.table, v)?,
        None => format!("{} #{}", r.table, r.row_id),
    };
    let mut changes = Vec::new();
    if let (Some(old), Some(new)) = (&r.old, &r.new) {
        for col in columns(&r.table)? {
            let (o, n) = (old.get(*col), new.get(*col));
            if o != n && *col != "lookup_key" {
                changes.push(Change {
                    field: col,
                    old: o.and_then(text),
                    new: n.and_then(text),
                });
            }
        }
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
    let term = |id: i64| -> Result<String> {
        Ok(known(conn, "terms", id)?
            .map_or_else(|| format!("#{id}"), |t| quote_name(&field(&t, "term"))))
    };
    let slug = |id: i64| -> Result<String> {
        Ok(known(conn, "comparisons", id)?.map_or_else(|| format!("#{id}"), |c| field(&c, "slug")))
    };
    Ok(match table {
        "terms" => format!("term {}", quote_name(&field(v, "term"))),
        "senses" => format!(
            "sense {} {}",
            term(id_of(v, "term_id"))?,
            field(v, "sense_number")
        ),
        "examples" => {
            let sense = known(conn, "senses", id_of(v, "sense_id"))?;
            let of = match sense {
                Some(s) => format!(
                    "{} {}",
                    term(id_of(&s, "term_id"))?,
                    field(&s, "sense_number")
                ),
                None => format!("sense #{}", id_of(v, "sense_id")),
            };
            format!("example {of} {}", field(v, "position"))
        }
        "comparisons" => format!("comparison {}", field(v, "slug")),
        "differences" => format!(
            "difference {} {}",
            slug(id_of(v, "comparison_id"))?,
            field(v, "position")
        ),
        "comparison_rows" => format!(
            "row {} {}",
            slug(id_of(v, "comparison_id"))?,
            quote_name(&field(v, "aspect"))
        ),
        "faqs" => format!(
            "faq {} {}",
            slug(id_of(v, "comparison_id"))?,
            field(v, "position")
        ),
        other => format!("{other} entry"),
    })
}

/// Undoes revision `id` as a new change: an insert is removed, an update's
/// old values are put back, a deleted row is restored (with its id, at its
/// old position). Returns a sentence saying what was done.
pub fn revert(conn: &Connection, id: i64) -> Result<String> {
    let raw = conn
        .query_row(&format!("{SELECT} WHERE id = ?1"), [id], raw_from_row)
        .optional()?
        .ok_or_else(|| {
            Error::Invalid(format!(
                "there is no revision {id} (see `glossary history`)"
            ))
        })?;
    let described = describe(conn, raw.clone())?;
    let exists = current(conn, &raw.table, raw.row_id)?.is_some();
    match raw.action.as_str() {
        "insert" => {
            if !exists {
                return Err(Error::Invalid(format!(
                    "revision {id} created {}, which has been removed since",
                    described.entry
                )));
            }
            conn.execute(
                &format!("DELETE FROM {} WHERE id = ?1", checked_table(&raw.table)?),
                [raw.row_id],
            )?;
            Ok(format!("undid revision {id}: removed {}", described.entry))
        }
        "update" => {
            if !exists {
                return Err(Error::Invalid(format!(
                    "revision {id} changed {}, which has been removed since",
                    described.entry
                )));
            }
            let (Some(old), Some(new)) = (&raw.old, &raw.new) else {
                return Err(Error::Invalid(format!(
                    "revision {id} has no recorded values"
                )));
            };
            restore_fields(conn, &raw.table, raw.row_id, old, new)?;
            Ok(format!(
                "undid revision {id}: {} has its earlier values again",
                described.entry
            ))
        }
        "delete" => {
            if exists {
                return Err(Error::Invalid(format!(
                    "{} (removed in revision {id}) exists again",
                    described.entry
                )));
            }
            let Some(old) = &raw.old else {
                return Err(Error::Invalid(format!(
                    "revision {id} has no recorded values"
                )));
            };
            reinsert(conn, &raw.table, raw.row_id, old).map_err(|e| match e {
                Error::Sqlite(ref s) if s.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    Error::Invalid(format!(
                        "cannot restore {}: {} (if what it belonged to was removed too, revert that first)",
                        described.entry, s
                    ))
                }
                other => other,
            })?;
            Ok(format!("undid revision {id}: restored {}", described.entry))
        }
        other => Err(Error::Invalid(format!(
            "revision {id} has an unknown action \"{other}\""
        ))),
    }
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

/// Puts back the fields that revision changed; a position is restored by a
/// move, so the others shift as for any move.
fn restore_fields(conn: &Connection, table: &str, id: i64, old: &Row, new: &Row) -> Result<()> {
    let table = checked_table(table)?;
    let pos = positioned(table);
    for col in columns(table)? {
        if old.get(*col) == new.get(*col) {
            continue;
        }
        match pos {
            Some(p) if p.column == *col => {
                let parent: i64 = conn.query_row(
                    &format!("SELECT {} FROM {table} WHERE id = ?1", p.parent),
                    [id],
                    |r| r.get(0),
                )?;
                let from: i64 = conn.query_row(
                    &format!("SELECT {} FROM {table} WHERE id = ?1", p.column),
                    [id],
                    |r| r.get(0),
                )?;
                let to = old
                    .get(*col)
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or(from);
                let to = to.clamp(1, p.count(conn, parent)?);
                p.move_row(conn, id, parent, from, to)?;
            }
            _ => {
                conn.execute(
                    &format!("UPDATE {table} SET {col} = ?1 WHERE id = ?2"),
                    params![sql_value(old.get(*col)), id],
                )?;
            }
        }
    }
    Ok(())
}

/// Inserts a deleted row again with its id; a positioned row goes back to
/// its place (the ones after it move down) or, if the list got shorter, to
/// the end.
fn reinsert(conn: &Connection, table: &str, id: i64, old: &Row) -> Result<()> {
    let table = checked_table(table)?;
    let cols = columns(table)?;
    let mut values: Vec<Value> = cols.iter().map(|c| sql_value(old.get(*c))).collect();
    if let Some(p) = positioned(table) {
        let parent = id_of(old, p.parent);
        let count = p.count(conn, parent)?;
        let at = id_of(old, p.column).clamp(1, count + 1);
        if at <= count {
            p.open_gap(conn, parent, at)?;
        }
        if let Some(i) = cols.iter().position(|c| *c == p.column) {
            values[i] = Value::Integer(at);
        }
    }
    let placeholders: Vec<String> = (2..=cols.len() + 1).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} (id, {}) VALUES (?1, {})",
        cols.join(", "),
        placeholders.join(", ")
    );
    let mut params: Vec<Value> = vec![Value::Integer(id)];
    params.extend(values);
    conn.execute(&sql, rusqlite::params_from_iter(params))?;
    Ok(())
}
