//! `glossary query --search`: full-text search with SQLite FTS5.
//!
//! Each searchable table has an external-content FTS5 index kept by
//! triggers (see the V3 migration). A search asks every index for its best
//! `limit` hits, ranked by bm25, and merges them: the global top `limit` is
//! among them. Then each hit is named the way editors name entries.
//!
//! The FTS5 indexes are this module's tables, so their SQL is here, as each
//! content table's is in `store/`.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::quote_name;

/// Marks the start and end of a matched word in a snippet; the output
/// module turns them into bold, `**` or nothing.
pub const MARK_START: char = '\u{1}';
pub const MARK_END: char = '\u{2}';

/// The indexes (from the registry of kinds) and the word of the kind of
/// entry each holds. Their `rank` is bm25 with column weights set by the
/// V3 migration.
fn indexes() -> impl Iterator<Item = (&'static str, &'static str)> {
    crate::kind::searched().map(|(kind, index)| (kind.word(), index))
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// sense, example, comparison, difference, row or faq.
    pub kind: &'static str,
    /// The entry as `glossary edit` names it: `faq producer-vs-... 3`.
    pub entry: String,
    pub term: Option<String>,
    pub sense: Option<i64>,
    pub comparison: Option<String>,
    pub position: Option<i64>,
    /// The matching text around the hit, matches between MARK_START and
    /// MARK_END.
    pub snippet: String,
    /// bm25: lower is better.
    pub score: f64,
}

/// Turns what a person typed into an FTS5 query: every word quoted, so
/// punctuation (`day-to-day`, `producer's`, a stray `"`) is just text; a
/// trailing `*` keeps its meaning, a prefix search.
pub fn fts_query(text: &str) -> Result<String> {
    let mut parts = Vec::new();
    for word in text.split_whitespace() {
        let (body, prefix) = match word.strip_suffix('*') {
            Some(b) => (b, true),
            None => (word, false),
        };
        if !body.chars().any(char::is_alphanumeric) {
            continue;
        }
        let quoted = format!("\"{}\"", body.replace('"', "\"\""));
        parts.push(if prefix { format!("{quoted}*") } else { quoted });
    }
    if parts.is_empty() {
        return Err(Error::Invalid(format!(
            "nothing to search for in \"{text}\" (give a word or two)"
        )));
    }
    Ok(parts.join(" "))
}

/// How many matches per index are ranked at most. FTS5 computes bm25 for
/// every match before it can sort, which for a word in half a million FAQs
/// takes seconds; so when an index has more matches than this, the best are
/// chosen among its most recent ones (the highest row ids). A query with
/// fewer matches, which is any specific query, is ranked exactly.
pub const CANDIDATES: i64 = 1_000;

/// The best `limit` hits for `text`, best first. With `raw`, `text` is FTS5
/// query syntax (phrases, prefixes, AND/OR/NOT, NEAR) passed through.
pub fn search(conn: &Connection, text: &str, raw: bool, limit: i64) -> Result<Vec<Hit>> {
    let query = if raw {
        text.to_string()
    } else {
        fts_query(text)?
    };
    // Each index gives its best `limit` by rank, among its newest
    // CANDIDATES matches (a rowid range FTS5 answers without scoring).
    let arms: Vec<String> = indexes()
        .map(|(kind, table)| {
            format!(
                "SELECT * FROM (SELECT '{kind}' AS kind, rowid AS id, rank AS score
                 FROM {table}
                 WHERE {table} MATCH ?1
                   AND rowid >= coalesce((SELECT rowid FROM {table} WHERE {table} MATCH ?1
                                          ORDER BY rowid DESC LIMIT 1 OFFSET ?3), 0)
                 ORDER BY rank LIMIT ?2)"
            )
        })
        .collect();
    let sql = format!("{} ORDER BY score LIMIT ?2", arms.join(" UNION ALL "));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params![query, limit, CANDIDATES - 1], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, f64>(2)?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| syntax_error(e, text))?;
    rows.into_iter()
        .map(|(kind, id, score)| {
            let snippet = snippet(conn, &kind, id, &query)?;
            name_hit(conn, &kind, id, score, snippet)
        })
        .collect()
}

