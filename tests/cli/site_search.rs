//! `render --all`'s search index (`search/`): what it holds of each page,
//! kept in step by incremental builds (a segment of what changed, the
//! base's records it replaces dead), read here as the search page's
//! script reads it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use pretty_assertions::assert_eq;
use serde_json::Value;

use crate::util::{stdout, Env};

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ids(gaps: &Value) -> Vec<u64> {
    let mut id = 0;
    gaps.as_array()
        .unwrap()
        .iter()
        .map(|g| {
            id += g.as_u64().unwrap();
            id
        })
        .collect()
}

/// One record as a reader finds it: where it leads, its title, what it
/// shows, whether it is a term.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Found {
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub term: bool,
}

/// What the site's index answers: every word with the live records that
/// hold it and its weight in each, read segment by segment as
/// `search.js` reads them (the base's dead records left out).
pub(crate) fn index(site: &Path) -> BTreeMap<String, BTreeSet<(Found, u64)>> {
    let top = json(&site.join("search/index.json"));
    let segments: Vec<&str> = top["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(segments.len() <= 2, "{segments:?}");
    let dead: BTreeSet<u64> = match segments.get(1) {
        Some(delta) => ids(&json(&site.join(format!("search/{delta}/meta.json")))["dead"])
            .into_iter()
            .collect(),
        None => BTreeSet::new(),
    };
    let mut out: BTreeMap<String, BTreeSet<(Found, u64)>> = BTreeMap::new();
    for (i, s) in segments.iter().enumerate() {
        let dir = site.join(format!("search/{s}"));
        let meta = json(&dir.join("meta.json"));
        let per = meta["per"].as_u64().unwrap();
        let terms = meta["terms"].as_u64().unwrap();
        let shown = |id: u64| {
            let row = &json(&dir.join(format!("d-{}.json", id / per)))[(id % per) as usize];
            Found {
                url: row[0].as_str().unwrap().into(),
                title: row[1].as_str().unwrap().into(),
                excerpt: row[2].as_str().unwrap().into(),
                term: id >= terms,
            }
        };
        let files = meta["words"].as_array().unwrap().len();
        for f in 0..files {
            let words = json(&dir.join(format!("w-{f}.json")));
            for (word, codes) in words.as_object().unwrap() {
                let mut id = 0;
                for c in codes.as_array().unwrap() {
                    let c = c.as_u64().unwrap();
                    id += c >> 3;
                    if i == 0 && dead.contains(&id) {
                        continue;
                    }
                    out.entry(word.clone())
                        .or_default()
                        .insert((shown(id), c & 7));
                }
            }
        }
    }
    out
}

fn render(env: &Env, site: &Path) -> String {
    let out = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(site)
        .output()
        .unwrap();
    assert!(out.status.success());
    stdout(&out)
}

fn urls(index: &BTreeMap<String, BTreeSet<(Found, u64)>>, word: &str) -> Vec<(String, u64)> {
    index
        .get(word)
        .map(|found| found.iter().map(|(f, w)| (f.url.clone(), *w)).collect())
        .unwrap_or_default()
}

fn segments(site: &Path) -> usize {
    json(&site.join("search/index.json"))["segments"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn the_index_holds_terms_by_name_and_variant_and_articles_with_their_faqs() {
    let env = Env::new();
    // The seeds name EP a variant of Executive Producer.
    env.import_seeds();
    let site = env.dir.path().join("site");
    render(&env, &site);
    let index = index(&site);
    // A name weighs more the fewer its words: the term Producer, then
    // Executive Producer, then the article's title (four words, stop
    // words aside); a definition less.
    let producer = urls(&index, "producer");
    let weight = |url: &str| producer.iter().find(|(u, _)| u == url).map(|(_, w)| *w);
    assert_eq!(weight("terms/producer.html"), Some(7));
    assert_eq!(weight("terms/executive-producer.html"), Some(6));
    assert_eq!(
        weight("compare/producer-vs-executive-producer.html"),
        Some(4)
    );
    // By its variant.
    assert_eq!(
        urls(&index, "ep"),
        [("terms/executive-producer.html".to_string(), 7)]
    );
    // An article by its FAQs' questions (as headings) and answers; the
    // search page finds the FAQ by its anchor in the page.
    assert_eq!(
        urls(&index, "misconception"),
        [("compare/producer-vs-executive-producer.html".to_string(), 3)]
    );
    let page =
        fs::read_to_string(site.join("compare/producer-vs-executive-producer.html")).unwrap();
    assert!(
        page.contains("<h3 id=\"faq-20\">What’s a common misconception about producers?</h3>\n<p>That their role"),
        "the FAQ's anchor, its answer next"
    );
    // Stop words are not indexed, and the script is told which they are.
    assert!(!index.contains_key("the"));
    let top = json(&site.join("search/index.json"));
    assert!(top["stop"].as_array().unwrap().iter().any(|w| w == "the"));
    assert!(top["domains"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "film"));
    // The search page: a form that works as a GET without script, the
    // domains to filter by, and what to use instead without script.
    let search = fs::read_to_string(site.join("search.html")).unwrap();
    assert!(search.contains("<form id=\"search\" class=\"search\" role=\"search\" action=\"search.html\" method=\"get\">"));
    assert!(search.contains("<option>film</option>"));
    assert!(search.contains("<noscript>"));
    assert!(search.contains("<a href=\"terms-p.html\">P</a>"));
    assert!(search.contains("<script src=\"search.js\" defer></script>"));
    assert!(fs::read_to_string(site.join("search.js"))
        .unwrap()
        .contains("search/"));
    // Every other page has the search box, and no script.
    assert!(page.contains(
        "<form class=\"search-box\" role=\"search\" action=\"../search.html\" method=\"get\">"
    ));
    assert!(!page.contains("<script src"));
}

#[test]
fn an_incremental_build_indexes_what_changed_and_answers_as_a_full_one() {
    let env = Env::new();
    env.import_seeds();
    let site = env.dir.path().join("site");
    render(&env, &site);
    assert_eq!(segments(&site), 1);
    let before = index(&site);
    // Nothing changed: the index is as it was.
    render(&env, &site);
    assert_eq!(segments(&site), 1);
    assert_eq!(index(&site), before);

    env.run_all(&[
        &[
            "edit",
            "faq",
            "producer-vs-executive-producer",
            "1",
            "--set",
            "answer=A zebrafish wrangler, mostly.",
        ],
        &["add-term", "Gaffer", "--publish"],
        &[
            "add-sense",
            "Gaffer",
            "--definition",
            "The chief lighting technician.",
        ],
    ]);
    let said = render(&env, &site);
    assert!(
        said.contains("wrote 1 comparison page, 3 term pages"),
        "{said}"
    );
    assert_eq!(segments(&site), 2);
    let after = index(&site);
    assert_eq!(
        urls(&after, "zebrafish"),
        [("compare/producer-vs-executive-producer.html".to_string(), 1)]
    );
    assert_eq!(
        urls(&after, "gaffer"),
        [("terms/gaffer.html".to_string(), 7)]
    );
    // The old answer's words are gone with it; the rest of the page's
    // records are there once, not twice.
    assert!(
        urls(&after, "logistics").is_empty(),
        "{:?}",
        urls(&after, "logistics")
    );
    assert_eq!(
        urls(&after, "misconception").len(),
        urls(&before, "misconception").len()
    );
    // As a build from scratch answers.
    let scratch = env.dir.path().join("scratch");
    render(&env, &scratch);
    assert_eq!(segments(&scratch), 1);
    assert_eq!(index(&site), index(&scratch));

    // An article taken down: its records go, the old segment's files too.
    let delta_dir = json(&site.join("search/index.json"))["segments"][1]
        .as_str()
        .unwrap()
        .to_string();
    env.run_all(&[&["unpublish", "producer-vs-executive-producer"]]);
    render(&env, &site);
    let gone = index(&site);
    assert!(gone
        .values()
        .flatten()
        .all(|(f, _)| !f.url.starts_with("compare/")));
    assert!(!urls(&gone, "gaffer").is_empty());
    assert!(
        !site.join(format!("search/{delta_dir}")).exists(),
        "the old segment stays"
    );
    let scratch = env.dir.path().join("scratch2");
    render(&env, &scratch);
    assert_eq!(gone, index(&scratch));
}

#[test]
fn without_its_bookkeeping_the_next_build_indexes_everything_again() {
    let env = Env::new();
    env.import_seeds();
    let site = env.dir.path().join("site");
    render(&env, &site);
    let before = index(&site);
    let state = env.dir.path().join(".site.glossary-search");
    assert!(
        state.is_file(),
        "the bookkeeping is beside the site, not in it"
    );
    // Lost, or not readable: every page is rendered and indexed again.
    for broken in [None, Some("{not json")] {
        match broken {
            None => fs::remove_file(&state).unwrap(),
            Some(text) => fs::write(&state, text).unwrap(),
        }
        let said = render(&env, &site);
        assert!(
            said.contains("wrote 1 comparison page, 2 term pages"),
            "{said}"
        );
        assert_eq!(segments(&site), 1);
        assert_eq!(index(&site), before);
    }
    // A base segment's file gone: the same.
    let top = json(&site.join("search/index.json"));
    let base = top["segments"][0].as_str().unwrap();
    fs::remove_file(site.join(format!("search/{base}/w-0.json"))).unwrap();
    let said = render(&env, &site);
    assert!(
        said.contains("wrote 1 comparison page, 2 term pages"),
        "{said}"
    );
    assert_eq!(index(&site), before);
}
