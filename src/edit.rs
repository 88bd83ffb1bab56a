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
use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::model::{
    check_date, check_slug, clean_term, lookup_key, parse_position, quote_name, slugify, Change,
    ComparisonId, SenseId, Status, TermId,
};
use crate::store::{self, comparisons, senses, terms, Positioned};
use crate::{publication, suggest};

pub use crate::kind::{Field, FieldType, Kind};

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

/// Finds the entry `kind` named by `keys` (as typed after the kind).
pub fn find(conn: &Connection, kind: Kind, keys: &[String]) -> Result<Entry> {
    let want = |n: usize| -> Result<()> {
        if keys.len() == n {
            Ok(())
        } else {
            Err(Error::Invalid(format!(
                "{} is named by {} ({} given)",
                kind.noun(),
                kind.key_names(),
                keys.len()
            )))
        }
    };
    let number = |field: &str, s: &str| parse_position(field, s).map_err(Error::Invalid);
    // Labels name the entry as stored (`sense "Executive Producer" 2` for
    // `sense 'executive producer' 2`), in the form every command accepts.
    let term_name = |id: TermId| -> Result<String> { Ok(quote_name(&terms::get(conn, id)?.term)) };
    let slug = |id: ComparisonId| comparisons::slug(conn, id);
    match kind {
        Kind::Term => {
            want(1)?;
            let id = term_id(conn, &keys[0])?;
            Ok(Entry {
                kind,
                id: id.0,
                parent: 0,
                label: format!("term {}", term_name(id)?),
            })
        }
        Kind::Comparison => {
            want(1)?;
            let id = comparison_id(conn, &keys[0])?;
            Ok(Entry {
                kind,
                id: id.0,
                parent: 0,
                label: format!("comparison {}", slug(id)?),
            })
        }
        Kind::Sense => {
            want(2)?;
            let term = term_id(conn, &keys[0])?;
            let n = number("sense", &keys[1])?;
            let sense = sense_id(conn, term, n, &keys[0])?;
            Ok(Entry {
                kind,
                id: sense.0,
                parent: term.0,
                label: format!("sense {} {n}", term_name(term)?),
            })
        }
        Kind::Example => {
            want(3)?;
            let term = term_id(conn, &keys[0])?;
            let n = number("sense", &keys[1])?;
            let sense = sense_id(conn, term, n, &keys[0])?;
            let pos = number("position", &keys[2])?;
            let label = format!("example {} {n} {pos}", term_name(term)?);
            child(conn, kind, sense.0, pos, label)
        }
        Kind::Difference | Kind::Faq => {
            want(2)?;
            let c = comparison_id(conn, &keys[0])?;
            let pos = number("position", &keys[1])?;
            let label = format!("{} {} {pos}", kind.word(), slug(c)?);
            child(conn, kind, c.0, pos, label)
        }
        Kind::Row => {
            want(2)?;
            let c = comparison_id(conn, &keys[0])?;
            // By aspect as stored, else ignoring case and accents (like
            // terms), else by position: search shows both.
            let rows = crate::store::rows::for_comparison(conn, c)?;
            let wanted = keys[1].trim();
            let found = rows
                .iter()
                .find(|r| r.aspect == wanted)
                .or_else(|| {
                    let key = lookup_key(wanted);
                    rows.iter().find(|r| lookup_key(&r.aspect) == key)
                })
                .or_else(|| {
                    let n: i64 = wanted.parse().ok()?;
                    rows.iter().find(|r| r.position == n)
                });
            match found {
                Some(r) => Ok(Entry {
                    kind,
                    id: r.id,
                    parent: c.0,
                    label: format!("row {} {}", slug(c)?, quote_name(&r.aspect)),
                }),
                None => {
                    let aspects: Vec<String> = rows.into_iter().map(|r| r.aspect).collect();
                    Err(Error::NotFound {
                        kind: "chart row",
                        name: keys[1].clone(),
                        suggestions: suggest::closest(&keys[1], &aspects, 3),
                    })
                }
            }
        }
    }
}

