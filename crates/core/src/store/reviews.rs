//! `reviews`: entries put up for review (migration V11). The rules (what
//! may be put up, who decides, what a stale approval is) are in
//! [`crate::review`]; this is their SQL.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
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
        super::owner_kind(self.kind).0
    }
}

/// The column of `reviews` that points at entries of `kind`.
pub fn column(kind: Kind) -> Result<&'static str> {
    match kind {
        Kind::Comparison | Kind::Term => Ok(super::owner_column(kind)),
        other => Err(Error::Invalid(format!(
            "{} is reviewed with its {}",
            other.noun(),
            other.owner().word()
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
        kind: super::owner_kind(&kind).1,
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

/// Puts the entry `id` (of the kind `col` points at) up for review by
/// `by`, again if it was sent back: the decision and comment go.
pub fn request(conn: &Connection, kind: Kind, id: i64, by: &str) -> Result<()> {
    let col = column(kind)?;
    conn.execute(
        &format!(
            "INSERT INTO reviews ({col}, state, requested_by) VALUES (?1, 'ready', ?2)
             ON CONFLICT ({col}) DO UPDATE SET
                state = 'ready', requested_by = excluded.requested_by,
                requested_at = excluded.requested_at,
                decided_by = NULL, decided_at = NULL, comment = NULL"
        ),
        params![id, by],
    )?;
    Ok(())
}

/// Entries under review, oldest request first; `state` filters.
pub fn list(conn: &Connection, state: Option<ReviewState>) -> Result<Vec<Review>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR r.state = ?1) ORDER BY r.requested_at, r.id"
    ))?;
    let rows = stmt.query_map([state.map(ReviewState::as_str)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The review of the entry `id` of `kind`, if it is under one.
pub fn of(conn: &Connection, kind: Kind, id: i64) -> Result<Option<Review>> {
    let Ok(col) = column(kind) else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE r.{col} = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Sends the waiting review of entry `id` back with `comment`; returns
/// how many it changed (none if it was not waiting).
pub fn send_back(conn: &Connection, kind: Kind, id: i64, by: &str, comment: &str) -> Result<usize> {
    let col = column(kind)?;
    Ok(conn.execute(
        &format!(
            "UPDATE reviews SET state = 'sent back', decided_by = ?2, comment = ?3,
                    decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE {col} = ?1 AND state = 'ready'"
        ),
        params![id, by, comment],
    )?)
}
