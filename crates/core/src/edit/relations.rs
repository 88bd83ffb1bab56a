//! Relations as entries: the two terms of one, what it says in a few
//! words, and the check that keeps broader relations from closing a cycle
//! (which the schema cannot make, V20).

use super::*;

/// The two terms of relation `id`: its own and its target.
pub(super) fn relation_terms(conn: &Connection, id: i64) -> Result<(TermId, TermId)> {
    Ok(conn.query_row(
        "SELECT term_id, target_term_id FROM relations WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// What a relation says, for `remove`'s question: `broader "Producer" 2`.
pub(super) fn relations_gist(conn: &Connection, entry: &Entry) -> Result<String> {
    let values = values(conn, entry)?;
    let get = |name: &str| {
        values
            .iter()
            .find(|(f, _)| f.name == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut said = match get("sense").as_str() {
        "" => String::new(),
        n => format!("sense {n}: "),
    };
    said.push_str(&format!(
        "{} {}",
        get("relation"),
        crate::model::quote_name(&get("target"))
    ));
    let target_sense = get("target_sense");
    if !target_sense.is_empty() {
        said.push_str(&format!(" {target_sense}"));
    }
    Ok(said)
}

/// A relation that would close a cycle of broader ones is refused: the
/// schema cannot see one (V20), so every write checks.
pub fn refuse_cycle(conn: &Connection, id: i64) -> Result<()> {
    refuse_cycle_of(conn, &crate::store::relations::get(conn, id)?)
}

/// [`refuse_cycle`] of a relation at hand.
pub fn refuse_cycle_of(conn: &Connection, r: &crate::store::relations::Relation) -> Result<()> {
    let (narrow, broad) = match r.relation.as_str() {
        "broader" => (r.from, r.to),
        "narrower" => (r.to, r.from),
        _ => return Ok(()),
    };
    if crate::store::relations::closes_cycle(conn, narrow, broad, r.id)? {
        return Err(Error::bad("relation")(
            "this would close a cycle of broader relations (a term broader than itself)".into(),
        ));
    }
    Ok(())
}
