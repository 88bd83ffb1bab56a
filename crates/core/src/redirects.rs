//! Old addresses kept working: a published comparison or term renamed
//! leaves a redirect (the V14 triggers, whoever renames it); these are the
//! rules for listing, adding and removing them by hand. The site writes a
//! page at each old address ([`crate::store::redirects`] lists them).

use rusqlite::Connection;

use crate::edit;
use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::model::{lookup_key, slugify};
use crate::store::redirects as table;
pub use crate::store::redirects::Redirect;

/// The file `export` writes them to and `import` reads: `kind,old,target`.
pub const FILE: &str = "redirects.csv";

/// Every redirect, comparisons' first.
pub fn list(conn: &Connection) -> Result<Vec<Redirect>> {
    table::all(conn)
}

/// The old names that send readers to `entry`.
pub fn of(conn: &Connection, entry: &edit::Entry) -> Result<Vec<Redirect>> {
    table::to(conn, entry.kind, entry.id)
}

/// The key an old name of `kind` is kept by: a slug as typed (it must be
/// slug-shaped), a term's name folded as term keys are.
fn old_key(kind: Kind, old: &str) -> Result<String> {
    let old = old.trim();
    edit::required("old name", old)?;
    match kind {
        Kind::Comparison => {
            if slugify(old) != old {
                return Err(Error::BadValue {
                    field: "old slug".into(),
                    problem: format!(
                        "\"{old}\" is not a slug (lowercase letters, digits and single hyphens, as \"{}\")",
                        slugify(old)
                    ),
                });
            }
            Ok(old.to_string())
        }
        Kind::Term => Ok(lookup_key(old)),
        other => Err(Error::Usage(format!(
            "only comparisons and terms have addresses of their own, not {}",
            other.noun()
        ))),
    }
}

/// What [`put`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Added,
    /// The old name sent readers elsewhere before.
    Moved,
    Unchanged,
}

/// Sends readers of the old name `old` (a slug, or a term's name) of a
/// `kind` to the entry `target`; returns the target's label. Refused if an
/// entry has that name now: a redirect never hides a page.
pub fn add(conn: &Connection, kind: Kind, old: &str, target: &str) -> Result<String> {
    Ok(put(conn, kind, old, target)?.0)
}

/// [`add`], saying whether anything changed (for import).
pub fn put(conn: &Connection, kind: Kind, old: &str, target: &str) -> Result<(String, Put)> {
    let key = old_key(kind, old)?;
    let to = edit::find(conn, kind, &[target.to_string()])?;
    if let Ok(live) = edit::find(conn, kind, &[old.trim().to_string()]) {
        return Err(Error::Refused {
            action: format!("redirect \"{}\" to {}", old.trim(), to.label),
            reasons: vec![format!("{} has that name now", live.label)],
            hints: vec!["a redirect never hides a page: rename that entry first".into()],
        });
    }
    let before = table::target(conn, kind, &key)?;
    if before == Some(to.id) {
        return Ok((to.label, Put::Unchanged));
    }
    table::put(conn, kind, &key, to.id)?;
    Ok((
        to.label,
        if before.is_some() {
            Put::Moved
        } else {
            Put::Added
        },
    ))
}

/// Removes the redirect of the old name `old` of a `kind`.
pub fn remove(conn: &Connection, kind: Kind, old: &str) -> Result<()> {
    let key = old_key(kind, old)?;
    if table::delete(conn, kind, &key)? == 0 {
        let known: Vec<String> = table::all(conn)?
            .into_iter()
            .filter(|r| r.entry_kind() == kind)
            .map(|r| r.old)
            .collect();
        return Err(Error::NotFound {
            kind: "redirect",
            name: old.trim().to_string(),
            suggestions: crate::suggest::closest(old.trim(), known.iter(), 3),
        });
    }
    Ok(())
}
