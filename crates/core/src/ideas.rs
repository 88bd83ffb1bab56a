//! Ideas for content: the comparisons readers would want that have no
//! article yet (`glossary suggest comparisons`, the web dashboard).
//!
//! A pair of terms is suggested when the glossary relates them: synonyms
//! and antonyms (the classic "what's the difference", weight 3), terms
//! related as "see also" (2), and terms under one broader meaning (1 for
//! each they share: co-hyponyms, "producer vs. director" under "film
//! crew"). Each reason adds to the pair's score. Pairs with an article,
//! either way round, are left out. Terms often mentioned together are not
//! counted: what mentions what is known to a site build, not to the
//! database.

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;

/// A comparison to write: two terms, how strongly the glossary ties them,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Idea {
    pub left: String,
    pub right: String,
    pub score: i64,
    /// `synonym`, `antonym`, `related`, `sibling`: each reason once.
    pub reasons: Vec<String>,
}

/// The `limit` best ideas, highest score first, then by name.
pub fn comparisons(conn: &Connection, limit: i64) -> Result<Vec<Idea>> {
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
         ),
         scored (a, b, score, reasons) AS (
             SELECT a, b, sum(weight), group_concat(DISTINCT reason) FROM pairs
             WHERE NOT EXISTS (
                 SELECT 1 FROM comparisons AS c
                 WHERE (c.left_term_id = a AND c.right_term_id = b)
                    OR (c.left_term_id = b AND c.right_term_id = a))
             GROUP BY a, b
         )
         SELECT l.term, r.term, s.score, s.reasons
         FROM scored AS s JOIN terms AS l ON l.id = s.a JOIN terms AS r ON r.id = s.b
         ORDER BY s.score DESC, l.lookup_key, r.lookup_key
         LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        let reasons: String = r.get(3)?;
        let mut reasons: Vec<String> = reasons.split(',').map(str::to_string).collect();
        reasons.sort();
        Ok(Idea {
            left: r.get(0)?,
            right: r.get(1)?,
            score: r.get(2)?,
            reasons,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