/// The matching text around a hit, for the few hits shown (computing it for
/// every candidate would cost more than the search).
fn snippet(conn: &Connection, kind: &str, id: i64, query: &str) -> Result<String> {
    let Some((_, table)) = indexes().find(|(k, _)| *k == kind) else {
        return Ok(String::new());
    };
    let sql = format!(
        "SELECT snippet({table}, -1, char(1), char(2), '…', 16) FROM {table} WHERE {table} MATCH ?1 AND rowid = ?2"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params![query, id], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()?
        .flatten()
        .unwrap_or_default())
}

/// FTS5 rejects malformed raw queries with an SQL error: say so in one line.
fn syntax_error(e: rusqlite::Error, text: &str) -> Error {
    let msg = e.to_string();
    if msg.contains("fts5") || msg.contains("syntax error") || msg.contains("no such column") {
        // The one mistake everybody makes: FTS5's NOT is binary.
        let hint = if text.to_uppercase().contains("AND NOT ") {
            "; FTS5 writes \"a AND NOT b\" as \"a NOT b\""
        } else {
            ""
        };
        Error::Invalid(format!(
            "cannot search for {text:?}: {msg}{hint} (see https://sqlite.org/fts5.html#full_text_query_syntax, or leave out --raw)"
        ))
    } else {
        Error::from(e)
    }
}

fn name_hit(conn: &Connection, kind: &str, id: i64, score: f64, snippet: String) -> Result<Hit> {
    let mut hit = Hit {
        kind: indexes()
            .find(|(k, _)| *k == kind)
            .map_or("entry", |(k, _)| k),
        entry: String::new(),
        term: None,
        sense: None,
        comparison: None,
        position: None,
        snippet,
        score,
    };
    // (name, number, position, aspect) of the hit's entry.
    type Naming = (String, Option<i64>, Option<i64>, Option<String>);
    let one = |sql: &str| -> Result<Option<Naming>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?)
    };
    match kind {
        "sense" | "example" => {
            let sql = if kind == "sense" {
                "SELECT t.term, s.sense_number, NULL, NULL FROM senses s JOIN terms t ON t.id = s.term_id WHERE s.id = ?1"
            } else {
                "SELECT t.term, s.sense_number, e.position, NULL FROM examples e JOIN senses s ON s.id = e.sense_id
                 JOIN terms t ON t.id = s.term_id WHERE e.id = ?1"
            };
            if let Some((term, sense, position, _)) = one(sql)? {
                let name = quote_name(&term);
                hit.entry = match position {
                    Some(p) => format!("example {name} {} {p}", sense.unwrap_or(0)),
                    None => format!("sense {name} {}", sense.unwrap_or(0)),
                };
                hit.term = Some(term);
                hit.sense = sense;
                hit.position = position;
            }
        }
        _ => {
            let sql = match kind {
                "comparison" => "SELECT slug, NULL, NULL, NULL FROM comparisons WHERE id = ?1",
                "difference" => "SELECT c.slug, NULL, d.position, NULL FROM differences d JOIN comparisons c ON c.id = d.comparison_id WHERE d.id = ?1",
                "row" => "SELECT c.slug, NULL, r.position, r.aspect FROM comparison_rows r JOIN comparisons c ON c.id = r.comparison_id WHERE r.id = ?1",
                _ => "SELECT c.slug, NULL, f.position, NULL FROM faqs f JOIN comparisons c ON c.id = f.comparison_id WHERE f.id = ?1",
            };
            if let Some((slug, _, position, aspect)) = one(sql)? {
                // Named as `edit` names them: a chart row by its aspect.
                hit.entry = match (kind, position, aspect) {
                    ("comparison", _, _) => format!("comparison {slug}"),
                    (k, _, Some(aspect)) => format!("{k} {slug} {}", quote_name(&aspect)),
                    (k, Some(p), None) => format!("{k} {slug} {p}"),
                    (k, None, None) => format!("{k} {slug}"),
                };
                hit.comparison = Some(slug);
                hit.position = position;
            }
        }
    }
    if hit.entry.is_empty() {
        hit.entry = format!("{kind} #{id}");
    }
    Ok(hit)
}

/// The indexed tables and their indexed columns (see the V3 migration).
fn sources() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    crate::kind::searched().map(|(kind, _)| (kind.table(), kind.spec().search_columns))
}

/// Where an import started: the last revision and the highest row id of
/// each indexed table, so that what it inserted and changed can be told
/// apart from what was there.
pub struct Deferral {
    revision: i64,
    max_ids: Vec<i64>,
}

