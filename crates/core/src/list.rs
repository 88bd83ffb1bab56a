//! `glossary list` and `glossary stats`: entries with their counts, and
//! the size of each table.
//!
//! Listings stream: each row goes to the caller as it is read, so a CSV or
//! JSON Lines listing of a million terms holds one row in memory.
//!
//! Each listing is one streaming query across tables (counts, joins), which
//! is why it is written here and not as per-table functions in `store/`.

use rusqlite::{Connection, ToSql};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::Result;
use crate::model::Status;

/// What `glossary list` lists: every kind of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum What {
    Terms,
    Senses,
    Examples,
    Comparisons,
    Differences,
    Rows,
    Faqs,
}

/// A column of a listing. Prose (definitions, answers) is cut to fit a
/// text table's width; names and numbers never are.
pub struct Column {
    pub name: &'static str,
    pub prose: bool,
}

const fn name(name: &'static str) -> Column {
    Column { name, prose: false }
}

const fn prose(name: &'static str) -> Column {
    Column { name, prose: true }
}

impl What {
    pub fn columns(self) -> &'static [Column] {
        const TERMS: &[Column] = &[
            name("term"),
            name("part_of_speech"),
            name("status"),
            name("senses"),
            name("examples"),
            name("comparisons"),
        ];
        const SENSES: &[Column] = &[
            name("term"),
            name("sense"),
            name("domain"),
            prose("definition"),
            name("examples"),
        ];
        const EXAMPLES: &[Column] = &[name("term"), name("sense"), name("position"), prose("text")];
        const COMPARISONS: &[Column] = &[
            name("comparison"),
            name("left"),
            name("right"),
            name("published"),
            name("status"),
            name("differences"),
            name("rows"),
            name("faqs"),
        ];
        const DIFFERENCES: &[Column] = &[name("comparison"), name("position"), prose("text")];
        const ROWS: &[Column] = &[
            name("comparison"),
            name("position"),
            name("aspect"),
            prose("left"),
            prose("right"),
        ];
        const FAQS: &[Column] = &[
            name("comparison"),
            name("position"),
            prose("question"),
            prose("answer"),
        ];
        match self {
            What::Terms => TERMS,
            What::Senses => SENSES,
            What::Examples => EXAMPLES,
            What::Comparisons => COMPARISONS,
            What::Differences => DIFFERENCES,
            What::Rows => ROWS,
            What::Faqs => FAQS,
        }
    }

    pub fn headers(self) -> Vec<&'static str> {
        self.columns().iter().map(|c| c.name).collect()
    }

    /// Whether the entries belong to a term (senses, examples) rather than
    /// to a comparison, for the PARENT argument.
    pub fn of_term(self) -> bool {
        matches!(self, What::Senses | What::Examples)
    }
}

/// Filters of a listing.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Terms and comparisons with this status; the entries of those.
    pub status: Option<Status>,
    /// One comparison's entries (its slug), or one term's (any case).
    pub comparison: Option<String>,
    pub term: Option<String>,
    pub limit: Option<i64>,
}

