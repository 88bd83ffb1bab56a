//! Pending versions: changes to a published entry that readers do not
//! see until a publisher publishes them (migration V16).
//!
//! A pending version is stored as the edits that turn the live entry into
//! the new one ([`edits`]), never as a second copy of its rows, so the
//! public views, the site and `export --published-only` need not know it
//! exists. To show the entry as it will be, or to change it further, the
//! edits are applied in a savepoint with the same functions `edit` uses
//! ([`apply`]), the person's change is made there, the edits are read
//! back from the difference with the live rows ([`derive`]), and the
//! savepoint is rolled back: whatever an editor can do to a draft they can
//! do to a pending version, by the same rules.

mod apply;
mod derive;
mod edits;
pub mod transfer;
mod tree;

use rusqlite::Connection;
use serde::Serialize;

pub use apply::{Applied, Conflict};
pub use derive::Rebased;
pub use edits::{Edits, FieldEdit, RowEdit};
pub use tree::{owner_of, pending_fields, Node};

use crate::edit::{self, Entry};
use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::model::Status;
use crate::store;

/// The pending version of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: i64,
    pub kind: Kind,
    /// None when the entry was removed meanwhile.
    pub entry_id: Option<i64>,
    pub label: String,
    pub edits: Edits,
    pub started_by: String,
    pub started_at: String,
    pub updated_by: String,
    pub updated_at: String,
    /// How many times it was saved (what an approval names).
    pub revision: i64,
}

impl Pending {
    fn from_stored(s: store::pending::Stored) -> Result<Pending> {
        Ok(Pending {
            edits: Edits::parse(&s.edits, &s.label)?,
            id: s.id,
            kind: s.kind,
            entry_id: s.entry_id,
            label: s.label,
            started_by: s.started_by,
            started_at: s.started_at,
            updated_by: s.updated_by,
            updated_at: s.updated_at,
            revision: s.revision,
        })
    }

    /// Who wrote it.
    pub fn authors(&self) -> Vec<String> {
        let mut names = self.edits.authors();
        if names.is_empty() {
            names.push(self.started_by.clone());
        }
        names
    }
}

/// The pending version of `owner` (a term or a comparison), if it has one.
pub fn of(conn: &Connection, owner: &Entry) -> Result<Option<Pending>> {
    store::pending::of(conn, owner.kind, owner.id)?
        .map(Pending::from_stored)
        .transpose()
}

/// Every pending version, most recently saved first.
pub fn all(conn: &Connection) -> Result<Vec<Pending>> {
    store::pending::all(conn)?
        .into_iter()
        .map(Pending::from_stored)
        .collect()
}

/// Runs a step in a savepoint that is always rolled back. What it writes
/// is filed under an open change (one is marked if none is), so the
/// schema's triggers do not take it for an edit made outside glossary and
/// file it as one: the page that shows a version lists no change of its
/// own making.
fn rolled_back<T>(conn: &Connection, step: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.execute_batch("SAVEPOINT pending_version")?;
    let result = match store::changes::marked(conn) {
        Ok(None) => store::changes::mark_next(conn).and_then(|_| step()),
        Ok(Some(_)) => step(),
        Err(e) => Err(e),
    };
    let undone = conn.execute_batch("ROLLBACK TO pending_version; RELEASE pending_version");
    let value = result?;
    undone?;
    Ok(value)
}

/// Runs `work` on the database as `owner`'s pending version would make
/// it (the live entry if it has none), then puts everything back: what
/// `query --pending`, `pending show` and the editor's pages read. It
/// writes (and rolls back), so it needs the write lock for a moment: on a
/// copy no one else writes, or in a write transaction.
pub fn viewed<T>(
    conn: &Connection,
    owner: &Entry,
    work: impl FnOnce(&Connection, &Applied) -> Result<T>,
) -> Result<T> {
    let edits = of(conn, owner)?.map(|p| p.edits).unwrap_or_default();
    rolled_back(conn, || {
        let applied = apply::apply(conn, owner, &edits, true)?;
        work(conn, &applied)
    })
}

