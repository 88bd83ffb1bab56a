//! The edits of a pending version, as `pending_versions.edits` stores
//! them (the V16 migration documents the JSON).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kind::Kind;

/// One row's part of a pending version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowEdit {
    pub kind: Kind,
    /// The live row's id, or (negative) the key of a row this version adds.
    pub id: i64,
    /// The row as named when the edit was saved: what a message says of a
    /// row removed meanwhile.
    #[serde(default)]
    pub label: String,
    /// Who changed this row last.
    #[serde(default)]
    pub by: String,
    /// For a row this version adds: the row it goes under (a live id, or
    /// the negative key of an added row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<i64>,
    /// For a row this version adds: all its fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<BTreeMap<String, String>>,
    /// For a live row: the fields this version changes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, FieldEdit>,
    /// A live row this version removes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remove: bool,
    /// Where the row goes among its parent's rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
}

/// One changed field of a live row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldEdit {
    /// The live value when the field was first changed: the common
    /// ancestor of the live and the pending value.
    pub base: String,
    pub value: String,
    #[serde(default)]
    pub by: String,
}

/// All the edits of one pending version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits(pub Vec<RowEdit>);

impl Edits {
    pub fn parse(json: &str, label: &str) -> Result<Edits> {
        serde_json::from_str(json).map(Edits).map_err(|e| {
            Error::Invalid(format!(
                "the pending version of {label} cannot be read ({e}): it was written by hand; \
                 fix pending_versions.edits or discard it with `glossary pending discard`"
            ))
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("edits serialise")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, kind: Kind, id: i64) -> Option<&RowEdit> {
        self.0.iter().find(|e| e.kind == kind && e.id == id)
    }

    /// Who wrote this version: every name on it, in alphabetical order.
    pub fn authors(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut offer = |n: &str| {
            if !n.is_empty() && !names.iter().any(|m| m == n) {
                names.push(n.to_string());
            }
        };
        for e in &self.0 {
            offer(&e.by);
            for f in e.set.values() {
                offer(&f.by);
            }
        }
        names.sort_by_key(|n| n.to_lowercase());
        names
    }

    /// The lowest key of an added row (0 when none): new keys go below.
    pub fn lowest_key(&self) -> i64 {
        self.0
            .iter()
            .map(|e| e.id)
            .filter(|&id| id < 0)
            .min()
            .unwrap_or(0)
    }
}
