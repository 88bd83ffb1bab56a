//! `glossary check --fix`: the repairs that are safe to make without a
//! person's judgement (positions renumbered in their order, lookup keys
//! recomputed where free, search indexes rebuilt, dropped schema put back).

use rusqlite::{params, Connection};

use super::missing_schema;
use crate::error::Result;
use crate::model::{lookup_key, PARKED_OFFSET};
use crate::store::Positioned;

/// Repairs what can be repaired safely; returns a sentence per repair.
pub fn fix(conn: &Connection) -> Result<Vec<String>> {
    let mut done = Vec::new();
    if conn.execute("DELETE FROM fts_deferred", [])? > 0 {
        done.push("emptied fts_deferred".to_string());
    }

    for (kind, name, sql) in missing_schema(conn)? {
        conn.execute_batch(&sql)?;
        done.push(format!("recreated the {kind} {name}"));
    }
    for index in crate::search::check_indexes(conn)? {
        crate::search::rebuild(conn, index)?;
        done.push(format!("rebuilt the search index {index}"));
    }
    for p in crate::kind::positioned() {
        // Orphans' positions are no group's: they are left for a person.
        let sql = format!(
            "SELECT {parent} FROM {table} WHERE {parent} IN (SELECT id FROM {parents}) GROUP BY {parent}
             HAVING min({col}) <> 1 OR max({col}) <> count(*) OR count(DISTINCT {col}) <> count(*)",
            parent = p.parent,
            table = p.table,
            col = p.column,
            parents = super::parent_table(&p)
        );
        let parents: Vec<i64> = conn
            .prepare(&sql)?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for parent in parents {
            renumber(conn, &p, parent)?;
            done.push(format!(
                "renumbered {} of {} #{parent}",
                p.table,
                p.parent.trim_end_matches("_id")
            ));
        }
    }
    let mut stmt = conn.prepare("SELECT id, term, lookup_key FROM terms")?;
    let terms: Vec<(i64, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, term, key) in terms {
        let want = lookup_key(&term);
        if key.as_deref() == Some(want.as_str()) {
            continue;
        }
        let taken: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM terms WHERE lookup_key = ?1 AND id <> ?2)",
            params![want, id],
            |r| r.get(0),
        )?;
        if taken {
            done.push(format!(
                "left the lookup key of term \"{term}\" alone: another term already has \"{want}\" (merge or rename one of them)"
            ));
        } else {
            conn.execute(
                "UPDATE terms SET lookup_key = ?1 WHERE id = ?2",
                params![want, id],
            )?;
            done.push(format!(
                "set the lookup key of term \"{term}\" to \"{want}\""
            ));
        }
    }
    Ok(done)
}

/// Gives the parent's rows positions 1..n in their current order (ties by
/// id), passing through the transient range so no two rows ever meet.
fn renumber(conn: &Connection, p: &Positioned, parent: i64) -> Result<()> {
    let sql = format!(
        "SELECT id FROM {table} WHERE {parent_col} = ?1 ORDER BY {col}, id",
        table = p.table,
        parent_col = p.parent,
        col = p.column
    );
    let ids: Vec<i64> = conn
        .prepare(&sql)?
        .query_map([parent], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        let pos: i64 = conn.query_row(
            &format!("SELECT {} FROM {} WHERE id = ?1", p.column, p.table),
            [id],
            |r| r.get(0),
        )?;
        if pos < PARKED_OFFSET {
            p.park(conn, *id)?;
        }
    }
    let set = format!("UPDATE {} SET {} = ?1 WHERE id = ?2", p.table, p.column);
    for (i, id) in ids.iter().enumerate() {
        conn.execute(&set, params![i as i64 + 1, id])?;
    }
    Ok(())
}
