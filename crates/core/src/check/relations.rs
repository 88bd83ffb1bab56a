//! What `check` finds in relations that the schema cannot keep out (V20):
//! a cycle of broader relations, which SQLite's triggers cannot see
//! because they cannot recurse over a table. glossary refuses one when it
//! writes; one written in the sqlite3 shell is found here.

use rusqlite::Connection;

use super::{error, Finding};
use crate::edit;
use crate::error::Result;
use crate::kind::Kind;
use crate::store;

pub(super) fn cycles(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    for id in store::relations::in_cycles(conn)? {
        let entry = edit::by_id(conn, Kind::Relation, id)?;
        let gist = edit::gist(conn, &entry)?.unwrap_or_default();
        out.push(error(
            "E115",
            "relations",
            Some(id),
            entry.label.clone(),
            format!(
                "({gist}) closes a cycle of broader relations: a meaning cannot be broader than itself; remove one of them (`glossary remove {}`)",
                entry.label
            ),
        ));
    }
    Ok(())
}
