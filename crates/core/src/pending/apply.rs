//! Applying a pending version to the live rows: for good when it is
//! published, or in a savepoint rolled back after, to show or change the
//! entry as it will be. One set of rules for both, so what a person sees
//! of a pending version is what publishing it does.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::Connection;
use serde::Serialize;

use super::edits::{Edits, RowEdit};
use super::tree::{self, Node};
use crate::edit::{self, Entry};
use crate::error::{Error, Result};
use crate::kind::{FieldType, Kind};

/// Something of a pending version that cannot be applied as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The row, as named when the edit was saved.
    pub label: String,
    /// Its kind and id (live; negative for a row the version adds): what a
    /// form that settles it names.
    pub kind: Kind,
    pub id: i64,
    /// The field changed on both sides; None when the row itself is the
    /// problem (removed live meanwhile, or refused by the rules).
    pub field: Option<String>,
    pub base: Option<String>,
    pub live: Option<String>,
    pub pending: Option<String>,
    pub reason: String,
}

impl Conflict {
    /// One line for a message: `faq a-vs-b 3: answer was changed live too`.
    pub fn sentence(&self) -> String {
        match &self.field {
            Some(f) => format!("{}: {f} {}", self.label, self.reason),
            None => format!("{}: {}", self.label, self.reason),
        }
    }
}

/// What applying did.
#[derive(Debug, Default)]
pub struct Applied {
    pub conflicts: Vec<Conflict>,
    /// The rows the version adds: their key in the version, and their
    /// kind and id.
    pub keys: HashMap<i64, (Kind, i64)>,
    /// Edits that could not be applied at all (their row, or its parent,
    /// was removed live): kept as they are, so nothing typed is lost.
    pub unapplied: Vec<RowEdit>,
}

impl Applied {
    /// The key in the version of the added row `id` of `kind`, if it is
    /// one.
    pub fn key_of(&self, kind: Kind, id: i64) -> Option<i64> {
        self.keys
            .iter()
            .find(|(_, &v)| v == (kind, id))
            .map(|(&k, _)| k)
    }

    /// The id the added row `key` has here.
    pub fn id_of(&self, key: i64) -> Option<i64> {
        self.keys.get(&key).map(|&(_, id)| id)
    }
}

/// Runs `step` in a savepoint of its own: an input error (a rule the
/// edit breaks as the live entry stands now) is rolled back and returned,
/// so the rest still applies; any other error stops everything.
fn attempt(conn: &Connection, step: impl FnOnce() -> Result<()>) -> Result<Option<Error>> {
    conn.execute_batch("SAVEPOINT pending_step")?;
    match step() {
        Ok(()) => {
            conn.execute_batch("RELEASE pending_step")?;
            Ok(None)
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK TO pending_step; RELEASE pending_step")?;
            if e.is_about_input() || matches!(e, Error::Gone { .. }) {
                Ok(Some(e))
            } else {
                Err(e)
            }
        }
    }
}

fn same(kind: Kind, field: &str, a: &str, b: &str) -> bool {
    match kind.fields().iter().find(|f| f.name == field) {
        Some(f) => f.ty.stored(a) == f.ty.stored(b),
        None => a == b,
    }
}

