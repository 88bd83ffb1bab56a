//! `glossary list` and `glossary stats`: entries with their counts, and
//! the size of each table.
//!
//! Listings stream: each row goes to the caller as it is read, so a CSV or
//! JSON Lines listing of a million terms holds one row in memory.

use rusqlite::{Connection, ToSql};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::Result;
use crate::model::Status;

/// What `glossary list` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Terms,
    Comparisons,
    Faqs,
}

impl What {
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            What::Terms => &[
                "term",
                "part_of_speech",
                "status",
                "senses",
                "examples",
                "comparisons",
            ],
            What::Comparisons => &[
                "comparison",
                "left",
                "right",
                "published",
                "status",
                "differences",
                "rows",
                "faqs",
            ],
            What::Faqs => &["comparison", "position", "question", "answer"],
        }
    }
}

/// Filters of a listing.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<Status>,
    /// For FAQs: one comparison's.
    pub comparison: Option<String>,
    pub limit: Option<i64>,
}

/// Calls `row` with each entry's cells, in the order of `what.headers()`.
pub fn list(
    conn: &Connection,
    what: What,
    filter: &Filter,
    row: &mut dyn FnMut(Vec<Value>) -> std::io::Result<()>,
) -> Result<()> {
    let sql = match what {
        What::Terms => {
            "SELECT t.term, t.part_of_speech, t.status,
                    (SELECT count(*) FROM senses AS s WHERE s.term_id = t.id),
                    (SELECT count(*) FROM examples AS e JOIN senses AS s ON s.id = e.sense_id WHERE s.term_id = t.id),
                    (SELECT count(*) FROM comparisons AS c WHERE c.left_term_id = t.id)
                  + (SELECT count(*) FROM comparisons AS c WHERE c.right_term_id = t.id)
             FROM terms AS t
             WHERE (?1 IS NULL OR t.status = ?1)
             ORDER BY t.lookup_key LIMIT ?3"
        }
        What::Comparisons => {
            "SELECT c.slug, l.term, r.term, c.published, c.status,
                    (SELECT count(*) FROM differences AS d WHERE d.comparison_id = c.id),
                    (SELECT count(*) FROM comparison_rows AS x WHERE x.comparison_id = c.id),
                    (SELECT count(*) FROM faqs AS f WHERE f.comparison_id = c.id)
             FROM comparisons AS c
             JOIN terms AS l ON l.id = c.left_term_id JOIN terms AS r ON r.id = c.right_term_id
             WHERE (?1 IS NULL OR c.status = ?1)
             ORDER BY c.slug LIMIT ?3"
        }
        What::Faqs => {
            "SELECT c.slug, f.position, f.question, f.answer
             FROM comparisons AS c JOIN faqs AS f ON f.comparison_id = c.id
             WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.slug = ?2)
             ORDER BY c.slug, f.position LIMIT ?3"
        }
    };
    let status = filter.status.map(Status::as_str);
    let limit = filter.limit.unwrap_or(-1);
    let params: [&dyn ToSql; 3] = [&status, &filter.comparison, &limit];
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(&params[..])?;
    let width = what.headers().len();
    while let Some(r) = rows.next()? {
        let mut cells = Vec::with_capacity(width);
        for i in 0..width {
            cells.push(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(n) => json!(n),
                rusqlite::types::ValueRef::Real(f) => json!(f),
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                    Value::String(String::from_utf8_lossy(t).into_owned())
                }
            });
        }
        row(cells).map_err(|e| crate::error::Error::Io {
            path: "<stdout>".into(),
            source: e,
        })?;
    }
    Ok(())
}

/// Row counts per table and what the file looks like.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub tables: Vec<(String, i64)>,
    pub published_terms: i64,
    pub draft_terms: i64,
    pub published_comparisons: i64,
    pub draft_comparisons: i64,
    pub schema_version: i64,
    pub bytes: i64,
}

pub fn stats(conn: &Connection) -> Result<Stats> {
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let mut tables = Vec::new();
    for t in crate::kind::tables().chain(["revisions"]) {
        tables.push((t.to_string(), count(&format!("SELECT count(*) FROM {t}"))?));
    }
    Ok(Stats {
        tables,
        published_terms: count("SELECT count(*) FROM terms WHERE status = 'published'")?,
        draft_terms: count("SELECT count(*) FROM terms WHERE status = 'draft'")?,
        published_comparisons: count(
            "SELECT count(*) FROM comparisons WHERE status = 'published'",
        )?,
        draft_comparisons: count("SELECT count(*) FROM comparisons WHERE status = 'draft'")?,
        schema_version: count("PRAGMA user_version")?,
        bytes: count("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")?,
    })
}