/// `owner`'s pending version, if it has one; refused if it has none and
/// may not start one (a draft, which is changed as it is): what
/// [`change`] checks first, and what `edit --pending` checks before it
/// opens `$EDITOR`, so no one types into a version that cannot be saved.
pub fn may_change(conn: &Connection, owner: &Entry) -> Result<Option<Pending>> {
    let stored = of(conn, owner)?;
    let status = store::status(conn, owner.kind.table(), owner.id)?;
    if stored.is_none() && status != Some(Status::Published) {
        return Err(Error::Refused {
            action: format!("start a pending version of {}", owner.label),
            reasons: vec![format!(
                "{} is a draft, which readers do not see",
                owner.label
            )],
            hints: vec!["change it as it is (without --pending)".into()],
        });
    }
    Ok(stored)
}

/// Changes `owner`'s pending version (starting one if it has none):
/// `work` runs on the entry as the version makes it, and returns the
/// fields it set explicitly (see [`Rebased`]). Nothing live changes.
/// A draft has no pending version: it is edited as it is.
pub fn change<T>(
    conn: &Connection,
    owner: &Entry,
    by: &str,
    work: impl FnOnce(&Connection, &Applied) -> Result<(T, Vec<Rebased>)>,
) -> Result<T> {
    let stored = may_change(conn, owner)?;
    let old = stored.map(|p| p.edits).unwrap_or_default();
    let live = tree::read(conn, owner)?;
    let (value, edits) = rolled_back(conn, || {
        let applied = apply::apply(conn, owner, &old, true)?;
        let (value, rebased) = work(conn, &applied)?;
        let Ok(now) = edit::by_id(conn, owner.kind, owner.id) else {
            return Err(Error::Refused {
                action: format!("remove {} in a pending version", owner.label),
                reasons: vec![
                    "a pending version changes an entry; it does not take it down".into(),
                ],
                hints: vec![format!(
                    "unpublish it (`glossary unpublish`), or remove it as it is (without --pending)"
                )],
            });
        };
        let state = tree::read(conn, &now)?;
        Ok((
            value,
            derive::derive(&live, &state, &old, &applied, by, &rebased),
        ))
    })?;
    let stored = store::pending::of(conn, owner.kind, owner.id)?;
    if edits.is_empty() {
        if let Some(s) = stored {
            store::pending::delete(conn, s.id)?;
        }
    } else {
        store::pending::put(
            conn,
            owner.kind,
            owner.id,
            &owner.label,
            &edits.to_json(),
            by,
        )?;
    }
    Ok(value)
}

/// What publishing a pending version did.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub entry: String,
    /// Who wrote the version.
    pub written_by: Vec<String>,
}

/// Applies `owner`'s pending version to the live entry, in the caller's
/// write (one change of the history), and deletes it; refused, with every
/// conflict named, if any part cannot be applied as the live entry stands.
pub fn publish(conn: &Connection, owner: &Entry) -> Result<Published> {
    let Some(pending) = of(conn, owner)? else {
        return Err(no_pending(owner));
    };
    let applied = apply::apply(conn, owner, &pending.edits, false)?;
    if !applied.conflicts.is_empty() {
        return Err(Error::Refused {
            action: format!("publish the pending version of {}", owner.label),
            reasons: applied.conflicts.iter().map(Conflict::sentence).collect(),
            hints: vec![
                format!(
                    "see both sides with `glossary pending show {}`",
                    command_keys(owner)
                ),
                match applied.conflicts.iter().find(|c| c.field.is_some()) {
                    Some(Conflict { label, field: Some(field), .. }) => format!(
                        "keep one text with `glossary edit {label} --pending --set {field}=…`, or discard the pending version"
                    ),
                    _ => "settle each with `glossary edit … --pending`, or discard the pending version".into(),
                },
            ],
        });
    }
    store::pending::delete(conn, pending.id)?;
    store::changes::mark_written_by(conn, &pending.authors().join(", "))?;
    Ok(Published {
        entry: edit::by_id(conn, owner.kind, owner.id)?.label,
        written_by: pending.authors(),
    })
}

/// Deletes `owner`'s pending version; the live entry stays as it is.
pub fn discard(conn: &Connection, owner: &Entry) -> Result<Pending> {
    let Some(pending) = of(conn, owner)? else {
        return Err(no_pending(owner));
    };
    store::pending::delete(conn, pending.id)?;
    Ok(pending)
}

/// Deletes the pending version `id` (one whose entry was removed).
pub fn discard_id(conn: &Connection, id: i64) -> Result<bool> {
    Ok(store::pending::delete(conn, id)? > 0)
}

fn no_pending(owner: &Entry) -> Error {
    Error::Invalid(format!(
        "{} has no pending version (see `glossary pending`)",
        owner.label
    ))
}

