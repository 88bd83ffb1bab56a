//! What the editor shows and changes, one module per family of pages,
//! GET and POST together: the dashboard, the lists and search, an entry's
//! page and its forms ([`entry`], [`save`]), the history, review, accounts,
//! import and export ([`transfer`]); and the views of entries and fields
//! the templates show.

pub(crate) mod accounts;
pub(crate) mod dashboard;
pub(crate) mod entry;
pub(crate) mod history;
pub(crate) mod lists;
pub(crate) mod pending;
pub(crate) mod review;
pub(crate) mod save;
pub(crate) mod schedule;
pub(crate) mod target;
pub(crate) mod transfer;

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use glossary_core::edit;
use glossary_core::edit::Entry;
use glossary_core::error::{Error, Result};
use glossary_core::kind::{FieldType, Kind};

use crate::app::{read, Shared};
use crate::csrf::Csrf;
use crate::error::{failure, page};

/// How many terms, comparisons or changes a listing page shows.
pub(crate) const PAGE: i64 = 50;

/// What a person typed into a form that was refused, shown again.
#[derive(Debug, Clone, Default)]
pub(crate) struct Unsaved {
    pub kind: Option<Kind>,
    /// The row the form edits; 0 for a form that adds one.
    pub id: i64,
    /// For a form that adds: the row it adds to (a sense for an example).
    pub parent: i64,
    pub values: HashMap<String, String>,
    pub message: String,
    pub field: Option<String>,
}

impl Unsaved {
    fn matches(&self, kind: Kind, id: i64, parent: i64) -> bool {
        self.kind == Some(kind) && self.id == id && (id != 0 || self.parent == parent)
    }
}

/// One field of a form.
#[derive(Debug, Serialize)]
pub(crate) struct FieldView {
    pub name: &'static str,
    pub help: &'static str,
    pub value: String,
    /// The value the form was opened with: a save compares it with the
    /// database to find what someone else changed meanwhile.
    pub was: String,
    pub multiline: bool,
    pub required: bool,
    /// The values it may take, shown as a list to pick from (empty: free text).
    pub choices: &'static [&'static str],
    pub error: Option<String>,
}

/// One entry's form: an existing entry (id > 0) or a new one.
#[derive(Debug, Serialize)]
pub(crate) struct EntryView {
    pub kind: &'static str,
    pub noun: &'static str,
    pub id: i64,
    pub parent: i64,
    pub label: String,
    pub position: Option<i64>,
    pub last: bool,
    pub fields: Vec<FieldView>,
    /// A message for the form as a whole (not about one field).
    pub error: Option<String>,
    /// On a page of a pending version: the term or comparison (its id)
    /// whose version the form changes; 0 on a live page.
    pub pending_owner: i64,
    /// A row the pending version adds: its key there (what the form names
    /// it by, its id being only for this page); 0 for others.
    pub key: i64,
    /// An add form under such a row: the row's key.
    pub parent_key: i64,
}

/// The pending version a page shows: whose it is and how it was applied.
pub(crate) struct Version<'a> {
    pub owner: i64,
    pub applied: &'a glossary_core::pending::Applied,
}

impl EntryView {
    /// The form as it belongs on the page of `version` (a live page: as is).
    pub(crate) fn on(mut self, version: Option<&Version<'_>>) -> EntryView {
        let Some(v) = version else { return self };
        let kind = Kind::ALL
            .into_iter()
            .find(|k| k.word() == self.kind)
            .expect("a kind's word");
        self.pending_owner = v.owner;
        if self.id != 0 {
            self.key = v.applied.key_of(kind, self.id).unwrap_or(0);
        } else if let Some(parent) = kind.spec().parent {
            self.parent_key = v.applied.key_of(parent, self.parent).unwrap_or(0);
        }
        self
    }
}

/// The fields a form shows: positions are moved with buttons and the
/// status with publish, so neither is typed.
pub(crate) fn form_fields(kind: Kind) -> impl Iterator<Item = &'static glossary_core::kind::Field> {
    kind.fields()
        .iter()
        .filter(|f| !matches!(f.ty, FieldType::Position | FieldType::Status))
}