/// Makes the full-text triggers stand aside for the rest of this
/// transaction (see the V4 migration); [`catch_up`] indexes the rows
/// written meanwhile and ends it.
pub fn defer(conn: &Connection) -> Result<Deferral> {
    conn.execute("INSERT INTO fts_deferred DEFAULT VALUES", [])?;
    let revision: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM revisions", [], |r| {
        r.get(0)
    })?;
    let mut max_ids = Vec::new();
    for (table, _) in sources() {
        max_ids.push(conn.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?);
    }
    Ok(Deferral { revision, max_ids })
}

/// How many new rows one indexing statement of [`catch_up`] takes.
const CATCH_UP_SLICE: i64 = 50_000;

/// Indexes, a few statements per index, the rows inserted since [`defer`]
/// and re-indexes the rows changed since: their old text, as the first
/// revision of the import recorded it, is what the index holds.
pub fn catch_up(conn: &Connection, d: &Deferral) -> Result<()> {
    for ((table, columns), max_id) in sources().zip(&d.max_ids) {
        let cols = columns.join(", ");
        let old: Vec<String> = columns
            .iter()
            .map(|c| format!("json_extract(r.old_values, '$.{c}')"))
            .collect();
        let delete = format!(
            "INSERT INTO {table}_fts ({table}_fts, rowid, {cols})
             SELECT 'delete', r.row_id, {old}
             FROM revisions AS r
             WHERE r.id > ?1 AND r.table_name = '{table}' AND r.action = 'update' AND r.row_id <= ?2
               AND r.id = (SELECT min(r2.id) FROM revisions AS r2
                           WHERE r2.table_name = '{table}' AND r2.row_id = r.row_id AND r2.id > ?1)",
            old = old.join(", ")
        );
        conn.execute(&delete, rusqlite::params![d.revision, max_id])?;
        let changed = format!(
            "INSERT INTO {table}_fts (rowid, {cols})
             SELECT id, {cols} FROM {table}
             WHERE id IN (SELECT row_id FROM revisions
                          WHERE id > ?1 AND table_name = '{table}' AND action = 'update' AND row_id <= ?2)"
        );
        conn.execute(&changed, rusqlite::params![d.revision, max_id])?;
        // New rows in slices of ids: each statement keeps a journal of the
        // index pages it rewrites, in memory, so one statement for millions
        // of rows would hold a large one; a slice is still far more than
        // FTS5 gathers before writing a segment.
        let inserted = format!(
            "INSERT INTO {table}_fts (rowid, {cols})
             SELECT id, {cols} FROM {table} WHERE id > ?1 AND id <= ?2"
        );
        let last: i64 = conn.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?;
        let mut from = *max_id;
        while from < last {
            let to = from.saturating_add(CATCH_UP_SLICE).min(last);
            conn.execute(&inserted, rusqlite::params![from, to])?;
            from = to;
        }
    }
    // The marker goes with its bytes zeroed: left in the page, its time
    // would make an import that changed nothing change the file.
    conn.pragma_update(None, "secure_delete", "FAST")?;
    conn.execute("DELETE FROM fts_deferred", [])?;
    conn.pragma_update(None, "secure_delete", "OFF")?;
    Ok(())
}

/// Runs FTS5's own integrity check on every index; returns the names of
/// the indexes that fail it.
pub fn check_indexes(conn: &Connection) -> Result<Vec<&'static str>> {
    let mut bad = Vec::new();
    for (_, table) in indexes() {
        let sql = format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)");
        if let Err(e) = conn.execute(&sql, []) {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) {
                bad.push(table);
            } else {
                return Err(Error::from(e));
            }
        }
    }
    Ok(bad)
}

/// Rebuilds one index from its content table.
pub fn rebuild(conn: &Connection, table: &str) -> Result<()> {
    let (_, table) = indexes()
        .find(|(_, t)| *t == table)
        .ok_or_else(|| Error::Invalid(format!("no search index {table}")))?;
    conn.execute(
        &format!("INSERT INTO {table} ({table}) VALUES ('rebuild')"),
        [],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_so_punctuation_is_text() {
        assert_eq!(fts_query("day-to-day").unwrap(), "\"day-to-day\"");
        assert_eq!(
            fts_query("producer's role").unwrap(),
            "\"producer's\" \"role\""
        );
        assert_eq!(fts_query("\"unbalanced").unwrap(), "\"\"\"unbalanced\"");
        assert_eq!(fts_query("produc*").unwrap(), "\"produc\"*");
        assert!(fts_query(" \" - ").is_err());
    }
}
