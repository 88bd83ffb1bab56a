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

mod index;
mod names;
mod rank;

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::search::rank::{phrases, ranked_by_fts5, ranked_here};
pub use index::{catch_up, check_indexes, defer, rebuild, Deferral};
pub use names::{named, Named};

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
    /// term (found by its name or a variant), sense, example, comparison,
    /// difference, row or faq.
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
    // A term typed by its name or a variant ("EP") comes first, scored
    // below (better than) every text hit.
    let by_name = if raw {
        None
    } else {
        named(conn, text, 1)?.into_iter().find(|n| n.exact)
    };
    let mut hits = Vec::new();
    if let Some(found) = by_name {
        let best = scored.first().map_or(0.0, |s| s.2.min(0.0));
        hits.push(term_hit(conn, found, best - 1.0)?);
    }
    scored.truncate(
        usize::try_from(limit)
            .unwrap_or(0)
            .saturating_sub(hits.len()),
    );
    for (kind, id, score) in scored {
        let snippet = snippet(conn, kind, id, &query)?;
        hits.push(name_hit(conn, kind, id, score, snippet)?);
    }
    Ok(hits)
}

/// The hit of a term found by its name: the name that matched (and whose
/// variant it is), then the term's first definition.
fn term_hit(conn: &Connection, found: Named, score: f64) -> Result<Hit> {
    let mark = |name: &str| format!("{MARK_START}{name}{MARK_END}");
    let definition = crate::store::senses::for_term(conn, found.term_id)?
        .into_iter()
        .next()
        .map(|s| s.definition);
    let mut snippet = match &found.variant {
        Some(v) => format!("{} ({} of {})", mark(&v.variant), v.kind, found.term),
        None => mark(&found.term),
    };
    if let Some(definition) = definition {
        // As long as FTS5's snippets: 16 words.
        let words: Vec<&str> = definition.split_whitespace().collect();
        snippet.push_str(": ");
        snippet.push_str(&words[..words.len().min(16)].join(" "));
        if words.len() > 16 {
            snippet.push('…');
        }
    }
    Ok(Hit {
        kind: "term",
        entry: Kind::Term.label(&[&found.term]),
        term: Some(found.term),
        sense: None,
        comparison: None,
        position: None,
        snippet,
        score,
    })
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
                let n = sense.unwrap_or(0).to_string();
                hit.entry = match position {
                    Some(p) => Kind::Example.label(&[&term, &n, &p.to_string()]),
                    None => Kind::Sense.label(&[&term, &n]),
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
                let of = |k: &str| Kind::ALL.into_iter().find(|x| x.word() == k);
                hit.entry = match (of(kind), position, aspect) {
                    (Some(Kind::Row), _, Some(aspect)) => Kind::Row.label(&[&slug, &aspect]),
                    (Some(k @ (Kind::Difference | Kind::Faq)), Some(p), _) => {
                        k.label(&[&slug, &p.to_string()])
                    }
                    _ => Kind::Comparison.label(&[&slug]),
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

/// The entries whose text mentions `name` as a phrase (its words in a row,
/// case and accents aside, as the indexes fold them): the terms whose
/// senses or examples do, and the comparisons whose key differences, chart
/// rows or FAQs do. What a site build re-renders when a term is published
/// or renamed: the pages whose text may link it now. Titles and summaries
/// are not linked, so not asked.
pub fn mentioning(conn: &Connection, name: &str) -> Result<(HashSet<i64>, HashSet<i64>)> {
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut terms = HashSet::new();
    let mut comparisons = HashSet::new();
    if words.is_empty() {
        return Ok((terms, comparisons));
    }
    let phrase = format!("\"{}\"", words.join(" "));
    let term_sql = [
        "SELECT s.term_id FROM senses_fts JOIN senses AS s ON s.id = senses_fts.rowid
         WHERE senses_fts MATCH ?1",
        "SELECT s.term_id FROM examples_fts JOIN examples AS e ON e.id = examples_fts.rowid
         JOIN senses AS s ON s.id = e.sense_id WHERE examples_fts MATCH ?1",
    ];
    for sql in term_sql {
        let mut stmt = conn.prepare_cached(sql)?;
        for id in stmt.query_map([&phrase], |r| r.get(0))? {
            terms.insert(id?);
        }
    }
    for (table, fts) in [
        ("differences", "differences_fts"),
        ("comparison_rows", "comparison_rows_fts"),
        ("faqs", "faqs_fts"),
    ] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT x.comparison_id FROM {fts} JOIN {table} AS x ON x.id = {fts}.rowid
             WHERE {fts} MATCH ?1"
        ))?;
        for id in stmt.query_map([&phrase], |r| r.get(0))? {
            comparisons.insert(id?);
        }
    }
    Ok((terms, comparisons))
}

#[cfg(test)]
mod tests {
    use super::rank::varint;
    use super::*;

    /// The seed glossary in memory.
    pub(super) fn seeded() -> Connection {
        let mut conn = crate::db::open_in_memory().unwrap();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        crate::import::import(
            &mut conn,
            &crate::change::Actor::default(),
            &[seeds],
            Default::default(),
            &mut crate::import::Quiet,
        )
        .unwrap();
        conn
    }

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
        let conn = seeded();
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
