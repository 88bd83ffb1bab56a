//! What the editor's forms change. Each POST is one change of the history,
//! written through the library as the CLI writes it, then a redirect to the
//! page that shows the result (POST, then GET: reloading never saves
//! twice). A refused form comes back with what was typed and the message
//! beside the field; nothing typed is lost.
//!
//! Concurrent edits: a form carries each field's value as it was opened
//! (`was.FIELD`). A save writes only the fields the person changed, and
//! refuses (409) when someone else changed one of those meanwhile to
//! something else, with both texts side by side to merge. Two people who
//! change different fields of an entry both keep their work.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use glossary_core::error::{Error, Result};
use glossary_core::kind::{FieldType, Kind};
use glossary_core::model::Status;
use glossary_core::pending;
use glossary_core::{change, edit, publication};

use crate::app::{read, write, Shared};
use crate::csrf::Csrf;
use crate::error::WebError;
use crate::error::{failure, page};
use crate::forms::Posted;
use crate::pages::target::{
    after, after_write, kind_of, named, on_version, page_of, redirect, Target,
};
use crate::pages::{Unsaved, Version};
use crate::urls;

/// Shows the page of `kind`'s row `id` (or of the row it is added to)
/// again, with the draft: a refused save, 422.
pub(crate) async fn refused(
    app: &Shared,
    csrf: &Csrf,
    draft: Unsaved,
    target: Target,
    status: StatusCode,
) -> Response {
    let Some(kind) = draft.kind else {
        return failure(Error::Invalid(draft.message));
    };
    let (owner_kind, owner_id) = if draft.id != 0 {
        (kind, draft.id)
    } else {
        (kind.spec().parent.unwrap_or(kind), draft.parent)
    };
    let message = draft.message.clone();
    let draft_message = message.clone();
    let gather = move |conn: &rusqlite::Connection, version: Option<&Version<'_>>| {
        let page_kind = pending::owner_kind(owner_kind);
        let keys = match version {
            Some(v) => edit::keys_of(conn, page_kind, v.owner)?,
            None => edit::keys_of(conn, owner_kind, owner_id)?,
        };
        let template = if page_kind == Kind::Term {
            "editor/term.html"
        } else {
            "editor/comparison.html"
        };
        let context = crate::pages::entry::page_of_kind(
            conn,
            page_kind,
            &keys[0],
            Some(&draft),
            None,
            version,
        )?;
        Ok((template, context))
    };
    let shown = match target.owner {
        Some((kind, id)) => crate::app::rolled_back(app, move |conn| {
            let owner = edit::by_id(conn, kind, id)?;
            pending::viewed(conn, &owner, |conn, applied| {
                gather(conn, Some(&Version { owner: id, applied }))
            })
        })
        .await
        .and_then(|shown| shown.ok_or_else(|| Error::Invalid(draft_message.clone()))),
        None => read(app, move |conn| gather(conn, None)).await,
    };
    match shown {
        // The message on top as well: the form it belongs to may not be
        // on the page (a form the editor did not make).
        Ok((template, context)) => page(
            status,
            template,
            csrf,
            minijinja::context! { refused => message, ..context },
        ),
        // The page itself is gone: say why the save failed, at least.
        Err(_) => failure(Error::Invalid(draft_message)),
    }
}

pub(crate) fn draft(posted: &Posted, kind: Kind, id: i64, parent: i64, e: &Error) -> Unsaved {
    Unsaved {
        kind: Some(kind),
        id,
        parent,
        values: posted.fields.clone(),
        message: e.to_string(),
        field: e.field().map(str::to_string),
    }
}

/// A field someone else changed to another value while this person
/// changed it too.
#[derive(Debug, Serialize)]
pub(crate) struct Conflict {
    name: &'static str,
    help: &'static str,
    multiline: bool,
    /// What this person typed.
    mine: String,
    /// What is saved now.
    theirs: String,
    /// What both started from.
    base: String,
}

/// A field of the merge form that is not in conflict: carried as is.
#[derive(Debug, Serialize)]
pub(crate) struct Settled {
    name: &'static str,
    value: String,
    theirs: String,
}

