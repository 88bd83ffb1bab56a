//! Changes: the unit of history is what a person did.
//!
//! Every write of glossary is one change (migration V6): [`open`] adds it,
//! with who and what ran, at the start of the write transaction and makes
//! it the one the triggers file revisions under; [`close`] sums it up
//! before the commit (or drops it if nothing changed). A rolled-back
//! command leaves no change behind, as it leaves no revision.

use std::sync::OnceLock;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::kind::Kind;

/// Who makes a change and what they ran: passed to every write
/// ([`crate::db::write`], [`crate::db::commit`]), never kept aside.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    /// Whose change: a signed-in account's name, `--author` as typed;
    /// `None` for the person at this machine ([`local_author`]).
    pub author: Option<String>,
    /// What ran: the command as typed, less the global options, or what
    /// the web editor did, as the command line would say it.
    pub command: String,
}

impl Actor {
    pub fn new(author: Option<String>, command: impl Into<String>) -> Actor {
        Actor {
            author,
            command: command.into(),
        }
    }

    /// The name the change is filed under.
    pub fn name(&self) -> String {
        self.author
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .map_or_else(|| local_author().to_string(), str::to_string)
    }
}

/// The person at this machine: `GLOSSARY_AUTHOR`, else git's `user.name`,
/// else the login name. Found once, and only when a change is written, so
/// read-only commands never ask git.
pub fn local_author() -> &'static str {
    static LOCAL: OnceLock<String> = OnceLock::new();
    LOCAL.get_or_init(|| {
        std::env::var("GLOSSARY_AUTHOR")
            .ok()
            .filter(|a| !a.trim().is_empty())
            .or_else(git_user_name)
            .or_else(|| {
                ["USER", "LOGNAME", "USERNAME"]
                    .iter()
                    .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            })
            .unwrap_or_else(|| "unknown".to_string())
    })
}

fn git_user_name() -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["config", "user.name"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !name.is_empty()).then_some(name)
}

/// The id of the change the write on `conn` files its revisions under.
pub fn current(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT change_id FROM current_change", [], |r| r.get(0))?)
}

/// Opens a change in the write transaction on `conn`; returns its id. The
/// `changes` row itself is written by [`close`], if the write changed
/// anything (the write lock makes the next id this one's).
pub fn open(conn: &Connection) -> Result<i64> {
    // The marker is empty outside a write; one left by hand (`check` E113)
    // goes, so this write's revisions are filed under this change.
    conn.execute("DELETE FROM current_change", [])?;
    conn.execute(
        "INSERT INTO current_change (change_id)
         VALUES ((SELECT coalesce(max(id), 0) + 1 FROM changes))",
        [],
    )?;
    Ok(conn.query_row("SELECT change_id FROM current_change", [], |r| r.get(0))?)
}

