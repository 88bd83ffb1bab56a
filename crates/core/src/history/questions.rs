//! What others ask of the history: the review queue (what changed since
//! an entry was last published), the web editor (did a change touch
//! published content), and the site build (when each page last changed,
//! and what changed since the last build).

use super::*;

/// What changed in the comparison or term `entry` and its parts since it
/// was last published (its newest revision from published to draft), as
/// one revision per row: the row then against the row now. None if it was
/// never published. Rows added and removed since cancel out; rows that
/// only moved for a neighbour are left out.
pub fn since_published(conn: &Connection, entry: &Entry) -> Result<Option<Vec<Revision>>> {
    let (table, id) = (entry.kind.table(), entry.id);
    let Some(since) = recorded::last_unpublished(conn, table, id)? else {
        return Ok(None);
    };
    let raws = recorded::of_entry_since(conn, table, id, since)?;
    // Each row once: as it was at the first revision, as it is after the last.
    let mut merged: Vec<Recorded> = Vec::new();
    for raw in raws {
        match merged
            .iter_mut()
            .find(|m| m.table == raw.table && m.row_id == raw.row_id)
        {
            Some(m) => {
                m.new = raw.new;
                m.changed_at = raw.changed_at;
                m.id = raw.id;
                if raw.action == "delete" {
                    m.action = if m.action == "insert" {
                        "gone".into()
                    } else {
                        "delete".into()
                    };
                }
            }
            None => merged.push(raw),
        }
    }
    let mut revisions = Vec::new();
    for mut raw in merged {
        if raw.action == "gone" || only_moved(&raw) {
            continue;
        }
        if raw.action == "insert" {
            // An insert records no values: shown as the row is now.
            raw.new = None;
        }
        if raw.action == "update" && raw.new.is_none() {
            raw.new = current(conn, &raw.table, raw.row_id)?;
        }
        let revision = describe(conn, raw)?;
        if !revision.changes.is_empty() {
            revisions.push(revision);
        }
    }
    Ok(Some(revisions))
}

/// The first published entry that change `id` touched, named as a person
/// names it: a published comparison or term (published before the change
/// or by it), or a part of one. An editor's account may change only drafts;
/// this is how the web editor tells, whatever the route did.
pub fn touched_published(conn: &Connection, id: i64) -> Result<Option<String>> {
    let published = |table: &str, row: i64| -> Result<bool> {
        Ok(current(conn, table, row)?.is_some_and(|v| field(&v, "status") == "published"))
    };
    let raws = recorded::of_change(conn, id, -1)?;
    for raw in raws {
        // The values recorded (an insert records none: the row as it is).
        let values = match (&raw.old, &raw.new) {
            (_, Some(v)) | (Some(v), None) => Some(v.clone()),
            (None, None) => current(conn, &raw.table, raw.row_id)?,
        };
        let Some(values) = values else { continue };
        let was_or_is = |v: &Option<Values>| {
            v.as_ref()
                .is_some_and(|v| field(v, "status") == "published")
        };
        let hit = match raw.table.as_str() {
            "terms" | "comparisons" => {
                was_or_is(&raw.old)
                    || was_or_is(&raw.new)
                    || (raw.new.is_none() && published(&raw.table, raw.row_id)?)
            }
            "senses" | "variants" | "relations" => published("terms", id_of(&values, "term_id"))?,
            "examples" => match known(conn, "senses", id_of(&values, "sense_id"))? {
                Some(sense) => published("terms", id_of(&sense, "term_id"))?,
                None => false,
            },
            _ => published("comparisons", id_of(&values, "comparison_id"))?,
        };
        if hit {
            return Ok(Some(label(conn, &raw.table, &values)?));
        }
    }
    Ok(None)
}

