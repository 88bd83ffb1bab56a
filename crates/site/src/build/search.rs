//! The site's search index in a build (the index itself is
//! [`crate::search`]): a full build writes a base segment of every page's
//! records; an incremental one keeps it and writes a segment of the pages
//! changed since, from the records kept in the build's bookkeeping beside
//! the manifest (`.site.glossary-search`), with the base records they
//! replace marked dead.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::output::{beside, on_disk, replace_whole, Writer};
use crate::search::{segment, tokens, Coded, Doc, Interner};
use glossary_core::error::{Error, Result};

/// Where the index lives in the site.
const DIR: &str = "search";

/// What the last full build indexed, and what changed since.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct State {
    /// The base segment's directory name and files (from the site's root).
    base: String,
    files: Vec<String>,
    domains: Vec<String>,
    /// Each page of the base: its record's number.
    pages: HashMap<String, u32>,
    /// The record of each page changed since the base (none: gone).
    delta: BTreeMap<String, Option<Doc>>,
}

fn state_path(dir: &Path) -> PathBuf {
    beside(dir, ".glossary-search")
}

impl State {
    /// The bookkeeping of the last build into `dir`, if it can be used:
    /// there, readable, and its base still on disk.
    pub(super) fn load(dir: &Path) -> Option<State> {
        let text = fs::read_to_string(state_path(dir)).ok()?;
        let state: State = serde_json::from_str(&text).ok()?;
        let whole = state.files.iter().all(|f| on_disk(dir, f));
        whole.then_some(state)
    }

    /// Whether the pages changed since the base are so many that the next
    /// build should index everything again (a reader's search reads every
    /// segment's words: the small one must stay small).
    pub(super) fn too_far(&self) -> bool {
        self.delta.len() > (self.pages.len() / 20).max(200)
    }

    fn save(&self, dir: &Path) -> Result<()> {
        let path = state_path(dir);
        let text = serde_json::to_string(self).map_err(|e| Error::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        replace_whole(&path, &text)
    }
}

/// A page's record as a build hands it over.
pub(super) enum Record {
    /// A full build: coded as it comes (the texts are dropped).
    Coded(Doc, Coded),
    /// An incremental one: kept whole, for the bookkeeping.
    Whole(Doc),
}

/// The index being made in a build.
pub(super) struct Indexing {
    pub(super) stop: &'static [&'static str],
    interner: Interner,
    full: bool,
}

impl Indexing {
    pub(super) fn new(language: &str, full: bool) -> Indexing {
        Indexing {
            stop: tokens::stop_words(language),
            interner: Interner::default(),
            full,
        }
    }

    /// Takes the record of a page the build rendered.
    pub(super) fn take(&self, mut doc: Doc) -> Record {
        if !self.full {
            return Record::Whole(doc);
        }
        let coded = self.interner.code(&doc, self.stop);
        doc.fields = Vec::new();
        Record::Coded(doc, coded)
    }

    /// Writes the index: `pages` are every page of the site in its order
    /// (articles, then terms), with the records of those rendered.
    /// Returns the domains of its records, for the search page's filter.
    pub(super) fn write(
        self,
        out: &mut Writer<'_>,
        dir: &Path,
        state: Option<State>,
        pages: Vec<(String, Option<Record>)>,
    ) -> Result<Vec<String>> {
        let stop = self.stop;
        let mut segments = Vec::new();
        let (state, domains) = match (self.full, state) {
            (false, Some(state)) => self.incremental(out, state, &pages, &mut segments)?,
            _ => self.whole(out, pages, &mut segments)?,
        };
        let index = serde_json::json!({
            "v": 1,
            "stop": stop,
            "domains": domains,
            "segments": segments,
        });
        out.put(Path::new(&format!("{DIR}/index.json")), &index.to_string())?;
        state.save(dir)?;
        Ok(domains.into_iter().collect())
    }

