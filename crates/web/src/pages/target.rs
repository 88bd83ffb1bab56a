//! What a posted form names and where the browser goes after it: the
//! entry (`kind`, `id`), live or in a pending version (`version=pending`,
//! `owner`: [`Target`], [`on_version`]), and the page that shows the
//! result ([`after_write`], [`after`]). Shared by every page that writes.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use glossary_core::edit::Entry;
use glossary_core::error::{Error, Result};
use glossary_core::kind::Kind;
use glossary_core::pending::{self, Rebased};
use glossary_core::{change, edit};

use crate::forms::Posted;
use crate::urls;

/// 303 See Other to `to`: the browser GETs the page that shows the result.
pub(crate) fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

pub(crate) fn kind_of(posted: &Posted) -> Result<Kind> {
    let word = posted.get("kind");
    Kind::ALL
        .into_iter()
        .find(|k| k.word() == word)
        .ok_or_else(|| Error::Invalid(format!("the form names no kind of entry (\"{word}\")")))
}

/// The kind of entry a form names and its row id (`id`), or the row it
/// adds to (`parent`).
pub(crate) fn named(posted: &Posted, key: &str) -> Result<(Kind, i64)> {
    Ok((kind_of(posted)?, posted.number(key)?))
}

/// The page an entry is edited on, at the entry: `/term/NAME#sense-2`.
pub(crate) fn page_of(conn: &rusqlite::Connection, entry: &Entry) -> Result<String> {
    let keys = edit::keys_of(conn, entry.kind, entry.id)?;
    let base = urls::entry(entry.kind, &keys[0]);
    Ok(base)
}

pub(crate) fn anchor(conn: &rusqlite::Connection, entry: &Entry) -> Result<String> {
    let keys = edit::keys_of(conn, entry.kind, entry.id)?;
    Ok(match entry.kind {
        Kind::Term | Kind::Comparison => String::new(),
        Kind::Sense => format!("#sense-{}", keys[1]),
        Kind::Example => format!("#sense-{}", keys[1]),
        Kind::Row | Kind::Variant | Kind::Relation => {
            format!("#{}-{}", entry.kind.word(), entry.id)
        }
        _ => format!("#{}-{}", entry.kind.word(), keys[1]),
    })
}

/// Where a write went: the page to show, with the change it made (for
/// the page's "Saved · Undo").
pub(crate) fn after_write(conn: &rusqlite::Connection, entry: &Entry) -> Result<String> {
    let page = page_of(conn, entry)?;
    let change = change::current(conn)?;
    Ok(format!("{page}?change={change}{}", anchor(conn, entry)?))
}

/// The pending version a form was posted from, if it was (`version=pending`,
/// `owner`): the term or comparison whose version it changes, and the keys
/// there of the rows the version adds that the form names (`key`,
/// `parent_key`), whose ids on the page were only the page's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    pub owner: Option<(Kind, i64)>,
    pub key: i64,
    pub parent_key: i64,
}

impl Target {
    pub(crate) fn of(posted: &Posted, kind: Kind) -> Result<Target> {
        if posted.get("version") != "pending" {
            return Ok(Target {
                owner: None,
                key: 0,
                parent_key: 0,
            });
        }
        let key = |name: &str| posted.get(name).trim().parse::<i64>().unwrap_or(0);
        Ok(Target {
            owner: Some((pending::owner_kind(kind), posted.number("owner")?)),
            key: key("key"),
            parent_key: key("parent_key"),
        })
    }
}

/// Where the forms of a pending version's page were: its page (by the
/// live name), for the redirect after a save.
pub(crate) struct OnPending {
    pub(crate) page: String,
}

/// Runs `work` on the live rows, or, for a form of a pending version, on
/// the entry as that version makes it (the row `id` and the `parent` the
/// form names mapped to their ids there); the version keeps what `work`
/// did, the live rows nothing. `work` returns the fields it set, which
/// settles a conflict with live on them.
pub(crate) fn on_version<T>(
    tx: &rusqlite::Connection,
    target: Target,
    id: i64,
    parent: i64,
    work: impl FnOnce(&rusqlite::Connection, i64, i64, Option<&OnPending>) -> Result<(T, Vec<Rebased>)>,
) -> Result<T> {
    let Some((owner_kind, owner_id)) = target.owner else {
        return work(tx, id, parent, None).map(|(v, _)| v);
    };
    let owner = edit::by_id(tx, owner_kind, owner_id)?;
    let on = OnPending {
        page: page_of(tx, &owner)?,
    };
    let by = crate::auth::who::current().map_or_else(
        || glossary_core::change::local_author().to_string(),
        |w| w.reviewer(),
    );
    pending::change(tx, &owner, &by, |c, applied| {
        let mapped = |key: i64, id: i64, kind: Option<Kind>| -> Result<i64> {
            if key >= 0 {
                return Ok(id);
            }
            applied.id_of(key).ok_or(Error::Gone {
                what: kind.map_or("the entry", Kind::noun),
                id,
            })
        };
        let id = mapped(target.key, id, None)?;
        let parent = mapped(target.parent_key, parent, None)?;
        work(c, id, parent, Some(&on))
    })
}

/// Where a write went: [`after_write`] for the live rows; for a pending
/// version, its page again, at the entry.
pub(crate) fn after(
    conn: &rusqlite::Connection,
    entry: &Entry,
    pending: Option<&OnPending>,
) -> Result<String> {
    match pending {
        None => after_write(conn, entry),
        Some(p) => Ok(format!(
            "{}?version=pending&saved=1{}",
            p.page,
            anchor(conn, entry)?
        )),
    }
}
