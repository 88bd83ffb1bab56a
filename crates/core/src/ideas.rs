//! Ideas for content: the comparisons readers would want that have no
//! article yet (`glossary suggest comparisons`, the web's ideas page).
//!
//! A pair of terms is suggested when the glossary relates them: synonyms
//! and antonyms (the classic "what's the difference", weight 3), terms
//! related as "see also" (2), and terms under one broader meaning (1 for
//! each they share: co-hyponyms, "producer vs. director" under "film
//! crew"); and when its texts name them together (`together`: 1 for two
//! to four texts, 2 for five or more; one text may be chance). Which texts
//! name which terms is the site's matching, so the caller gives those
//! counts (`glossary_site::together`, in the binary and the web). Each
//! reason adds to the pair's score. Pairs with an article, either way
//! round, are left out.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::model::TermId;

/// A comparison to write: two terms, how strongly the glossary ties them,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Idea {
    pub left: String,
    pub right: String,
    pub score: i64,
    /// `synonym`, `antonym`, `related`, `sibling`, `together`: each
    /// reason once.
    pub reasons: Vec<String>,
}

/// The weight of a pair named together in `texts` texts.
fn together_weight(texts: i64) -> i64 {
    match texts {
        ..=1 => 0,
        2..=4 => 1,
        _ => 2,
    }
}

/// The `limit` best ideas, highest score first, then by name; `together`
/// counts the texts that name each pair of terms (lower id first).
pub fn comparisons(
    conn: &Connection,
    limit: i64,
    together: &[(TermId, TermId, i64)],
) -> Result<Vec<Idea>> {
    let mut stmt = conn.prepare_cached(
        "WITH edges (child, parent, parent_sense) AS (
             SELECT term_id, target_term_id, target_sense_id FROM relations WHERE relation = 'broader'
             UNION ALL
             SELECT target_term_id, term_id, sense_id FROM relations WHERE relation = 'narrower'
         ),
         pairs (a, b, reason, weight) AS (
             SELECT min(term_id, target_term_id), max(term_id, target_term_id), relation,
                    CASE relation WHEN 'related' THEN 2 ELSE 3 END
             FROM relations
             WHERE relation IN ('synonym', 'antonym', 'related') AND term_id <> target_term_id
             UNION ALL
             SELECT min(x.child, y.child), max(x.child, y.child), 'sibling', 1
             FROM edges AS x JOIN edges AS y
               ON x.parent = y.parent AND x.parent_sense IS y.parent_sense AND x.child < y.child
         )
         SELECT a, b, sum(weight), group_concat(DISTINCT reason) FROM pairs GROUP BY a, b",
    )?;
    let mut scored: HashMap<(i64, i64), (i64, Vec<String>)> = HashMap::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, i64>(0)?, r.get::<_, i64>(1)?),
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (pair, score, reasons) = row?;
        scored.insert(
            pair,
            (score, reasons.split(',').map(str::to_string).collect()),
        );
    }
    for (a, b, texts) in together {
        let weight = together_weight(*texts);
        if weight == 0 || a == b {
            continue;
        }
        let pair = (a.0.min(b.0), a.0.max(b.0));
        let entry = scored.entry(pair).or_default();
        entry.0 += weight;
        entry.1.push("together".to_string());
    }
    // Pairs with an article, either way round, are written already.
    let mut stmt = conn.prepare_cached("SELECT left_term_id, right_term_id FROM comparisons")?;
    let written = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for pair in written {
        let (a, b) = pair?;
        scored.remove(&(a.min(b), a.max(b)));
    }
    if scored.is_empty() {
        return Ok(Vec::new());
    }
    let mut names: HashMap<i64, (String, String)> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, term, lookup_key FROM terms")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))? {
        let (id, named) = row?;
        names.insert(id, named);
    }
    // (name, lookup key) of each term of the pair, its score and reasons.
    type Named<'a> = (&'a (String, String), &'a (String, String), i64, Vec<String>);
    let mut ideas: Vec<Named<'_>> = scored
        .into_iter()
        .filter_map(|((a, b), (score, mut reasons))| {
            reasons.sort();
            reasons.dedup();
            Some((names.get(&a)?, names.get(&b)?, score, reasons))
        })
        .collect();
    ideas.sort_by(|x, y| {
        y.2.cmp(&x.2)
            .then_with(|| x.0 .1.cmp(&y.0 .1))
            .then_with(|| x.1 .1.cmp(&y.1 .1))
    });
    ideas.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(ideas
        .into_iter()
        .map(|(l, r, score, reasons)| Idea {
            left: l.0.clone(),
            right: r.0.clone(),
            score,
            reasons,
        })
        .collect())
}
