//! "More comparisons": an article lists the other published comparisons
//! that share one of its terms, the first [`LISTED`] by title (then the
//! terms' pages list them all).
//!
//! The lists come from the comparisons' headers, which every build reads
//! anyway: each term's comparisons sorted once, an article's list merged
//! from its two terms'. An incremental build renders an article again when
//! its list is not the one the last build wrote (the manifest keeps a key
//! of each), so a comparison published, retitled, renamed or gone changes
//! the articles that list it, and an edit to its FAQs changes none.

use std::cmp::Ordering;
use std::collections::HashMap;

use glossary_core::model::TermId;
use glossary_core::store::comparisons::Header;

use crate::render::Listed;

/// How many related comparisons an article lists.
pub(crate) const LISTED: usize = 10;

/// By title, then slug: one order in every build.
fn order(headers: &[Header], titles: &[String], a: usize, b: usize) -> Ordering {
    (&titles[a], &headers[a].comparison).cmp(&(&titles[b], &headers[b].comparison))
}

/// Each term's comparisons (indexes into the headers), by title.
pub(super) struct Related<'h> {
    headers: &'h [Header],
    titles: &'h [String],
    by_term: HashMap<TermId, Vec<usize>>,
}

/// An article's list: the comparisons (indexes into the headers), and
/// whether there are more than it lists.
pub(super) struct List {
    pub items: Vec<usize>,
    pub more: bool,
}

impl<'h> Related<'h> {
    /// Over `headers` (the published comparisons) and their `titles`.
    pub(super) fn new(headers: &'h [Header], titles: &'h [String]) -> Related<'h> {
        let mut by_term: HashMap<TermId, Vec<usize>> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            by_term.entry(h.left_term_id).or_default().push(i);
            if h.right_term_id != h.left_term_id {
                by_term.entry(h.right_term_id).or_default().push(i);
            }
        }
        for list in by_term.values_mut() {
            list.sort_by(|a, b| order(headers, titles, *a, *b));
        }
        Related {
            headers,
            titles,
            by_term,
        }
    }

    fn order(&self, a: usize, b: usize) -> Ordering {
        order(self.headers, self.titles, a, b)
    }

    /// The list of article `i`: its two terms' comparisons merged in
    /// order, itself and repeats left out (a comparison of the same two
    /// terms the other way round is in both), the first [`LISTED`].
    pub(super) fn of(&self, i: usize) -> List {
        let h = &self.headers[i];
        let none = Vec::new();
        let left = self.by_term.get(&h.left_term_id).unwrap_or(&none);
        let right = self.by_term.get(&h.right_term_id).unwrap_or(&none);
        let (mut a, mut b) = (0, 0);
        let mut items: Vec<usize> = Vec::with_capacity(LISTED);
        loop {
            let next = match (left.get(a), right.get(b)) {
                (None, None) => return List { items, more: false },
                (Some(&x), None) => {
                    a += 1;
                    x
                }
                (None, Some(&y)) => {
                    b += 1;
                    y
                }
                (Some(&x), Some(&y)) => match self.order(x, y) {
                    Ordering::Greater => {
                        b += 1;
                        y
                    }
                    Ordering::Less => {
                        a += 1;
                        x
                    }
                    Ordering::Equal => {
                        a += 1;
                        b += 1;
                        x
                    }
                },
            };
            if next == i || items.last() == Some(&next) {
                continue;
            }
            if items.len() == LISTED {
                return List { items, more: true };
            }
            items.push(next);
        }
    }

    /// A key of what `list` shows (each comparison's address and title,
    /// and whether there are more): equal keys, equal lists.
    pub(super) fn key(&self, list: &List) -> String {
        let mut h = 0xcbf2_9ce4_8422_2325;
        for i in &list.items {
            h = super::fnv(self.headers[*i].comparison.as_bytes(), h);
            h = super::fnv(&[0xff], h);
            h = super::fnv(self.titles[*i].as_bytes(), h);
            h = super::fnv(&[0xfe], h);
        }
        h = super::fnv(&[u8::from(list.more)], h);
        format!("{h:016x}")
    }

    /// What the article's page shows of `list`: each linked from an
    /// article, by title.
    pub(super) fn shown(&self, list: &List) -> Vec<Listed<'h>> {
        list.items
            .iter()
            .map(|i| Listed {
                href: format!("{}.html", self.headers[*i].comparison),
                title: self.titles[*i].as_str(),
                published: None,
            })
            .collect()
    }
}
