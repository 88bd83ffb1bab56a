//! The entries a site has pages for: its published terms (each with the
//! file of its page and every name the auto-links match) and its
//! published comparisons.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use glossary_core::error::Result;
use glossary_core::model::{slug_of_key, Status, TermId};
use glossary_core::publication;

/// The published terms (all with `drafts`) in A–Z order (id, name, lookup
/// key), and each one's file name: its slug, made unique with its id where
/// two terms slugify alike.
pub(crate) type TermFiles = (HashMap<TermId, String>, Vec<(TermId, String, String)>);

/// [`term_files`], every term's lookup key, drafts' too, and its
/// variants' (what pages are searched for, to know which mention a term
/// before it is published), and the terms that asked not to be linked
/// (`autolink` no: their names are still matched, so that a longer name
/// is not read as a shorter one, and link nowhere).
pub(crate) type TermKeys = (TermFiles, Vec<(TermId, String)>, HashSet<TermId>);

pub(crate) fn term_files(conn: &Connection, drafts: bool) -> Result<TermFiles> {
    Ok(term_keys(conn, drafts)?.0)
}

pub(crate) fn term_keys(conn: &Connection, drafts: bool) -> Result<TermKeys> {
    let mut keys = Vec::new();
    let mut files: HashMap<TermId, String> = HashMap::new();
    let mut taken: HashMap<String, TermId> = HashMap::new();
    let mut list = Vec::new();
    // In table order, sorted here: the key index's order would cost a
    // look-up of the row per term.
    let mut unlinked = HashSet::new();
    let mut stmt = conn.prepare("SELECT id, term, status, lookup_key, autolink FROM terms")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, TermId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Status>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, bool>(4)?,
        ))
    })?;
    let mut rows: Vec<(TermId, String, Status, String, bool)> =
        rows.collect::<rusqlite::Result<_>>()?;
    rows.sort_unstable_by(|a, b| a.3.cmp(&b.3));
    for (id, name, status, key, autolink) in rows {
        keys.push((id, key.clone()));
        if !autolink {
            unlinked.insert(id);
        }
        if !drafts && status != Status::Published {
            continue;
        }
        let mut file = slug_of_key(&key);
        if file.is_empty() || taken.contains_key(&file) {
            file = format!("{}-{}", if file.is_empty() { "term" } else { &file }, id.0);
        }
        taken.insert(file.clone(), id);
        files.insert(id, format!("{file}.html"));
        list.push((id, name, key));
    }
    // A variant ("EP") is matched and searched for as its term is.
    keys.extend(glossary_core::store::variants::keys(conn)?);
    Ok(((files, list), keys, unlinked))
}

/// The slugs of the public comparisons (all with `drafts`), in order.
pub(crate) fn comparison_slugs(conn: &Connection, drafts: bool) -> Result<Vec<String>> {
    Ok(conn
        .prepare(&format!(
            "SELECT slug FROM comparisons AS c WHERE ?1 OR {} ORDER BY slug",
            publication::public_comparison("c")
        ))?
        .query_map([drafts], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