/// The day (`YYYY-MM-DD`) of the last change to the comparison or term
/// `id` (or to its parts), if the history has one: a page's
/// `dateModified` and its sitemap `lastmod`.
pub fn last_change_day(conn: &Connection, kind: Kind, id: i64) -> Result<Option<String>> {
    // The kind's table written into the SQL, not bound: a bound table name
    // compared in the query made SQLite prepare it again at every step
    // (a third of an incremental build went to parsing it).
    let sql = format!(
        "SELECT substr(c.at, 1, 10) FROM changes AS c
         WHERE c.id = (SELECT max(change_id) FROM ({}))",
        recorded::entry_changes(&format!("'{}'", kind.table()), "?1")
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// [`last_change_day`] of every comparison (`Kind::Comparison`) or term
/// that has one, in one pass over the history: for a whole site.
pub fn last_change_days(conn: &Connection, kind: Kind) -> Result<HashMap<i64, String>> {
    let (table, parts) = match kind {
        Kind::Comparison => ("comparisons", "'differences', 'comparison_rows', 'faqs'"),
        _ => ("terms", "'senses'"),
    };
    let sql = format!(
        "SELECT t.owner, substr(c.at, 1, 10) FROM (
             SELECT owner, max(change_id) AS change_id FROM (
                 SELECT row_id AS owner, change_id FROM revisions WHERE table_name = '{table}'
                 UNION ALL
                 SELECT coalesce(json_extract(old_values, '$.comparison_id'), json_extract(new_values, '$.comparison_id'),
                                 json_extract(old_values, '$.term_id'), json_extract(new_values, '$.term_id')),
                        change_id
                 FROM revisions WHERE table_name IN ({parts}))
             GROUP BY owner) AS t
         JOIN changes AS c ON c.id = t.change_id"
    );
    let mut days: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare(&sql)?;
    for row in stmt.query_map([], |r| {
        Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, String>(1)?))
    })? {
        if let (Some(owner), day) = row? {
            days.insert(owner, day);
        }
    }
    // Rows an import added have no revisions: their import's day, unless
    // a later change is recorded above.
    let mut ranges = conn.prepare(
        "SELECT g.first_id, g.last_id, substr(c.at, 1, 10) FROM change_ranges AS g
         JOIN changes AS c ON c.id = g.change_id WHERE g.table_name = ?1 ORDER BY g.change_id",
    )?;
    let ranges: Vec<(i64, i64, String)> = ranges
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if !ranges.is_empty() {
        let ids: Vec<i64> = conn
            .prepare(&format!("SELECT id FROM {table}"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            if days.contains_key(&id) {
                continue;
            }
            if let Some((_, _, day)) = ranges
                .iter()
                .rev()
                .find(|(a, b, _)| (*a..=*b).contains(&id))
            {
                days.insert(id, day.clone());
            }
        }
    }
    Ok(days)
}

/// The comparisons and terms changes after `since` touched (themselves or
/// their parts), for an incremental build of the site.
#[derive(Debug, Default)]
pub struct Touched {
    pub comparisons: std::collections::HashSet<i64>,
    /// Terms changed (their senses, examples, name...).
    pub terms: std::collections::HashSet<i64>,
    /// Terms a touched comparison named before the change (their pages
    /// listed it).
    pub named: std::collections::HashSet<i64>,
}

/// [`Touched`] since change `since`, through the index of revisions by
/// change, and the ranges of rows imports added (each range read by its
/// ids, from the rows as they are: a row added and removed since has the
/// removal's revision): an import rebuilds only what it touched.
pub fn touched_since(conn: &Connection, since: i64) -> Result<Touched> {
    let mut touched = Touched::default();
    imported_since(conn, since, &mut touched)?;
    // An insert's revision holds no values: its parent (and a new
    // article's terms) are read from the row as it is now.
    let mut stmt = conn.prepare(
        "SELECT table_name, row_id,
                coalesce(json_extract(old_values, '$.comparison_id'), json_extract(new_values, '$.comparison_id'),
                         json_extract(old_values, '$.term_id'), json_extract(new_values, '$.term_id'),
                         CASE table_name
                             WHEN 'senses' THEN (SELECT term_id FROM senses WHERE id = row_id)
                             WHEN 'variants' THEN (SELECT term_id FROM variants WHERE id = row_id)
                             WHEN 'relations' THEN (SELECT term_id FROM relations WHERE id = row_id)
                             WHEN 'differences' THEN (SELECT comparison_id FROM differences WHERE id = row_id)
                             WHEN 'comparison_rows' THEN (SELECT comparison_id FROM comparison_rows WHERE id = row_id)
                             WHEN 'faqs' THEN (SELECT comparison_id FROM faqs WHERE id = row_id)
                         END),
                json_extract(old_values, '$.left_term_id'), json_extract(new_values, '$.left_term_id'),
                json_extract(old_values, '$.right_term_id'), json_extract(new_values, '$.right_term_id'),
                coalesce(json_extract(old_values, '$.sense_id'), json_extract(new_values, '$.sense_id'),
                         CASE table_name WHEN 'examples' THEN (SELECT sense_id FROM examples WHERE id = row_id) END),
                json_extract(old_values, '$.target_term_id'), json_extract(new_values, '$.target_term_id'),
                CASE table_name WHEN 'relations' THEN (SELECT target_term_id FROM relations WHERE id = row_id) END
         FROM revisions WHERE change_id > ?1",
    )?;
    let mut senses: Vec<i64> = Vec::new();
    let mut rows = stmt.query([since])?;
    while let Some(r) = rows.next()? {
        let table: String = r.get(0)?;
        let row: i64 = r.get(1)?;
        let parent: Option<i64> = r.get(2)?;
        match table.as_str() {
            "comparisons" => {
                touched.comparisons.insert(row);
                for i in 3..7 {
                    if let Some(t) = r.get::<_, Option<i64>>(i)? {
                        touched.named.insert(t);
                    }
                }
            }
            "differences" | "comparison_rows" | "faqs" => {
                touched.comparisons.extend(parent);
            }
            "terms" => {
                touched.terms.insert(row);
            }
            "senses" | "variants" => {
                touched.terms.extend(parent);
            }
            // Both ends' pages show a relation.
            "relations" => {
                touched.terms.extend(parent);
                for i in 8..11 {
                    touched.terms.extend(r.get::<_, Option<i64>>(i)?);
                }
            }
            "examples" => senses.extend(r.get::<_, Option<i64>>(7)?),
            _ => {}
        }
    }
    let mut owner = conn.prepare_cached("SELECT term_id FROM senses WHERE id = ?1")?;
    for sense in senses {
        if let Some(term) = owner.query_row([sense], |r| r.get(0)).optional()? {
            touched.terms.insert(term);
        }
    }
    Ok(touched)
}