    /// The index of an incremental build: the base kept, a segment of the
    /// pages changed since it (those of `pages` rendered, and what went).
    fn incremental(
        self,
        out: &mut Writer<'_>,
        mut state: State,
        pages: &[(String, Option<Record>)],
        segments: &mut Vec<String>,
    ) -> Result<(State, BTreeSet<String>)> {
        for f in &state.files {
            out.keep(f.clone(), None);
        }
        segments.push(state.base.clone());
        let current: BTreeSet<&str> = pages.iter().map(|(rel, _)| rel.as_str()).collect();
        for (rel, record) in pages.iter() {
            if let Some(Record::Whole(doc)) = record {
                state.delta.insert(rel.clone(), Some(doc.clone()));
            }
        }
        // Gone since the base: nothing in its place.
        let gone: Vec<String> = state
            .pages
            .keys()
            .chain(state.delta.keys())
            .filter(|rel| !current.contains(rel.as_str()))
            .cloned()
            .collect();
        for rel in gone {
            if state.pages.contains_key(&rel) {
                state.delta.insert(rel, None);
            } else {
                state.delta.remove(&rel);
            }
        }
        let mut dead: Vec<u32> = state
            .delta
            .keys()
            .filter_map(|rel| state.pages.get(rel).copied())
            .collect();
        dead.sort_unstable();
        let mut docs: Vec<(Doc, Coded)> = state
            .delta
            .values()
            .flatten()
            .map(|d| (d.clone(), self.interner.code(d, self.stop)))
            .collect();
        docs.sort_by_key(|(d, _)| d.term);
        let mut domains: BTreeSet<String> = state.domains.iter().cloned().collect();
        if !docs.is_empty() || !dead.is_empty() {
            let words = self.interner.into_words();
            let delta = segment::build(&docs, &words, &dead);
            domains.extend(delta.domains.iter().cloned());
            put(out, &delta)?;
            segments.push(delta.name);
        }
        Ok((state, domains))
    }

    /// The index of a full build: every page, one base segment.
    fn whole(
        self,
        out: &mut Writer<'_>,
        pages: Vec<(String, Option<Record>)>,
        segments: &mut Vec<String>,
    ) -> Result<(State, BTreeSet<String>)> {
        let mut docs: Vec<(Doc, Coded)> = Vec::new();
        let mut numbers: HashMap<String, u32> = HashMap::new();
        for (rel, record) in pages {
            let Some(Record::Coded(doc, coded)) = record else {
                continue;
            };
            numbers.insert(rel, docs.len() as u32);
            docs.push((doc, coded));
        }
        let words = self.interner.into_words();
        let base = segment::build(&docs, &words, &[]);
        let files = put(out, &base)?;
        segments.push(base.name.clone());
        let domains = base.domains.iter().cloned().collect();
        let state = State {
            base: base.name,
            files,
            domains: base.domains,
            pages: numbers,
            delta: BTreeMap::new(),
        };
        Ok((state, domains))
    }
}

/// Writes a segment's files; returns their paths.
fn put(out: &mut Writer<'_>, s: &segment::Segment) -> Result<Vec<String>> {
    let mut paths = Vec::with_capacity(s.files.len());
    for (name, text) in &s.files {
        let rel = format!("{DIR}/{}/{name}", s.name);
        out.put(Path::new(&rel), text)?;
        paths.push(rel);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(base: usize, changed: usize) -> State {
        State {
            pages: (0..base).map(|i| (format!("p{i}"), i as u32)).collect(),
            delta: (0..changed).map(|i| (format!("p{i}"), None)).collect(),
            ..State::default()
        }
    }

    #[test]
    fn past_a_twentieth_of_the_base_or_200_pages_the_next_build_is_full() {
        assert!(!state(100_000, 5_000).too_far());
        assert!(state(100_000, 5_001).too_far());
        assert!(!state(1_000, 200).too_far());
        assert!(state(1_000, 201).too_far());
    }
}
