//! Publishing on a schedule (migration V15): a comparison or term planned
//! to be published, or taken down, at a time, and [`run_due`], which does
//! what is due: each item once (in its own write, which finds the item
//! still there before doing it, so runs side by side or late never do one
//! twice), as one change filed under whoever planned it. The SQL is
//! [`crate::store::schedules`].

use rusqlite::Connection;
use serde::Serialize;

use crate::change::Actor;
use crate::edit::{self, Entry};
use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::model::{check_date, Status};
use crate::publication;
use crate::store::schedules as table;
pub use crate::store::schedules::Scheduled;

/// What a schedule does when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Publish,
    Unpublish,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Publish => "publish",
            Action::Unpublish => "unpublish",
        }
    }

    fn status(self) -> Status {
        match self {
            Action::Publish => Status::Published,
            Action::Unpublish => Status::Draft,
        }
    }

    fn parse(s: &str) -> Action {
        if s == "unpublish" {
            Action::Unpublish
        } else {
            Action::Publish
        }
    }
}

/// A time as a person types it, in UTC (`2027-01-05T08:00:00Z`): RFC 3339
/// (`2027-01-05T09:00:00+01:00`, `2027-01-05T08:00Z`) or a local
/// `YYYY-MM-DD HH:MM` (the machine's time zone, `TZ`).
pub fn parse_time(conn: &Connection, typed: &str) -> Result<String> {
    let s = typed.trim();
    let bad = |why: &str| Error::BadValue {
        field: "time".into(),
        problem: format!(
            "\"{s}\" {why}: give RFC 3339 (2027-01-05T09:00:00+01:00) or a local YYYY-MM-DD HH:MM"
        ),
    };
    let bytes = s.as_bytes();
    if bytes.len() < 16 || !bytes[..16].is_ascii() {
        return Err(bad("is not a time"));
    }
    check_date(&s[..10]).map_err(|e| Error::BadValue {
        field: "time".into(),
        problem: e,
    })?;
    let local = match bytes[10] {
        b' ' => true,
        b'T' | b't' => false,
        _ => return Err(bad("is not a time")),
    };
    let rest = &s[16..];
    let zone_ok = if local {
        rest.is_empty() || (rest.len() == 3 && rest.starts_with(':'))
    } else {
        let zone = rest
            .strip_prefix(':')
            .map_or(rest, |r| r.get(2..).unwrap_or("x"));
        let zone = zone
            .strip_prefix('.')
            .map_or(zone, |z| z.trim_start_matches(|c: char| c.is_ascii_digit()));
        zone.eq_ignore_ascii_case("z")
            || (zone.len() == 6
                && (zone.starts_with('+') || zone.starts_with('-'))
                && zone.as_bytes()[3] == b':')
    };
    if !zone_ok {
        return Err(bad(if local {
            "is not a time"
        } else {
            "has no time zone (end it with Z or an offset such as +01:00)"
        }));
    }
    let read = if local {
        s.to_string()
    } else {
        s.replace('t', "T")
    };
    table::to_utc(conn, &read, local)?.ok_or_else(|| bad("is not a time"))
}

/// Plans `action` for `entry` (a comparison or a term) at `at` (as
/// [`parse_time`] reads it), by `by`, with publishing's options; replaces
/// the entry's earlier plan. Returns when, in UTC.
pub fn plan(
    conn: &Connection,
    entry: &Entry,
    action: Action,
    options: publication::Options,
    at: &str,
    by: &str,
) -> Result<String> {
    let kind = entry.kind;
    if !matches!(kind, Kind::Comparison | Kind::Term) {
        return Err(Error::Invalid(format!(
            "{} has no status of its own",
            kind.noun()
        )));
    }
    let due = parse_time(conn, at)?;
    if crate::store::status(conn, kind.table(), entry.id)? == Some(action.status()) {
        return Err(Error::Refused {
            action: format!("{} {} at {due}", action.as_str(), entry.label),
            reasons: vec![format!("it is {} already", action.status())],
            hints: vec![],
        });
    }
    table::put(
        conn,
        &table::NewSchedule {
            kind,
            id: entry.id,
            action: action.as_str(),
            with_related: options.with_terms || options.with_comparisons,
            force: options.force,
            due_at: &due,
            requested_by: by,
        },
    )?;
    Ok(due)
}

