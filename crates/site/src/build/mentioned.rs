//! "Mentioned in": the articles whose text links to a term, listed on the
//! term's page. Articles are rendered before term pages, so each build
//! knows what every article links to (rendered now, or kept with what the
//! last build's manifest says); a term page is rendered again when the
//! articles that link to it change: an article rewritten (its links or its
//! title may have changed) re-renders the terms it linked and links, and
//! one gone, those it linked.

use std::collections::{HashMap, HashSet};

/// How many articles a term page lists; the rest are counted.
pub(crate) const LISTED: usize = 100;

#[derive(Default)]
pub(super) struct MentionedIn {
    by_term: HashMap<i64, Vec<(String, String)>>,
    changed: HashSet<i64>,
    seen: HashSet<String>,
}

impl MentionedIn {
    /// Article `rel` (its path from the site root) titled `title` links
    /// to `now`; `before`, what the last build recorded, if it was
    /// `rewritten`.
    pub(super) fn article(
        &mut self,
        rel: &str,
        title: &str,
        now: &[i64],
        before: Option<&Vec<i64>>,
        rewritten: bool,
    ) {
        self.seen.insert(rel.to_string());
        for term in now {
            self.by_term
                .entry(*term)
                .or_default()
                .push((format!("../{rel}"), title.to_string()));
        }
        if rewritten {
            self.changed.extend(now);
            self.changed.extend(before.into_iter().flatten());
        }
    }

    /// The articles the last build had and this one has not: the terms
    /// they linked lose a mention.
    pub(super) fn gone(&mut self, before: &HashMap<String, Vec<i64>>) {
        for (rel, ids) in before {
            if rel.starts_with("compare/") && !self.seen.contains(rel) {
                self.changed.extend(ids);
            }
        }
    }

    /// Sorts each term's list by title.
    pub(super) fn finish(&mut self) {
        for list in self.by_term.values_mut() {
            list.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        }
    }

    /// The articles that link to `term` (href from a term page, title).
    pub(super) fn of(&self, term: i64) -> &[(String, String)] {
        self.by_term.get(&term).map_or(&[], Vec::as_slice)
    }

    /// Whether the articles linking to `term` changed in this build.
    pub(super) fn changed(&self, term: i64) -> bool {
        self.changed.contains(&term)
    }
}