/// Applies `edits` to `owner` as the live rows stand. A field changed
/// live too (to something else) is a conflict: with `keep_mine` the
/// pending value is written anyway (to show the version as its editors
/// left it), else it is left live. Publishing refuses any conflict.
pub(super) fn apply(
    conn: &Connection,
    owner: &Entry,
    edits: &Edits,
    keep_mine: bool,
) -> Result<Applied> {
    let live: HashMap<(Kind, i64), Node> = tree::read(conn, owner)?
        .into_iter()
        .map(|n| ((n.kind, n.id), n))
        .collect();
    let mut out = Applied::default();
    let conflict = |e: &RowEdit, reason: String| Conflict {
        label: e.label.clone(),
        kind: e.kind,
        id: e.id,
        field: None,
        base: None,
        live: None,
        pending: None,
        reason,
    };

    // Removals first: what goes frees its aspect or question for a row
    // added under the same name.
    for e in edits.0.iter().filter(|e| e.remove && e.id > 0) {
        if !live.contains_key(&(e.kind, e.id)) {
            continue; // removed live as well
        }
        let Ok(entry) = edit::by_id(conn, e.kind, e.id) else {
            continue; // went with its parent
        };
        if let Some(err) = attempt(conn, || edit::remove(conn, &entry))? {
            out.conflicts.push(conflict(e, err.to_string()));
        }
    }

    // Changed fields of live rows.
    for e in edits
        .0
        .iter()
        .filter(|e| e.id > 0 && !e.remove && !e.set.is_empty())
    {
        let Some(node) = live.get(&(e.kind, e.id)) else {
            out.conflicts.push(conflict(
                e,
                "was removed from the live entry meanwhile".into(),
            ));
            out.unapplied.push(e.clone());
            continue;
        };
        let entry = edit::by_id(conn, e.kind, e.id)?;
        let mut assignments = Vec::new();
        for (field, fe) in &e.set {
            let now = node.values.get(field).cloned().unwrap_or_default();
            if same(e.kind, field, &now, &fe.value) {
                continue;
            }
            if !same(e.kind, field, &now, &fe.base) {
                out.conflicts.push(Conflict {
                    label: entry.label.clone(),
                    kind: entry.kind,
                    id: entry.id,
                    field: Some(field.clone()),
                    base: Some(fe.base.clone()),
                    live: Some(now),
                    pending: Some(fe.value.clone()),
                    reason: "was changed live as well".into(),
                });
                if !keep_mine {
                    continue;
                }
            }
            assignments.push((field.clone(), fe.value.clone()));
        }
        if let Some(err) = attempt(conn, || edit::set(conn, &entry, &assignments).map(drop))? {
            out.conflicts.push(conflict(e, err.to_string()));
        }
    }

    // Added rows, parents first, each list in the order they were added.
    let mut added: Vec<&RowEdit> = edits.0.iter().filter(|e| e.id < 0).collect();
    added.sort_by_key(|e| (e.kind, std::cmp::Reverse(e.id)));
    for e in added {
        let parent = match e.parent {
            Some(p) if p < 0 => out.id_of(p),
            Some(p) => {
                let kind = e.kind.spec().parent.expect("added rows are parts");
                live.contains_key(&(kind, p)).then_some(p)
            }
            None => None,
        };
        let Some(parent) = parent else {
            out.conflicts.push(conflict(
                e,
                "is added to a part that was removed from the live entry meanwhile".into(),
            ));
            out.unapplied.push(e.clone());
            continue;
        };
        let values = e.add.clone().unwrap_or_default();
        let get = |name: &str| values.get(name).cloned().unwrap_or_default();
        let mut made = None;
        if let Some(err) = attempt(conn, || {
            made = Some(edit::add_under(conn, e.kind, parent, &get)?);
            Ok(())
        })? {
            out.conflicts.push(conflict(e, err.to_string()));
            out.unapplied.push(e.clone());
        }
        if let Some(entry) = made {
            out.keys.insert(e.id, (e.kind, entry.id));
        }
    }

    // Places last, each list from its first place down: a row moved to
    // place p leaves places 1..p as they are.
    let mut places: BTreeMap<(Kind, i64), Vec<(i64, i64)>> = BTreeMap::new();
    let gone: HashSet<(Kind, i64)> = edits
        .0
        .iter()
        .filter(|e| e.remove)
        .map(|e| (e.kind, e.id))
        .collect();
    for e in edits.0.iter() {
        let Some(target) = e.position else { continue };
        let id = if e.id < 0 {
            out.id_of(e.id)
        } else {
            (live.contains_key(&(e.kind, e.id)) && !gone.contains(&(e.kind, e.id))).then_some(e.id)
        };
        let Some(id) = id else { continue };
        let Ok(entry) = edit::by_id(conn, e.kind, id) else {
            continue;
        };
        places
            .entry((e.kind, entry.parent))
            .or_default()
            .push((target, id));
    }
    for ((kind, parent), mut rows) in places {
        rows.sort();
        let table = kind.positioned().expect("positioned");
        let field = kind
            .fields()
            .iter()
            .find(|f| f.ty == FieldType::Position)
            .expect("positioned kinds have a position field");
        for (target, id) in rows {
            let entry = edit::by_id(conn, kind, id)?;
            let to = target.min(table.count(conn, parent)?).max(1);
            let assignment = [(field.name.to_string(), to.to_string())];
            if let Some(err) = attempt(conn, || edit::set(conn, &entry, &assignment).map(drop))? {
                out.conflicts.push(Conflict {
                    label: entry.label.clone(),
                    kind: entry.kind,
                    id: entry.id,
                    field: Some(field.name.to_string()),
                    base: None,
                    live: None,
                    pending: Some(target.to_string()),
                    reason: err.to_string(),
                });
            }
        }
    }
    Ok(out)
}
