//! An incremental build's plan: which pages show what changed since the
//! last build ([`glossary_core::history::touched_since`]) and so are
//! rendered again; the rest are kept as the last build wrote them.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use glossary_core::error::Result;
use glossary_core::history::Touched;
use glossary_core::model::TermId;
use glossary_core::store::comparisons::Header;

/// The comparisons and terms (by id) whose pages show what `t` touched:
/// the entries touched, the articles that show a touched term, the term
/// pages that list a touched article, and the pages that link a touched
/// term or may link it now (`mentions`: the terms each page of the last
/// build linked; `keys`: every term's lookup key; `files`: the published
/// terms' pages).
pub(super) fn pages(
    conn: &Connection,
    t: &Touched,
    mentions: &HashMap<String, Vec<i64>>,
    headers: &[Header],
    keys: &[(TermId, String)],
    files: &HashMap<TermId, String>,
) -> Result<(HashSet<i64>, HashSet<i64>)> {
    let mut comparisons = t.comparisons.clone();
    let mut terms: HashSet<i64> = t.terms.union(&t.named).copied().collect();
    for h in headers {
        if t.terms.contains(&h.left_term_id.0) || t.terms.contains(&h.right_term_id.0) {
            comparisons.insert(h.id.0);
        }
    }
    // The term pages list these articles by title (which may
    // be made of a renamed term's name).
    for h in headers {
        if comparisons.contains(&h.id.0) {
            terms.insert(h.left_term_id.0);
            terms.insert(h.right_term_id.0);
        }
    }
    // The pages that link a touched term or may now (after the
    // above: a link changes no title, so its article's term pages
    // stay as they are): those the last build linked it from (the
    // term unpublished, renamed, removed, its definition changed),
    // and, if it is published now, those whose text names it (a
    // term published or renamed since). A draft edited is linked
    // from nowhere and costs nothing.
    let mentioning: Vec<&String> = mentions
        .iter()
        .filter(|(_, ids)| ids.iter().any(|i| t.terms.contains(i)))
        .map(|(rel, _)| rel)
        .collect();
    let mut showing: HashSet<i64> = HashSet::new();
    let published_now = keys
        .iter()
        .filter(|(id, _)| t.terms.contains(&id.0) && files.contains_key(id));
    for (id, key) in published_now {
        let (in_terms, in_comparisons) = glossary_core::search::mentioning(conn, key)?;
        comparisons.extend(in_comparisons);
        showing.extend(in_terms);
        showing.remove(&id.0);
    }
    if !mentioning.is_empty() {
        let by_slug: HashMap<&str, i64> = headers
            .iter()
            .map(|h| (h.comparison.as_str(), h.id.0))
            .collect();
        let by_file: HashMap<&str, i64> = files.iter().map(|(id, f)| (f.as_str(), id.0)).collect();
        for rel in mentioning {
            let slug = rel
                .strip_prefix("compare/")
                .and_then(|r| r.strip_suffix(".html"));
            if let Some(id) = slug.and_then(|s| by_slug.get(s)) {
                comparisons.insert(*id);
            } else if let Some(id) = rel.strip_prefix("terms/").and_then(|f| by_file.get(f)) {
                terms.insert(*id);
            }
        }
    }
    // An article shows its terms' senses: what mentions a term
    // there is on its articles too.
    for h in headers {
        if showing.contains(&h.left_term_id.0) || showing.contains(&h.right_term_id.0) {
            comparisons.insert(h.id.0);
        }
    }
    terms.extend(showing);
    Ok((comparisons, terms))
}
