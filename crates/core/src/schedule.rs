//! Publishing on a schedule (migrations V15, V17): a comparison or term
//! planned to be published, or taken down, at a time, or its pending
//! version planned to go live then; and [`run_due`], which does
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
    /// Publish the entry's pending version, as it was when planned.
    PublishPending,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Publish => "publish",
            Action::Unpublish => "unpublish",
            Action::PublishPending => "publish-pending",
        }
    }

    /// What it does, for a sentence: `publish comparison a-vs-b`.
    pub fn verb(self) -> &'static str {
        match self {
            Action::Publish => "publish",
            Action::Unpublish => "unpublish",
            Action::PublishPending => "publish the pending version of",
        }
    }

    /// What it did, for a sentence: `published comparison a-vs-b`.
    pub fn done(self) -> &'static str {
        match self {
            Action::Publish => "published",
            Action::Unpublish => "unpublished",
            Action::PublishPending => "published the pending version of",
        }
    }

    /// The status it sets; None for a pending version, which changes
    /// content, not status.
    fn status(self) -> Option<Status> {
        match self {
            Action::Publish => Some(Status::Published),
            Action::Unpublish => Some(Status::Draft),
            Action::PublishPending => None,
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        [Action::Publish, Action::Unpublish, Action::PublishPending]
            .into_iter()
            .find(|a| a.as_str() == s)
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
///
/// A pending version is planned as it is now (its revision is kept): one
/// saved again before its time is not published unseen, and one that
/// would be refused now (a conflict with live) cannot be planned.
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
    let refused = |reasons: Vec<String>, hints: Vec<String>| Error::Refused {
        action: format!("{} {} at {due}", action.verb(), entry.label),
        reasons,
        hints,
    };
    let pending_revision = match action.status() {
        Some(status) => {
            if crate::store::status(conn, kind.table(), entry.id)? == Some(status) {
                return Err(refused(vec![format!("it is {status} already")], vec![]));
            }
            None
        }
        None => {
            let Some(version) = crate::pending::of(conn, entry)? else {
                return Err(refused(
                    vec!["it has no pending version".into()],
                    vec![
                        "write one with `glossary edit --pending` (see `glossary pending`)".into(),
                    ],
                ));
            };
            let conflicts =
                crate::pending::viewed(conn, entry, |_, applied| Ok(applied.conflicts.clone()))?;
            if !conflicts.is_empty() {
                return Err(refused(
                    conflicts
                        .iter()
                        .map(crate::pending::Conflict::sentence)
                        .collect(),
                    vec![format!(
                        "settle them first: see both sides with `glossary pending show {}`",
                        entry.label
                    )],
                ));
            }
            Some(version.revision)
        }
    };
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
            pending_revision,
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
        let Some(action) = Action::parse(&item.action) else {
            continue; // the schema allows no other
        };
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
            let entry = edit::find(tx, kind, std::slice::from_ref(&current.key))?;
            let changed = match action.status() {
                Some(status) => !edit::set_with(
                    tx,
                    &entry,
                    &[("status".into(), status.as_str().into())],
                    options,
                )?
                .is_empty(),
                None => {
                    publish_planned_version(tx, &entry, &current)?;
                    true
                }
            };
            table::delete(tx, item.id)?;
            let change = crate::change::current(tx)?;
            Ok(Some(changed.then_some(change)))
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

/// Publishes `entry`'s pending version if it is still the revision
/// `planned` named; refused if it was saved again since (the publisher
/// planned what they saw, not what came after).
fn publish_planned_version(tx: &Connection, entry: &Entry, planned: &Scheduled) -> Result<()> {
    let version = crate::pending::of(tx, entry)?;
    let now = version.as_ref().map(|v| v.revision);
    if now != planned.pending_revision {
        let saved = match &version {
            Some(v) => format!(
                "its pending version was saved again after it was planned (by {}, {}): revision {} now, {} planned",
                v.updated_by,
                v.updated_at,
                v.revision,
                planned.pending_revision.unwrap_or(0)
            ),
            None => "it has no pending version any more".into(),
        };
        return Err(Error::Refused {
            action: format!("publish the pending version of {}", entry.label),
            reasons: vec![saved],
            hints: vec![format!(
                "look at it (`glossary pending show {}`) and plan it again, or cancel the plan",
                entry.label
            )],
        });
    }
    crate::pending::publish(tx, entry)?;
    Ok(())
}

/// The schedules overdue by more than `grace_seconds` at `now`: nothing
/// ran `publish-due` (or it could not do them).
pub fn overdue(conn: &Connection, grace_seconds: i64) -> Result<Vec<Scheduled>> {
    table::due(conn, &table::now_plus(conn, -grace_seconds)?)
}
