//! Review before publishing (migration V11): an editor puts a draft up for
//! review; a publisher sees what changed since it was last published and
//! publishes it (which ends the review, by the schema's trigger) or sends
//! it back with a comment. The SQL of `reviews` is here; `glossary review`
//! and the web editor's queue both call it.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::edit::{self, Entry};
use crate::error::{Error, Result};
use crate::history::{self, Revision};
use crate::kind::Kind;

/// Where an entry's review stands (the `state` column of `reviews`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReviewState {
    /// Put up for review, waiting for a publisher.
    #[serde(rename = "ready")]
    Ready,
    /// Sent back with a comment, for its editor to work on.
    #[serde(rename = "sent back")]
    SentBack,
}

impl ReviewState {
    /// The word the schema stores (and `review list` prints).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Ready => "ready",
            ReviewState::SentBack => "sent back",
        }
    }

    fn parse(s: &str) -> Option<ReviewState> {
        match s {
            "ready" => Some(ReviewState::Ready),
            "sent back" => Some(ReviewState::SentBack),
            _ => None,
        }
    }
}

impl std::fmt::Display for ReviewState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry under review.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// `comparison` or `term`.
    pub kind: &'static str,
    /// The slug or the term's name: what `review approve` takes.
    pub key: String,
    pub state: ReviewState,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub comment: Option<String>,
    #[serde(skip)]
    pub entry_id: i64,
}

impl Review {
    pub fn entry_kind(&self) -> Kind {
        if self.kind == "term" {
            Kind::Term
        } else {
            Kind::Comparison
        }
    }
}

/// The column of `reviews` that points at entries of `kind`.
fn column(kind: Kind) -> Result<&'static str> {
    match kind {
        Kind::Comparison => Ok("comparison_id"),
        Kind::Term => Ok("term_id"),
        other => Err(Error::Invalid(format!(
            "{} is reviewed with its {}",
            other.noun(),
            if matches!(other, Kind::Sense | Kind::Example) {
                "term"
            } else {
                "comparison"
            }
        ))),
    }
}

const SELECT: &str = "
    SELECT CASE WHEN r.comparison_id IS NOT NULL THEN 'comparison' ELSE 'term' END,
           coalesce(c.slug, t.term), r.state, r.requested_by, r.requested_at,
           r.decided_by, r.decided_at, r.comment, coalesce(r.comparison_id, r.term_id)
    FROM reviews AS r
    LEFT JOIN comparisons AS c ON c.id = r.comparison_id
    LEFT JOIN terms AS t ON t.id = r.term_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Review> {
    let kind: String = r.get(0)?;
    Ok(Review {
        kind: if kind == "term" { "term" } else { "comparison" },
        key: r.get(1)?,
        state: {
            let state: String = r.get(2)?;
            // The schema's CHECK allows these two only.
            ReviewState::parse(&state).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    2,
                    rusqlite::types::Type::Text,
                    format!("review state {state:?}").into(),
                )
            })?
        },
        requested_by: r.get(3)?,
        requested_at: r.get(4)?,
        decided_by: r.get(5)?,
        decided_at: r.get(6)?,
        comment: r.get(7)?,
        entry_id: r.get(8)?,
    })
}

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
pub fn ready(conn: &Connection, entry: &Entry, by: &str) -> Result<()> {
    let col = column(entry.kind)?;
    let status: String = conn.query_row(
        &format!("SELECT status FROM {} WHERE id = ?1", entry.kind.table()),
        [entry.id],
        |r| r.get(0),
    )?;
    if status != "draft" {
        let key = crate::model::shell_word(&edit::keys_of(conn, entry.kind, entry.id)?[0]);
        let how = match entry.kind {
            Kind::Term => format!("glossary unpublish --term {key}"),
            _ => format!("glossary unpublish {key}"),
        };
        return Err(Error::Refused {
            action: format!("put {} up for review", entry.label),
            reasons: vec!["it is published: review is for drafts".into()],
            hints: vec![format!("to change it, unpublish it first (`{how}`)")],
        });
    }
    conn.execute(
        &format!(
            "INSERT INTO reviews ({col}, state, requested_by) VALUES (?1, 'ready', ?2)
             ON CONFLICT ({col}) DO UPDATE SET
                state = 'ready', requested_by = excluded.requested_by,
                requested_at = excluded.requested_at,
                decided_by = NULL, decided_at = NULL, comment = NULL"
        ),
        params![entry.id, by],
    )?;
    Ok(())
}

/// Entries under review, oldest request first; `state` filters (`ready`
/// is the publishers' queue).
pub fn list(conn: &Connection, state: Option<ReviewState>) -> Result<Vec<Review>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR r.state = ?1) ORDER BY r.requested_at, r.id"
    ))?;
    let rows = stmt.query_map([state.map(ReviewState::as_str)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The review of `entry`, if it is under one.
pub fn of(conn: &Connection, entry: &Entry) -> Result<Option<Review>> {
    let Ok(col) = column(entry.kind) else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE r.{col} = ?1"))?
        .query_row([entry.id], from_row)
        .optional()?)
}

/// Sends `entry` back to its editor with `comment`: it stays a draft.
pub fn send_back(conn: &Connection, entry: &Entry, by: &str, comment: &str) -> Result<()> {
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(Error::Empty {
            field: "comment".into(),
        });
    }
    let col = column(entry.kind)?;
    let n = conn.execute(
        &format!(
            "UPDATE reviews SET state = 'sent back', decided_by = ?2, comment = ?3,
                    decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE {col} = ?1 AND state = 'ready'"
        ),
        params![entry.id, by, comment],
    )?;
    if n == 0 {
        return Err(not_waiting(entry));
    }
    Ok(())
}

/// Publishes `entry` (with `publish`'s rules), which ends its review.
/// `seen`: the entry's [`history::version`] the publisher was shown; if
/// it changed since, nothing is published and the refusal lists the
/// changes they did not see.
pub fn approve(
    conn: &Connection,
    entry: &Entry,
    options: crate::publication::Options,
    seen: Option<i64>,
) -> Result<()> {
    if of(conn, entry)?.is_none_or(|r| r.state != ReviewState::Ready) {
        return Err(not_waiting(entry));
    }
    if let Some(seen) = seen {
        let now = history::version(conn, entry)?;
        if now != seen {
            return Err(changed_since(conn, entry, seen));
        }
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
