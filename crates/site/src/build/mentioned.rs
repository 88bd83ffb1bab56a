//! "Mentioned in": the articles and the terms whose text links to a term,
//! listed on the term's page.
//!
//! Articles are rendered before term pages, so each build knows what every
//! article links to (rendered now, or kept with what the last build's
//! manifest says). What a term page links to is known before any term page
//! is rendered by matching its texts (definitions and examples, what the
//! term page links) with the build's linker: every term's in one pass for
//! a full build, those of the pages it renders for an incremental one, the
//! manifest's for the rest.
//!
//! A term page is rendered again when what links to it changes: an
//! article rewritten (its links or its title may have changed) re-renders
//! the terms it linked and links, a term page whose links changed those it
//! linked and links, and a page gone, those it linked.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use glossary_core::error::Result;
use glossary_core::model::TermId;

use super::workers::{in_parallel, Workers};
use crate::autolink::Linker;
use crate::render::Listed;

/// How many pages of each kind a term page lists; the rest are counted.
const LISTED: usize = 100;

/// A page that links to terms: its path from the site root, its title,
/// and whether it is a term's page.
struct Linking {
    rel: String,
    title: String,
    term: bool,
}

/// Each linking page once, and for each term the pages that link to it,
/// by index: a 100,000-article site has about a million mentions, and a
/// copy of the title for each would cost more than the rest of the
/// build's bookkeeping.
#[derive(Default)]
pub(super) struct MentionedIn {
    pages: Vec<Linking>,
    by_term: HashMap<i64, Vec<u32>>,
    changed: HashSet<i64>,
}

/// What links to a term, as its page lists it: the first [`LISTED`]
/// articles and terms (linked from a term page), and how many more of
/// each there are.
pub(crate) struct Mentions<'a> {
    pub articles: Vec<Listed<'a>>,
    pub articles_more: usize,
    pub terms: Vec<Listed<'a>>,
    pub terms_more: usize,
}

impl MentionedIn {
    fn add(&mut self, page: Linking, now: &[i64]) {
        let at = u32::try_from(self.pages.len()).expect("fewer than 4 billion pages");
        self.pages.push(page);
        for term in now {
            self.by_term.entry(*term).or_default().push(at);
        }
    }

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
        self.add(
            Linking {
                rel: rel.to_string(),
                title: title.to_string(),
                term: false,
            },
            now,
        );
        if rewritten {
            self.changed.extend(now);
            self.changed.extend(before.into_iter().flatten());
        }
    }

    /// Term page `rel` of the term `name` links to `now`; the last build
    /// recorded `before`. (A renamed term's page has a new `rel`: the old
    /// one is [`gone`](Self::gone).)
    fn term_page(&mut self, rel: &str, name: &str, now: &[i64], before: Option<&Vec<i64>>) {
        if before.map(Vec::as_slice) != Some(now) {
            self.changed.extend(now);
            self.changed.extend(before.into_iter().flatten());
        }
        self.add(
            Linking {
                rel: rel.to_string(),
                title: name.to_string(),
                term: true,
            },
            now,
        );
    }

    /// The pages the last build had and this one has not: the terms they
    /// linked lose a mention.
    pub(super) fn gone(&mut self, before: &HashMap<String, Vec<i64>>) {
        let here: HashSet<&str> = self.pages.iter().map(|p| p.rel.as_str()).collect();
        for (rel, ids) in before {
            let linking = rel.starts_with("compare/") || rel.starts_with("terms/");
            if linking && !here.contains(rel.as_str()) {
                self.changed.extend(ids);
            }
        }
    }

    /// Sorts each term's list: articles, then terms, each by title.
    pub(super) fn finish(&mut self) {
        let pages = &self.pages;
        for list in self.by_term.values_mut() {
            list.sort_by(|a, b| {
                let (a, b) = (&pages[*a as usize], &pages[*b as usize]);
                (a.term, &a.title, &a.rel).cmp(&(b.term, &b.title, &b.rel))
            });
        }
    }

    /// The pages that link to `term`, with their hrefs from a term page.
    pub(super) fn of(&self, term: i64) -> Mentions<'_> {
        let mut out = Mentions {
            articles: Vec::new(),
            articles_more: 0,
            terms: Vec::new(),
            terms_more: 0,
        };
        for i in self.by_term.get(&term).into_iter().flatten() {
            let page = &self.pages[*i as usize];
            let (list, more, href) = if page.term {
                let file = page.rel.strip_prefix("terms/").unwrap_or(&page.rel);
                (&mut out.terms, &mut out.terms_more, file.to_string())
            } else {
                let href = format!("../{}", page.rel);
                (&mut out.articles, &mut out.articles_more, href)
            };
            if list.len() == LISTED {
                *more += 1;
                continue;
            }
            list.push(Listed {
                href,
                title: &page.title,
                published: None,
            });
        }
        out
    }

    /// Whether the pages linking to `term` changed in this build.
    pub(super) fn changed(&self, term: i64) -> bool {
        self.changed.contains(&term)
    }
}