/// What imports after `since` added, as [`Touched`] entries: each range of
/// ids read through its table's primary key.
fn imported_since(conn: &Connection, since: i64, touched: &mut Touched) -> Result<()> {
    let mut stmt = conn
        .prepare("SELECT table_name, first_id, last_id FROM change_ranges WHERE change_id > ?1")?;
    let ranges: Vec<(String, i64, i64)> = stmt
        .query_map([since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (table, first, last) in ranges {
        let ids = |sql: &str| -> Result<Vec<i64>> {
            let mut stmt = conn.prepare_cached(sql)?;
            let ids = stmt.query_map([first, last], |r| r.get(0))?;
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        };
        match table.as_str() {
            "comparisons" => {
                let mut stmt = conn.prepare_cached(
                    "SELECT id, left_term_id, right_term_id FROM comparisons WHERE id BETWEEN ?1 AND ?2",
                )?;
                let rows = stmt.query_map([first, last], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                })?;
                for row in rows {
                    let (id, left, right) = row?;
                    touched.comparisons.insert(id);
                    // Their terms' pages list the new article.
                    touched.named.extend([left, right]);
                }
            }
            "differences" => touched.comparisons.extend(ids(
                "SELECT DISTINCT comparison_id FROM differences WHERE id BETWEEN ?1 AND ?2",
            )?),
            "comparison_rows" => touched.comparisons.extend(ids(
                "SELECT DISTINCT comparison_id FROM comparison_rows WHERE id BETWEEN ?1 AND ?2",
            )?),
            "faqs" => touched.comparisons.extend(ids(
                "SELECT DISTINCT comparison_id FROM faqs WHERE id BETWEEN ?1 AND ?2",
            )?),
            "terms" => touched
                .terms
                .extend(ids("SELECT id FROM terms WHERE id BETWEEN ?1 AND ?2")?),
            "senses" => touched.terms.extend(ids(
                "SELECT DISTINCT term_id FROM senses WHERE id BETWEEN ?1 AND ?2",
            )?),
            "examples" => touched.terms.extend(ids(
                "SELECT DISTINCT s.term_id FROM examples AS e JOIN senses AS s ON s.id = e.sense_id
                 WHERE e.id BETWEEN ?1 AND ?2",
            )?),
            "variants" => touched.terms.extend(ids(
                "SELECT DISTINCT term_id FROM variants WHERE id BETWEEN ?1 AND ?2",
            )?),
            "relations" => touched.terms.extend(ids(
                "SELECT term_id FROM relations WHERE id BETWEEN ?1 AND ?2
                 UNION SELECT target_term_id FROM relations WHERE id BETWEEN ?1 AND ?2",
            )?),
            _ => {}
        }
    }
    Ok(())
}

/// The id of the newest change (0 for none): where the next incremental
/// build starts from.
pub fn newest_change(conn: &Connection) -> Result<i64> {
    change_rows::newest(conn)
}
