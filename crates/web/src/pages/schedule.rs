//! Scheduling on the web: a publisher plans an entry's publish or
//! unpublish, or the publishing of its pending version, at a time (UTC, from a date-time field), or cancels the plan;
//! `publish-due`, which the server runs every minute, does it then
//! ([`glossary_core::schedule`]). A plan is not content: it is written, like
//! every form, through the one write path, but makes no change of the
//! history until it is carried out.

use axum::extract::State;
use axum::response::Response;

use glossary_core::edit;
use glossary_core::error::Error;
use glossary_core::kind::Kind;
use glossary_core::publication;
use glossary_core::schedule::{self, Action};

use crate::app::{write, Shared};
use crate::auth::who::Who;
use crate::error::failure;
use crate::forms::Posted;
use crate::pages::target::{kind_of, page_of, redirect};

/// The comparison or term a form names.
fn entry_of(posted: &Posted) -> Result<(Kind, i64), Error> {
    match (kind_of(posted)?, posted.number("id")?) {
        (k @ (Kind::Term | Kind::Comparison), id) => Ok((k, id)),
        (k, _) => Err(Error::Invalid(format!(
            "{} has no status of its own",
            k.noun()
        ))),
    }
}

/// The date-time field's value (`2027-01-05T09:00`, in UTC as the form
/// says) as a time [`schedule::parse_time`] reads.
fn utc(field: &str) -> String {
    let t = field.trim();
    if t.ends_with(['Z', 'z']) || t.get(16..).is_some_and(|z| z.contains(['+', '-'])) {
        t.to_string()
    } else {
        format!("{t}Z")
    }
}

pub(crate) async fn plan(State(app): State<Shared>, who: Who, posted: Posted) -> Response {
    let (kind, id) = match entry_of(&posted) {
        Ok(e) => e,
        Err(e) => return failure(e),
    };
    let action = match Action::parse(posted.get("action")) {
        Some(a) => a,
        None => {
            return failure(Error::Invalid(format!(
                "no such action \"{}\"",
                posted.get("action")
            )))
        }
    };
    let at = utc(posted.get("at"));
    let options = publication::Options {
        with_terms: posted.get("with_terms") == "on",
        with_comparisons: posted.get("with_comparisons") == "on",
        force: false,
    };
    let by = who.reviewer();
    let result = write(&app, "schedule".into(), move |tx, command| {
        let entry = edit::by_id(tx, kind, id)?;
        let due = schedule::plan(tx, &entry, action, options, &at, &by)?;
        *command = format!("{} {} at {due}", action.verb(), entry.label);
        Ok(format!("{}#status", page_of(tx, &entry)?))
    })
    .await;
    match result {
        Ok(to) => redirect(&to),
        Err(e) => failure(e),
    }
}

pub(crate) async fn cancel(State(app): State<Shared>, posted: Posted) -> Response {
    let (kind, id) = match entry_of(&posted) {
        Ok(e) => e,
        Err(e) => return failure(e),
    };
    let result = write(&app, "cancel schedule".into(), move |tx, _| {
        let entry = edit::by_id(tx, kind, id)?;
        schedule::cancel(tx, &entry)?;
        Ok(format!("{}#status", page_of(tx, &entry)?))
    })
    .await;
    match result {
        Ok(to) => redirect(&to),
        Err(e) => failure(e),
    }
}
