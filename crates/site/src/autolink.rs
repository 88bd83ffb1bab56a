//! Auto-linking: every mention of a published term in a page's text
//! (definitions, examples, key differences, chart cells, FAQ answers)
//! becomes a link to the term's page, with its first definition as a
//! tooltip shown on hover and keyboard focus by CSS alone.
//!
//! One automaton finds every term in one pass over a text (Aho-Corasick,
//! leftmost-longest: "executive producer" wins over "producer"), matched
//! as term names are looked up (case and accents folded, runs of spaces as
//! one), whole words only. A build makes the automaton once; each page
//! gets a [`PageLinks`], which templates call as `autolink(text, section)`
//! and which remembers what it linked (the first mention in each section,
//! by the site's `autolink` setting). The build keeps each page's linked
//! terms, and finds the pages that name a term newly published or renamed
//! through the search indexes, so publishing, renaming, redefining or
//! unpublishing a term re-renders exactly the pages it is (or will be)
//! linked from.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use aho_corasick::{AhoCorasick, MatchKind};
use minijinja::value::{Object, Value};
use unicode_normalization::UnicodeNormalization;

use glossary_core::error::Result;
use glossary_core::model::TermId;
use glossary_core::store::senses::Senses;
use rusqlite::Connection;

/// Every term's name as it is matched, and what a link to a published one
/// needs.
pub struct Linker {
    /// Made when a page first needs it: a build that renders no page
    /// (nothing changed) does not pay for it.
    automaton: OnceLock<Option<AhoCorasick>>,
    /// What it is made of: each term's name, folded.
    patterns: Vec<String>,
    kind: Option<aho_corasick::AhoCorasickKind>,
    /// The term of each pattern of the automaton.
    terms: Vec<TermId>,
    /// Published terms: where their page is, from the site root.
    targets: HashMap<TermId, String>,
    /// The definitions of the terms linked so far, for tooltips: all of
    /// them for a full build ([`Linker::add_tips`]), those of the pages
    /// rendered for an incremental one ([`Linker::load_tips`]), so a
    /// build of a few pages reads a few terms.
    tips: RwLock<HashMap<TermId, Arc<Senses>>>,
    every: bool,
}

/// The definition a link shows: the first of `senses` whose domain is
/// `domain` (any case), else the first.
fn tip<'s>(senses: &'s Senses, domain: Option<&str>) -> &'s str {
    let fits = domain.and_then(|d| {
        senses
            .iter()
            .find(|(sd, _)| sd.as_deref().is_some_and(|sd| sd.eq_ignore_ascii_case(d)))
    });
    fits.or(senses.first())
        .map_or("", |(_, definition)| definition.as_str())
}

/// How often a term is linked on a page (the `autolink` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Off,
    First,
    All,
}

impl Mode {
    pub fn of_setting(value: &str) -> Mode {
        match value {
            "off" => Mode::Off,
            "all" => Mode::All,
            _ => Mode::First,
        }
    }
}

impl Linker {
    /// A linker over `keys` (every term's lookup key, published or not:
    /// a draft's name is matched, so a longer draft name is not read as a
    /// shorter published one),
    /// linking the terms of `targets` (term, page path from the site
    /// root). `many_pages`: the build renders many pages, so a DFA (slower
    /// to build, about a second for 150,000 names, fastest to scan) pays;
    /// else the automaton builds at once.
    pub fn new(
        keys: impl IntoIterator<Item = (TermId, String)>,
        targets: impl IntoIterator<Item = (TermId, String)>,
        mode: Mode,
        many_pages: bool,
    ) -> Linker {
        // Off: nothing to match or link. Else every name, folded again as
        // text is (a key written in the sqlite3 shell may keep its
        // accents), so both sides are folded by one rule.
        let off = mode == Mode::Off;
        let (terms, patterns): (Vec<TermId>, Vec<String>) = keys
            .into_iter()
            .filter(|_| !off)
            .map(|(id, k)| (id, fold(k.trim()).0))
            .filter(|(_, k)| !k.is_empty())
            .unzip();
        let targets = targets.into_iter().filter(|_| !off).collect();
        let kind = many_pages.then_some(aho_corasick::AhoCorasickKind::DFA);
        Linker {
            automaton: OnceLock::new(),
            patterns,
            kind,
            terms,
            targets,
            tips: RwLock::default(),
            every: mode == Mode::All,
        }
    }