fn child(
    conn: &Connection,
    kind: Kind,
    parent: i64,
    position: i64,
    label: String,
) -> Result<Entry> {
    let table = kind.positioned().expect("a positioned kind");
    match table.holder(conn, parent, position)? {
        Some((id, _)) => Ok(Entry {
            kind,
            id,
            parent,
            label,
        }),
        None => {
            let count = table.count(conn, parent)?;
            let range = match count {
                0 => "there are none yet".to_string(),
                1 => "there is only 1".to_string(),
                n => format!("positions are 1 to {n}"),
            };
            Err(Error::Invalid(format!(
                "{label}: there is no {} at position {position} ({range})",
                kind.word()
            )))
        }
    }
}

/// The id of the term `name` folds to, or NotFound with suggestions.
pub fn term_id(conn: &Connection, name: &str) -> Result<TermId> {
    terms::find_id(conn, name)?.ok_or_else(|| terms::not_found(conn, name))
}

/// The id of comparison `slug` (or of a title typed instead of a slug).
pub fn comparison_id(conn: &Connection, slug: &str) -> Result<ComparisonId> {
    let wanted = slug.trim();
    if let Some(id) = comparisons::find_id(conn, wanted)? {
        return Ok(id);
    }
    if let Some(id) = comparisons::find_id(conn, &slugify(wanted))? {
        return Ok(id);
    }
    Err(comparisons::not_found(conn, wanted))
}

fn sense_id(conn: &Connection, term: TermId, number: i64, name: &str) -> Result<SenseId> {
    match senses::find(conn, term, number)? {
        Some(s) => Ok(s.id),
        None => {
            let n = store::SENSES.count(conn, term.0)?;
            Err(Error::Invalid(format!(
                "term \"{}\" has no sense {number} (it has {n})",
                clean_term(name)
            )))
        }
    }
}

