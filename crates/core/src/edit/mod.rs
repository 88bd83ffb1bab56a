//! Adding, changing and removing single entries: what `add-*`, `edit`,
//! `remove`, `publish` and the `$EDITOR` round trip do.
//!
//! An entry is named the way editors name it (`faq SLUG 3`, `sense TERM 2`)
//! and resolved to a row; its editable fields are listed by [`Kind::fields`]
//! with the column each one maps to, so one validating writer serves
//! `--set`, the editor document and the add commands alike. Every function
//! here runs inside the caller's transaction and returns what it changed;
//! nothing prints.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{
    check_date, check_slug, clean_term, lookup_key, parse_position, slugify, ComparisonId,
    FieldChange, SenseId, Status, TermId,
};
use crate::publication;
use crate::store::{self, comparisons, senses, terms, Positioned};
use crate::suggest;

use crate::kind::{Field, FieldType, Kind};

/// One entry, found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub id: i64,
    /// The parent row for positioned kinds (term, sense or comparison id).
    pub parent: i64,
    /// How a person names it: `faq producer-vs-executive-producer 3`.
    pub label: String,
}

/// A few words of what the entry says (a FAQ's question, a sense's
/// definition), for questions like `remove`'s, which must show what will
/// go and not only its key. None for entries whose key says it all.
pub fn gist(conn: &Connection, entry: &Entry) -> Result<Option<String>> {
    let field = match entry.kind {
        Kind::Faq => "question",
        Kind::Sense => "definition",
        Kind::Example | Kind::Difference => "text",
        Kind::Relation => return relations_gist(conn, entry).map(Some),
        Kind::Term | Kind::Comparison | Kind::Row | Kind::Variant => return Ok(None),
    };
    let value = values(conn, entry)?
        .into_iter()
        .find(|(f, _)| f.name == field)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty());
    Ok(value.map(|v| {
        let short: String = v.chars().take(60).collect();
        if short.len() < v.len() {
            format!("\"{}…\"", short.trim_end())
        } else {
            format!("\"{short}\"")
        }
    }))
}

/// The entry's fields and their current values, as text (empty for none).
pub fn values(conn: &Connection, entry: &Entry) -> Result<Vec<(&'static Field, String)>> {
    let fields = entry.kind.fields();
    let columns: Vec<&str> = fields.iter().map(|f| f.column).collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        columns.join(", "),
        entry.kind.table()
    );
    let row: Vec<Value> = conn.prepare_cached(&sql)?.query_row([entry.id], |r| {
        (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect()
    })?;
    let mut out = Vec::new();
    for (f, v) in fields.iter().zip(row) {
        let text = match (f.ty, v) {
            (FieldType::TermRef, Value::Integer(id)) => terms::get(conn, TermId(id))?.term,
            (FieldType::YesNo, Value::Integer(n)) => if n != 0 { "yes" } else { "no" }.to_string(),
            (FieldType::SenseRef | FieldType::TargetSenseRef, Value::Integer(id)) => {
                senses::number(conn, SenseId(id))?.to_string()
            }
            (_, Value::Null) => String::new(),
            (_, Value::Integer(n)) => n.to_string(),
            (_, Value::Text(s)) => s,
            (_, other) => format!("{other:?}"),
        };
        out.push((f, text));
    }
    Ok(out)
}

/// Sets fields of an entry from text, validating each as its type says.
/// Returns what changed (an unchanged value is not a change).
pub fn set(
    conn: &Connection,
    entry: &Entry,
    assignments: &[(String, String)],
) -> Result<Vec<FieldChange>> {
    set_with(conn, entry, assignments, publication::Options::default())
}