/// What is planned for `entry`, if anything.
pub fn of(conn: &Connection, entry: &Entry) -> Result<Option<Scheduled>> {
    table::of(conn, entry.kind, entry.id)
}

/// Cancels what is planned for `entry`.
pub fn cancel(conn: &Connection, entry: &Entry) -> Result<Scheduled> {
    let Some(planned) = table::of(conn, entry.kind, entry.id)? else {
        return Err(Error::Refused {
            action: format!("cancel the schedule of {}", entry.label),
            reasons: vec!["nothing is scheduled for it (see `glossary schedule`)".into()],
            hints: vec![],
        });
    };
    table::delete(conn, planned.id)?;
    Ok(planned)
}

/// Everything scheduled, soonest first.
pub fn list(conn: &Connection) -> Result<Vec<Scheduled>> {
    table::all(conn)
}

/// Now, in UTC, as schedules are written.
pub fn now(conn: &Connection) -> Result<String> {
    table::now_plus(conn, 0)
}

/// What [`run_due`] did with one item.
#[derive(Debug, Clone, Serialize)]
pub struct Done {
    /// The entry as a person names it: `comparison producer-vs-...`.
    pub entry: String,
    pub action: &'static str,
    pub due_at: String,
    pub scheduled_by: String,
    /// The change it made (none if the entry was in that state already).
    pub change: Option<i64>,
    /// Why it could not be done (it stays scheduled, and is tried again).
    pub failure: Option<String>,
}

/// Does everything due now, each item in a write of its own, filed under
/// whoever scheduled it.
pub fn run_due(conn: &mut Connection) -> Result<Vec<Done>> {
    let now = table::now_plus(conn, 0)?;
    let mut done = Vec::new();
    for item in table::due(conn, &now)? {
        let action = Action::parse(&item.action);
        let kind = item.entry_kind();
        let label = kind.label(&[&item.key]);
        let actor = Actor::new(
            Some(item.requested_by.clone()),
            format!(
                "publish-due: {} {label} (scheduled for {})",
                action.as_str(),
                item.due_at
            ),
        );
        let options = publication::Options {
            with_terms: item.with_related && action == Action::Publish,
            with_comparisons: item.with_related && action == Action::Unpublish,
            force: item.force,
        };
        let result = crate::db::write(conn, &actor, |tx| {
            // Another run did it meanwhile, or it was cancelled or moved.
            let Some(current) = table::get(tx, item.id)? else {
                return Ok(None);
            };
            if current.due_at > now {
                return Ok(None);
            }
            let entry = edit::find(tx, kind, &[current.key])?;
            let changes = edit::set_with(
                tx,
                &entry,
                &[("status".into(), action.status().as_str().into())],
                options,
            )?;
            table::delete(tx, item.id)?;
            let change = crate::change::current(tx)?;
            Ok(Some((!changes.is_empty()).then_some(change)))
        });
        let outcome = |change, failure| Done {
            entry: label.clone(),
            action: action.as_str(),
            due_at: item.due_at.clone(),
            scheduled_by: item.requested_by.clone(),
            change,
            failure,
        };
        match result {
            Ok(None) => {}
            Ok(Some(change)) => done.push(outcome(change, None)),
            Err(e) if e.is_about_input() => {
                let why = e.to_string();
                crate::db::write(conn, &actor, |tx| table::failed(tx, item.id, &why))?;
                done.push(outcome(None, Some(why)));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// The schedules overdue by more than `grace_seconds` at `now`: nothing
/// ran `publish-due` (or it could not do them).
pub fn overdue(conn: &Connection, grace_seconds: i64) -> Result<Vec<Scheduled>> {
    table::due(conn, &table::now_plus(conn, -grace_seconds)?)
}