    /// Adds the definitions of many terms at once (a full build's).
    pub fn add_tips(&self, all: HashMap<TermId, Senses>) {
        let mut tips = self.tips.write().unwrap_or_else(|e| e.into_inner());
        tips.extend(all.into_iter().map(|(id, s)| (id, Arc::new(s))));
    }

    /// Reads (through `conn`) the definitions of the published terms
    /// `texts` mention that it does not have yet: called with a page's
    /// linked texts before it is rendered.
    pub fn load_tips<'t>(
        &self,
        conn: &Connection,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> Result<()> {
        let mut wanted: HashSet<TermId> = HashSet::new();
        {
            let tips = self.tips.read().unwrap_or_else(|e| e.into_inner());
            for text in texts {
                for (_, term) in self.mentions(text) {
                    if self.targets.contains_key(&term) && !tips.contains_key(&term) {
                        wanted.insert(term);
                    }
                }
            }
        }
        for term in wanted {
            let senses = glossary_core::store::senses::definitions_of(conn, term)?;
            self.tips
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(term, Arc::new(senses));
        }
        Ok(())
    }

    /// The published terms a page about `subject` links to from `texts`,
    /// as rendering it would (whatever the mode, the same set): for
    /// knowing before term pages are rendered which link to which.
    pub fn linked_from<'t>(
        &self,
        texts: impl IntoIterator<Item = &'t str>,
        subject: TermId,
    ) -> Vec<i64> {
        let mut out = Vec::new();
        for text in texts {
            self.add_linked(text, subject, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Adds to `out` the published terms `text` links to, `subject` aside
    /// (repeats too: the caller sorts them out once).
    pub fn add_linked(&self, text: &str, subject: TermId, out: &mut Vec<i64>) {
        for (_, term) in self.mentions(text) {
            if term != subject && self.targets.contains_key(&term) {
                out.push(term.0);
            }
        }
    }

    /// The mentions in `text`: byte ranges of the original text and the
    /// term each names, left to right, whole words only.
    pub fn mentions(&self, text: &str) -> Vec<(std::ops::Range<usize>, TermId)> {
        let automaton = self.automaton.get_or_init(|| {
            if self.patterns.is_empty() {
                return None;
            }
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(self.kind)
                .build(&self.patterns)
                .ok()
        });
        let Some(automaton) = automaton else {
            return Vec::new();
        };
        let (folded, at) = fold(text);
        let map = |i: usize| at.as_ref().map_or(i, |at| at[i]);
        let mut out = Vec::new();
        for m in automaton.find_iter(&folded) {
            let (start, end) = (map(m.start()), map(m.end()));
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if before.is_some_and(in_word) || after.is_some_and(in_word) {
                continue;
            }
            out.push((start..end, self.terms[m.pattern().as_usize()]));
        }
        out
    }
}

/// Letters, digits and joiners: a mention is not part of a longer word
/// ("producers", "co-producer").
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// `text` folded as term names are ([`glossary_core::model::lookup_key`]:
/// case folded, accents dropped, each run of white space one space), and
/// for each byte of the folded text (and one past its end) the byte of
/// `text` it came from; None when that is the same byte (ASCII text with
/// single spaces, most text: folded without a map).
fn fold(text: &str) -> (String, Option<Vec<usize>>) {
    let plain = text.is_ascii()
        && !text.contains("  ")
        && !text.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    if plain {
        return (text.to_ascii_lowercase(), None);
    }
    let mut folded = String::with_capacity(text.len());
    let mut at = Vec::with_capacity(text.len() + 1);
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                folded.push(' ');
                at.push(i);
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
            at.push(i);
            continue;
        }
        let lower = caseless::default_case_fold_str(c.encode_utf8(&mut [0; 4]));
        for d in lower
            .nfd()
            .filter(|d| !unicode_normalization::char::is_combining_mark(*d))
        {
            let before = folded.len();
            folded.push(d);
            at.extend(std::iter::repeat_n(i, folded.len() - before));
        }
    }
    at.push(text.len());
    (folded, Some(at))
}

/// One page's auto-links: called from its template as
/// `autolink(text, section)`, it returns the text as HTML (escaped, line
/// breaks kept, as the `lines` filter does) with its mentions linked.
/// Without a linker (a page on its own, the editor's preview) it links
/// nothing.
#[derive(Debug)]
pub struct PageLinks {
    linker: Option<Arc<Linker>>,
    /// From the page to the site root.
    root: &'static str,
    /// The page's own subject (an article's terms, a term page's term):
    /// never linked.
    subject: HashSet<TermId>,
    /// The page's field (the most common domain of its senses): a linked
    /// term's sense in it is the one its tooltip shows.
    domain: Option<String>,
    state: Mutex<State>,
}

