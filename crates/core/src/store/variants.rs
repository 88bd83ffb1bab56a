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
    let sql = format!("SELECT {COLUMNS} FROM variants WHERE lookup_key = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt.query_row([lookup_key(name)], from_row).optional()?)
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

/// Adds the variant after the term's last one, or, if the term already
/// has it (by key), sets its type where it differs. Returns its id. A key
/// held by another term or variant is the caller's to refuse first
/// ([`holder`]); the schema refuses it too.
pub fn append(conn: &Connection, term: TermId, variant: &str, kind: &str) -> Result<i64> {
    let key = lookup_key(variant);
    if let Some(existing) = find(conn, variant)? {
        if existing.term_id == term {
            conn.prepare_cached(
                "UPDATE variants SET variant = ?1, type = ?2
                 WHERE id = ?3 AND (variant, type) IS NOT (?1, ?2)",
            )?
            .execute(params![variant, kind, existing.id])?;
            return Ok(existing.id);
        }
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO variants (term_id, position, variant, lookup_key, type)
         VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM variants WHERE term_id = ?1),
                 ?2, ?3, ?4)
         RETURNING id",
    )?;
    Ok(stmt.query_row(params![term, variant, key, kind], |r| r.get(0))?)
}

/// Inserts a variant at `position` (free: the caller made room).
pub fn insert(
    conn: &Connection,
    term: TermId,
    position: i64,
    variant: &str,
    kind: &str,
) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO variants (term_id, position, variant, lookup_key, type)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
    )?;
    Ok(stmt.query_row(
        params![term, position, variant, lookup_key(variant), kind],
        |r| r.get(0),
    )?)
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
/// `"EP" is a variant of "Executive Producer"`.
pub fn not_a_term(conn: &Connection, name: &str) -> Result<Option<Error>> {
    let Some(v) = find(conn, name)? else {
        return Ok(None);
    };
    let term = super::terms::get(conn, v.term_id)?.term;
    Ok(Some(Error::Invalid(format!(
        "\"{}\" is not a term but a variant ({}) of \"{term}\": name the term \"{term}\"",
        v.variant, v.kind
    ))))
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
