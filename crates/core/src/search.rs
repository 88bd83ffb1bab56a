//! `glossary query --search`: full-text search with SQLite FTS5.
//!
//! Each searchable table has an external-content FTS5 index kept by
//! triggers (see the V3 migration). A search asks every index for its best
//! `limit` hits, ranked by bm25 (see [`search`] for how it stays fast on a
//! common word), and merges them: the global top `limit` is among them.
//! Then each hit is named the way editors name entries.
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

/// How many matches per index are ranked at most: when an index has more,
/// the best are chosen among its most recent ones (the highest row ids, a
/// range FTS5 answers without reading the rest). A query with fewer
/// matches, which is any specific query, is ranked among all of them.
pub const CANDIDATES: i64 = 300;

/// How many matches of a word are counted, at most, for its weight (how
/// rare it is); beyond that the count is estimated from how densely the
/// first ones lie among the rows.
const COUNTED: i64 = 5_000;

/// bm25's parameters, as FTS5 sets them.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The best `limit` hits for `text`, best first. With `raw`, `text` is FTS5
/// query syntax (phrases, prefixes, AND/OR/NOT, NEAR) passed through and
/// ranked by FTS5's own bm25.
///
/// Otherwise the words are ranked here, with bm25 as FTS5 computes it but
/// for one thing: FTS5's bm25 counts every row that holds each word before
/// it scores one (its IDF), which for a common word in a million FAQs takes
/// longer than the whole answer may. Here that count stops at [`COUNTED`]
/// and is estimated past it, so a search reads at most the newest
/// [`CANDIDATES`] matches of each index, however common its words.
pub fn search(conn: &Connection, text: &str, raw: bool, limit: i64) -> Result<Vec<Hit>> {
    let (query, mut scored) = if raw {
        (text.to_string(), ranked_by_fts5(conn, text, limit)?)
    } else {
        let query = fts_query(text)?;
        let phrases = phrases(text);
        let mut all = Vec::new();
        for kind in crate::kind::Kind::ALL {
            if kind.spec().search_index.is_some() {
                all.extend(ranked_here(conn, kind, &query, &phrases, limit)?);
            }
        }
        (query, all)
    };
    scored.sort_by(|a, b| a.2.total_cmp(&b.2).then(b.1.cmp(&a.1)));
    scored.truncate(usize::try_from(limit).unwrap_or(0));
    scored
        .into_iter()
        .map(|(kind, id, score)| {
            let snippet = snippet(conn, kind, id, &query)?;
            name_hit(conn, kind, id, score, snippet)
        })
        .collect()
}

/// Each index's best `limit` by FTS5's rank, among its newest CANDIDATES.
fn ranked_by_fts5(
    conn: &Connection,
    text: &str,
    limit: i64,
) -> Result<Vec<(&'static str, i64, f64)>> {
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
        .query_map(rusqlite::params![text, limit, CANDIDATES - 1], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, f64>(2)?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| syntax_error(e, text))?;
    Ok(rows
        .into_iter()
        .map(|(kind, id, score)| {
            let kind = indexes()
                .find(|(k, _)| *k == kind)
                .map_or("entry", |(k, _)| k);
            (kind, id, score)
        })
        .collect())
}

/// One phrase of a query, as FTS5 reads it: its tokens, and whether the
/// last one is a prefix (`prod*`).
#[derive(Debug, Clone, PartialEq)]
struct Phrase {
    fts: String,
    tokens: Vec<String>,
    prefix: bool,
}

/// The phrases [`fts_query`] makes of `text`.
fn phrases(text: &str) -> Vec<Phrase> {
    text.split_whitespace()
        .filter_map(|word| {
            let (body, prefix) = match word.strip_suffix('*') {
                Some(b) => (b, true),
                None => (word, false),
            };
            let tokens: Vec<String> = tokens(body).collect();
            if tokens.is_empty() {
                return None;
            }
            let quoted = format!("\"{}\"", body.replace('"', "\"\""));
            Some(Phrase {
                fts: if prefix { format!("{quoted}*") } else { quoted },
                tokens,
                prefix,
            })
        })
        .collect()
}

