//! `revisions`: what the history triggers record of every row written
//! (migrations V2, V6), read back. Describing them in words, and undoing
//! them, is [`crate::history`]'s; this is their SQL, with the queries that
//! find an entry's revisions and changes through the indexes made for
//! them (V7).

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Map;

use crate::error::Result;

/// A row's recorded columns, as the triggers write them (`json_object`).
pub type Values = Map<String, serde_json::Value>;

/// One row of `revisions`, its values parsed.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub id: i64,
    pub changed_at: String,
    pub table: String,
    pub row_id: i64,
    pub action: String,
    pub old: Option<Values>,
    pub new: Option<Values>,
}

pub fn parse_json(s: Option<String>) -> Option<Values> {
    s.and_then(|t| serde_json::from_str::<Values>(&t).ok())
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Recorded> {
    Ok(Recorded {
        id: r.get("id")?,
        changed_at: r.get("changed_at")?,
        table: r.get("table_name")?,
        row_id: r.get("row_id")?,
        action: r.get("action")?,
        old: parse_json(r.get("old_values")?),
        new: parse_json(r.get("new_values")?),
    })
}

const SELECT: &str =
    "SELECT id, changed_at, table_name, row_id, action, old_values, new_values FROM revisions";

/// The revisions of change `change`, in order; at most `limit` (-1: all).
pub fn of_change(conn: &Connection, change: i64, limit: i64) -> Result<Vec<Recorded>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE change_id = ?1 ORDER BY id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![change, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many revisions change `change` has.
pub fn count_of_change(conn: &Connection, change: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM revisions WHERE change_id = ?1",
        [change],
        |r| r.get(0),
    )?)
}

/// `table`'s row `id` as its latest deletion recorded it.
pub fn latest_deletion(conn: &Connection, table: &str, id: i64) -> Result<Option<Values>> {
    let old: Option<String> = conn
        .query_row(
            "SELECT old_values FROM revisions
             WHERE table_name = ?1 AND row_id = ?2 AND action = 'delete'
             ORDER BY id DESC LIMIT 1",
            params![table, id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(parse_json(old))
}

/// `table`'s row `id` now, its `columns` as a revision records them (the
/// table and columns are the registry's, never input).
pub fn values_now(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    id: i64,
) -> Result<Option<Values>> {
    let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {c}")).collect();
    let sql = format!(
        "SELECT json_object({}) FROM {table} WHERE id = ?1",
        pairs.join(", ")
    );
    let json: Option<String> = conn.query_row(&sql, [id], |r| r.get(0)).optional()?;
    Ok(parse_json(json))
}

/// The newest revision that took `table`'s row `id` from published to
/// something else, if one did.
pub fn last_unpublished(conn: &Connection, table: &str, id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT max(id) FROM revisions
         WHERE table_name = ?1 AND row_id = ?2
           AND json_extract(old_values, '$.status') = 'published'
           AND json_extract(new_values, '$.status') IS NOT 'published'",
        params![table, id],
        |r| r.get(0),
    )?)
}

