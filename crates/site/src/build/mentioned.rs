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

/// Each article once (its href from a term page and its title), and for
/// each term the articles that link to it, by index: a 100,000-article
/// site has about a million mentions, and a copy of the title for each
/// would cost more than the rest of the build's bookkeeping.
#[derive(Default)]
pub(super) struct MentionedIn {
    pages: Vec<(String, String)>,
    by_term: HashMap<i64, Vec<u32>>,
    changed: HashSet<i64>,
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
        let at = u32::try_from(self.pages.len()).expect("fewer than 4 billion articles");
        self.pages.push((format!("../{rel}"), title.to_string()));
        for term in now {
            self.by_term.entry(*term).or_default().push(at);
        }
        if rewritten {
            self.changed.extend(now);
            self.changed.extend(before.into_iter().flatten());
        }
    }

    /// The articles the last build had and this one has not: the terms
    /// they linked lose a mention.
    pub(super) fn gone(&mut self, before: &HashMap<String, Vec<i64>>) {
        let here: HashSet<&str> = self.pages.iter().map(|(href, _)| &href[3..]).collect();
        for (rel, ids) in before {
            if rel.starts_with("compare/") && !here.contains(rel.as_str()) {
                self.changed.extend(ids);
            }
        }
    }

    /// Sorts each term's list by title.
    pub(super) fn finish(&mut self) {
        let pages = &self.pages;
        for list in self.by_term.values_mut() {
            list.sort_by(|a, b| {
                let (a, b) = (&pages[*a as usize], &pages[*b as usize]);
                a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0))
            });
        }
    }

    /// The articles that link to `term`: (href from a term page, title).
    pub(super) fn of(&self, term: i64) -> Vec<(&str, &str)> {
        self.by_term.get(&term).map_or_else(Vec::new, |list| {
            list.iter()
                .map(|i| {
                    let (href, title) = &self.pages[*i as usize];
                    (href.as_str(), title.as_str())
                })
                .collect()
        })
    }

    /// Whether the articles linking to `term` changed in this build.
    pub(super) fn changed(&self, term: i64) -> bool {
        self.changed.contains(&term)
    }
}
