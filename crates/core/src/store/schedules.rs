//! `schedules`: publishing and taking down at a time (migration V15). The
//! rules (what may be scheduled, running what is due) are in
//! [`crate::schedule`]; this is their SQL.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::kind::Kind;

/// One planned publish or unpublish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scheduled {
    #[serde(skip)]
    pub id: i64,
    /// `comparison` or `term`.
    pub kind: &'static str,
    /// The slug, or the term's name.
    pub key: String,
    /// `publish`, `unpublish` or `publish-pending`.
    pub action: String,
    pub with_related: bool,
    pub force: bool,
    /// UTC, `2027-01-05T08:00:00Z`.
    pub due_at: String,
    pub requested_by: String,
    pub requested_at: String,
    pub failed_at: Option<String>,
    pub failure: Option<String>,
    /// For `publish-pending`: the revision of the pending version planned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_revision: Option<i64>,
    #[serde(skip)]
    pub entry_id: i64,
}

impl Scheduled {
    pub fn entry_kind(&self) -> Kind {
        super::owner_kind(self.kind).0
    }
}

const SELECT: &str = "
    SELECT s.id, CASE WHEN s.comparison_id IS NOT NULL THEN 'comparison' ELSE 'term' END,
           coalesce(c.slug, t.term), s.action, s.with_related, s.force, s.due_at,
           s.requested_by, s.requested_at, s.failed_at, s.failure,
           coalesce(s.comparison_id, s.term_id), s.pending_revision
    FROM schedules AS s
    LEFT JOIN comparisons AS c ON c.id = s.comparison_id
    LEFT JOIN terms AS t ON t.id = s.term_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Scheduled> {
    let kind: String = r.get(1)?;
    Ok(Scheduled {
        id: r.get(0)?,
        kind: super::owner_kind(&kind).1,
        key: r.get(2)?,
        action: r.get(3)?,
        with_related: r.get(4)?,
        force: r.get(5)?,
        due_at: r.get(6)?,
        requested_by: r.get(7)?,
        requested_at: r.get(8)?,
        failed_at: r.get(9)?,
        failure: r.get(10)?,
        entry_id: r.get(11)?,
        pending_revision: r.get(12)?,
    })
}

/// Everything scheduled, soonest first.
pub fn all(conn: &Connection) -> Result<Vec<Scheduled>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY s.due_at, s.id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What is due at `now` (UTC, as `due_at` is written), soonest first.
pub fn due(conn: &Connection, now: &str) -> Result<Vec<Scheduled>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE s.due_at <= ?1 ORDER BY s.due_at, s.id"
    ))?;
    let rows = stmt.query_map([now], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The schedule `id`, if it is still there.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Scheduled>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE s.id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The schedule of the entry `id` of `kind`, if it has one.
pub fn of(conn: &Connection, kind: Kind, id: i64) -> Result<Option<Scheduled>> {
    let col = super::owner_column(kind);
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE s.{col} = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// A new schedule for the entry `id` of `kind` (replacing the one it had).
pub struct NewSchedule<'a> {
    pub kind: Kind,
    pub id: i64,
    pub action: &'a str,
    pub with_related: bool,
    pub force: bool,
    pub due_at: &'a str,
    pub requested_by: &'a str,
    pub pending_revision: Option<i64>,
}

pub fn put(conn: &Connection, s: &NewSchedule<'_>) -> Result<()> {
    let col = super::owner_column(s.kind);
    conn.execute(
        &format!(
            "INSERT INTO schedules ({col}, action, with_related, force, due_at, requested_by, pending_revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT ({col}) DO UPDATE SET
                action = excluded.action, with_related = excluded.with_related,
                force = excluded.force, due_at = excluded.due_at,
                requested_by = excluded.requested_by, requested_at = excluded.requested_at,
                pending_revision = excluded.pending_revision, failed_at = NULL, failure = NULL"
        ),
        params![
            s.id,
            s.action,
            s.with_related,
            s.force,
            s.due_at,
            s.requested_by,
            s.pending_revision
        ],
    )?;
    Ok(())
}

/// Removes the schedule `id`; returns how many went (0: done already).
pub fn delete(conn: &Connection, id: i64) -> Result<usize> {
    Ok(conn.execute("DELETE FROM schedules WHERE id = ?1", [id])?)
}

/// Notes why a run could not do schedule `id`.
pub fn failed(conn: &Connection, id: i64, why: &str) -> Result<()> {
    conn.execute(
        "UPDATE schedules SET failed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), failure = ?2
         WHERE id = ?1",
        params![id, why],
    )?;
    Ok(())
}

/// Now and `seconds` (UTC, as `due_at` is written).
pub fn now_plus(conn: &Connection, seconds: i64) -> Result<String> {
    Ok(conn.query_row(
        "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1 || ' seconds')",
        [seconds],
        |r| r.get(0),
    )?)
}

/// `time` (RFC 3339 with `Z` or an offset, or `YYYY-MM-DD HH:MM[:SS]` in
/// the local time zone when `local`) in UTC, as SQLite reads it; None if
/// it reads none.
pub fn to_utc(conn: &Connection, time: &str, local: bool) -> Result<Option<String>> {
    let sql = if local {
        "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ?1, 'utc')"
    } else {
        "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ?1)"
    };
    Ok(conn.query_row(sql, [time], |r| r.get(0))?)
}
