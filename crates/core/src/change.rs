//! Changes: the unit of history is what a person did.
//!
//! Every write of glossary is one change (migration V6): [`open`] adds it,
//! with who and what ran, at the start of the write transaction and makes
//! it the one the triggers file revisions under; [`close`] sums it up
//! before the commit (or drops it if nothing changed). A rolled-back
//! command leaves no change behind, as it leaves no revision.

use std::sync::OnceLock;

use rusqlite::Connection;

use crate::error::Result;
use crate::kind::Kind;
use crate::store::changes;

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
    changes::current(conn)
}

/// Opens a change in the write transaction on `conn`; returns its id. The
/// `changes` row itself is written by [`close`], if the write changed
/// anything (the write lock makes the next id this one's).
pub fn open(conn: &Connection) -> Result<i64> {
    changes::mark_next(conn)
}

/// Closes the open change: writes its one-line summary and returns its
/// id, or removes it if the command changed nothing, leaving no trace of
/// it in the file.
pub fn close(conn: &Connection, actor: &Actor) -> Result<Option<i64>> {
    let Some(changes::Marked {
        id,
        reverts,
        written_by,
    }) = changes::marked(conn)?
    else {
        return Ok(None);
    };
    let summary = summary(conn, id)?;
    changes::unmark(conn)?;
    if summary.is_empty() {
        return Ok(None);
    }
    let command = match actor.command.as_str() {
        "" => "glossary",
        c => c,
    };
    changes::insert(
        conn,
        &changes::NewChange {
            id,
            author: &actor.name(),
            command,
            summary: &summary,
            reverts,
            written_by: written_by.as_deref(),
        },
    )?;
    Ok(Some(id))
}

/// The highest id of each content table.
pub fn max_ids(conn: &Connection) -> Result<Vec<(&'static str, i64)>> {
    crate::kind::tables()
        .map(|t| Ok((t, changes::max_id(conn, t)?)))
        .collect()
}

/// Records, for the open change, the rows added since `starts` (from
/// [`max_ids`]) as one range of ids per table.
pub fn record_ranges(conn: &Connection, starts: &[(&'static str, i64)]) -> Result<()> {
    for (table, (_, last)) in starts.iter().zip(max_ids(conn)?) {
        let first = table.1 + 1;
        if last >= first {
            changes::insert_range(conn, table.0, first, last)?;
        }
    }
    Ok(())
}

/// The ranges of ids change `id` added, per table, parents first (as the
/// registry lists the kinds).
pub fn ranges(conn: &Connection, id: i64) -> Result<Vec<(String, i64, i64)>> {
    let mut ranges = changes::ranges(conn, id)?;
    ranges.sort_by_key(|(t, ..)| Kind::of_table(t));
    Ok(ranges)
}

/// Notes that the open change reverts change `id`.
pub fn reverts(conn: &Connection, id: i64) -> Result<()> {
    changes::mark_reverts(conn, id)
}

/// Marks the open change as a replay (revert): the triggers that close
/// gaps stand aside while recorded moves are replayed.
pub fn replaying(conn: &Connection, on: bool) -> Result<()> {
    changes::mark_replaying(conn, on)
}

/// `+1 faq`, `−1 term, −7 senses, −5 examples`, `~2 comparisons`: what a
/// change did, counted by kind (inserted, removed, changed).
pub fn summary(conn: &Connection, id: i64) -> Result<String> {
    let rows = changes::counts(conn, id)?;
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