/// The revisions after `since` of the comparison or term `table`'s row
/// `id` and of its parts, in order.
pub fn of_entry_since(
    conn: &Connection,
    table: &str,
    id: i64,
    since: i64,
) -> Result<Vec<Recorded>> {
    let sql = format!(
        "{SELECT} WHERE id > ?3 AND id IN (SELECT id FROM ({})) ORDER BY id",
        entry_revisions("?1", "?2")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![table, id, since], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest change that touched the comparison or term `table`'s row
/// `id` or its parts, other than the open one (0 if none did).
pub fn entry_version(conn: &Connection, table: &str, id: i64) -> Result<i64> {
    let sql = format!(
        "SELECT coalesce(max(change_id), 0) FROM ({})
         WHERE change_id <> coalesce((SELECT change_id FROM current_change), -1)",
        entry_changes("?1", "?2")
    );
    Ok(conn.query_row(&sql, params![table, id], |r| r.get(0))?)
}

/// The revisions (`id`, `change_id`) of the comparison or term whose
/// table and id are the SQL parameters `table` and `id`, and of its parts,
/// found through indexes: its own, its parts' by the parent id they record
/// (the V7 index on exactly this expression), and those of the parts it
/// has now (inserts record no values). CROSS JOIN keeps SQLite reading
/// those from the parts (by their parent's index) and not from every
/// revision of their table, which grows with every save.
pub(crate) fn entry_revisions(table: &str, id: &str) -> String {
    let parent = "coalesce(json_extract(old_values, '$.comparison_id'), json_extract(new_values, '$.comparison_id'),
                           json_extract(old_values, '$.term_id'), json_extract(new_values, '$.term_id'))";
    format!(
        "SELECT id, change_id FROM revisions WHERE table_name = {table} AND row_id = {id}
         UNION ALL
         SELECT id, change_id FROM revisions
         WHERE {table} = 'comparisons' AND table_name IN ('differences', 'comparison_rows', 'faqs') AND {parent} = {id}
         UNION ALL
         SELECT id, change_id FROM revisions WHERE {table} = 'terms' AND table_name = 'senses' AND {parent} = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM differences AS d CROSS JOIN revisions AS r ON r.table_name = 'differences' AND r.row_id = d.id
         WHERE {table} = 'comparisons' AND d.comparison_id = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM comparison_rows AS x CROSS JOIN revisions AS r ON r.table_name = 'comparison_rows' AND r.row_id = x.id
         WHERE {table} = 'comparisons' AND x.comparison_id = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM faqs AS f CROSS JOIN revisions AS r ON r.table_name = 'faqs' AND r.row_id = f.id
         WHERE {table} = 'comparisons' AND f.comparison_id = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM senses AS s CROSS JOIN revisions AS r ON r.table_name = 'senses' AND r.row_id = s.id
         WHERE {table} = 'terms' AND s.term_id = {id}
         UNION ALL
         SELECT r.id, r.change_id FROM senses AS s CROSS JOIN examples AS e ON e.sense_id = s.id
         CROSS JOIN revisions AS r ON r.table_name = 'examples' AND r.row_id = e.id
         WHERE {table} = 'terms' AND s.term_id = {id}"
    )
}

/// The changes (`change_id`) whose import ranges added the parts the
/// comparison or term (the SQL parameters `table`, `id`) has now: an
/// import records the rows it adds as ranges of ids, not revisions, so a
/// FAQ imported into an existing article is found here. Ranges are few
/// (one per import and table); each is asked whether the entry has a part
/// in it, through the parts' index by parent.
fn part_ranges(table: &str, id: &str) -> String {
    let mut parts: Vec<String> = ["differences", "comparison_rows", "faqs"]
        .iter()
        .map(|part| {
            format!(
                "SELECT NULL, g.change_id FROM change_ranges AS g
                 WHERE {table} = 'comparisons' AND g.table_name = '{part}'
                   AND EXISTS (SELECT 1 FROM {part} AS p
                               WHERE p.comparison_id = {id} AND p.id BETWEEN g.first_id AND g.last_id)"
            )
        })
        .collect();
    parts.push(format!(
        "SELECT NULL, g.change_id FROM change_ranges AS g
         WHERE {table} = 'terms' AND g.table_name = 'senses'
           AND EXISTS (SELECT 1 FROM senses AS p
                       WHERE p.term_id = {id} AND p.id BETWEEN g.first_id AND g.last_id)"
    ));
    parts.push(format!(
        "SELECT NULL, g.change_id FROM change_ranges AS g
         WHERE {table} = 'terms' AND g.table_name = 'examples'
           AND EXISTS (SELECT 1 FROM senses AS s CROSS JOIN examples AS p ON p.sense_id = s.id
                       WHERE s.term_id = {id} AND p.id BETWEEN g.first_id AND g.last_id)"
    ));
    parts.join("\n UNION ALL\n")
}

/// The changes (rows of revision `id` or NULL, `change_id`) that touched the comparison or term (the SQL
/// parameters `table`, `id`) or its parts: revisions, and import ranges
/// of the entry and of its parts.
pub(crate) fn entry_changes(table: &str, id: &str) -> String {
    format!(
        // One flat UNION ALL of (revision id, change id), as entry_revisions
        // is: nested in a subquery, SQLite planned it slower.
        "{}
         UNION ALL
         SELECT NULL, change_id FROM change_ranges WHERE table_name = {table} AND first_id <= {id} AND last_id >= {id}
         UNION ALL
         {}",
        entry_revisions(table, id),
        part_ranges(table, id)
    )
}