/// The tokens of `text` as FTS5's `unicode61 remove_diacritics 2` makes
/// them: runs of letters and digits, lower-cased, without diacritics.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.is_ascii() {
                w.to_ascii_lowercase()
            } else {
                w.nfd()
                    .filter(|c| !is_combining_mark(*c))
                    .flat_map(char::to_lowercase)
                    .collect()
            }
        })
}

/// Whether the word `word` of a text is the query token `token` (folded
/// as [`tokens`] folds): without allocating for the usual ASCII word.
fn word_is(word: &str, token: &str, prefix: bool) -> bool {
    if word.is_ascii() {
        if prefix {
            word.len() >= token.len()
                && word.as_bytes()[..token.len()].eq_ignore_ascii_case(token.as_bytes())
        } else {
            word.eq_ignore_ascii_case(token)
        }
    } else {
        let folded = tokens(word).next().unwrap_or_default();
        if prefix {
            folded.starts_with(token)
        } else {
            folded == token
        }
    }
}

/// How many times `phrase` occurs in `words` (a text's words, in order).
fn occurrences(words: &[&str], phrase: &Phrase) -> usize {
    let n = phrase.tokens.len();
    if n == 0 || words.len() < n {
        return 0;
    }
    words
        .windows(n)
        .filter(|w| {
            w.iter()
                .zip(&phrase.tokens)
                .enumerate()
                .all(|(i, (word, token))| word_is(word, token, phrase.prefix && i == n - 1))
        })
        .count()
}

/// The index's row count and average row length in tokens, as FTS5 keeps
/// them for its own bm25 (the averages record, id 1 of `TABLE_data`: the
/// number of rows, then each column's token total, as varints).
fn totals(conn: &Connection, table: &str) -> Result<(f64, f64)> {
    let block: Option<Vec<u8>> = conn
        .prepare_cached(&format!("SELECT block FROM {table}_data WHERE id = 1"))?
        .query_row([], |r| r.get(0))
        .optional()?;
    let mut bytes = block.as_deref().unwrap_or_default();
    let mut numbers = std::iter::from_fn(|| {
        let (value, used) = varint(bytes)?;
        bytes = &bytes[used..];
        Some(value)
    });
    let rows = numbers.next().unwrap_or(0) as f64;
    let tokens: u64 = numbers.sum();
    Ok((
        rows,
        if rows > 0.0 {
            tokens as f64 / rows
        } else {
            0.0
        },
    ))
}

/// SQLite's varint: big-endian groups of 7 bits, the ninth byte whole.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(9) {
        if i == 8 {
            return Some(((value << 8) | u64::from(b), 9));
        }
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// How many of the `rows` rows of `table` (an FTS5 index over `content`)
/// hold `phrase`: counted up to [`COUNTED`], estimated beyond from the row
/// id the last counted one has (as dense among all rows as among those).
fn rows_holding(
    conn: &Connection,
    table: &str,
    content: &str,
    phrase: &str,
    rows: f64,
) -> Result<f64> {
    let nth: Option<i64> = conn
        .prepare_cached(&format!(
            "SELECT rowid FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid LIMIT 1 OFFSET ?2"
        ))?
        .query_row(rusqlite::params![phrase, COUNTED - 1], |r| r.get(0))
        .optional()?;
    let holding = match nth {
        Some(id) => {
            // min(id) alone: SQLite answers it from the index's first entry.
            let first: i64 = conn
                .prepare_cached(&format!("SELECT coalesce(min(id), 1) FROM {content}"))?
                .query_row([], |r| r.get(0))?;
            COUNTED as f64 * rows / ((id - first + 1).max(1) as f64)
        }
        None => conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM {table} WHERE {table} MATCH ?1"
            ))?
            .query_row([phrase], |r| r.get::<_, i64>(0))? as f64,
    };
    Ok(holding.min(rows))
}

