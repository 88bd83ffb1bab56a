//! A publisher's buttons for a pending version: publish it (one change of
//! the history, naming who wrote it) or discard it.

use axum::extract::State;
use axum::response::Response;

use glossary_core::edit;
use glossary_core::error::Error;
use glossary_core::kind::Kind;
use glossary_core::pending;

use crate::app::{write, Shared};
use crate::error::failure;
use crate::forms::Posted;
use crate::pages::target::{after_write, kind_of, page_of, redirect};

/// The term or comparison a form names (`kind`, `id`).
fn owner(posted: &Posted) -> Result<(Kind, i64), Error> {
    match kind_of(posted)? {
        k @ (Kind::Term | Kind::Comparison) => Ok((k, posted.number("id")?)),
        k => Err(Error::Invalid(format!(
            "a pending version is of a term or a comparison, not of {}",
            k.noun()
        ))),
    }
}

pub(crate) async fn publish(State(app): State<Shared>, posted: Posted) -> Response {
    let (kind, id) = match owner(&posted) {
        Ok(o) => o,
        Err(e) => return failure(e),
    };
    let result = write(&app, "pending publish".into(), move |tx, command| {
        let entry = edit::by_id(tx, kind, id)?;
        *command = format!("pending publish {}", entry.label);
        pending::publish(tx, &entry)?;
        after_write(tx, &edit::by_id(tx, kind, id)?)
    })
    .await;
    match result {
        Ok(to) => redirect(&to),
        Err(e) => failure(e),
    }
}

pub(crate) async fn discard(State(app): State<Shared>, posted: Posted) -> Response {
    let (kind, id) = match owner(&posted) {
        Ok(o) => o,
        Err(e) => return failure(e),
    };
    let result = write(&app, "pending discard".into(), move |tx, command| {
        let entry = edit::by_id(tx, kind, id)?;
        *command = format!("pending discard {}", entry.label);
        pending::discard(tx, &entry)?;
        Ok(format!("{}?version=live", page_of(tx, &entry)?))
    })
    .await;
    match result {
        Ok(to) => redirect(&to),
        Err(e) => failure(e),
    }
}