pub(crate) fn field_view(
    f: &'static glossary_core::kind::Field,
    value: String,
    draft: Option<&Unsaved>,
) -> FieldView {
    let (value, was, error) = match draft {
        Some(d) => (
            d.values
                .get(f.name)
                .cloned()
                .unwrap_or_else(|| value.clone()),
            d.values
                .get(&format!("was.{}", f.name))
                .cloned()
                .unwrap_or(value),
            (d.field.as_deref() == Some(f.name)).then(|| d.message.clone()),
        ),
        None => (value.clone(), value, None),
    };
    FieldView {
        name: f.name,
        help: f.help,
        value,
        was,
        multiline: f.multiline(),
        required: matches!(
            f.ty,
            FieldType::Text
                | FieldType::TermName
                | FieldType::TermRef
                | FieldType::Slug
                | FieldType::VariantName
                | FieldType::VariantType
                | FieldType::RelationKind
                | FieldType::YesNo
        ),
        choices: f.ty.choices(),
        error,
    }
}

/// The form of an existing entry, as stored or as the draft typed it.
pub(crate) fn entry_view(
    conn: &Connection,
    entry: &Entry,
    draft: Option<&Unsaved>,
) -> Result<EntryView> {
    let values = edit::values(conn, entry)?;
    let draft = draft.filter(|d| d.matches(entry.kind, entry.id, 0));
    let position = values
        .iter()
        .find(|(f, _)| f.ty == FieldType::Position)
        .and_then(|(_, v)| v.parse().ok());
    let last = match (position, entry.kind.positioned()) {
        (Some(p), Some(table)) => p >= table.count(conn, entry.parent)?,
        _ => true,
    };
    let fields = values
        .into_iter()
        .filter(|(f, _)| !matches!(f.ty, FieldType::Position | FieldType::Status))
        .map(|(f, v)| field_view(f, v, draft))
        .collect();
    Ok(EntryView {
        kind: entry.kind.word(),
        noun: entry.kind.noun(),
        id: entry.id,
        parent: entry.parent,
        label: entry.label.clone(),
        position,
        last,
        fields,
        error: draft
            .filter(|d| d.field.is_none())
            .map(|d| d.message.clone()),
        pending_owner: 0,
        key: 0,
        parent_key: 0,
    })
}

/// The empty form that adds a `kind` under `parent`.
pub(crate) fn new_view(kind: Kind, parent: i64, draft: Option<&Unsaved>) -> EntryView {
    let draft = draft.filter(|d| d.matches(kind, 0, parent));
    EntryView {
        kind: kind.word(),
        noun: kind.noun(),
        id: 0,
        parent,
        label: format!("new {}", kind.word()),
        position: None,
        last: true,
        fields: form_fields(kind)
            .map(|f| field_view(f, String::new(), draft))
            .collect(),
        error: draft
            .filter(|d| d.field.is_none())
            .map(|d| d.message.clone()),
        pending_owner: 0,
        key: 0,
        parent_key: 0,
    }
}

/// `?change=N` after a save: the page says what was done, with Undo.
#[derive(Deserialize, Default)]
pub(crate) struct Done {
    change: Option<i64>,
}

pub(crate) fn done(
    conn: &Connection,
    change: Option<i64>,
) -> Result<Option<glossary_core::history::ChangeLine>> {
    match change {
        Some(id) => match glossary_core::history::change(conn, id) {
            Ok(d) => Ok(Some(d.change)),
            Err(Error::NoSuchChange { .. }) => Ok(None),
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}

/// Runs `gather` for a page and renders `template` with it.
pub(crate) async fn show<C: Serialize + Send + 'static>(
    app: &Shared,
    csrf: &Csrf,
    template: &'static str,
    gather: impl FnOnce(&Connection) -> Result<C> + Send + 'static,
) -> Response {
    match read(app, gather).await {
        Ok(context) => page(StatusCode::OK, template, csrf, context),
        Err(e) => failure(e),
    }
}
