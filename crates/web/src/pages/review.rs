//! The review queue: drafts put up for review, what changed in each since
//! it was last published, and the publishers' decision on it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use glossary_core::error::{Error, Result};
use glossary_core::history::Revision;
use glossary_core::kind::Kind;
use glossary_core::review::{Review, ReviewState};
use glossary_core::{edit, review};

use crate::app::{read, rolled_back, write, Shared};
use crate::auth::who::Who;
use crate::csrf::Csrf;
use crate::error::WebError;
use crate::error::{failure, page};
use crate::forms::Posted;
use crate::pages::target::redirect;
use crate::urls;

/// One entry of the queue, with its changes.
#[derive(Serialize)]
pub(crate) struct Queued {
    #[serde(flatten)]
    review: Review,
    id: i64,
    href: String,
    /// The newest change to it, which the decision carries back.
    version: i64,
    /// What people call it: an article's title, a term's name.
    title: String,
    /// An article's terms that are drafts: published with it, if ticked.
    draft_terms: Vec<String>,
    /// None: never published, all of it is new.
    changes: Option<Vec<Revision>>,
    /// A published entry's pending version, against live.
    pending: Option<glossary_core::pending::Shown>,
    /// Its revision, which the decision carries back.
    pending_revision: Option<i64>,
}

pub(crate) async fn queue(State(app): State<Shared>, csrf: Csrf) -> Response {
    // A pending version is shown by applying it and rolling back (as the
    // writer); a read-only copy lists the queue without those diffs.
    let any_pending = read(&app, |conn| {
        Ok(!glossary_core::pending::all(conn)?.is_empty())
    })
    .await;
    let shown = match any_pending {
        Ok(true) => match rolled_back(&app, |conn| gather(conn, true)).await {
            Ok(Some(context)) => Ok(context),
            Ok(None) => read(&app, |conn| gather(conn, false)).await,
            Err(e) => Err(e),
        },
        Ok(false) => read(&app, |conn| gather(conn, false)).await,
        Err(e) => Err(e),
    };
    match shown {
        Ok(context) => page(StatusCode::OK, "editor/review.html", &csrf, context),
        Err(e) => failure(e),
    }
}

/// The queue: each entry with what changed in it (`apply`: a pending
/// version's diff too, which needs the writer).
fn gather(conn: &rusqlite::Connection, apply: bool) -> Result<minijinja::Value> {
    let mut ready = Vec::new();
    let mut sent_back = Vec::new();
    for r in review::list(conn, None)? {
        let kind = r.entry_kind();
        let entry = edit::by_id(conn, kind, r.entry_id)?;
        let href = urls::entry(kind, &r.key);
        let (title, draft_terms) = match kind {
            Kind::Comparison => (
                glossary_core::store::comparisons::header(conn, &r.key)?
                    .map_or_else(|| r.key.clone(), |h| h.shown_title()),
                glossary_core::publication::draft_terms(
                    conn,
                    glossary_core::model::ComparisonId(r.entry_id),
                )?
                .into_iter()
                .map(|(_, name)| name)
                .collect(),
            ),
            _ => (r.key.clone(), Vec::new()),
        };
        let seen = review::seen_now(conn, &entry)?;
        let waiting = r.state == ReviewState::Ready;
        let pending = match seen.pending {
            Some(_) if waiting && apply => Some(glossary_core::pending::show(conn, &entry)?),
            _ => None,
        };
        let queued = Queued {
            id: r.entry_id,
            href,
            version: seen.version,
            title,
            draft_terms,
            changes: if waiting && seen.pending.is_none() {
                review::changes(conn, &entry)?
            } else {
                None
            },
            pending,
            pending_revision: seen.pending,
            review: r,
        };
        if queued.review.state == ReviewState::Ready {
            ready.push(queued);
        } else {
            sent_back.push(queued);
        }
    }
    Ok(minijinja::context! { title => "Review", ready, sent_back })
}

/// The comparison or term a review form names.
pub(crate) fn entry_named(posted: &Posted) -> Result<(Kind, i64)> {
    let kind = match posted.get("kind") {
        "comparison" => Kind::Comparison,
        "term" => Kind::Term,
        other => {
            return Err(Error::Invalid(format!(
                "the form names no comparison or term (\"{other}\")"
            )))
        }
    };
    Ok((kind, posted.number("id")?))
}

/// An editor's "ready for review".
pub(crate) async fn ready(
    State(app): State<Shared>,
    who: Who,
    posted: Posted,
) -> Result<Response, WebError> {
    let (kind, id) = entry_named(&posted)?;
    // The reviewer is who signed in (the owner on a server without
    // accounts), as the change itself is filed.
    let by = who.reviewer();
    let done = write(&app, "review ready".into(), move |tx, _| {
        let entry = edit::by_id(tx, kind, id)?;
        review::ready(tx, &entry, &by)?;
        Ok(edit::keys_of(tx, kind, id)?.remove(0))
    })
    .await;
    Ok(match done {
        Ok(key) => redirect(&urls::entry(kind, &key)),
        Err(e) => failure(e),
    })
}

/// A publisher's decision: publish it, or send it back with a comment.
pub(crate) async fn decide(
    State(app): State<Shared>,
    who: Who,
    posted: Posted,
) -> Result<Response, WebError> {
    let (kind, id) = entry_named(&posted)?;
    let approve = match posted.get("decision") {
        "approve" => true,
        "send back" => false,
        other => {
            let e = Error::Invalid(format!("decide \"{other}\"? (approve or send back)"));
            return Err(WebError::from(e));
        }
    };
    let comment = posted.get("comment").to_string();
    // What the publisher was shown: an approval without it is not the
    // queue's (sending back needs no version: it publishes nothing).
    let seen = match posted.number("version") {
        Ok(v) => v,
        Err(e) if approve => return Err(WebError::from(e)),
        Err(_) => 0,
    };
    let seen = review::Seen {
        version: seen,
        pending: posted.get("pending").trim().parse().ok(),
    };
    let options = glossary_core::publication::Options {
        with_terms: posted.get("with_terms") == "on",
        with_comparisons: false,
        force: false,
    };
    let by = who.reviewer();
    let done = write(&app, "review".into(), move |tx, command| {
        let entry = edit::by_id(tx, kind, id)?;
        let key = edit::keys_of(tx, kind, id)?.remove(0);
        let shell = glossary_core::model::shell_word(&key);
        if approve && kind == Kind::Comparison && !options.with_terms {
            // Said as the queue's form says it, not as the CLI would.
            let drafts = glossary_core::publication::draft_terms(tx, glossary_core::model::ComparisonId(id))?;
            if !drafts.is_empty() {
                let names: Vec<String> = drafts.iter().map(|(_, n)| format!("\"{n}\"")).collect();
                return Err(Error::Refused {
                    action: format!("publish {}", entry.label),
                    reasons: vec![format!(
                        "its term{} {} {} a draft",
                        if names.len() == 1 { "" } else { "s" },
                        names.join(" and "),
                        if names.len() == 1 { "is" } else { "are" }
                    )],
                    hints: vec!["tick \"and publish its draft terms\" in the review queue, and press Publish again".into()],
                });
            }
        }
        if approve {
            *command = format!("review approve {shell}");
            review::approve(tx, &entry, options, Some(seen))?;
        } else {
            review::send_back(tx, &entry, &by, &comment)?;
        }
        Ok(key)
    })
    .await;
    Ok(match done {
        Ok(key) if approve => redirect(&urls::entry(kind, &key)),
        Ok(_) => redirect("/review"),
        Err(e) => failure(e),
    })
}
