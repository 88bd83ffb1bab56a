//! Removing an entry, and what goes with it.

use super::*;

/// What removing an entry takes with it, by table: `[("senses", 7), ...]`.
pub fn cascade(conn: &Connection, entry: &Entry) -> Result<Vec<(&'static str, i64)>> {
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [entry.id], |r| r.get(0))?) };
    let comparisons_of_term =
        "SELECT id FROM comparisons WHERE left_term_id = ?1 OR right_term_id = ?1";
    let mut out = Vec::new();
    match entry.kind {
        Kind::Term => {
            out.push((
                "senses",
                count("SELECT count(*) FROM senses WHERE term_id = ?1")?,
            ));
            out.push((
                "examples",
                count("SELECT count(*) FROM examples WHERE sense_id IN (SELECT id FROM senses WHERE term_id = ?1)")?,
            ));
            out.push((
                "variants",
                count("SELECT count(*) FROM variants WHERE term_id = ?1")?,
            ));
            out.push((
                "relations",
                count("SELECT count(*) FROM relations WHERE term_id = ?1 OR target_term_id = ?1")?,
            ));
            out.push((
                "comparisons",
                count(&format!("SELECT count(*) FROM ({comparisons_of_term})"))?,
            ));
            for t in ["differences", "comparison_rows", "faqs"] {
                out.push((
                    t,
                    count(&format!(
                        "SELECT count(*) FROM {t} WHERE comparison_id IN ({comparisons_of_term})"
                    ))?,
                ));
            }
        }
        Kind::Sense => {
            out.push((
                "examples",
                count("SELECT count(*) FROM examples WHERE sense_id = ?1")?,
            ));
            out.push((
                "relations",
                count(
                    "SELECT count(*) FROM relations WHERE sense_id = ?1 OR target_sense_id = ?1",
                )?,
            ));
        }
        Kind::Comparison => {
            for t in ["differences", "comparison_rows", "faqs"] {
                out.push((
                    t,
                    count(&format!(
                        "SELECT count(*) FROM {t} WHERE comparison_id = ?1"
                    ))?,
                ));
            }
        }
        _ => {}
    }
    out.retain(|(_, n)| *n > 0);
    Ok(out)
}

/// The articles that go with a term (every comparison it is a side of):
/// their slugs, published ones first, and whether each is published.
pub fn articles_of_term(conn: &Connection, entry: &Entry) -> Result<Vec<(String, bool)>> {
    if entry.kind != Kind::Term {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT slug, status = 'published' FROM comparisons
         WHERE left_term_id = ?1 OR right_term_id = ?1
         ORDER BY status = 'published' DESC, slug",
    )?;
    let rows = stmt.query_map([entry.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Removes the entry; its children go with it (foreign keys cascade) and
/// the entries after it move up (triggers close the gap).
pub fn remove(conn: &Connection, entry: &Entry) -> Result<()> {
    let sql = format!("DELETE FROM {} WHERE id = ?1", entry.kind.table());
    conn.execute(&sql, [entry.id])?;
    Ok(())
}
