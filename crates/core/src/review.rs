//! Review before publishing (migration V11): an editor puts a draft up for
//! review; a publisher sees what changed since it was last published and
//! publishes it (which ends the review, by the schema's trigger) or sends
//! it back with a comment. These are the rules, which `glossary review`
//! and the web editor's queue both call; the SQL is
//! [`crate::store::reviews`].

use rusqlite::Connection;

use crate::edit::{self, Entry};
use crate::error::{Error, Result};
use crate::history::{self, Revision};
use crate::kind::Kind;
use crate::model::Status;
use crate::store::reviews as table;

pub use crate::store::reviews::{Review, ReviewState};

/// The entry `key` names for review: a comparison's slug, else a term.
pub fn entry(conn: &Connection, key: &str) -> Result<Entry> {
    let keys = [key.to_string()];
    match edit::find(conn, Kind::Comparison, &keys) {
        Ok(e) => Ok(e),
        Err(Error::NotFound {
            suggestions: mut by_slug,
            ..
        }) => match edit::find(conn, Kind::Term, &keys) {
            Ok(e) => Ok(e),
            Err(Error::NotFound {
                suggestions: by_term,
                ..
            }) => {
                by_slug.extend(by_term);
                by_slug.truncate(3);
                Err(Error::NotFound {
                    kind: "comparison or term",
                    name: key.to_string(),
                    suggestions: by_slug,
                })
            }
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Puts the draft `entry` up for review by `by` (again, after it was sent
/// back: the comment stays until then, for the record).
/// A published entry is put up through its pending version, which is what
/// an approval publishes.
pub fn ready(conn: &Connection, entry: &Entry, by: &str) -> Result<()> {
    table::column(entry.kind)?;
    let published =
        crate::store::status(conn, entry.kind.table(), entry.id)? != Some(Status::Draft);
    if published && crate::pending::of(conn, entry)?.is_none() {
        let key = crate::model::shell_word(&edit::keys_of(conn, entry.kind, entry.id)?[0]);
        let how = match entry.kind {
            Kind::Term => format!("glossary unpublish --term {key}"),
            _ => format!("glossary unpublish {key}"),
        };
        return Err(Error::Refused {
            action: format!("put {} up for review", entry.label),
            reasons: vec![
                "it is published, and has no pending version: review is for drafts and pending versions".into(),
            ],
            hints: vec![
                format!("change it in a pending version (`glossary edit --pending …`), and put that up"),
                format!("or unpublish it first (`{how}`)"),
            ],
        });
    }
    table::request(conn, entry.kind, entry.id, by)
}

/// Entries under review, oldest request first; `state` filters (`ready`
/// is the publishers' queue).
pub fn list(conn: &Connection, state: Option<ReviewState>) -> Result<Vec<Review>> {
    table::list(conn, state)
}

/// The review of `entry`, if it is under one.
pub fn of(conn: &Connection, entry: &Entry) -> Result<Option<Review>> {
    table::of(conn, entry.kind, entry.id)
}

/// Sends `entry` back to its editor with `comment`: it stays a draft.
pub fn send_back(conn: &Connection, entry: &Entry, by: &str, comment: &str) -> Result<()> {
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(Error::Empty {
            field: "comment".into(),
        });
    }
    if table::send_back(conn, entry.kind, entry.id, by, comment)? == 0 {
        return Err(not_waiting(entry));
    }
    Ok(())
}

/// What a publisher was shown of an entry under review: its
/// [`history::version`], and the revision of its pending version if it
/// was one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub version: i64,
    pub pending: Option<i64>,
}

/// What the queue shows of `entry` now, for [`approve`] to check.
pub fn seen_now(conn: &Connection, entry: &Entry) -> Result<Seen> {
    Ok(Seen {
        version: history::version(conn, entry)?,
        pending: crate::pending::of(conn, entry)?.map(|p| p.revision),
    })
}

/// Publishes `entry` (with `publish`'s rules), or its pending version if
/// it is published, which ends its review. `seen`: what the publisher
/// was shown; if the entry or its pending version changed since, nothing
/// is published and the refusal says what they did not see.
pub fn approve(
    conn: &Connection,
    entry: &Entry,
    options: crate::publication::Options,
    seen: Option<Seen>,
) -> Result<()> {
    if of(conn, entry)?.is_none_or(|r| r.state != ReviewState::Ready) {
        return Err(not_waiting(entry));
    }
    if let Some(seen) = seen {
        let now = seen_now(conn, entry)?;
        if now.version != seen.version {
            return Err(changed_since(conn, entry, seen.version));
        }
        if now.pending != seen.pending {
            return Err(Error::Refused {
                action: format!("publish the pending version of {}", entry.label),
                reasons: vec!["it was saved again after the review queue showed it".into()],
                hints: vec!["read it again in the review queue, then decide".into()],
            });
        }
    }
    if crate::pending::of(conn, entry)?.is_some() {
        crate::pending::publish(conn, entry)?;
        return Ok(());
    }
    edit::set_with(
        conn,
        entry,
        &[("status".into(), "published".into())],
        options,
    )?;
    Ok(())
}

/// The refusal of an approval given on a page older than the entry: the
/// changes made since, as the history lists them.
fn changed_since(conn: &Connection, entry: &Entry, seen: i64) -> Error {
    let filter = history::Filter {
        entry: Some(entry),
        author: None,
        since: None,
        before: None,
        limit: 20,
    };
    let mut reasons: Vec<String> = history::changes(conn, &filter)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.change > seen)
        .map(|c| {
            format!(
                "change {} by {}: {}{}",
                c.change,
                c.author,
                c.command,
                if c.summary.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.summary)
                }
            )
        })
        .collect();
    reasons.reverse();
    reasons.insert(0, "it changed after the review queue showed it:".into());
    Error::Refused {
        action: format!("publish {}", entry.label),
        reasons,
        hints: vec!["read what changed in the review queue, then decide again".into()],
    }
}

fn not_waiting(entry: &Entry) -> Error {
    Error::Refused {
        action: format!("decide on {}", entry.label),
        reasons: vec!["it is not waiting for review (see `glossary review list`)".into()],
        hints: vec![],
    }
}

/// What changed in `entry` (and its parts) since it was last published,
/// field by field: each row's state then against its state now. None if
/// it was never published (all of it is new).
pub fn changes(conn: &Connection, entry: &Entry) -> Result<Option<Vec<Revision>>> {
    history::since_published(conn, entry)
}
