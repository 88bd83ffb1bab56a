//! Pending versions in `export` and `import`: `pending_versions.csv`, one
//! row a version (`kind,entry,started_by,started_at,updated_by,updated_at,
//! revision,edits`), its edits as the database keeps them (V16) but with
//! each live row named by its keys (`["a-vs-b", "3"]`, as `glossary edit`
//! takes them) instead of its id, which another database does not share.
//! So an export and an import of it bring back every pending version as it
//! was, bases and authors included.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::edits::Edits;
use super::{entry, Pending};
use crate::edit;
use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::model::{FieldChange, Outcome};
use crate::store;
use rusqlite::Connection;

/// The file's name.
pub const FILE: &str = "pending_versions.csv";

/// Its columns, in order.
pub const COLUMNS: [&str; 8] = [
    "kind",
    "entry",
    "started_by",
    "started_at",
    "updated_by",
    "updated_at",
    "revision",
    "edits",
];

/// One row of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub kind: String,
    /// The comparison's slug, or the term.
    pub entry: String,
    pub started_by: String,
    pub started_at: String,
    pub updated_by: String,
    pub updated_at: String,
    pub revision: i64,
    pub edits: String,
}

/// An id no row has: what an edit of a row removed meanwhile is given
/// back on import (it stays unapplied, its text kept).
const GONE: i64 = i64::MAX;

/// Every pending version whose entry is there, as file rows, by kind and
/// entry.
pub fn rows(conn: &Connection) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for p in super::all(conn)? {
        let Some(id) = p.entry_id else { continue };
        let key = edit::keys_of(conn, p.kind, id)?.remove(0);
        out.push(Row {
            kind: p.kind.word().to_string(),
            entry: key,
            edits: portable(conn, &p)?,
            started_by: p.started_by,
            started_at: p.started_at,
            updated_by: p.updated_by,
            updated_at: p.updated_at,
            revision: p.revision,
        });
    }
    out.sort_by(|a, b| (&a.kind, &a.entry).cmp(&(&b.kind, &b.entry)));
    Ok(out)
}

/// The edits with live ids turned into keys.
fn portable(conn: &Connection, p: &Pending) -> Result<String> {
    let mut list = Vec::new();
    for e in &p.edits.0 {
        let mut v = serde_json::to_value(e).expect("edits serialise");
        let obj = v.as_object_mut().expect("an edit is an object");
        if e.id > 0 {
            obj.remove("id");
            match edit::keys_of(conn, e.kind, e.id) {
                Ok(keys) => obj.insert("keys".into(), keys.into()),
                Err(Error::Gone { .. }) => obj.insert("gone".into(), true.into()),
                Err(other) => return Err(other),
            };
        }
        if let Some(parent) = e.parent.filter(|&p| p > 0) {
            let kind = e.kind.spec().parent.expect("added rows are parts");
            obj.remove("parent");
            match edit::keys_of(conn, kind, parent) {
                Ok(keys) => obj.insert("parent_keys".into(), keys.into()),
                Err(Error::Gone { .. }) => obj.insert("parent_gone".into(), true.into()),
                Err(other) => return Err(other),
            };
        }
        list.push(v);
    }
    Ok(Value::Array(list).to_string())
}

/// Writes the pending version a file row holds (replacing the entry's),
/// its keys found in this database; an unknown entry or key is an input
/// error, as in any file.
pub fn restore(conn: &Connection, row: &Row) -> Result<Outcome> {
    let kind = store::owner_kind_typed(&row.kind)?;
    let owner = entry(conn, kind, &row.entry)?;
    if store::status(conn, kind.table(), owner.id)? != Some(crate::model::Status::Published) {
        return Err(Error::Refused {
            action: format!("keep a pending version of {}", owner.label),
            reasons: vec![format!(
                "{} is a draft: only a published entry has one",
                owner.label
            )],
            hints: vec![
                "publish it in the same import (its status column), or leave this row out".into(),
            ],
        });
    }
    let list: Vec<Value> = serde_json::from_str(&row.edits)
        .map_err(|e| Error::bad("edits")(format!("not a JSON list of edits: {e}")))?;
    let mut edits = Vec::new();
    for (i, mut v) in list.into_iter().enumerate() {
        let obj = v
            .as_object_mut()
            .ok_or_else(|| Error::bad("edits")(format!("edit {} is not an object", i + 1)))?;
        let kind_of = |obj: &serde_json::Map<String, Value>| -> Result<Kind> {
            serde_json::from_value(obj.get("kind").cloned().unwrap_or(Value::Null))
                .map_err(|e| Error::bad("edits")(format!("edit {}: {e}", i + 1)))
        };
        let k = kind_of(obj)?;
        let id_of = |kind: Kind, keys: &Value| -> Result<i64> {
            let keys: Vec<String> = serde_json::from_value(keys.clone())
                .map_err(|e| Error::bad("edits")(format!("edit {}: keys: {e}", i + 1)))?;
            Ok(edit::find(conn, kind, &keys)?.id)
        };
        if let Some(keys) = obj.remove("keys") {
            obj.insert("id".into(), id_of(k, &keys)?.into());
        } else if obj.remove("gone").is_some() {
            obj.insert("id".into(), (GONE - i as i64).into());
        }
        let parent_kind = k.spec().parent;
        if let (Some(keys), Some(pk)) = (obj.remove("parent_keys"), parent_kind) {
            obj.insert("parent".into(), id_of(pk, &keys)?.into());
        } else if obj.remove("parent_gone").is_some() {
            obj.insert("parent".into(), (GONE - i as i64).into());
        }
        edits.push(
            serde_json::from_value(v)
                .map_err(|e| Error::bad("edits")(format!("edit {}: {e}", i + 1)))?,
        );
    }
    let edits = Edits(edits);
    let json = edits.to_json();
    let before = store::pending::of(conn, kind, owner.id)?;
    store::pending::restore(
        conn,
        &store::pending::Stored {
            id: 0,
            kind,
            entry_id: Some(owner.id),
            label: owner.label.clone(),
            edits: json.clone(),
            started_by: row.started_by.clone(),
            started_at: row.started_at.clone(),
            updated_by: row.updated_by.clone(),
            updated_at: row.updated_at.clone(),
            revision: row.revision,
        },
    )?;
    Ok(match before {
        None => Outcome::Inserted,
        Some(b) if b.edits == json && b.revision == row.revision => Outcome::Unchanged,
        Some(_) => Outcome::Updated {
            changes: vec![FieldChange {
                field: "edits",
                old: None,
                new: None,
            }],
        },
    })
}
