//! `terms`: the words and phrases the glossary defines.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::model::{lookup_key, Status, TermId};

/// A term as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    #[serde(skip)]
    pub id: TermId,
    pub term: String,
    pub part_of_speech: Option<String>,
    pub note: Option<String>,
    pub status: Status,
    /// Whether the site links its mentions (V21).
    #[serde(skip)]
    pub autolink: bool,
}

const COLUMNS: &str = "id, term, part_of_speech, note, status, autolink";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Term> {
    Ok(Term {
        id: r.get("id")?,
        term: r.get("term")?,
        part_of_speech: r.get("part_of_speech")?,
        note: r.get("note")?,
        status: r.get("status")?,
        autolink: r.get("autolink")?,
    })
}

/// Finds a term by any spelling that folds to the same key.
pub fn find(conn: &Connection, name: &str) -> Result<Option<Term>> {
    let sql = format!("SELECT {COLUMNS} FROM terms WHERE lookup_key = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt.query_row([lookup_key(name)], from_row).optional()?)
}

/// The id of the term `name` folds to, if there is one.
pub fn find_id(conn: &Connection, name: &str) -> Result<Option<TermId>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM terms WHERE lookup_key = ?1")?;
    Ok(stmt
        .query_row([lookup_key(name)], |r| r.get(0))
        .optional()?)
}

pub fn get(conn: &Connection, id: TermId) -> Result<Term> {
    let sql = format!("SELECT {COLUMNS} FROM terms WHERE id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt.query_row([id], from_row)?)
}

/// Inserts the term, or updates the one with the same key where a value
/// differs. Returns its id. (`t.id` is ignored: the key decides.)
pub fn upsert(conn: &Connection, t: &Term) -> Result<TermId> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO terms (term, lookup_key, part_of_speech, note, status, autolink)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (lookup_key) DO UPDATE SET
             term = excluded.term,
             part_of_speech = excluded.part_of_speech,
             note = excluded.note,
             status = excluded.status,
             autolink = excluded.autolink
         WHERE (term, part_of_speech, note, status, autolink)
               IS NOT (excluded.term, excluded.part_of_speech, excluded.note, excluded.status,
                       excluded.autolink)
         RETURNING id",
    )?;
    let id = stmt
        .query_row(
            params![
                t.term,
                lookup_key(&t.term),
                t.part_of_speech,
                t.note,
                t.status,
                t.autolink
            ],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => Ok(id),
        None => Ok(find_id(conn, &t.term)?.expect("upsert of an unchanged term finds it")),
    }
}

/// The names closest to `name`, for "did you mean": terms' and variants'
/// (one key space since V19: a suggested variant finds its term), one
/// pass over the stored keys.
pub fn closest(conn: &Connection, name: &str, limit: usize) -> Result<Vec<String>> {
    // The keys alone come from the lookup_key indexes (a fraction of the
    // tables' pages); only the few winners are looked up for their names.
    let keys = super::closest(
        conn,
        "SELECT lookup_key FROM terms UNION ALL SELECT lookup_key FROM variants",
        name,
        limit,
    )?;
    // A variant of a term suggested too adds nothing ("producers" beside
    // "Producer"), nor a second variant of one term.
    let mut found: Vec<(TermId, String, bool)> = Vec::with_capacity(keys.len());
    for key in keys {
        let mut stmt = conn.prepare_cached("SELECT id, term FROM terms WHERE lookup_key = ?1")?;
        match stmt
            .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
        {
            Some((id, term)) => found.push((id, term, true)),
            None => {
                if let Some(v) = super::variants::find(conn, &key)? {
                    found.push((v.term_id, v.variant, false));
                }
            }
        }
    }
    let mut names = Vec::with_capacity(found.len());
    let mut shown: Vec<TermId> = found.iter().filter(|f| f.2).map(|f| f.0).collect();
    for (id, name, is_term) in found {
        if is_term {
            names.push(name);
        } else if !shown.contains(&id) {
            shown.push(id);
            names.push(name);
        }
    }
    Ok(names)
}

/// The error for a term that is not there: a variant's name says whose
/// it is; anything else gets the closest names.
pub fn not_found(conn: &Connection, name: &str) -> crate::error::Error {
    let found = super::variants::not_a_term(conn, name).and_then(|variant| match variant {
        Some(e) => Ok(e),
        None => Ok(crate::error::Error::NotFound {
            kind: "term",
            name: name.trim().to_string(),
            suggestions: closest(conn, name, 3)?,
        }),
    });
    found.unwrap_or_else(|e| e)
}

/// One page of terms in A–Z order (by lookup key) after the key `after`,
/// with `status` if given: paging by key costs the same on page 1 as on
/// page 10,000, where OFFSET would read every row before.
pub fn page(
    conn: &Connection,
    status: Option<Status>,
    after: &str,
    limit: i64,
) -> Result<Vec<(Term, String)>> {
    // Drafts by their partial index (V7), which SQLite uses only when the
    // query names the status as written.
    let filter = match status {
        None => "",
        Some(Status::Draft) => "AND status = 'draft'",
        Some(Status::Published) => "AND status = 'published'",
    };
    let sql = format!(
        "SELECT {COLUMNS}, lookup_key FROM terms
         WHERE lookup_key > ?1 {filter}
         ORDER BY lookup_key LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params![after, limit], |r| {
            Ok((from_row(r)?, r.get("lookup_key")?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Terms whose name starts with `prefix` (any case or accents), A–Z: the
/// search box finds a term by its first letters.
pub fn starting_with(conn: &Connection, prefix: &str, limit: i64) -> Result<Vec<(Term, String)>> {
    let key = lookup_key(prefix);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS}, lookup_key FROM terms
         WHERE lookup_key >= ?1 AND lookup_key < ?1 || char(1114111)
         ORDER BY lookup_key LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params![key, limit], |r| {
            Ok((from_row(r)?, r.get("lookup_key")?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many terms there are, and how many of them are drafts.
pub fn counts(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM terms), (SELECT count(*) FROM terms WHERE status = 'draft')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