impl std::fmt::Debug for Linker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Linker({} terms)", self.terms.len())
    }
}

#[derive(Debug, Default)]
struct State {
    /// (section, term) already linked.
    linked: HashSet<(String, TermId)>,
    /// Every term the page links to.
    linked_terms: HashSet<TermId>,
    /// Tooltips so far: their ids are `tip-N`.
    tips: usize,
}

impl PageLinks {
    pub fn new(
        linker: Option<Arc<Linker>>,
        root: &'static str,
        subject: impl IntoIterator<Item = TermId>,
        domain: Option<String>,
    ) -> PageLinks {
        PageLinks {
            linker,
            root,
            subject: subject.into_iter().collect(),
            domain,
            state: Mutex::default(),
        }
    }

    /// The terms the page links to, sorted.
    pub fn linked(&self) -> Vec<i64> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids: Vec<i64> = state.linked_terms.iter().map(|t| t.0).collect();
        ids.sort_unstable();
        ids
    }

    /// `text` as HTML, its mentions in `section` linked; `domain` is the
    /// text's own field (a sense's), else the page's is used.
    pub fn link(&self, text: &str, section: &str, domain: Option<&str>) -> String {
        let domain = domain.or(self.domain.as_deref());
        let mut html = String::with_capacity(text.len() + 16);
        let mut done = 0;
        if let Some(linker) = &self.linker {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            for (range, term) in linker.mentions(text) {
                if self.subject.contains(&term) {
                    continue;
                }
                let Some(href) = linker.targets.get(&term) else {
                    continue;
                };
                if !state.linked.insert((section.to_string(), term)) && !linker.every {
                    continue;
                }
                state.linked_terms.insert(term);
                html.push_str(&lines(&text[done..range.start]));
                let href = format!("{}{}", self.root, glossary_core::text::html(href));
                let shown = lines(&text[range.clone()]);
                let senses = linker
                    .tips
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(&term)
                    .cloned();
                match senses {
                    Some(senses) => {
                        state.tips += 1;
                        let id = format!("tip-{}", state.tips);
                        html.push_str(&format!(
                            "<span class=\"term-ref\"><a href=\"{href}\" aria-describedby=\"{id}\">{shown}</a><span class=\"tip\" role=\"tooltip\" id=\"{id}\">{}</span></span>",
                            glossary_core::text::html(tip(&senses, domain)),
                        ));
                    }
                    // A text a theme links that the build did not read
                    // ahead: the link, without its tooltip.
                    None => html.push_str(&format!("<a href=\"{href}\">{shown}</a>")),
                }
                done = range.end;
            }
        }
        html.push_str(&lines(&text[done..]));
        html
    }
}

/// Escaped, each newline a `<br>` (the `lines` filter).
fn lines(text: &str) -> String {
    glossary_core::text::html(text).replace('\n', "<br>\n")
}

