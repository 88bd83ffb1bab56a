//! A term's lists as its `$EDITOR` document shows them: its variants and
//! the relations written from it, each a list of items a person may add
//! to, change, reorder or cut. Applying a list turns the difference
//! between what the document showed and what it holds now into the same
//! adds, sets, moves and removals the commands make, so the rules, the
//! history and pending versions are theirs.
//!
//! An item is known by what names it, not by its place: a variant by its
//! lookup key, a relation by its two ends. Only what the person changed
//! is written, so a list changed by someone else meanwhile keeps their
//! change where the person did not touch it.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::model::{lookup_key, FieldChange};
use crate::pending::Rebased;

/// One item of a list: its fields by name, `position` aside (the list's
/// order is the position). An empty value is an empty field.
pub type Item = Vec<(String, String)>;

/// The lists a term's document shows, in the order it shows them.
pub const TERM_LISTS: [Kind; 2] = [Kind::Variant, Kind::Relation];

/// The field of `item` named `name`, or empty.
fn get<'a>(item: &'a Item, name: &str) -> &'a str {
    item.iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.trim())
}

/// What names an item in its list, whatever its place.
fn identity(kind: Kind, item: &Item) -> String {
    match kind {
        Kind::Variant => lookup_key(get(item, "variant")),
        _ => format!(
            "{}\u{0}{}\u{0}{}",
            get(item, "sense"),
            lookup_key(get(item, "target")),
            get(item, "target_sense")
        ),
    }
}

/// The items of `kind` under the row `parent`, in order, each with its id.
fn current(conn: &Connection, kind: Kind, parent: i64) -> Result<Vec<(i64, Item)>> {
    let Some(positioned) = kind.spec().positioned else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for id in positioned.ids(conn, parent)? {
        let entry = super::by_id(conn, kind, id)?;
        let item = super::values(conn, &entry)?
            .into_iter()
            .filter(|(f, _)| f.name != "position")
            .map(|(f, v)| (f.name.to_string(), v))
            .collect();
        out.push((id, item));
    }
    Ok(out)
}

/// The items of `kind` under `parent`, in order, as a document shows them.
pub fn items(conn: &Connection, kind: Kind, parent: i64) -> Result<Vec<Item>> {
    Ok(current(conn, kind, parent)?
        .into_iter()
        .map(|(_, item)| item)
        .collect())
}

/// An item's problem, saying which item: `relations 2: unknown term ...`
/// (a busy database stays itself: it is not the item's fault).
fn at_item(kind: Kind, i: usize, e: Error) -> Error {
    match e {
        Error::Busy => e,
        e => Error::Invalid(format!("{} {}: {e}", kind.spec().plural, i + 1)),
    }
}

/// How a report shows a list: `EP (abbreviation); producers (plural)`.
fn summary(kind: Kind, items: &[Item]) -> String {
    let one = |item: &Item| -> String {
        match kind {
            Kind::Variant => format!("{} ({})", get(item, "variant"), get(item, "type")),
            _ => {
                let end = |term: &str, sense: &str| {
                    if sense.is_empty() {
                        term.to_string()
                    } else {
                        format!("{term} {sense}")
                    }
                };
                let from = match get(item, "sense") {
                    "" => String::new(),
                    s => format!("sense {s} "),
                };
                format!(
                    "{from}{} {}",
                    get(item, "relation"),
                    end(get(item, "target"), get(item, "target_sense"))
                )
            }
        }
    };
    items.iter().map(one).collect::<Vec<_>>().join("; ")
}

/// Applies to the list of `kind` under `parent` what turns `shown` (what
/// the document showed) into `wanted` (what it holds now): items gone are
/// removed, new ones added, changed fields set, and the order set where
/// the person changed it. Returns the change as one line for the report
/// (None when the lists are the same) and the fields set, which settle a
/// pending version's conflicts as `--set` does.
pub fn apply(
    conn: &Connection,
    kind: Kind,
    parent: i64,
    shown: &[Item],
    wanted: &[Item],
) -> Result<(Option<FieldChange>, Vec<Rebased>)> {
    if shown == wanted {
        return Ok((None, Vec::new()));
    }
    let mut names = HashMap::new();
    for (i, item) in wanted.iter().enumerate() {
        if let Some(first) = names.insert(identity(kind, item), i) {
            return Err(Error::Invalid(format!(
                "{} {} and {} are the same {}: list it once",
                kind.spec().plural,
                first + 1,
                i + 1,
                kind.word()
            )));
        }
    }
    let was: HashMap<String, &Item> = shown.iter().map(|i| (identity(kind, i), i)).collect();
    let mut by_name: HashMap<String, i64> = current(conn, kind, parent)?
        .into_iter()
        .map(|(id, item)| (identity(kind, &item), id))
        .collect();
    let mut settled = Vec::new();

    // Gone from the document: removed (unless someone removed it already).
    for item in shown {
        let name = identity(kind, item);
        if names.contains_key(&name) {
            continue;
        }
        if let Some(id) = by_name.remove(&name) {
            super::remove(conn, &super::by_id(conn, kind, id)?)?;
        }
    }
    // Changed fields set; new items added at the end, to be moved below.
    let mut added = false;
    for (i, item) in wanted.iter().enumerate() {
        let at = |e: Error| at_item(kind, i, e);
        let name = identity(kind, item);
        let before = was.get(&name).copied();
        match by_name.get(&name) {
            Some(&id) => {
                let assignments: Vec<(String, String)> = item
                    .iter()
                    .filter(|(n, v)| before.is_none_or(|b| get(b, n) != v.trim()))
                    .cloned()
                    .collect();
                if !assignments.is_empty() {
                    let entry = super::by_id(conn, kind, id)?;
                    super::set(conn, &entry, &assignments).map_err(at)?;
                    settled.extend(assignments.iter().map(|(n, _)| (kind, id, n.clone())));
                }
            }
            None => {
                let entry = super::add_under(conn, kind, parent, &|n| get(item, n).to_string())
                    .map_err(at)?;
                by_name.insert(name, entry.id);
                added = true;
            }
        }
    }
    // The order, where the person changed it (or added): each item moved
    // to its place in turn, which leaves those before it in theirs.
    let kept = |list: &[Item]| -> Vec<String> {
        list.iter()
            .map(|i| identity(kind, i))
            .filter(|n| was.contains_key(n) && names.contains_key(n))
            .collect()
    };
    if added || kept(shown) != kept(wanted) {
        for (i, item) in wanted.iter().enumerate() {
            let id = by_name[&identity(kind, item)];
            let entry = super::by_id(conn, kind, id)?;
            let place = (i + 1).to_string();
            super::set(conn, &entry, &[("position".to_string(), place)])?;
        }
    }
    Ok((
        Some(FieldChange {
            field: kind.spec().plural,
            old: Some(summary(kind, shown)).filter(|s| !s.is_empty()),
            new: Some(summary(kind, wanted)).filter(|s| !s.is_empty()),
        }),
        settled,
    ))
}
