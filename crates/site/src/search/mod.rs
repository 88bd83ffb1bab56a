//! The published site's search: an index the build writes beside the
//! pages (`search/`), read by the search page's few lines of script
//! (`search.js`), fetched in pieces so that a reader's search downloads
//! the words it asks for, not the site.
//!
//! Why not Pagefind. Its crate indexes about 500 of these pages a second
//! on two cores and holds the whole index in memory while it builds
//! (10,000 pages: 21 s and 1.3 GB), and it can only rebuild an index
//! whole: a 250,000-page site would take minutes and more memory than the
//! machine has, at every build, where the site takes 50 s from scratch and
//! 4 s after an edit. This index is made from the records the build has in
//! hand when it renders a page ([`records`]), and is kept in step the way
//! a search engine keeps its own: the full build writes a base segment, an
//! incremental one a small segment of the pages changed since, with the
//! base's records they replace marked dead (`build::search`); when that segment
//! grows past a twentieth of the base, the next build is a full one.
//!
//! A segment ([`segment`]) is a directory named by its content (cached
//! for ever): `meta.json` (how many records, where the terms start, the
//! first word of each word file, the records it replaces), `w-N.json`
//! (words in order, each with the records that hold it and how strongly),
//! `d-N.json` (the records to show, 32 a file) and `x-N.json` (the
//! records of a domain). `search/index.json` names the segments.

pub(crate) mod records;
pub(crate) mod segment;
pub(crate) mod tokens;

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// One thing a reader can find: an article (with its FAQs) or a term.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Doc {
    /// Its address from the site's root.
    pub(crate) url: String,
    pub(crate) title: String,
    /// What the result shows under its title.
    pub(crate) excerpt: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) domains: Vec<String>,
    /// A term's page (the kind filter: article or term).
    #[serde(default)]
    pub(crate) term: bool,
    /// Its texts, each with the weight a word found in it has.
    pub(crate) fields: Vec<(u8, String)>,
}

/// The weight of a word in a body text.
pub(crate) const BODY: u8 = 1;
/// In a text that says what the page is about (a summary, a definition).
pub(crate) const LEAD: u8 = 2;
/// In a heading (an FAQ's question).
pub(crate) const HEADING: u8 = 3;

/// The weight of the words of a name (a term, a variant, a title): the
/// fewer its words, the more each says, so that a search for `producer`
/// finds the term Producer (7) before Executive Producer (6) and both
/// before "Producer vs. Executive Producer" (4), and an exact name comes
/// first however many articles name it.
pub(crate) fn name_weight(name: &str, stop: &[&str]) -> u8 {
    let n = tokens::count(name, stop).max(1);
    7 - (n - 1).min(4) as u8
}

/// A record's words as numbers: each word's id in an [`Interner`], shifted
/// left by 3, with the greatest weight it has in the record below.
pub(crate) type Coded = Vec<u32>;

/// The words of a build, each with a number, shared by the workers that
/// render its pages (one lock a record, not a word).
#[derive(Default)]
pub(crate) struct Interner {
    inner: Mutex<Words>,
}

/// A hash map with a fast hash (the keys are the site's own words).
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

#[derive(Default)]
struct Words {
    ids: Map<Box<[u8]>, u32>,
    words: Vec<Box<str>>,
}

impl Interner {
    /// The words of `doc`, coded.
    pub(crate) fn code(&self, doc: &Doc, stop: &[&str]) -> Coded {
        // The texts flattened once, into one buffer; the words are slices.
        let mut flat = Vec::new();
        let mut spans = Vec::with_capacity(doc.fields.len());
        for (weight, text) in &doc.fields {
            let start = flat.len();
            tokens::flatten(text, &mut flat);
            spans.push((*weight, start..flat.len()));
        }
        let mut weights: Map<&[u8], u8> = Map::default();
        weights.reserve(flat.len() / 16);
        for (weight, span) in spans {
            for w in flat[span].split(|b| *b == b' ') {
                if tokens::keep(w, stop) {
                    let best = weights.entry(w).or_insert(0);
                    *best = (*best).max(weight);
                }
            }
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let Words { ids, words } = &mut *inner;
        let mut coded: Coded = weights
            .into_iter()
            .map(|(w, weight)| {
                let id = match ids.get(w) {
                    Some(id) => *id,
                    None => {
                        let id = words.len() as u32;
                        ids.insert(w.into(), id);
                        // Whole characters: the separators are spaces.
                        words.push(String::from_utf8_lossy(w).into());
                        id
                    }
                };
                (id << 3) | u32::from(weight)
            })
            .collect();
        drop(inner);
        coded.sort_unstable();
        coded
    }

    /// The words, by id.
    pub(crate) fn into_words(self) -> Vec<Box<str>> {
        self.inner
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_words_in_a_name_weigh_more() {
        let stop = tokens::STOP;
        assert_eq!(name_weight("Producer", stop), 7);
        assert_eq!(name_weight("Executive Producer", stop), 6);
        assert_eq!(name_weight("Producer vs. Executive Producer", stop), 5);
        assert_eq!(
            name_weight("a very long name of many many words indeed", stop),
            3
        );
    }

    #[test]
    fn a_word_keeps_its_greatest_weight_in_the_record() {
        let interner = Interner::default();
        let doc = Doc {
            url: "terms/producer.html".into(),
            title: "Producer".into(),
            excerpt: String::new(),
            domains: vec![],
            term: true,
            fields: vec![
                (7, "Producer".into()),
                (BODY, "a producer produces; the producer".into()),
            ],
        };
        let coded = interner.code(&doc, tokens::STOP);
        let words = interner.into_words();
        let decoded: Vec<(&str, u32)> = coded
            .iter()
            .map(|c| (&*words[(c >> 3) as usize], c & 7))
            .collect();
        assert_eq!(decoded.len(), 2);
        assert!(decoded.contains(&("producer", 7)));
        assert!(decoded.contains(&("produces", 1)));
    }
}