/// [`set`], with what the person allowed for a change of status (the
/// flags of `publish`). A status is set after the other fields, so that
/// `--set summary=... --set status=published` checks the new summary.
pub fn set_with(
    conn: &Connection,
    entry: &Entry,
    assignments: &[(String, String)],
    options: publication::Options,
) -> Result<Vec<FieldChange>> {
    let current = values(conn, entry)?;
    let mut changes = Vec::new();
    let mut ordered: Vec<(&'static Field, &String)> = assignments
        .iter()
        .map(|(name, value)| Ok((entry.kind.field(name)?, value)))
        .collect::<Result<_>>()?;
    ordered.sort_by_key(|(f, _)| f.ty == FieldType::Status);
    for (f, value) in ordered {
        let old = current
            .iter()
            .find(|(cf, _)| cf.name == f.name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        // Compare what would be stored: term names and slugs are trimmed.
        let new = f.ty.stored(value);
        if new == old {
            continue;
        }
        write_field(conn, entry, f, &new, options)?;
        changes.push(FieldChange {
            field: f.name,
            old: (!old.is_empty()).then_some(old),
            new: (!new.is_empty()).then_some(new),
        });
    }
    if entry.kind == Kind::Relation && !changes.is_empty() {
        refuse_cycle(conn, entry.id)?;
    }
    Ok(changes)
}

/// Validates and writes one field.
fn write_field(
    conn: &Connection,
    entry: &Entry,
    f: &Field,
    value: &str,
    options: publication::Options,
) -> Result<()> {
    let table = entry.kind.table();
    let update = |v: Value| -> Result<()> {
        let sql = format!("UPDATE {table} SET {} = ?1 WHERE id = ?2", f.column);
        conn.execute(&sql, params![v, entry.id])
            .map_err(|e| constraint_message(e, entry, f, value))?;
        Ok(())
    };
    let invalid = |m: String| Error::bad(f.name)(m);
    match f.ty {
        FieldType::Text => {
            if value.trim().is_empty() {
                return Err(Error::Empty {
                    field: f.name.to_string(),
                });
            }
            update(Value::Text(value.to_string()))
        }
        FieldType::OptionalText => update(if value.trim().is_empty() {
            Value::Null
        } else {
            Value::Text(value.to_string())
        }),
        FieldType::Date => {
            if value.is_empty() {
                update(Value::Null)
            } else {
                check_date(value).map_err(invalid)?;
                update(Value::Text(value.to_string()))
            }
        }
        FieldType::Slug => {
            check_slug(value).map_err(invalid)?;
            if let Some(other) = comparisons::find_id(conn, value)? {
                if other.0 != entry.id {
                    return Err(Error::AlreadyExists {
                        what: "comparison",
                        name: value.to_string(),
                        hint: None,
                    });
                }
            }
            update(Value::Text(value.to_string()))
        }
        FieldType::Status => {
            let s = Status::parse(value).map_err(invalid)?;
            publication::prepare(conn, table, entry.id, s, options)?;
            update(Value::Text(s.as_str().to_string()))
        }
        FieldType::VariantName => {
            let name = clean_term(value);
            if name.is_empty() {
                return Err(Error::Empty {
                    field: f.name.to_string(),
                });
            }
            let same = crate::store::variants::find(conn, name)?.is_some_and(|v| v.id == entry.id);
            if !same {
                if let Some(holder) = crate::store::variants::holder(conn, name)? {
                    return Err(invalid(format!("\"{name}\" is {holder} already")));
                }
            }
            conn.execute(
                "UPDATE variants SET variant = ?1, lookup_key = ?2 WHERE id = ?3",
                params![name, lookup_key(name), entry.id],
            )?;
            Ok(())
        }
        FieldType::VariantType => {
            let t = crate::store::variants::parse_type(value).map_err(invalid)?;
            update(Value::Text(t.to_string()))
        }
        FieldType::SenseRef | FieldType::TargetSenseRef => {
            if value.is_empty() {
                return update(Value::Null);
            }
            let n = parse_position(f.name, value).map_err(invalid)?;
            let (term, _) = relation_terms(conn, entry.id)?;
            let term = if f.ty == FieldType::SenseRef {
                term
            } else {
                relation_terms(conn, entry.id)?.1
            };
            update(Value::Integer(sense_id(conn, term, n)?.0))
        }
        FieldType::YesNo => match crate::kind::parse_yes_no(value) {
            Some(yes) => update(Value::Integer(i64::from(yes))),
            None => Err(invalid(format!(
                "\"{}\" is neither yes nor no",
                value.trim()
            ))),
        },
        FieldType::RelationKind => {
            let r = crate::store::relations::parse(value).map_err(invalid)?;
            update(Value::Text(r.to_string()))
        }
        FieldType::TermRef => {
            let id = term_id(conn, value)?;
            update(Value::Integer(id.0))
        }
        FieldType::TermName => {
            let name = clean_term(value);
            if name.is_empty() {
                return Err(Error::Empty {
                    field: f.name.to_string(),
                });
            }
            let key = lookup_key(name);
            if let Some(other) = terms::find_id(conn, name)? {
                if other.0 != entry.id {
                    return Err(Error::AlreadyExists {
                        what: "term",
                        name: terms::get(conn, other)?.term,
                        hint: Some("merge or rename one of them".into()),
                    });
                }
            }
            conn.execute(
                "UPDATE terms SET term = ?1, lookup_key = ?2 WHERE id = ?3",
                params![name, key, entry.id],
            )?;
            Ok(())
        }
        FieldType::Position => {
            let table = entry.kind.positioned().expect("a positioned kind");
            let to = parse_position(f.name, value).map_err(invalid)?;
            let count = table.count(conn, entry.parent)?;
            if to > count {
                return Err(invalid(format!(
                    "{to} is past the end (the last is {count})"
                )));
            }
            let from: i64 = conn.query_row(
                &format!(
                    "SELECT {} FROM {table_name} WHERE id = ?1",
                    table.column,
                    table_name = table.table
                ),
                [entry.id],
                |r| r.get(0),
            )?;
            table.move_row(conn, entry.id, entry.parent, from, to)
        }
    }
}

/// Turns a rule of the schema that a value broke into a sentence.
fn constraint_message(e: rusqlite::Error, entry: &Entry, f: &Field, value: &str) -> Error {
    let Some(rusqlite::ErrorCode::ConstraintViolation) = e.sqlite_error_code() else {
        return Error::from(e);
    };
    let msg = match &e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    };
    if msg.starts_with("UNIQUE") {
        Error::Invalid(format!(
            "{}: {} already has one with {} \"{value}\"",
            f.name,
            parent_noun(entry.kind),
            f.name
        ))
    } else if msg.contains("left_term_id <> right_term_id")
        || msg.starts_with("CHECK constraint failed: left")
    {
        Error::Invalid(format!(
            "{}: a comparison needs two different terms",
            f.name
        ))
    } else {
        Error::Invalid(format!(
            "{}: the database refused \"{value}\": {msg}",
            f.name
        ))
    }
}

fn parent_noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Example => "the sense",
        Kind::Sense | Kind::Variant | Kind::Relation => "the term",
        Kind::Term => "the glossary",
        Kind::Comparison => "the glossary",
        Kind::Difference | Kind::Row | Kind::Faq => "the comparison",
    }
}

mod add;
pub mod lists;
mod names;
mod relations;
mod remove;

pub use add::*;
use names::sense_id;
pub use names::{by_id, comparison_id, find, keys_of, required, term_id};
pub use relations::{refuse_cycle, refuse_cycle_of};
use relations::{relation_terms, relations_gist};
pub use remove::*;
