//! Terms named together: which pairs of terms the glossary's texts name
//! side by side (in one definition, example, key difference, chart cell
//! or FAQ answer, a term's own texts naming it too), for the ideas for
//! content ([`glossary_core::ideas`]). Matched as the site's auto-links
//! are (one automaton, whole words, folded as names are), drafts
//! included: ideas are for editors.

use std::collections::HashMap;

use rusqlite::Connection;

use glossary_core::error::Result;
use glossary_core::model::TermId;

use crate::autolink::{Linker, Mode};

/// At most this many terms of one text are paired (a text naming dozens
/// is a list, not a comparison in waiting).
const PAIRED: usize = 12;

/// Each pair of terms (lower id first) and the number of texts that name
/// both.
pub fn named_together(conn: &Connection) -> Result<Vec<(TermId, TermId, i64)>> {
    let ((files, _), keys, _) = crate::build::term_keys(conn, true)?;
    // One pass over the texts: the automaton that is quick to build
    // (a DFA's second of building is not won back by one pass).
    let linker = Linker::new(keys, files, Mode::First, false);
    let mut counts: HashMap<(i64, i64), i64> = HashMap::new();
    let mut count = |owner: Option<TermId>, text: &str| {
        let mut ids = Vec::new();
        linker.add_linked(text, owner.unwrap_or(TermId(0)), &mut ids);
        ids.sort_unstable();
        ids.dedup();
        ids.truncate(PAIRED);
        if let Some(owner) = owner {
            ids.push(owner.0);
            ids.sort_unstable();
        }
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                *counts.entry((*a, *b)).or_default() += 1;
            }
        }
    };
    glossary_core::store::senses::texts_by_term(conn, i64::MIN..=i64::MAX, &mut |term, text| {
        count(Some(term), text);
    })?;
    glossary_core::store::comparisons::texts(conn, &mut |text| count(None, text))?;
    Ok(counts
        .into_iter()
        .map(|((a, b), n)| (TermId(a), TermId(b), n))
        .collect())
}