/// Closes the open change: writes its one-line summary and returns its
/// id, or removes it if the command changed nothing. Bytes of the removed rows are zeroed: an
/// import that changes nothing leaves the file as it was.
pub fn close(conn: &Connection, actor: &Actor) -> Result<Option<i64>> {
    let Some((id, reverts)) = conn
        .query_row("SELECT change_id, reverts FROM current_change", [], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let summary = summary(conn, id)?;
    // ON, not FAST: FAST leaves a deleted cell's bytes where overwriting
    // them would cost a write, and a change's time left in a page is
    // enough to make the file differ.
    crate::db::zeroing_deletes(conn, false, || {
        Ok(conn.execute("DELETE FROM current_change", [])?)
    })?;
    if !summary.is_empty() {
        let command = match actor.command.as_str() {
            "" => "glossary",
            c => c,
        };
        conn.execute(
            "INSERT INTO changes (id, author, command, source, summary, reverts)
             VALUES (?1, ?2, ?3, 'glossary', ?4, ?5)",
            params![id, actor.name(), command, summary, reverts],
        )?;
        return Ok(Some(id));
    }
    Ok(None)
}

/// The highest id of each content table.
pub fn max_ids(conn: &Connection) -> Result<Vec<(&'static str, i64)>> {
    crate::kind::tables()
        .map(|t| {
            let max: i64 =
                conn.query_row(&format!("SELECT coalesce(max(id), 0) FROM {t}"), [], |r| {
                    r.get(0)
                })?;
            Ok((t, max))
        })
        .collect()
}

/// Records, for the open change, the rows added since `starts` (from
/// [`max_ids`]) as one range of ids per table.
pub fn record_ranges(conn: &Connection, starts: &[(&'static str, i64)]) -> Result<()> {
    for (table, (_, last)) in starts.iter().zip(max_ids(conn)?) {
        let first = table.1 + 1;
        if last >= first {
            conn.execute(
                "INSERT INTO change_ranges (change_id, table_name, first_id, last_id)
                 SELECT change_id, ?1, ?2, ?3 FROM current_change",
                params![table.0, first, last],
            )?;
        }
    }
    Ok(())
}

/// The ranges of ids change `id` added, per table.
pub fn ranges(conn: &Connection, id: i64) -> Result<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT table_name, first_id, last_id FROM change_ranges WHERE change_id = ?1",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mut ranges: Vec<(String, i64, i64)> = rows.collect::<rusqlite::Result<_>>()?;
    // Parents first, as the registry lists the kinds.
    ranges.sort_by_key(|(t, ..)| Kind::of_table(t));
    Ok(ranges)
}

/// Notes that the open change reverts change `id`.
pub fn reverts(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("UPDATE current_change SET reverts = ?1", [id])?;
    Ok(())
}

/// Marks the open change as a replay (revert): the triggers that close
/// gaps stand aside while recorded moves are replayed.
pub fn replaying(conn: &Connection, on: bool) -> Result<()> {
    conn.execute("UPDATE current_change SET replaying = ?1", [on])?;
    Ok(())
}

/// `+1 faq`, `−1 term, −7 senses, −5 examples`, `~2 comparisons`: what a
/// change did, counted by kind (inserted, removed, changed).
pub fn summary(conn: &Connection, id: i64) -> Result<String> {
    let mut stmt = conn.prepare_cached(
        // Rows added or removed are counted as they come (an import's
        // hundreds of thousands need no set of ids); changed rows once each
        // however many times they changed, and a row the change added
        // counts as added whatever else it did.
        "SELECT table_name, action, count(*) FROM revisions
         WHERE change_id = ?1 AND action IN ('insert', 'delete')
         GROUP BY table_name, action
         UNION ALL
         SELECT table_name, 'insert', last_id - first_id + 1 FROM change_ranges
         WHERE change_id = ?1
         UNION ALL
         SELECT table_name,
                CASE WHEN json_remove(old_values, '$.position', '$.sense_number')
                       IS json_remove(new_values, '$.position', '$.sense_number')
                     THEN 'move' ELSE 'update' END AS what,
                count(DISTINCT row_id)
         FROM revisions AS r WHERE change_id = ?1 AND action = 'update'
           AND NOT EXISTS (
                -- By row (revisions_by_row), not by change: a change's
                -- revisions are many, a row's few (+ keeps the planner off
                -- revisions_by_change).
                SELECT 1 FROM revisions AS i WHERE +i.change_id = ?1 AND i.action = 'insert'
                  AND i.table_name = r.table_name AND i.row_id = r.row_id)
           AND NOT EXISTS (
                SELECT 1 FROM change_ranges AS g WHERE g.change_id = ?1
                  AND g.table_name = r.table_name AND r.row_id BETWEEN g.first_id AND g.last_id)
         GROUP BY table_name, what",
    )?;
    let rows: Vec<(String, String, i64)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut parts = Vec::new();
    for (action, sign) in [
        ("insert", "+"),
        ("delete", "−"),
        ("update", "~"),
        ("move", ""),
    ] {
        for kind in Kind::ALL {
            let n: i64 = rows
                .iter()
                .filter(|(t, a, _)| t == kind.table() && a == action)
                .map(|(_, _, n)| n)
                .sum();
            if n > 0 {
                let n = &n;
                let word = kind.word();
                let noun = if *n == 1 {
                    word.to_string()
                } else {
                    format!("{word}s")
                };
                if action == "move" {
                    parts.push(format!("{n} {noun} moved"));
                } else {
                    parts.push(format!("{sign}{n} {noun}"));
                }
            }
        }
    }
    Ok(parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_sums_up_what_it_did_or_goes() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        let id = open(&tx).unwrap();
        tx.execute("INSERT INTO terms (term) VALUES ('A'), ('B')", [])
            .unwrap();
        close(&tx, &Actor::new(Some("test".into()), "test")).unwrap();
        let summary: String = tx
            .query_row("SELECT summary FROM changes WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(summary, "+2 terms");
        // A change that changed nothing is not kept.
        let empty = open(&tx).unwrap();
        close(&tx, &Actor::new(Some("test".into()), "test")).unwrap();
        let n: i64 = tx
            .query_row("SELECT count(*) FROM changes WHERE id = ?1", [empty], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn a_write_is_filed_under_the_actor_it_is_given() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let ana = Actor::new(Some("Ana".into()), "serve: edit term \"A\"");
        let id = crate::db::write(&mut conn, &ana, |tx| {
            tx.execute("INSERT INTO terms (term) VALUES ('A')", [])?;
            current(tx)
        })
        .unwrap();
        let (author, command): (String, String) = conn
            .query_row(
                "SELECT author, command FROM changes WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (author.as_str(), command.as_str()),
            ("Ana", "serve: edit term \"A\"")
        );
        // No name given: the person at this machine, never an empty one.
        let local = Actor::new(Some("  ".into()), "");
        assert_eq!(local.name(), local_author());
        assert!(!local.name().trim().is_empty());
        let tx = conn.transaction().unwrap();
        open(&tx).unwrap();
        tx.execute("INSERT INTO terms (term) VALUES ('B')", [])
            .unwrap();
        let id = close(&tx, &local)
            .unwrap()
            .expect("a change that did something");
        let command: String = tx
            .query_row("SELECT command FROM changes WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(command, "glossary");
    }
}
