//! `comparisons`: articles comparing two terms.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::model::{ComparisonId, Status, TermId};

/// A comparison as stored (term ids, not names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub id: ComparisonId,
    pub slug: String,
    pub left_term_id: TermId,
    pub right_term_id: TermId,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub published: Option<String>,
    pub status: Status,
}

/// A comparison with its terms' names, as queries show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    #[serde(skip)]
    pub id: ComparisonId,
    pub comparison: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub published: Option<String>,
    pub left: String,
    pub right: String,
    pub status: Status,
    #[serde(skip)]
    pub left_term_id: TermId,
    #[serde(skip)]
    pub right_term_id: TermId,
}

impl Header {
    /// Its title, or the one every comparison without one has
    /// ([`crate::model::comparison_title`]).
    pub fn shown_title(&self) -> String {
        crate::model::comparison_title(self.title.as_deref(), &self.left, &self.right)
    }
}

pub fn find(conn: &Connection, slug: &str) -> Result<Option<Comparison>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, slug, left_term_id, right_term_id, title, summary, published, status
         FROM comparisons WHERE slug = ?1",
    )?;
    Ok(stmt
        .query_row([slug], |r| {
            Ok(Comparison {
                id: r.get("id")?,
                slug: r.get("slug")?,
                left_term_id: r.get("left_term_id")?,
                right_term_id: r.get("right_term_id")?,
                title: r.get("title")?,
                summary: r.get("summary")?,
                published: r.get("published")?,
                status: r.get("status")?,
            })
        })
        .optional()?)
}

/// The slug of comparison `id`, as stored.
pub fn slug(conn: &Connection, id: ComparisonId) -> Result<String> {
    let mut stmt = conn.prepare_cached("SELECT slug FROM comparisons WHERE id = ?1")?;
    Ok(stmt.query_row([id], |r| r.get(0))?)
}

pub fn find_id(conn: &Connection, slug: &str) -> Result<Option<ComparisonId>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM comparisons WHERE slug = ?1")?;
    Ok(stmt.query_row([slug], |r| r.get(0)).optional()?)
}

/// Inserts the comparison, or updates the one with the same slug where a
/// value differs. Returns its id.
pub fn upsert(conn: &Connection, c: &Comparison) -> Result<ComparisonId> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO comparisons (slug, left_term_id, right_term_id, title, summary, published, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (slug) DO UPDATE SET
             left_term_id = excluded.left_term_id,
             right_term_id = excluded.right_term_id,
             title = excluded.title,
             summary = excluded.summary,
             published = excluded.published,
             status = excluded.status
         WHERE (left_term_id, right_term_id, title, summary, published, status)
               IS NOT (excluded.left_term_id, excluded.right_term_id,
                       excluded.title, excluded.summary, excluded.published, excluded.status)
         RETURNING id",
    )?;
    let id = stmt
        .query_row(
            params![
                c.slug,
                c.left_term_id,
                c.right_term_id,
                c.title,
                c.summary,
                c.published,
                c.status
            ],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => Ok(id),
        None => Ok(find_id(conn, &c.slug)?.expect("upsert of an unchanged comparison finds it")),
    }
}

macro_rules! header_select {
    ($from:literal) => {
        concat!(
            "SELECT c.id, c.slug, c.title, c.summary, c.published, c.status,
                    c.left_term_id, c.right_term_id,
                    l.term AS left_term, r.term AS right_term
             FROM ",
            $from,
            " AS c
             JOIN terms AS l ON l.id = c.left_term_id
             JOIN terms AS r ON r.id = c.right_term_id"
        )
    };
}

const HEADER_SELECT: &str = header_select!("comparisons");

/// A row of HEADER_SELECT, by column position (a site reads 100,000 of
/// them: looking each column up by name costs more than the query).
fn header_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Header> {
    Ok(Header {
        id: r.get(0)?,
        comparison: r.get(1)?,
        title: r.get(2)?,
        summary: r.get(3)?,
        published: r.get(4)?,
        status: r.get(5)?,
        left_term_id: r.get(6)?,
        right_term_id: r.get(7)?,
        left: r.get(8)?,
        right: r.get(9)?,
    })
}

pub fn header(conn: &Connection, slug: &str) -> Result<Option<Header>> {
    let sql = format!("{HEADER_SELECT} WHERE c.slug = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt.query_row([slug], header_from_row).optional()?)
}

/// The comparisons a term appears in, on either side, by slug.
pub fn for_term(conn: &Connection, term: TermId) -> Result<Vec<Header>> {
    // Two index look-ups joined by UNION rather than `left OR right`, which
    // SQLite would answer with a full scan.
    let sql = format!(
        "{HEADER_SELECT} WHERE c.id IN (
             SELECT id FROM comparisons WHERE left_term_id = ?1
             UNION
             SELECT id FROM comparisons WHERE right_term_id = ?1)
         ORDER BY c.slug"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([term], header_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The slugs closest to `wanted`, for "did you mean". Slugs are already
/// folded (lowercase ASCII), so each is its own key.
pub fn closest(conn: &Connection, wanted: &str, limit: usize) -> Result<Vec<String>> {
    super::closest(conn, "SELECT slug FROM comparisons", wanted, limit)
}

/// The error for a comparison that is not there, with the closest slugs.
pub fn not_found(conn: &Connection, wanted: &str) -> crate::error::Error {
    match closest(conn, wanted, 3) {
        Ok(suggestions) => crate::error::Error::NotFound {
            kind: "comparison",
            name: wanted.trim().to_string(),
            suggestions,
        },
        Err(e) => e,
    }
}

/// One page of comparisons by slug after `after`, with `status` if given
/// (paged by key, as [`super::terms::page`]).
pub fn page(
    conn: &Connection,
    status: Option<Status>,
    after: &str,
    limit: i64,
) -> Result<Vec<Header>> {
    let filter = match status {
        None => "",
        Some(Status::Draft) => "AND c.status = 'draft'",
        Some(Status::Published) => "AND c.status = 'published'",
    };
    let sql = format!("{HEADER_SELECT} WHERE c.slug > ?1 {filter} ORDER BY c.slug LIMIT ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params![after, limit], header_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many comparisons there are, and how many of them are drafts.
pub fn counts(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM comparisons), (SELECT count(*) FROM comparisons WHERE status = 'draft')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Every comparison's header, by slug; only the public ones (the view
/// `public_comparisons`, the one rule of what readers see) unless `all`.
pub fn headers(conn: &Connection, all: bool) -> Result<Vec<Header>> {
    // In table order, sorted here: the slug index's order would cost a
    // look-up of the row per comparison.
    let sql = if all {
        HEADER_SELECT
    } else {
        header_select!("public_comparisons")
    };
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt
        .query_map([], header_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.sort_unstable_by(|a, b| a.comparison.cmp(&b.comparison));
    Ok(rows)
}

/// Every text an article shows of its own (its key differences, each of
/// its chart rows' cells, its FAQs' answers), each given to `visit`, in no
/// order: what the ideas for content read for terms named together.
pub fn texts(conn: &Connection, visit: &mut dyn FnMut(&str)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT text FROM differences
         UNION ALL SELECT left_value FROM comparison_rows
         UNION ALL SELECT right_value FROM comparison_rows
         UNION ALL SELECT answer FROM faqs",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        visit(row.get_ref(0)?.as_str().unwrap_or_default());
    }
    Ok(())
}
