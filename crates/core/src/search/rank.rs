//! Ranking: FTS5's own bm25 for a query that its index answers fast, and
//! the same bm25 computed here, from the index's own counts, over the few
//! rows that hold a rare phrase when a common word would make FTS5 rank
//! thousands.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::search::{indexes, syntax_error};

/// How many matches per index are ranked at most: when an index has more,
/// the best are chosen among its most recent ones (the highest row ids, a
/// range FTS5 answers without reading the rest). A query with fewer
/// matches, which is any specific query, is ranked among all of them.
pub(super) const CANDIDATES: i64 = 300;

/// How many matches of a word are counted, at most, for its weight (how
/// rare it is); beyond that the count is estimated from how densely the
/// first ones lie among the rows.
pub(crate) const COUNTED: i64 = 5_000;

/// bm25's parameters, as FTS5 sets them.
pub(crate) const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Each index's best `limit` by FTS5's rank, among its newest CANDIDATES.
pub(crate) fn ranked_by_fts5(
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
pub(crate) struct Phrase {
    fts: String,
    tokens: Vec<String>,
    prefix: bool,
}

/// The phrases [`fts_query`] makes of `text`.
pub(crate) fn phrases(text: &str) -> Vec<Phrase> {
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
pub(crate) fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
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
pub(crate) fn word_is(word: &str, token: &str, prefix: bool) -> bool {
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
pub(crate) fn occurrences(words: &[&str], phrase: &Phrase) -> usize {
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
pub(crate) fn totals(conn: &Connection, table: &str) -> Result<(f64, f64)> {
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
pub(crate) fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
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
pub(crate) fn rows_holding(
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
pub(crate) fn ranked_here(
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