impl Object for PageLinks {
    fn call(
        self: &Arc<Self>,
        _state: &minijinja::State<'_, '_>,
        args: &[Value],
    ) -> Result<Value, minijinja::Error> {
        let text = args
            .first()
            .map(|v| v.as_str().unwrap_or_default().to_string());
        let section = args.get(1).and_then(|v| v.as_str()).unwrap_or("page");
        let domain = args
            .get(2)
            .and_then(|v| v.as_str())
            .filter(|d| !d.is_empty());
        Ok(Value::from_safe_string(self.link(
            text.as_deref().unwrap_or_default(),
            section,
            domain,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker(mode: Mode) -> Arc<Linker> {
        let keys = [
            (TermId(1), "producer".to_string()),
            (TermId(2), "executive producer".to_string()),
            (TermId(3), "café".to_string()),
            (TermId(4), "director".to_string()),
        ];
        let one = |d: &str| vec![(None, d.to_string())];
        let targets = [
            (TermId(1), "terms/producer.html".to_string()),
            (TermId(2), "terms/executive-producer.html".to_string()),
            (TermId(3), "terms/cafe.html".to_string()),
        ];
        let linker = Linker::new(keys, targets, mode, mode == Mode::All);
        linker.add_tips(HashMap::from([
            (
                TermId(1),
                vec![
                    (Some("business".to_string()), "Makes goods.".to_string()),
                    (Some("Film".to_string()), "Runs the production.".to_string()),
                ],
            ),
            (TermId(2), one("Funds it & <oversees>.")),
        ]));
        Arc::new(linker)
    }

    fn hrefs(html: &str) -> Vec<&str> {
        html.split("href=\"../")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect()
    }

    #[test]
    fn the_longest_whole_word_match_links_folded_as_names_are() {
        let page = PageLinks::new(Some(linker(Mode::All)), "../", [], None);
        let html = page.link("An EXECUTIVE  Producer met a Cafe owner.", "x", None);
        assert_eq!(
            hrefs(&html),
            ["terms/executive-producer.html", "terms/cafe.html"]
        );
        // The text keeps its own spelling; the tooltip is escaped.
        assert!(html.contains(">EXECUTIVE  Producer</a>"), "{html}");
        assert!(html.contains("Funds it &amp; &lt;oversees&gt;."), "{html}");
        // Parts of words are not mentions.
        let html = page.link("Producers and co-producer, unproducer.", "y", None);
        assert!(hrefs(&html).is_empty(), "{html}");
    }

    #[test]
    fn first_links_once_per_section_and_never_the_subject_or_a_draft() {
        let page = PageLinks::new(Some(linker(Mode::First)), "../", [TermId(2)], None);
        let html = page.link("A producer, another producer; a director.", "faqs", None);
        assert_eq!(hrefs(&html), ["terms/producer.html"]);
        let html = page.link("The producer again.", "faqs", None);
        assert!(hrefs(&html).is_empty());
        let html = page.link(
            "The producer, in another section.\nAn executive producer.",
            "chart",
            None,
        );
        assert_eq!(hrefs(&html), ["terms/producer.html"]);
        assert!(html.contains("<br>\n"), "{html}");
        // What it links, for the build: not the draft, not the subject.
        assert_eq!(page.linked(), vec![1]);
        // Each tooltip has an id of its own.
        assert!(html.contains("id=\"tip-2\""), "{html}");
    }

    #[test]
    fn tips_are_read_for_what_a_page_mentions_and_a_link_without_one_has_none() {
        let conn = glossary_core::db::open_in_memory().unwrap();
        conn.execute_batch(
            "INSERT INTO terms (id, term) VALUES (3, 'Café');
             INSERT INTO senses (term_id, sense_number, definition) VALUES (3, 1, 'A place.');",
        )
        .unwrap();
        let linker = linker(Mode::First);
        let page = PageLinks::new(Some(linker.clone()), "../", [], None);
        // Not read ahead: the link, no tooltip.
        assert_eq!(
            page.link("a cafe", "x", None),
            "a <a href=\"../terms/cafe.html\">cafe</a>"
        );
        linker.load_tips(&conn, ["Le café."]).unwrap();
        let page = PageLinks::new(Some(linker), "../", [], None);
        assert!(page.link("a cafe", "x", None).contains(">A place.</span>"));
    }

    #[test]
    fn off_links_nothing() {
        let page = PageLinks::new(Some(linker(Mode::Off)), "../", [], None);
        let html = page.link("A producer & a café.", "x", None);
        assert_eq!(html, "A producer &amp; a café.");
        assert!(page.linked().is_empty());
    }

    #[test]
    fn the_tooltip_is_the_sense_of_the_text_s_field_else_the_page_s_else_the_first() {
        let tip = |page_domain: Option<&str>, domain: Option<&str>| {
            let page = PageLinks::new(
                Some(linker(Mode::All)),
                "../",
                [],
                page_domain.map(str::to_string),
            );
            let html = page.link("a producer", "x", domain);
            let start = html.find("role=\"tooltip\"").unwrap();
            let text = &html[start + html[start..].find('>').unwrap() + 1..];
            text[..text.find('<').unwrap()].to_string()
        };
        assert_eq!(tip(None, None), "Makes goods.");
        assert_eq!(tip(Some("film"), None), "Runs the production.");
        assert_eq!(tip(Some("business"), Some("FILM")), "Runs the production.");
        assert_eq!(tip(Some("ecology"), None), "Makes goods.");
    }

    #[test]
    fn folding_maps_back_to_the_original_text() {
        let (folded, at) = fold("Ä  b\u{301}C");
        assert_eq!(folded, "a bc");
        let at = at.expect("a map for text that is not plain ASCII");
        assert_eq!(at.len(), folded.len() + 1);
        assert_eq!(at[2], "Ä  ".len());
        assert_eq!(
            fold("Plain Text, one space."),
            ("plain text, one space.".into(), None)
        );
        assert!(fold("two  spaces").1.is_some() && fold("a\nline").1.is_some());
    }
}