/// A term page of this build: its path, its term and name, and whether
/// its links must be read from its texts (it is rendered from them this
/// build) rather than from what the last build recorded.
pub(super) struct TermPage<'a> {
    pub rel: String,
    pub id: TermId,
    pub name: &'a str,
    pub fresh: bool,
}

/// Adds to `mentioned` what each term page links to: read from the texts
/// of the `fresh` pages (all of them in one pass when `every_one`, as a
/// full build renders them all), from the last build's manifest
/// (`before`) for the others.
pub(super) fn terms(
    conn: &Connection,
    workers: &Workers,
    linker: Option<&Linker>,
    pages: &[TermPage<'_>],
    every_one: bool,
    before: &HashMap<String, Vec<i64>>,
    mentioned: &mut MentionedIn,
) -> Result<()> {
    let mut read: HashMap<TermId, Vec<i64>> = HashMap::new();
    if let Some(linker) = linker {
        if every_one {
            // The terms' ids in as many ranges as there are workers, each
            // range's texts read and matched by one.
            let wanted: HashSet<TermId> = pages.iter().map(|p| p.id).collect();
            let mut ids: Vec<i64> = wanted.iter().map(|t| t.0).collect();
            ids.sort_unstable();
            let size = ids.len().div_ceil(workers.conns.len()).max(1);
            let ranges: Vec<(i64, i64)> =
                ids.chunks(size).map(|c| (c[0], c[c.len() - 1])).collect();
            let found = in_parallel(
                workers,
                &ranges,
                |_| true,
                |conn, (lo, hi)| {
                    let mut found: HashMap<TermId, Vec<i64>> = HashMap::new();
                    glossary_core::store::senses::texts_by_term(
                        conn,
                        *lo..=*hi,
                        &mut |term, text| {
                            if wanted.contains(&term) {
                                let ids = found.entry(term).or_default();
                                linker.add_linked(text, term, ids);
                                // A term's texts name the same terms again and
                                // again: kept unique as they come.
                                ids.sort_unstable();
                                ids.dedup();
                            }
                        },
                    )?;
                    Ok(found)
                },
            )?;
            read.extend(found.into_iter().flatten().flatten());
        } else {
            for page in pages.iter().filter(|p| p.fresh) {
                let texts = glossary_core::store::senses::texts_of(conn, page.id)?;
                read.insert(
                    page.id,
                    linker.linked_from(texts.iter().map(String::as_str), page.id),
                );
            }
        }
    }
    for page in pages {
        let recorded = before.get(&page.rel);
        let now = if page.fresh || every_one {
            read.remove(&page.id).unwrap_or_default()
        } else {
            recorded.cloned().unwrap_or_default()
        };
        mentioned.term_page(&page.rel, page.name, &now, recorded);
    }
    Ok(())
}
