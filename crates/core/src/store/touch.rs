//! The owners' `updated_at`, caught up at the end of an import: while an
//! import runs, the triggers that touch a term for its senses, examples,
//! variants and relations
//! and a comparison for its paragraphs, chart rows and FAQs stand aside
//! (see the V13 migration), and this touches each owner once instead.

use rusqlite::{params, Connection};

use crate::error::Result;

/// What a touch sets, as the triggers write it.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// Touches the owner of every row the open change inserted (ids past
/// `starts`, from [`crate::change::max_ids`]) or changed (its revisions).
pub fn owners_of_open_change(conn: &Connection, starts: &[(&'static str, i64)]) -> Result<()> {
    let start = |table: &str| {
        starts
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, id)| *id)
    };
    // A row's owner as its revision names it: the new values of an update.
    let revised = |table: &str, column: &str| {
        format!(
            "SELECT json_extract(new_values, '$.{column}') FROM revisions
             WHERE change_id = (SELECT change_id FROM current_change)
               AND table_name = '{table}' AND action = 'update'"
        )
    };
    let terms = format!(
        "UPDATE terms SET updated_at = {NOW}
         WHERE updated_at IS NOT {NOW} AND id IN (
             SELECT term_id FROM senses WHERE id > ?1
             UNION SELECT s.term_id FROM examples AS e JOIN senses AS s ON s.id = e.sense_id
                   WHERE e.id > ?2
             UNION SELECT term_id FROM variants WHERE id > ?3
             UNION SELECT term_id FROM relations WHERE id > ?4
             UNION SELECT target_term_id FROM relations WHERE id > ?4
             UNION {senses}
             UNION SELECT term_id FROM senses WHERE id IN ({examples})
             UNION {variants} UNION {relations} UNION {relation_targets})",
        senses = revised("senses", "term_id"),
        examples = revised("examples", "sense_id"),
        variants = revised("variants", "term_id"),
        relations = revised("relations", "term_id"),
        relation_targets = revised("relations", "target_term_id"),
    );
    conn.execute(
        &terms,
        params![
            start("senses"),
            start("examples"),
            start("variants"),
            start("relations")
        ],
    )?;
    let comparisons = format!(
        "UPDATE comparisons SET updated_at = {NOW}
         WHERE updated_at IS NOT {NOW} AND id IN (
             SELECT comparison_id FROM differences WHERE id > ?1
             UNION SELECT comparison_id FROM comparison_rows WHERE id > ?2
             UNION SELECT comparison_id FROM faqs WHERE id > ?3
             UNION {differences} UNION {rows} UNION {faqs})",
        differences = revised("differences", "comparison_id"),
        rows = revised("comparison_rows", "comparison_id"),
        faqs = revised("faqs", "comparison_id"),
    );
    conn.execute(
        &comparisons,
        params![
            start("differences"),
            start("comparison_rows"),
            start("faqs")
        ],
    )?;
    Ok(())
}