/// `comparison SLUG` or `term NAME`, as the pending commands take them.
pub fn command_keys(owner: &Entry) -> String {
    owner.label.clone()
}

/// One row of a pending version against live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowDiff {
    /// The row as it will be named.
    pub entry: String,
    /// `changed`, `added`, `removed` or `moved`.
    pub action: &'static str,
    pub fields: Vec<FieldDiff>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Move>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDiff {
    pub field: String,
    pub live: Option<String>,
    pub pending: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    pub live: Option<i64>,
    pub pending: Option<i64>,
}

/// A pending version shown against the live entry.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    pub entry: String,
    pub started_by: String,
    pub started_at: String,
    pub updated_by: String,
    pub updated_at: String,
    pub written_by: Vec<String>,
    pub rows: Vec<RowDiff>,
    pub conflicts: Vec<Conflict>,
}

/// `owner`'s pending version, row by row and field by field against the
/// live entry as it is now (live changes made meanwhile merged in).
pub fn show(conn: &Connection, owner: &Entry) -> Result<Shown> {
    let Some(pending) = of(conn, owner)? else {
        return Err(no_pending(owner));
    };
    let live = tree::read(conn, owner)?;
    let (state, conflicts) = viewed(conn, owner, |conn, applied| {
        let now = edit::by_id(conn, owner.kind, owner.id)?;
        Ok((tree::read(conn, &now)?, applied.conflicts.clone()))
    })?;
    let moved: std::collections::HashSet<(Kind, i64)> = pending
        .edits
        .0
        .iter()
        .filter(|e| e.position.is_some() && e.id > 0)
        .map(|e| (e.kind, e.id))
        .collect();
    let mut rows = Vec::new();
    for s in &state {
        match live.iter().find(|l| l.kind == s.kind && l.id == s.id) {
            Some(l) => {
                let fields: Vec<FieldDiff> = in_order(s)
                    .filter(|(f, v)| l.values.get(*f) != Some(*v))
                    .map(|(f, v)| FieldDiff {
                        field: f.to_string(),
                        live: l.values.get(f).cloned().filter(|x| !x.is_empty()),
                        pending: Some(v.clone()).filter(|x| !x.is_empty()),
                    })
                    .collect();
                let position = (moved.contains(&(s.kind, s.id)) && s.position != l.position)
                    .then_some(Move {
                        live: l.position,
                        pending: s.position,
                    });
                if fields.is_empty() && position.is_none() {
                    continue;
                }
                rows.push(RowDiff {
                    entry: s.label.clone(),
                    action: if fields.is_empty() {
                        "moved"
                    } else {
                        "changed"
                    },
                    fields,
                    position,
                });
            }
            None => rows.push(RowDiff {
                entry: s.label.clone(),
                action: "added",
                fields: in_order(s)
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(f, v)| FieldDiff {
                        field: f.to_string(),
                        live: None,
                        pending: Some(v.clone()),
                    })
                    .collect(),
                position: None,
            }),
        }
    }
    for l in &live {
        if !state.iter().any(|s| s.kind == l.kind && s.id == l.id) {
            rows.push(RowDiff {
                entry: l.label.clone(),
                action: "removed",
                fields: Vec::new(),
                position: None,
            });
        }
    }
    Ok(Shown {
        entry: owner.label.clone(),
        written_by: pending.authors(),
        started_by: pending.started_by,
        started_at: pending.started_at,
        updated_by: pending.updated_by,
        updated_at: pending.updated_at,
        rows,
        conflicts,
    })
}

/// A row's fields in the order `edit` lists them.
fn in_order(node: &Node) -> impl Iterator<Item = (&'static str, &String)> + '_ {
    pending_fields(node.kind).filter_map(|f| Some((f.name, node.values.get(f.name)?)))
}

/// The kind of entry whose pending version holds changes to `kind`.
pub fn owner_kind(kind: Kind) -> Kind {
    kind.owner()
}

/// The entry (a term or a comparison) `kind KEY` names, for the pending
/// commands.
pub fn entry(conn: &Connection, kind: Kind, key: &str) -> Result<Entry> {
    match kind {
        Kind::Term | Kind::Comparison => edit::find(conn, kind, &[key.to_string()]),
        other => Err(Error::Usage(format!(
            "a pending version is of a term or a comparison, not of {} (its {} holds it)",
            other.noun(),
            other.spec().parent.map_or("entry", |p| p.word())
        ))),
    }
}

#[cfg(test)]
mod tests;