/// `kind`'s best `limit` matches of `query` among its newest CANDIDATES,
/// scored by bm25 (negated, as FTS5's rank: lower is better).
fn ranked_here(
    conn: &Connection,
    kind: crate::kind::Kind,
    query: &str,
    phrases: &[Phrase],
    limit: i64,
) -> Result<Vec<(&'static str, i64, f64)>> {
    let spec = kind.spec();
    let Some(table) = spec.search_index else {
        return Ok(Vec::new());
    };
    let columns = spec.search_columns;
    let sql = format!(
        "SELECT rowid, {} FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
        columns.join(", ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    // Per candidate: its length in words and each phrase's weighted
    // count, read from the row in place.
    let docs: Vec<(i64, usize, Vec<f64>)> = stmt
        .query_map(rusqlite::params![query, CANDIDATES], |r| {
            let mut length = 0;
            let mut freq = vec![0.0; phrases.len()];
            for (i, weight) in spec.search_weights.iter().enumerate() {
                let text = r.get_ref(i + 1)?.as_str_or_null()?.unwrap_or_default();
                let words: Vec<&str> = text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                length += words.len();
                for (p, f) in phrases.iter().zip(freq.iter_mut()) {
                    *f += weight * occurrences(&words, p) as f64;
                }
            }
            Ok((r.get(0)?, length, freq))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| syntax_error(e, query))?;
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    // Each phrase's weight: rarer words count more (FTS5's IDF, floored).
    let (rows, average) = totals(conn, table)?;
    let average = average.max(1.0);
    let mut idf = Vec::with_capacity(phrases.len());
    for p in phrases {
        let holding = rows_holding(conn, table, kind.table(), &p.fts, rows)?;
        idf.push((((rows - holding + 0.5) / (holding + 0.5)).ln()).max(1e-6));
    }
    let mut scored: Vec<(&'static str, i64, f64)> = docs
        .iter()
        .map(|(id, length, freq)| {
            let norm = K1 * (1.0 - B + B * *length as f64 / average);
            let score: f64 = freq
                .iter()
                .zip(&idf)
                .map(|(f, idf)| idf * f * (K1 + 1.0) / (f + norm))
                .sum();
            (kind.word(), *id, -score)
        })
        .collect();
    scored.sort_by(|a, b| a.2.total_cmp(&b.2).then(b.1.cmp(&a.1)));
    scored.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(scored)
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
    fn varints_read_as_sqlite_writes_them() {
        // The averages record of a 2,200,000-row FAQ index.
        let bytes = [0x81, 0x86, 0xA3, 0x40, 0x8B, 0x84, 0xAA, 0x2D];
        assert_eq!(varint(&bytes), Some((2_200_000, 4)));
        assert_eq!(varint(&bytes[4..]), Some((23_139_629, 4)));
        assert_eq!(varint(&[0x14]), Some((20, 1)));
        assert_eq!(varint(&[0xFF; 9]), Some((u64::MAX, 9)));
        assert_eq!(varint(&[0x80]), None);
    }

    /// The ranking here is FTS5's bm25 wherever a word's rows are counted:
    /// the same scores, to rounding, on the seed glossary.
    #[test]
    fn scores_are_fts5s_bm25() {
        let conn = crate::db::open_in_memory().unwrap();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        let mut conn = conn;
        crate::import::import(
            &mut conn,
            &[seeds],
            Default::default(),
            &mut crate::import::Quiet,
        )
        .unwrap();
        for text in ["budget", "producer film", "day-to-day", "exec*"] {
            let ours = search(&conn, text, false, 50).unwrap();
            let theirs = search(&conn, &fts_query(text).unwrap(), true, 50).unwrap();
            assert_eq!(ours.len(), theirs.len(), "{text}");
            for (a, b) in ours.iter().zip(&theirs) {
                assert!(
                    (a.score - b.score).abs() < 1e-6 * b.score.abs().max(1.0),
                    "{text}: {a:?} vs {b:?}"
                );
            }
        }
    }

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
