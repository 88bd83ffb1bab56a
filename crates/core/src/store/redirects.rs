//! `redirects`: the old names of renamed entries (migration V14), which
//! the schema's triggers keep when a published comparison or term is
//! renamed. The rules of adding one by hand are in [`crate::redirects`].

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::kind::Kind;

/// One old address, and where it sends readers now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirect {
    /// `comparison` or `term`.
    pub kind: &'static str,
    /// The old slug, or the old term's lookup key.
    pub old: String,
    /// The entry now: its slug, or the term's name.
    pub to: String,
    pub created_at: String,
    #[serde(skip)]
    pub target_id: i64,
    /// The target's lookup key (terms) or slug: what its address is made of.
    #[serde(skip)]
    pub target_key: String,
    /// Whether readers see the target (only then is a redirect written).
    #[serde(skip)]
    pub target_published: bool,
}

impl Redirect {
    pub fn entry_kind(&self) -> Kind {
        super::owner_kind(self.kind).0
    }
}

/// The redirects to comparisons, and to terms, as [`from_row`] reads them.
const COMPARISONS: &str = "
    SELECT 'comparison', r.old_key, c.slug, r.created_at, c.id, c.slug, c.status = 'published'
    FROM redirects AS r JOIN comparisons AS c ON c.id = r.comparison_id";
const TERMS: &str = "
    SELECT 'term', r.old_key, t.term, r.created_at, t.id, t.lookup_key, t.status = 'published'
    FROM redirects AS r JOIN terms AS t ON t.id = r.term_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Redirect> {
    let kind: String = r.get(0)?;
    Ok(Redirect {
        kind: super::owner_kind(&kind).1,
        old: r.get(1)?,
        to: r.get(2)?,
        created_at: r.get(3)?,
        target_id: r.get(4)?,
        target_key: r.get(5)?,
        target_published: r.get(6)?,
    })
}

/// Every redirect: comparisons' by old slug, then terms' by old name.
pub fn all(conn: &Connection) -> Result<Vec<Redirect>> {
    let mut stmt =
        conn.prepare_cached(&format!("{COMPARISONS} UNION ALL {TERMS} ORDER BY 1, 2"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The redirects to the entry `id` of `kind` (through the V14 indexes by
/// entry), by old name.
pub fn to(conn: &Connection, kind: Kind, id: i64) -> Result<Vec<Redirect>> {
    let (rows, col) = if kind == Kind::Term {
        (TERMS, "r.term_id")
    } else {
        (COMPARISONS, "r.comparison_id")
    };
    let mut stmt = conn.prepare_cached(&format!("{rows} WHERE {col} = ?1 ORDER BY r.old_key"))?;
    let found = stmt.query_map([id], from_row)?;
    Ok(found.collect::<rusqlite::Result<_>>()?)
}

/// Sends the old name `old_key` of a `kind` to the entry `id` (replacing
/// where it sent readers before, if it had a redirect).
pub fn put(conn: &Connection, kind: Kind, old_key: &str, id: i64) -> Result<()> {
    let col = super::owner_column(kind);
    conn.execute(
        &format!(
            "INSERT INTO redirects ({col}, old_key) VALUES (?1, ?2)
             ON CONFLICT (old_key) WHERE {col} IS NOT NULL DO UPDATE SET {col} = excluded.{col}"
        ),
        params![id, old_key],
    )?;
    Ok(())
}

/// The entry the old name `old_key` of a `kind` sends readers to, if any.
pub fn target(conn: &Connection, kind: Kind, old_key: &str) -> Result<Option<i64>> {
    let col = super::owner_column(kind);
    Ok(conn
        .query_row(
            &format!("SELECT {col} FROM redirects WHERE {col} IS NOT NULL AND old_key = ?1"),
            [old_key],
            |r| r.get(0),
        )
        .optional()?)
}

/// Removes the redirect of the old name `old_key`; returns how many went.
pub fn delete(conn: &Connection, kind: Kind, old_key: &str) -> Result<usize> {
    let col = super::owner_column(kind);
    Ok(conn.execute(
        &format!("DELETE FROM redirects WHERE {col} IS NOT NULL AND old_key = ?1"),
        [old_key],
    )?)
}
