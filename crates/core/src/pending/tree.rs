//! An entry and its parts as rows with their fields: what a pending
//! version is derived from (live and as it will be) and compared with.

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::edit::{self, Entry};
use crate::error::Result;
use crate::kind::{FieldType, Kind};

/// One row of an entry's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: Kind,
    pub id: i64,
    /// The row it belongs to (0 for the entry itself).
    pub parent: i64,
    /// Its place among its parent's rows of its kind.
    pub position: Option<i64>,
    /// What a pending version may change: every field but the position
    /// (a move) and the status (publishing is live), as `edit` names them.
    pub values: BTreeMap<String, String>,
    pub label: String,
}

/// The fields a pending version holds of `kind`.
pub fn pending_fields(kind: Kind) -> impl Iterator<Item = &'static crate::kind::Field> {
    kind.fields()
        .iter()
        .filter(|f| !matches!(f.ty, FieldType::Position | FieldType::Status))
}

/// The node of one row, read as `edit` reads it.
pub(super) fn node(conn: &Connection, entry: &Entry) -> Result<Node> {
    let mut values = BTreeMap::new();
    let mut position = None;
    for (f, v) in edit::values(conn, entry)? {
        match f.ty {
            FieldType::Position => position = v.parse().ok(),
            FieldType::Status => {}
            _ => {
                values.insert(f.name.to_string(), v);
            }
        }
    }
    Ok(Node {
        kind: entry.kind,
        id: entry.id,
        parent: entry.parent,
        position,
        values,
        label: entry.label.clone(),
    })
}

/// The entry (a term or a comparison) and all its parts, parents first,
/// each list in order.
pub(super) fn read(conn: &Connection, owner: &Entry) -> Result<Vec<Node>> {
    let mut out = vec![node(conn, owner)?];
    let mut i = 0;
    while i < out.len() {
        let (kind, id) = (out[i].kind, out[i].id);
        for child in Kind::ALL
            .into_iter()
            .filter(|k| k.spec().parent == Some(kind))
        {
            let table = child.positioned().expect("children have positions");
            for row in table.ids(conn, id)? {
                out.push(node(conn, &edit::by_id(conn, child, row)?)?);
            }
        }
        i += 1;
    }
    Ok(out)
}

/// The term or comparison whose page shows `entry`, and whose pending
/// version holds its changes.
pub fn owner_of(conn: &Connection, entry: &Entry) -> Result<Entry> {
    match entry.kind.spec().parent {
        None => Ok(entry.clone()),
        Some(parent) => owner_of(conn, &edit::by_id(conn, parent, entry.parent)?),
    }
}
