//! `senses`: the numbered meanings of a term.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::{SenseId, TermId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sense {
    pub id: SenseId,
    pub term_id: TermId,
    pub sense_number: i64,
    pub domain: Option<String>,
    pub definition: String,
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Sense> {
    Ok(Sense {
        id: r.get("id")?,
        term_id: r.get("term_id")?,
        sense_number: r.get("sense_number")?,
        domain: r.get("domain")?,
        definition: r.get("definition")?,
    })
}

pub fn find(conn: &Connection, term: TermId, number: i64) -> Result<Option<Sense>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, term_id, sense_number, domain, definition
         FROM senses WHERE term_id = ?1 AND sense_number = ?2",
    )?;
    Ok(stmt.query_row(params![term, number], from_row).optional()?)
}

pub fn upsert(
    conn: &Connection,
    term: TermId,
    number: i64,
    domain: Option<&str>,
    definition: &str,
) -> Result<SenseId> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO senses (term_id, sense_number, domain, definition)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (term_id, sense_number) DO UPDATE SET
             domain = excluded.domain,
             definition = excluded.definition
         WHERE (domain, definition) IS NOT (excluded.domain, excluded.definition)
         RETURNING id",
    )?;
    let id = stmt
        .query_row(params![term, number, domain, definition], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => Ok(id),
        None => Ok(find(conn, term, number)?
            .expect("upsert of an unchanged sense finds it")
            .id),
    }
}

/// A term's senses in order.
pub fn for_term(conn: &Connection, term: TermId) -> Result<Vec<Sense>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, term_id, sense_number, domain, definition
         FROM senses WHERE term_id = ?1 ORDER BY sense_number",
    )?;
    let rows = stmt
        .query_map([term], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The sense numbers a term has, for "the term has senses 1-7" hints.
/// The number of sense `id` under its term.
pub fn number(conn: &Connection, id: SenseId) -> Result<i64> {
    let mut stmt = conn.prepare_cached("SELECT sense_number FROM senses WHERE id = ?1")?;
    Ok(stmt.query_row([id], |r| r.get(0))?)
}

pub fn numbers(conn: &Connection, term: TermId) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT sense_number FROM senses WHERE term_id = ?1 ORDER BY 1")?;
    let rows = stmt
        .query_map([term], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The error for a sense `number` that term `term` does not have, with
/// the numbers it has.
pub fn no_such(conn: &Connection, term: TermId, number: i64) -> Result<crate::error::Error> {
    Ok(crate::error::Error::NoSuchSense {
        term: crate::store::terms::get(conn, term)?.term,
        number,
        has: numbers(conn, term)?,
    })
}

/// A term's definitions in sense order, each with its domain (if any).
pub type Senses = Vec<(Option<String>, String)>;

/// [`Senses`] by term.
pub type Definitions = std::collections::HashMap<TermId, Senses>;

/// Every term's [`Senses`]: what links to the terms show on hover (the
/// one whose domain fits the page where one does), for a build of every
/// page.
pub fn definitions_by_term(conn: &Connection) -> Result<Definitions> {
    let mut stmt = conn
        .prepare("SELECT term_id, domain, definition FROM senses ORDER BY term_id, sense_number")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, TermId>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Definitions::new();
    for row in rows {
        let (term, domain, definition) = row?;
        out.entry(term).or_default().push((domain, definition));
    }
    Ok(out)
}

/// One term's [`Senses`], for a build of a few pages.
pub fn definitions_of(conn: &Connection, term: TermId) -> Result<Senses> {
    let mut stmt = conn.prepare_cached(
        "SELECT domain, definition FROM senses WHERE term_id = ?1 ORDER BY sense_number",
    )?;
    let rows = stmt.query_map([term], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The texts a page shows of each term with an id in `ids` (its
/// definitions, and its senses' examples), each given to `visit` with its
/// term, in no order: what the site reads to know which terms each term's
/// page links to (a range each worker).
pub fn texts_by_term(
    conn: &Connection,
    ids: std::ops::RangeInclusive<i64>,
    visit: &mut dyn FnMut(TermId, &str),
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT term_id, definition FROM senses WHERE term_id BETWEEN ?1 AND ?2
         UNION ALL
         SELECT s.term_id, e.text FROM examples AS e JOIN senses AS s ON s.id = e.sense_id
         WHERE s.term_id BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([ids.start(), ids.end()])?;
    while let Some(row) = rows.next()? {
        let text = row.get_ref(1)?.as_str().unwrap_or_default();
        visit(row.get(0)?, text);
    }
    Ok(())
}

/// One term's texts, as [`texts_by_term`] gives them.
pub fn texts_of(conn: &Connection, term: TermId) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT definition FROM senses WHERE term_id = ?1
         UNION ALL
         SELECT e.text FROM examples AS e JOIN senses AS s ON s.id = e.sense_id WHERE s.term_id = ?1",
    )?;
    let rows = stmt.query_map([term], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