pub(crate) enum Saved {
    To(String),
    Conflict {
        label: String,
        href: String,
        conflicts: Vec<Conflict>,
        settled: Vec<Settled>,
        by: Vec<glossary_core::history::ChangeLine>,
    },
}

pub(crate) async fn save(State(app): State<Shared>, posted: Posted) -> Result<Response, WebError> {
    let (kind, id) = named(&posted, "id")?;
    // `settle.FIELD`: a pending version's merge form keeps this text over
    // live's, even unchanged (the conflict is settled by choosing).
    let fields: Vec<(&'static glossary_core::kind::Field, String, String, bool)> = kind
        .fields()
        .iter()
        .filter(|f| !matches!(f.ty, FieldType::Position | FieldType::Status))
        .filter_map(|f| {
            let mine = posted.fields.get(f.name)?.clone();
            let base = posted.fields.get(&format!("was.{}", f.name))?.clone();
            let settle = posted.get(&format!("settle.{}", f.name)) == "1";
            Some((f, mine, base, settle))
        })
        .collect();
    let target = Target::of(&posted, kind)?;
    let result = write(&app, "edit".into(), move |tx, command| {
        on_version(tx, target, id, 0, |tx, id, _, pending| {
            let entry = edit::by_id(tx, kind, id)?;
            *command = format!("edit {}", entry.label);
            let current = edit::values(tx, &entry)?;
            let mut assignments = Vec::new();
            let mut conflicts = Vec::new();
            let mut settled = Vec::new();
            for (f, mine, base, settle) in fields {
                let theirs = current
                    .iter()
                    .find(|(cf, _)| cf.name == f.name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                let changed_here = !same(f, &mine, &base) || (settle && pending.is_some());
                if changed_here && !same(f, &theirs, &base) && !same(f, &theirs, &mine) {
                    conflicts.push(Conflict {
                        name: f.name,
                        help: f.help,
                        multiline: f.multiline(),
                        mine,
                        theirs,
                        base,
                    });
                    continue;
                }
                let value = if changed_here { mine } else { theirs.clone() };
                if changed_here {
                    assignments.push((f.name.to_string(), value.clone()));
                }
                settled.push(Settled {
                    name: f.name,
                    value,
                    theirs,
                });
            }
            if !conflicts.is_empty() {
                let by = glossary_core::history::changes(
                    tx,
                    &glossary_core::history::Filter {
                        entry: Some(&entry),
                        limit: 3,
                        ..Default::default()
                    },
                )?;
                let href = match pending {
                    Some(p) => format!("{}?version=pending", p.page),
                    None => page_of(tx, &entry)?,
                };
                return Ok((
                    Saved::Conflict {
                        label: entry.label.clone(),
                        href,
                        conflicts,
                        settled,
                        by,
                    },
                    vec![],
                ));
            }
            let set = assignments
                .iter()
                .map(|(f, _)| (kind, id, f.clone()))
                .collect();
            edit::set(tx, &entry, &assignments)?;
            // A rename moves the page: found again by id.
            let entry = edit::by_id(tx, kind, id)?;
            Ok((Saved::To(after(tx, &entry, pending)?), set))
        })
    })
    .await;
    Ok(match result {
        Ok(Saved::To(to)) => redirect(&to),
        Ok(Saved::Conflict {
            label,
            href,
            conflicts,
            settled,
            by,
        }) => page(
            StatusCode::CONFLICT,
            "editor/conflict.html",
            &posted.csrf,
            minijinja::context! {
                title => format!("Someone else changed {label}"),
                label, href, kind => kind.word(), id, conflicts, settled, by,
            },
        ),
        Err(e @ Error::Gone { .. }) => page(
            StatusCode::CONFLICT,
            "editor/conflict.html",
            &posted.csrf,
            minijinja::context! {
                title => "Removed meanwhile",
                gone => e.to_string(),
                kind => kind.word(),
                typed => posted.fields.iter().filter(|(k, _)| kind.field(k).is_ok()).collect::<std::collections::BTreeMap<_, _>>(),
            },
        ),
        Err(e) if e.is_about_input() => {
            let d = draft(&posted, kind, id, 0, &e);
            refused(
                &app,
                &posted.csrf,
                d,
                target,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => failure(e),
    })
}

/// Whether two values of `f` are the same once stored, as [`edit::set`]
/// compares them.
pub(crate) fn same(f: &glossary_core::kind::Field, a: &str, b: &str) -> bool {
    f.ty.stored(a) == f.ty.stored(b)
}

pub(crate) async fn add(State(app): State<Shared>, posted: Posted) -> Result<Response, WebError> {
    let (kind, parent) = named(&posted, "parent")?;
    let values = posted.fields.clone();
    let target = Target::of(&posted, kind)?;
    let result = write(&app, format!("add-{}", kind.word()), move |tx, command| {
        on_version(tx, target, 0, parent, |tx, _, parent, pending| {
            let get = |name: &str| values.get(name).cloned().unwrap_or_default();
            let entry = edit::add_under(tx, kind, parent, &get)?;
            *command = format!("add {}", entry.label);
            Ok((after(tx, &entry, pending)?, vec![]))
        })
    })
    .await;
    Ok(match result {
        Ok(to) => redirect(&to),
        Err(e) if e.is_about_input() && !matches!(e, Error::Gone { .. }) => {
            let d = draft(&posted, kind, 0, parent, &e);
            refused(
                &app,
                &posted.csrf,
                d,
                target,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => failure(e),
    })
}

pub(crate) async fn remove(
    State(app): State<Shared>,
    posted: Posted,
) -> Result<Response, WebError> {
    let (kind, id) = named(&posted, "id")?;
    let target = Target::of(&posted, kind)?;
    let result = write(&app, "remove".into(), move |tx, command| {
        on_version(tx, target, id, 0, |tx, id, _, pending| {
            let entry = edit::by_id(tx, kind, id)?;
            *command = format!("remove {}", entry.label);
            // Terms and comparisons go to the list; the rest, their page.
            let to = match (kind, pending) {
                (_, Some(p)) => format!("{}?version=pending&saved=1", p.page),
                (Kind::Term, None) => "/terms".to_string(),
                (Kind::Comparison, None) => "/comparisons".to_string(),
                _ => {
                    let parent_kind = kind.spec().parent.expect("a child kind");
                    let parent = edit::by_id(tx, parent_kind, entry.parent)?;
                    page_of(tx, &parent)?
                }
            };
            edit::remove(tx, &entry)?;
            if pending.is_some() {
                return Ok((to, vec![]));
            }
            Ok((format!("{to}?change={}", change::current(tx)?), vec![]))
        })
    })
    .await;
    Ok(match result {
        Ok(to) => redirect(&to),
        Err(e) => failure(e),
    })
}

pub(crate) async fn move_entry(
    State(app): State<Shared>,
    posted: Posted,
) -> Result<Response, WebError> {
    let (kind, id) = named(&posted, "id")?;
    let step: i64 = match posted.get("to") {
        "up" => -1,
        "down" => 1,
        other => {
            let e = Error::Invalid(format!("move to \"{other}\"? (up or down)"));
            return Err(e.into());
        }
    };
    let target = Target::of(&posted, kind)?;
    let result = write(&app, "move".into(), move |tx, command| {
        on_version(tx, target, id, 0, |tx, id, _, pending| {
            let entry = edit::by_id(tx, kind, id)?;
            let Some((field, value)) = edit::values(tx, &entry)?
                .into_iter()
                .find(|(f, _)| f.ty == FieldType::Position)
            else {
                return Err(Error::Invalid(format!(
                    "{} has no place to move",
                    entry.label
                )));
            };
            let to = value.parse::<i64>().unwrap_or(1) + step;
            *command = format!("edit {} --set {}={to}", entry.label, field.name);
            if to >= 1 {
                edit::set(tx, &entry, &[(field.name.to_string(), to.to_string())])?;
            }
            let entry = edit::by_id(tx, kind, id)?;
            Ok((after(tx, &entry, pending)?, vec![]))
        })
    })
    .await;
    Ok(match result {
        Ok(to) => redirect(&to),
        Err(e) => failure(e),
    })
}

/// Publish or unpublish, with `publish`'s rules and flags.
pub(crate) async fn status(State(app): State<Shared>, posted: Posted) -> Response {
    let (kind, id) = match (kind_of(&posted), posted.number("id")) {
        (Ok(k @ (Kind::Term | Kind::Comparison)), Ok(id)) => (k, id),
        (Ok(k), Ok(_)) => {
            let e = Error::Invalid(format!("{} has no status of its own", k.noun()));
            return failure(e);
        }
        (Err(e), _) | (_, Err(e)) => return failure(e),
    };
    let to = match Status::parse(posted.get("to")) {
        Ok(s) => s,
        Err(e) => return failure(Error::Invalid(e)),
    };
    let options = publication::Options {
        with_terms: posted.get("with_terms") == "on",
        with_comparisons: posted.get("with_comparisons") == "on",
        force: posted.get("force") == "on",
    };
    let result = write(&app, "publish".into(), move |tx, command| {
        let entry = edit::by_id(tx, kind, id)?;
        let verb = if to == Status::Published {
            "publish"
        } else {
            "unpublish"
        };
        *command = format!("{verb} {}", entry.label);
        edit::set_with(
            tx,
            &entry,
            &[("status".into(), to.as_str().into())],
            options,
        )?;
        let entry = edit::by_id(tx, kind, id)?;
        after_write(tx, &entry)
    })
    .await;
    match result {
        Ok(to) => redirect(&to),
        Err(e) => failure(e),
    }
}

pub(crate) async fn undo(
    State(app): State<Shared>,
    Path(id): Path<i64>,
    who: crate::auth::who::Who,
    // Read for its CSRF token, which the extractor checks.
    _posted: Posted,
) -> Response {
    let result = write(&app, format!("revert {id}"), move |tx, _| {
        let by = glossary_core::history::change(tx, id)?.change.author;
        who.may_undo(id, &by)?;
        glossary_core::history::revert_change(tx, id)?;
        change::current(tx)
    })
    .await;
    match result {
        Ok(change) => redirect(&urls::change(change)),
        Err(e) => failure(e),
    }
}

pub(crate) async fn new_term(State(app): State<Shared>, posted: Posted) -> Response {
    let values = posted.fields.clone();
    let result = write(&app, "add-term".into(), move |tx, command| {
        let get = |n: &str| values.get(n).map(String::as_str);
        let name = edit::add_term(
            tx,
            &edit::NewTerm {
                term: get("term").unwrap_or_default(),
                part_of_speech: get("part_of_speech"),
                note: get("note"),
                status: Status::Draft,
            },
        )?;
        *command = format!("add-term {}", glossary_core::model::shell_word(&name));
        after_write(tx, &edit::find(tx, Kind::Term, &[name])?)
    })
    .await;
    created(&posted, Kind::Term, result)
}

pub(crate) async fn new_comparison(State(app): State<Shared>, posted: Posted) -> Response {
    let values = posted.fields.clone();
    let result = write(&app, "add-comparison".into(), move |tx, command| {
        let get = |n: &str| {
            values
                .get(n)
                .map(String::as_str)
                .filter(|v| !v.trim().is_empty())
        };
        let slug = edit::add_comparison(
            tx,
            &edit::NewComparison {
                slug: get("slug"),
                left: get("left").unwrap_or_default(),
                right: get("right").unwrap_or_default(),
                title: get("title"),
                summary: get("summary"),
                published: get("published"),
                status: Status::Draft,
            },
        )?;
        *command = format!("add-comparison {slug}");
        after_write(tx, &edit::find(tx, Kind::Comparison, &[slug])?)
    })
    .await;
    created(&posted, Kind::Comparison, result)
}

/// After a new term or comparison: its page, or the form again.
pub(crate) fn created(posted: &Posted, kind: Kind, result: Result<String>) -> Response {
    match result {
        Ok(to) => redirect(&to),
        Err(e) if e.is_about_input() => {
            let d = draft(posted, kind, 0, 0, &e);
            page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "editor/new.html",
                &posted.csrf,
                crate::pages::entry::new_context(Some(&d)),
            )
        }
        Err(e) => failure(e),
    }
}