/// A few words of what the entry says (a FAQ's question, a sense's
/// definition), for questions like `remove`'s, which must show what will
/// go and not only its key. None for entries whose key says it all.
pub fn gist(conn: &Connection, entry: &Entry) -> Result<Option<String>> {
    let field = match entry.kind {
        Kind::Faq => "question",
        Kind::Sense => "definition",
        Kind::Example | Kind::Difference => "text",
        Kind::Term | Kind::Comparison | Kind::Row => return Ok(None),
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
    let row: Vec<Value> = conn.query_row(&sql, [entry.id], |r| {
        (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect()
    })?;
    let mut out = Vec::new();
    for (f, v) in fields.iter().zip(row) {
        let text = match (f.ty, v) {
            (FieldType::TermRef, Value::Integer(id)) => terms::get(conn, TermId(id))?.term,
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
) -> Result<Vec<Change>> {
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
) -> Result<Vec<Change>> {
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
        let new = match f.ty {
            FieldType::TermName | FieldType::Slug | FieldType::Date | FieldType::Position => {
                value.trim().to_string()
            }
            FieldType::Status => value.trim().to_ascii_lowercase(),
            _ => value.clone(),
        };
        if new == old {
            continue;
        }
        write_field(conn, entry, f, &new, options)?;
        changes.push(Change {
            field: f.name,
            old: (!old.is_empty()).then_some(old),
            new: (!new.is_empty()).then_some(new),
        });
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
    let invalid = |m: String| Error::Invalid(format!("{}: {m}", f.name));
    match f.ty {
        FieldType::Text => {
            if value.trim().is_empty() {
                return Err(invalid("cannot be empty".into()));
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
                    return Err(invalid(format!("a comparison \"{value}\" already exists")));
                }
            }
            update(Value::Text(value.to_string()))
        }
        FieldType::Status => {
            let s = Status::parse(value).map_err(Error::Invalid)?;
            publication::prepare(conn, table, entry.id, s, options)?;
            update(Value::Text(s.as_str().to_string()))
        }
        FieldType::TermRef => {
            let id = term_id(conn, value)?;
            update(Value::Integer(id.0))
        }
        FieldType::TermName => {
            let name = clean_term(value);
            if name.is_empty() {
                return Err(invalid("cannot be empty".into()));
            }
            let key = lookup_key(name);
            if let Some(other) = terms::find_id(conn, name)? {
                if other.0 != entry.id {
                    return Err(invalid(format!(
                        "a term \"{}\" already exists",
                        terms::get(conn, other)?.term
                    )));
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
            let to = parse_position(f.name, value).map_err(Error::Invalid)?;
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
        Kind::Sense => "the term",
        Kind::Term => "the glossary",
        Kind::Comparison => "the glossary",
        Kind::Difference | Kind::Row | Kind::Faq => "the comparison",
    }
}

/// Where a new positioned entry goes: `position` (the rest move down) or,
/// without one, after the last. Returns the position it takes.
fn place(conn: &Connection, table: Positioned, parent: i64, position: Option<i64>) -> Result<i64> {
    let count = table.count(conn, parent)?;
    match position {
        None => Ok(count + 1),
        Some(p) if p > count + 1 => Err(Error::Invalid(format!(
            "position {p} is past the end (there are {count}; use 1 to {})",
            count + 1
        ))),
        Some(p) => {
            table.open_gap(conn, parent, p)?;
            Ok(p)
        }
    }
}

fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::Invalid(format!("{field} cannot be empty")))
    } else {
        Ok(())
    }
}

fn optional(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

pub struct NewTerm<'a> {
    pub term: &'a str,
    pub part_of_speech: Option<&'a str>,
    pub note: Option<&'a str>,
    pub status: Status,
}

pub fn add_term(conn: &Connection, t: &NewTerm<'_>) -> Result<String> {
    let name = clean_term(t.term);
    required("the term", name)?;
    if let Some(id) = terms::find_id(conn, name)? {
        return Err(Error::Invalid(format!(
            "the term \"{}\" already exists (change it with `glossary edit term`)",
            terms::get(conn, id)?.term
        )));
    }
    terms::upsert(
        conn,
        &terms::Term {
            id: TermId(0),
            term: name.to_string(),
            part_of_speech: optional(t.part_of_speech).map(str::to_string),
            note: optional(t.note).map(str::to_string),
            status: t.status,
        },
    )?;
    Ok(format!("added term \"{name}\" ({})", t.status))
}

/// Appends a sense with its examples; returns its number.
pub fn add_sense(
    conn: &Connection,
    term: &str,
    definition: &str,
    domain: Option<&str>,
    examples: &[String],
) -> Result<i64> {
    required("the definition", definition)?;
    let term = term_id(conn, term)?;
    let number = place(conn, store::SENSES, term.0, None)?;
    let sense = senses::upsert(conn, term, number, optional(domain), definition)?;
    for e in examples {
        required("an example", e)?;
        store::examples::append(conn, sense, e)?;
    }
    Ok(number)
}

/// Appends an example to a sense; returns its position.
pub fn add_example(conn: &Connection, term: &str, sense: i64, text: &str) -> Result<i64> {
    required("the example", text)?;
    let t = term_id(conn, term)?;
    let s = sense_id(conn, t, sense, term)?;
    if store::examples::exists(conn, s, text)? {
        return Err(Error::Invalid(format!(
            "sense {sense} of \"{}\" already has this example",
            terms::get(conn, t)?.term
        )));
    }
    let id = store::examples::append(conn, s, text)?;
    Ok(
        conn.query_row("SELECT position FROM examples WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

pub struct NewComparison<'a> {
    pub slug: Option<&'a str>,
    pub left: &'a str,
    pub right: &'a str,
    pub title: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub published: Option<&'a str>,
    pub status: Status,
}

/// Adds a comparison; returns its slug (derived from the terms when not
/// given: `producer-vs-executive-producer`).
pub fn add_comparison(conn: &Connection, c: &NewComparison<'_>) -> Result<String> {
    let left = term_id(conn, c.left)?;
    let right = term_id(conn, c.right)?;
    if left == right {
        return Err(Error::Invalid(
            "a comparison needs two different terms".into(),
        ));
    }
    let slug = match c.slug {
        Some(s) => s.trim().to_string(),
        None => format!(
            "{}-vs-{}",
            slugify(&terms::get(conn, left)?.term),
            slugify(&terms::get(conn, right)?.term)
        ),
    };
    check_slug(&slug).map_err(Error::Invalid)?;
    if comparisons::find_id(conn, &slug)?.is_some() {
        return Err(Error::Invalid(format!(
            "the comparison \"{slug}\" already exists"
        )));
    }
    let published = optional(c.published).map(str::trim);
    if let Some(p) = published {
        check_date(p).map_err(|m| Error::Invalid(format!("published: {m}")))?;
    }
    comparisons::upsert(
        conn,
        &comparisons::Comparison {
            id: ComparisonId(0),
            slug: slug.clone(),
            left_term_id: left,
            right_term_id: right,
            title: optional(c.title).map(str::to_string),
            summary: optional(c.summary).map(str::to_string),
            published: published.map(str::to_string),
            status: c.status,
        },
    )?;
    Ok(slug)
}

/// Adds a key-difference paragraph; returns its position.
pub fn add_difference(
    conn: &Connection,
    slug: &str,
    text: &str,
    position: Option<i64>,
) -> Result<i64> {
    required("the text", text)?;
    let c = comparison_id(conn, slug)?;
    let p = place(conn, store::DIFFERENCES, c.0, position)?;
    store::differences::upsert(conn, c, p, text)?;
    Ok(p)
}

/// Adds a chart row; returns its position.
pub fn add_row(
    conn: &Connection,
    slug: &str,
    (aspect, left, right): (&str, &str, &str),
    position: Option<i64>,
) -> Result<i64> {
    required("the aspect", aspect)?;
    required("the left value", left)?;
    required("the right value", right)?;
    let c = comparison_id(conn, slug)?;
    if store::rows::find(conn, c, aspect)?.is_some() {
        return Err(Error::Invalid(format!(
            "\"{slug}\" already has a chart row \"{aspect}\" (change it with `glossary edit row`)"
        )));
    }
    let p = place(conn, store::ROWS, c.0, position)?;
    store::rows::upsert(conn, c, p, aspect, left, right)?;
    Ok(p)
}

/// Adds a FAQ; returns its position.
pub fn add_faq(
    conn: &Connection,
    slug: &str,
    question: &str,
    answer: &str,
    position: Option<i64>,
) -> Result<i64> {
    required("the question", question)?;
    required("the answer", answer)?;
    let c = comparison_id(conn, slug)?;
    if store::faqs::find(conn, c, question)?.is_some() {
        return Err(Error::Invalid(format!(
            "\"{slug}\" already has the question \"{question}\""
        )));
    }
    let p = place(conn, store::FAQS, c.0, position)?;
    store::faqs::upsert(conn, c, p, question, answer)?;
    Ok(p)
}

/// What removing an entry takes with it, by table: `[("senses", 7), ...]`.
pub fn cascade(conn: &Connection, entry: &Entry) -> Result<Vec<(&'static str, i64)>> {
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [entry.id], |r| r.get(0))?) };
    let comparisons_of_term =
        "SELECT id FROM comparisons WHERE left_term_id = ?1 OR right_term_id = ?1";
    let mut out = Vec::new();
    match entry.kind {
        Kind::Term => {
            out.push((
                "senses",
                count("SELECT count(*) FROM senses WHERE term_id = ?1")?,
            ));
            out.push((
                "examples",
                count("SELECT count(*) FROM examples WHERE sense_id IN (SELECT id FROM senses WHERE term_id = ?1)")?,
            ));
            out.push((
                "comparisons",
                count(&format!("SELECT count(*) FROM ({comparisons_of_term})"))?,
            ));
            for t in ["differences", "comparison_rows", "faqs"] {
                out.push((
                    t,
                    count(&format!(
                        "SELECT count(*) FROM {t} WHERE comparison_id IN ({comparisons_of_term})"
                    ))?,
                ));
            }
        }
        Kind::Sense => out.push((
            "examples",
            count("SELECT count(*) FROM examples WHERE sense_id = ?1")?,
        )),
        Kind::Comparison => {
            for t in ["differences", "comparison_rows", "faqs"] {
                out.push((
                    t,
                    count(&format!(
                        "SELECT count(*) FROM {t} WHERE comparison_id = ?1"
                    ))?,
                ));
            }
        }
        _ => {}
    }
    out.retain(|(_, n)| *n > 0);
    Ok(out)
}

/// Removes the entry; its children go with it (foreign keys cascade) and
/// the entries after it move up (triggers close the gap).
pub fn remove(conn: &Connection, entry: &Entry) -> Result<()> {
    let sql = format!("DELETE FROM {} WHERE id = ?1", entry.kind.table());
    conn.execute(&sql, [entry.id])?;
    Ok(())
}
