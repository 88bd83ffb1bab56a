//! `relations`: between a sense of a term (or the whole term) and a sense
//! of another (or the whole of it), stored once per pair in the direction
//! written (the V20 migration); the inverse is implied.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::model::{SenseId, TermId};

/// The relations there are, as the schema's CHECK lists them.
pub const KINDS: &[&str] = &["synonym", "antonym", "broader", "narrower", "related"];

/// The relation as seen from the other end: broader and narrower are each
/// other's inverse; the others are their own.
pub fn inverse(relation: &str) -> &str {
    match relation {
        "broader" => "narrower",
        "narrower" => "broader",
        other => other,
    }
}

/// A relation as typed (`Broader `), checked against [`KINDS`].
pub fn parse(typed: &str) -> std::result::Result<&'static str, String> {
    let wanted = typed.trim().to_ascii_lowercase();
    KINDS.iter().copied().find(|k| *k == wanted).ok_or_else(|| {
        let close = crate::suggest::closest(&wanted, KINDS, 1);
        let hint = close
            .first()
            .map(|c| format!(" (did you mean \"{c}\"?)"))
            .unwrap_or_default();
        format!(
            "\"{}\" is not a relation{hint}: one of {}",
            typed.trim(),
            KINDS.join(", ")
        )
    })
}

/// One end of a relation: a term, and one of its senses or the whole of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct End {
    pub term: TermId,
    pub sense: Option<SenseId>,
}

/// A relation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub id: i64,
    pub position: i64,
    pub from: End,
    pub relation: String,
    pub to: End,
}

const COLUMNS: &str = "id, position, term_id, sense_id, relation, target_term_id, target_sense_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Relation> {
    Ok(Relation {
        id: r.get(0)?,
        position: r.get(1)?,
        from: End {
            term: r.get(2)?,
            sense: r.get(3)?,
        },
        relation: r.get(4)?,
        to: End {
            term: r.get(5)?,
            sense: r.get(6)?,
        },
    })
}

/// Relation `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Relation> {
    let sql = format!("SELECT {COLUMNS} FROM relations WHERE id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], from_row)?)
}

/// The relation between `a` and `b`, whichever way round it was written.
pub fn between(conn: &Connection, a: End, b: End) -> Result<Option<Relation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM relations
         WHERE (term_id = ?1 AND sense_id IS ?2 AND target_term_id = ?3 AND target_sense_id IS ?4)
            OR (term_id = ?3 AND sense_id IS ?4 AND target_term_id = ?1 AND target_sense_id IS ?2)"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt
        .query_row(params![a.term, a.sense, b.term, b.sense], from_row)
        .optional()?)
}

