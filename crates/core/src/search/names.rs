//! Finding a term by its name or one of its variants, as typed into a
//! search: "EP" finds Executive Producer, "produc" finds Producer. The
//! full-text indexes hold definitions and articles, not names, so this is
//! asked of the terms' and variants' lookup keys (one key space since V19).

use serde::Serialize;

use rusqlite::Connection;

use crate::error::Result;
use crate::model::{lookup_key, TermId};
use crate::store::{terms, variants};

/// A term found by a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    #[serde(skip)]
    pub term_id: TermId,
    pub term: String,
    pub part_of_speech: Option<String>,
    /// The variant that matched, with its type; `None` when the term's own
    /// name did.
    pub variant: Option<variants::Variant>,
    /// The whole name was typed, not its first letters.
    pub exact: bool,
}

/// Terms whose name or a variant starts with `text` (folded as lookup keys
/// are), each term once: the exact match first, then A–Z by the name that
/// matched, a term's own name before its variants.
pub fn named(conn: &Connection, text: &str, limit: i64) -> Result<Vec<Named>> {
    let key = lookup_key(text);
    if key.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    let mut found: Vec<(String, Named)> = Vec::new();
    for (t, k) in terms::starting_with(conn, &key, limit)? {
        found.push((
            k.clone(),
            Named {
                term_id: t.id,
                term: t.term,
                part_of_speech: t.part_of_speech,
                variant: None,
                exact: k == key,
            },
        ));
    }
    for (v, term) in variants::starting_with(conn, &key, limit)? {
        let k = lookup_key(&v.variant);
        found.push((
            k.clone(),
            Named {
                term_id: v.term_id,
                term,
                part_of_speech: None,
                variant: Some(v),
                exact: k == key,
            },
        ));
    }
    // Exact first, then by key; at one key a term sorts before a variant.
    found.sort_by(|(ka, a), (kb, b)| {
        b.exact
            .cmp(&a.exact)
            .then_with(|| ka.cmp(kb))
            .then_with(|| a.variant.is_some().cmp(&b.variant.is_some()))
    });
    let mut seen = Vec::new();
    let mut names = Vec::new();
    for (_, named) in found {
        if seen.contains(&named.term_id) {
            continue;
        }
        seen.push(named.term_id);
        names.push(named);
        if names.len() as i64 >= limit {
            break;
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::super::tests::seeded;
    use super::*;

    #[test]
    fn a_variant_finds_its_term_and_says_so() {
        let conn = seeded();
        let found = named(&conn, "ep", 5).unwrap();
        let first = &found[0];
        assert_eq!(first.term, "Executive Producer");
        assert!(first.exact);
        assert_eq!(first.variant.as_ref().unwrap().variant, "EP");
    }

    #[test]
    fn the_exact_name_comes_first_and_each_term_once() {
        let conn = seeded();
        let found = named(&conn, "Producer", 10).unwrap();
        assert_eq!(found[0].term, "Producer");
        assert!(found[0].exact && found[0].variant.is_none());
        let producers = found.iter().filter(|n| n.term == "Producer").count();
        assert_eq!(producers, 1, "{found:?}");
        // A prefix finds by first letters, none of them exact.
        let found = named(&conn, "produc", 10).unwrap();
        assert!(found.iter().any(|n| n.term == "Producer"));
        assert!(found.iter().all(|n| !n.exact));
    }
}
