//! Undo: a change put back whole, as one new change, its rows each as
//! they were (ids, values and positions), or refused when a later change
//! touched the same rows.

use super::*;

/// Puts every row a change touched back as it was before the change: the
/// state before is each row's first revision in the change (an insert: it
/// was not there; an update or delete: its old values). Done in an order
/// that never puts two rows at one position: rows the change added go;
/// fields come back; rows that must move wait in the transient range;
/// removed rows come back; then each waiting row goes to its place.
fn put_back(conn: &Connection, raws: &[Recorded], ranges: &[(String, i64, i64)]) -> Result<()> {
    // Rows it added as ranges go, children first; what else the change did
    // to them goes with them.
    let in_range = |raw: &Recorded| {
        ranges
            .iter()
            .any(|(t, first, last)| *t == raw.table && (*first..=*last).contains(&raw.row_id))
    };
    for kind in crate::kind::Kind::ALL.iter().rev() {
        for (table, first, last) in ranges.iter().filter(|(t, ..)| t == kind.table()) {
            let table = checked_table(table)?;
            conn.execute(
                &format!("DELETE FROM {table} WHERE id BETWEEN ?1 AND ?2"),
                params![first, last],
            )?;
        }
    }
    // The first revision of each row, in the order the change made them.
    let mut firsts: Vec<&Recorded> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for raw in raws.iter().filter(|r| !in_range(r)) {
        if seen.insert((raw.table.as_str(), raw.row_id)) {
            firsts.push(raw);
        }
    }
    // 1. Rows the change added (children first: later revisions first).
    for raw in firsts.iter().rev().filter(|r| r.action == "insert") {
        let table = checked_table(&raw.table)?;
        conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [raw.row_id])?;
    }
    let before = |raw: &Recorded| raw.old.clone().unwrap_or_default();
    // 2. The fields of rows it changed, but their positions.
    let mut waiting: Vec<(&'static str, Positioned, i64, i64)> = Vec::new();
    let mut removed: Vec<(&'static str, i64, Values)> = Vec::new();
    // A row the change removed and then made again under the same id
    // (SQLite gives a new row the highest id plus one, so removing the
    // last row and adding one reuses its id) is there now: it gets its
    // old values back as a changed row does.
    let mut again = std::collections::HashSet::new();
    for raw in firsts.iter().filter(|r| r.action == "delete") {
        if current(conn, checked_table(&raw.table)?, raw.row_id)?.is_some() {
            again.insert((raw.table.as_str(), raw.row_id));
        }
    }
    let made_again = |r: &Recorded| again.contains(&(r.table.as_str(), r.row_id));
    for raw in firsts
        .iter()
        .filter(|r| r.action == "update" || made_again(r))
    {
        let table = checked_table(&raw.table)?;
        let old = before(raw);
        if current(conn, table, raw.row_id)?.is_none() {
            // Changed, then removed, by the same change: it comes back with
            // the values it had before (the removal recorded the rest).
            let mut values = raws
                .iter()
                .find(|r| r.action == "delete" && r.table == raw.table && r.row_id == raw.row_id)
                .and_then(|r| r.old.clone())
                .unwrap_or_default();
            values.extend(old);
            removed.push((table, raw.row_id, values));
            continue;
        }
        let pos = positioned(table);
        let cols: Vec<&str> = columns(table)?
            .iter()
            .copied()
            .filter(|c| old.contains_key(*c) && pos.is_none_or(|p| p.column != *c))
            .collect();
        if !cols.is_empty() {
            let sets: Vec<String> = cols
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 2))
                .collect();
            let mut values = vec![Value::Integer(raw.row_id)];
            values.extend(cols.iter().map(|c| sql_value(old.get(*c))));
            conn.execute(
                &format!("UPDATE {table} SET {} WHERE id = ?1", sets.join(", ")),
                rusqlite::params_from_iter(values),
            )?;
        }
        if let Some(p) = pos {
            let to = id_of(&old, p.column);
            waiting.push((table, p, raw.row_id, to));
        }
    }
    // 3. Rows that must move wait in the transient range (not recorded).
    for (table, p, id, _) in &waiting {
        conn.execute(
            &format!(
                "UPDATE {table} SET {c} = {c} + {PARKED_OFFSET} WHERE id = ?1 AND {c} < {PARKED_OFFSET}",
                c = p.column
            ),
            [id],
        )?;
    }
    // 4. Rows the change removed come back with their ids and values.
    for raw in firsts
        .iter()
        .filter(|r| r.action == "delete" && !made_again(r))
    {
        removed.push((checked_table(&raw.table)?, raw.row_id, before(raw)));
    }
    for (table, id, values) in &removed {
        reinsert_as_it_was(conn, table, *id, values)?;
    }
    // 5. The waiting rows go to their places.
    for (table, p, id, to) in &waiting {
        conn.execute(
            &format!("UPDATE {table} SET {} = ?2 WHERE id = ?1", p.column),
            params![id, to],
        )?;
    }
    Ok(())
}