/// Adds a relation at `position` of its term's list (free: the caller
/// made room). Returns its id.
pub fn insert(conn: &Connection, position: i64, from: End, relation: &str, to: End) -> Result<i64> {
    // Not RETURNING (see `variants::insert_keyed`).
    conn.prepare_cached(
        "INSERT INTO relations (term_id, position, sense_id, relation, target_term_id, target_sense_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![from.term, position, from.sense, relation, to.term, to.sense])?;
    Ok(conn.last_insert_rowid())
}

/// Sets the relation of row `id`.
pub fn set_relation(conn: &Connection, id: i64, relation: &str) -> Result<()> {
    conn.prepare_cached("UPDATE relations SET relation = ?1 WHERE id = ?2")?
        .execute(params![relation, id])?;
    Ok(())
}

/// Whether `narrow` broader `broad` would close a cycle of broader
/// relations (`broad` is, through them, narrower than `narrow` already),
/// leaving out the row `except` (the one being changed). SQLite's
/// triggers cannot ask this (they cannot recurse), so glossary does
/// before it writes, and `check` after anyone has.
pub fn closes_cycle(conn: &Connection, narrow: End, broad: End, except: i64) -> Result<bool> {
    if narrow == broad {
        return Ok(true);
    }
    // A chain upwards can only come back to `narrow` if something is
    // narrower than it: most relations (a tree written top down, any
    // leaf) are settled by this look-up and never walk the chain.
    let mut below = conn.prepare_cached(
        "SELECT 1 FROM relations
         WHERE id <> ?3
           AND ((relation = 'broader' AND target_term_id = ?1 AND target_sense_id IS ?2)
             OR (relation = 'narrower' AND term_id = ?1 AND sense_id IS ?2))
         LIMIT 1",
    )?;
    if below
        .query_row(params![narrow.term, narrow.sense, except], |_| Ok(()))
        .optional()?
        .is_none()
    {
        return Ok(false);
    }
    let mut stmt = conn.prepare_cached(UP)?;
    let found = stmt
        .query_row(
            params![broad.term, broad.sense, except, narrow.term, narrow.sense],
            |_| Ok(()),
        )
        .optional()?;
    Ok(found.is_some())
}

/// Everything broader than (?1, ?2), through broader relations and
/// narrower ones read backwards, except row ?3: is (?4, ?5) among them?
const UP: &str = "
    WITH RECURSIVE up (term_id, sense_id) AS (
        SELECT ?1, ?2
        UNION
        SELECT r.target_term_id, r.target_sense_id FROM relations AS r JOIN up
          ON r.relation = 'broader' AND r.term_id = up.term_id AND r.sense_id IS up.sense_id
         WHERE r.id <> ?3
        UNION
        SELECT r.term_id, r.sense_id FROM relations AS r JOIN up
          ON r.relation = 'narrower' AND r.target_term_id = up.term_id AND r.target_sense_id IS up.sense_id
         WHERE r.id <> ?3
    )
    SELECT 1 FROM up WHERE term_id = ?4 AND sense_id IS ?5 LIMIT 1";

/// The broader relations that close a cycle, for `check`: each row whose
/// broader end is, through the others, narrower than its own narrow end.
pub fn in_cycles(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM relations WHERE relation IN ('broader', 'narrower') ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for r in rows {
        let (narrow, broad) = if r.relation == "broader" {
            (r.from, r.to)
        } else {
            (r.to, r.from)
        };
        if closes_cycle(conn, narrow, broad, r.id)? {
            out.push(r.id);
        }
    }
    Ok(out)
}

/// A term's relations, both ways, as its page shows them: what the term
/// (or one of its senses) is to each other end, the inverse where it is
/// the target. In the order of the term's own list, then those written
/// from the other ends.
pub fn of_term(conn: &Connection, term: TermId) -> Result<Vec<Seen>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.relation, s.sense_number, t.term, t.status, ts.sense_number, 0 AS reversed, r.position, t.id
         FROM relations AS r JOIN terms AS t ON t.id = r.target_term_id
         LEFT JOIN senses AS s ON s.id = r.sense_id LEFT JOIN senses AS ts ON ts.id = r.target_sense_id
         WHERE r.term_id = ?1
         UNION ALL
         SELECT r.relation, ts.sense_number, t.term, t.status, s.sense_number, 1, r.position, t.id
         FROM relations AS r JOIN terms AS t ON t.id = r.term_id
         LEFT JOIN senses AS s ON s.id = r.sense_id LEFT JOIN senses AS ts ON ts.id = r.target_sense_id
         WHERE r.target_term_id = ?1 AND r.term_id <> ?1
         ORDER BY 6, 7, 3",
    )?;
    let rows = stmt
        .query_map([term], |r| {
            let relation: String = r.get(0)?;
            let reversed: bool = r.get(5)?;
            Ok(Seen {
                relation: if reversed {
                    inverse(&relation).to_string()
                } else {
                    relation
                },
                sense: r.get(1)?,
                other: r.get(2)?,
                other_id: r.get(7)?,
                other_published: r.get::<_, String>(3)? == "published",
                other_sense: r.get(4)?,
                theirs: reversed,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A relation as one of its ends sees it: `sense` (of this term, or the
/// whole term) is `relation` of `other`'s `other_sense`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    pub relation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sense: Option<i64>,
    #[serde(rename = "term")]
    pub other: String,
    #[serde(skip)]
    pub other_id: TermId,
    #[serde(skip)]
    pub other_published: bool,
    #[serde(rename = "term_sense", skip_serializing_if = "Option::is_none")]
    pub other_sense: Option<i64>,
    /// Written from the other end (it is in the other term's list).
    #[serde(skip)]
    pub theirs: bool,
}
