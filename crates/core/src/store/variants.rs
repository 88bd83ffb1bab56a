//! `variants`: other ways of writing a term ("EP", "producers"), in the
//! order its page lists them. A variant's lookup key is unique across
//! terms and variants (the V19 migration), so a key names one term.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{lookup_key, TermId};

/// The types a variant may have, as the schema's CHECK lists them.
pub const TYPES: &[&str] = &["plural", "abbreviation", "spelling", "form"];

/// A variant as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub term_id: TermId,
    #[serde(skip)]
    pub position: i64,
    pub variant: String,
    #[serde(rename = "type")]
    pub kind: String,
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Variant> {
    Ok(Variant {
        id: r.get(0)?,
        term_id: r.get(1)?,
        position: r.get(2)?,
        variant: r.get(3)?,
        kind: r.get(4)?,
    })
}

const COLUMNS: &str = "id, term_id, position, variant, type";

/// A type as typed (`Abbreviation `), checked against [`TYPES`].
pub fn parse_type(typed: &str) -> std::result::Result<&'static str, String> {
    let wanted = typed.trim().to_ascii_lowercase();
    TYPES.iter().copied().find(|t| *t == wanted).ok_or_else(|| {
        let close = crate::suggest::closest(&wanted, TYPES, 1);
        let hint = close
            .first()
            .map(|c| format!(" (did you mean \"{c}\"?)"))
            .unwrap_or_default();
        format!(
            "\"{}\" is not a variant type{hint}: one of {}",
            typed.trim(),
            TYPES.join(", ")
        )
    })
}

/// The variant whose key `name` folds to, if there is one.
pub fn find(conn: &Connection, name: &str) -> Result<Option<Variant>> {
    find_key(conn, &lookup_key(name))
}

/// The variant with lookup key `key` (folded already).
pub fn find_key(conn: &Connection, key: &str) -> Result<Option<Variant>> {
    let sql = format!("SELECT {COLUMNS} FROM variants WHERE lookup_key = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt.query_row([key], from_row).optional()?)
}

/// Sets variant `id`'s spelling (its key folded already) and type.
pub fn set(conn: &Connection, id: i64, variant: &str, key: &str, kind: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE variants SET variant = ?1, lookup_key = ?2, type = ?3
         WHERE id = ?4 AND (variant, lookup_key, type) IS NOT (?1, ?2, ?3)",
    )?
    .execute(params![variant, key, kind, id])?;
    Ok(())
}

/// A term's variants, in order.
pub fn for_term(conn: &Connection, term: TermId) -> Result<Vec<Variant>> {
    let sql = format!("SELECT {COLUMNS} FROM variants WHERE term_id = ?1 ORDER BY position");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([term], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Inserts a variant at `position` (free: the caller made room).
pub fn insert(
    conn: &Connection,
    term: TermId,
    position: i64,
    variant: &str,
    kind: &str,
) -> Result<i64> {
    insert_keyed(conn, term, position, variant, &lookup_key(variant), kind)
}

/// [`insert`], its key folded already.
pub fn insert_keyed(
    conn: &Connection,
    term: TermId,
    position: i64,
    variant: &str,
    key: &str,
    kind: &str,
) -> Result<i64> {
    // Not RETURNING: SQLite gathers its rows in a table of their own,
    // which costs an import a tenth of its time.
    conn.prepare_cached(
        "INSERT INTO variants (term_id, position, variant, lookup_key, type)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![term, position, variant, key, kind])?;
    Ok(conn.last_insert_rowid())
}

/// Variants whose key starts with `prefix` (folded already), A–Z by key,
/// each with its term's name: the search box finds "EP" as it finds a
/// term, by its first letters.
pub fn starting_with(
    conn: &Connection,
    prefix: &str,
    limit: i64,
) -> Result<Vec<(Variant, String)>> {
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.term_id, v.position, v.variant, v.type, t.term
         FROM variants AS v JOIN terms AS t ON t.id = v.term_id
         WHERE v.lookup_key >= ?1 AND v.lookup_key < ?1 || char(1114111)
         ORDER BY v.lookup_key LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![prefix, limit], |r| Ok((from_row(r)?, r.get(5)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Who holds the key `name` folds to: a term (its name) or another term's
/// variant (the variant and its term's name). For refusing a new name
/// with a message that says which.
pub fn holder(conn: &Connection, name: &str) -> Result<Option<String>> {
    let key = lookup_key(name);
    let mut stmt = conn.prepare_cached(
        "SELECT 'the term \"' || term || '\"' FROM terms WHERE lookup_key = ?1
         UNION ALL
         SELECT 'a variant of \"' || t.term || '\"' FROM variants AS v
         JOIN terms AS t ON t.id = v.term_id WHERE v.lookup_key = ?1
         LIMIT 1",
    )?;
    Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
}

/// The error for a name that is a variant where a term was asked for:
/// `"EP" is not a term but a variant (abbreviation) of "Executive Producer"`.
pub fn not_a_term(conn: &Connection, name: &str) -> Result<Option<Error>> {
    // The term's name by a join: `terms` reads this module, not the reverse.
    let mut stmt = conn.prepare_cached(
        "SELECT v.variant, v.type, t.term FROM variants AS v JOIN terms AS t ON t.id = v.term_id
         WHERE v.lookup_key = ?1",
    )?;
    let found: Option<(String, String, String)> = stmt
        .query_row([lookup_key(name)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    Ok(found.map(|(variant, kind, term)| {
        Error::Invalid(format!(
            "\"{variant}\" is not a term but a variant ({kind}) of \"{term}\": name the term \"{term}\""
        ))
    }))
}

/// Every variant's lookup key with its term, for the site's matcher (a
/// variant is linked as its term is): one pass in table order.
pub fn keys(conn: &Connection) -> Result<Vec<(TermId, String)>> {
    let mut stmt = conn.prepare_cached("SELECT term_id, lookup_key FROM variants")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