/// Inserts a removed row again exactly as it was: its id, its values, its
/// position.
fn reinsert_as_it_was(conn: &Connection, table: &'static str, id: i64, old: &Values) -> Result<()> {
    let cols: Vec<&str> = columns(table)?
        .iter()
        .copied()
        .filter(|c| old.contains_key(*c))
        .collect();
    let marks: Vec<String> = (2..=cols.len() + 1).map(|i| format!("?{i}")).collect();
    let mut values = vec![Value::Integer(id)];
    values.extend(cols.iter().map(|c| sql_value(old.get(*c))));
    conn.execute(
        &format!(
            "INSERT INTO {table} (id, {}) VALUES (?1, {})",
            cols.join(", "),
            marks.join(", ")
        ),
        rusqlite::params_from_iter(values),
    )?;
    Ok(())
}

/// Undoes change `id` whole, as one new change: its revisions are replayed
/// backwards, each row put back as it was (a removed term comes back with
/// its senses, examples, comparisons and their parts, each at its number and
/// position, under its old id). Refused, with nothing written, when a later
/// change touched the same rows.
pub fn revert_change(conn: &Connection, id: i64) -> Result<String> {
    let line = change(conn, id)?.change;
    let raws = recorded::of_change(conn, id, -1)?;
    let ranges = crate::change::ranges(conn, id)?;
    if raws.is_empty() && ranges.is_empty() {
        return Err(Error::Invalid(format!(
            "change {id} changed nothing to undo"
        )));
    }
    let later: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT c.id, c.author, c.command FROM revisions AS mine
             JOIN revisions AS r ON r.table_name = mine.table_name AND r.row_id = mine.row_id
             JOIN changes AS c ON c.id = r.change_id
             WHERE mine.change_id = ?1 AND r.change_id > ?1
               AND r.change_id <> (SELECT change_id FROM current_change)
               -- A later change and its revert cancel out.
               AND NOT EXISTS (SELECT 1 FROM changes AS undo
                               WHERE undo.reverts = c.id AND undo.id > c.id)
               AND NOT (c.reverts IS NOT NULL AND c.reverts > ?1)
             ORDER BY c.id LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    // Rows it added as ranges (an import), changed by a later change.
    let later = match later {
        Some(l) => Some(l),
        None => conn
            .query_row(
                "SELECT c.id, c.author, c.command FROM change_ranges AS g
                 JOIN revisions AS r ON r.table_name = g.table_name
                                    AND r.row_id BETWEEN g.first_id AND g.last_id
                 JOIN changes AS c ON c.id = r.change_id
                 WHERE g.change_id = ?1 AND r.change_id > ?1
                   AND r.change_id <> (SELECT change_id FROM current_change)
                   AND NOT EXISTS (SELECT 1 FROM changes AS undo
                                   WHERE undo.reverts = c.id AND undo.id > c.id)
                   AND NOT (c.reverts IS NOT NULL AND c.reverts > ?1)
                 ORDER BY c.id LIMIT 1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?,
    };
    if let Some((later, author, command)) = later {
        return Err(Error::Refused {
            action: format!("revert change {id}"),
            reasons: vec![format!(
                "change {later} ({author}: {command}) changed the same entries since"
            )],
            hints: vec![format!(
                "revert change {later} first (`glossary revert {later}`), or change the entries by hand"
            )],
        });
    }
    crate::db::defer_foreign_keys(conn)?;
    crate::change::replaying(conn, true)?;
    put_back(conn, &raws, &ranges).map_err(|e| match e {
        Error::Sqlite(ref s)
            if s.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
        {
            Error::Refused {
                action: format!("revert change {id}"),
                reasons: vec![format!(
                    "what it changed cannot go back as it was: a later change put other entries in its place ({s})"
                )],
                hints: vec!["see `glossary history` for the later changes to those entries".into()],
            }
        }
        other => other,
    })?;
    crate::change::replaying(conn, false)?;
    crate::change::reverts(conn, id)?;
    Ok(format!(
        "reverted change {id} ({}: {}){}",
        line.author,
        line.command,
        if line.summary.is_empty() {
            String::new()
        } else {
            format!(": {}", line.summary)
        }
    ))
}
