//! What `check` finds in pending versions: what the schema's JSON checks
//! cannot see (V16): edits that cannot be read, a version whose entry was
//! removed, edits to rows the live entry no longer has.

use rusqlite::Connection;

use super::{error, warning, Finding};
use crate::edit;
use crate::error::Result;
use crate::pending::Edits;
use crate::store;

pub(super) fn pending(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    for p in store::pending::all(conn)? {
        let Ok(edits) = Edits::parse(&p.edits, &p.label) else {
            out.push(error(
                "E114",
                "pending_versions",
                Some(p.id),
                p.label.clone(),
                "has edits glossary cannot read (written by hand?): it can be neither shown nor published; fix pending_versions.edits or discard it".into(),
            ));
            continue;
        };
        let Some(entry_id) = p.entry_id else {
            out.push(warning(
                "W206",
                "pending_versions",
                Some(p.id),
                p.label.clone(),
                format!(
                    "is a pending version whose entry was removed ({} edit{} by {}); what it holds is kept until someone discards it: `glossary pending discard {}`",
                    edits.0.len(),
                    if edits.0.len() == 1 { "" } else { "s" },
                    edits.authors().join(", "),
                    p.label
                ),
            ));
            continue;
        };
        let gone: Vec<&str> = edits
            .0
            .iter()
            .filter(|e| e.id > 0 && !e.remove)
            .filter(|e| {
                edit::keys_of(conn, e.kind, e.id).is_err()
                    || owner_of(conn, e.kind, e.id) != Some(entry_id)
            })
            .map(|e| e.label.as_str())
            .collect();
        if !gone.is_empty() {
            out.push(warning(
                "W207",
                "pending_versions",
                Some(p.id),
                p.label.clone(),
                format!(
                    "changes {} that the live entry no longer has (removed meanwhile): publishing is refused until those edits are settled; see `glossary pending show {}`",
                    gone.join(", "),
                    p.label
                ),
            ));
        }
    }
    Ok(())
}

/// The id of the term or comparison the row `id` of `kind` belongs to.
fn owner_of(conn: &Connection, kind: crate::kind::Kind, id: i64) -> Option<i64> {
    let entry = edit::by_id(conn, kind, id).ok()?;
    crate::pending::owner_of(conn, &entry).ok().map(|o| o.id)
}