/// Calls `row` with each entry's cells, in the order of `what.columns()`.
pub fn list(
    conn: &Connection,
    what: What,
    filter: &Filter,
    row: &mut dyn FnMut(Vec<Value>) -> std::io::Result<()>,
) -> Result<()> {
    // ?1 status, ?2 comparison slug, ?3 limit, ?4 term lookup key.
    let sql = match what {
        What::Terms => {
            "SELECT t.term, t.part_of_speech, t.status,
                    (SELECT count(*) FROM senses AS s WHERE s.term_id = t.id),
                    (SELECT count(*) FROM examples AS e JOIN senses AS s ON s.id = e.sense_id WHERE s.term_id = t.id),
                    (SELECT count(*) FROM comparisons AS c WHERE c.left_term_id = t.id)
                  + (SELECT count(*) FROM comparisons AS c WHERE c.right_term_id = t.id)
             FROM terms AS t
             WHERE (?1 IS NULL OR t.status = ?1) AND (?4 IS NULL OR t.lookup_key = ?4)
             ORDER BY t.lookup_key LIMIT ?3"
        }
        What::Senses => {
            "SELECT t.term, s.sense_number, s.domain, s.definition,
                    (SELECT count(*) FROM examples AS e WHERE e.sense_id = s.id)
             FROM terms AS t JOIN senses AS s ON s.term_id = t.id
             WHERE (?1 IS NULL OR t.status = ?1) AND (?4 IS NULL OR t.lookup_key = ?4)
             ORDER BY t.lookup_key, s.sense_number LIMIT ?3"
        }
        What::Examples => {
            "SELECT t.term, s.sense_number, e.position, e.text
             FROM terms AS t JOIN senses AS s ON s.term_id = t.id JOIN examples AS e ON e.sense_id = s.id
             WHERE (?1 IS NULL OR t.status = ?1) AND (?4 IS NULL OR t.lookup_key = ?4)
             ORDER BY t.lookup_key, s.sense_number, e.position LIMIT ?3"
        }
        What::Comparisons => {
            "SELECT c.slug, l.term, r.term, c.published, c.status,
                    (SELECT count(*) FROM differences AS d WHERE d.comparison_id = c.id),
                    (SELECT count(*) FROM comparison_rows AS x WHERE x.comparison_id = c.id),
                    (SELECT count(*) FROM faqs AS f WHERE f.comparison_id = c.id)
             FROM comparisons AS c
             JOIN terms AS l ON l.id = c.left_term_id JOIN terms AS r ON r.id = c.right_term_id
             WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.slug = ?2)
               AND (?4 IS NULL OR ?4 IN (l.lookup_key, r.lookup_key))
             ORDER BY c.slug LIMIT ?3"
        }
        What::Differences => {
            "SELECT c.slug, d.position, d.text
             FROM comparisons AS c JOIN differences AS d ON d.comparison_id = c.id
             WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.slug = ?2)
             ORDER BY c.slug, d.position LIMIT ?3"
        }
        What::Rows => {
            "SELECT c.slug, x.position, x.aspect, x.left_value, x.right_value
             FROM comparisons AS c JOIN comparison_rows AS x ON x.comparison_id = c.id
             WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.slug = ?2)
             ORDER BY c.slug, x.position LIMIT ?3"
        }
        What::Faqs => {
            "SELECT c.slug, f.position, f.question, f.answer
             FROM comparisons AS c JOIN faqs AS f ON f.comparison_id = c.id
             WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.slug = ?2)
             ORDER BY c.slug, f.position LIMIT ?3"
        }
    };
    // A term or comparison that is not there is a mistake to say, not an
    // empty listing.
    if let Some(t) = &filter.term {
        crate::edit::term_id(conn, t)?;
    }
    let slug = match &filter.comparison {
        Some(c) => Some(crate::store::comparisons::slug(
            conn,
            crate::edit::comparison_id(conn, c)?,
        )?),
        None => None,
    };
    let status = filter.status.map(Status::as_str);
    let limit = filter.limit.unwrap_or(-1);
    let term_key = filter.term.as_deref().map(crate::model::lookup_key);
    let params: [&dyn ToSql; 4] = [&status, &slug, &limit, &term_key];
    let mut stmt = conn.prepare(sql)?;
    // Listings of comparisons' entries take no term: ?4 is past their end.
    let used = stmt.parameter_count();
    let mut rows = stmt.query(&params[..used])?;
    let width = what.columns().len();
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
        // count(*) reads the table's smallest index, not its rows.
        tables.push((t.to_string(), count(&format!("SELECT count(*) FROM {t}"))?));
    }
    // Drafts are counted through their partial indexes (V7), the
    // published as the rest, as the editor's dashboard counts them: no
    // scan of every row for its status.
    let (terms, draft_terms) = crate::store::terms::counts(conn)?;
    let (comparisons, draft_comparisons) = crate::store::comparisons::counts(conn)?;
    Ok(Stats {
        tables,
        published_terms: terms - draft_terms,
        draft_terms,
        published_comparisons: comparisons - draft_comparisons,
        draft_comparisons,
        schema_version: count("PRAGMA user_version")?,
        bytes: count("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each query `stats` makes reads an index, never the rows themselves.
    #[test]
    fn stats_count_through_indexes() {
        let conn = crate::db::open_in_memory().unwrap();
        conn.execute_batch(
            "INSERT INTO terms (term, status) VALUES ('A', 'published'), ('B', 'draft'), ('C', 'draft');",
        )
        .unwrap();
        let s = stats(&conn).unwrap();
        assert_eq!((s.published_terms, s.draft_terms), (1, 2));
        let mut queries: Vec<String> = crate::kind::tables()
            .chain(["revisions"])
            .map(|t| format!("SELECT count(*) FROM {t}"))
            .collect();
        queries.push("SELECT (SELECT count(*) FROM terms), (SELECT count(*) FROM terms WHERE status = 'draft')".into());
        queries.push("SELECT (SELECT count(*) FROM comparisons), (SELECT count(*) FROM comparisons WHERE status = 'draft')".into());
        for q in queries {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {q}"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            for step in &plan {
                assert!(
                    !step.starts_with("SCAN")
                        || step.contains("INDEX")
                        || step == "SCAN CONSTANT ROW",
                    "{q}: {plan:?}"
                );
            }
        }
    }
}
