//! "More comparisons" on an article: the other published comparisons of
//! its terms, the first ten by title; an incremental build renders an
//! article again when its list changes, and not when a comparison it
//! lists changes in what the list does not show.

use std::path::{Path, PathBuf};

use crate::util::{stderr, stdout, Env, SLUG};

/// The seeds, and `n` published comparisons of Producer with Role 1..n
/// (titled "Producer and Role N"), plus a draft one.
fn env(n: usize) -> Env {
    let env = Env::new();
    env.import_seeds();
    let mut terms = String::from("term,part_of_speech,note,status,autolink\n");
    let mut senses = String::from("term,sense,domain,definition\n");
    let mut comparisons = String::from("comparison,left,right,title,summary,published,status\n");
    for i in 1..=n {
        terms.push_str(&format!("Role {i:02},noun,,published,\n"));
        senses.push_str(&format!("Role {i:02},1,,A role in a film crew.\n"));
        comparisons.push_str(&format!(
            "producer-vs-role-{i:02},Producer,Role {i:02},Producer and Role {i:02},,2024-01-01,published\n"
        ));
    }
    terms.push_str("Sketch,noun,,published,\n");
    senses.push_str("Sketch,1,,A draft.\n");
    comparisons.push_str("producer-vs-sketch,Producer,Sketch,Producer and Sketch,,,draft\n");
    let dir = env.write("more", "terms.csv", &terms);
    env.write("more", "senses.csv", &senses);
    env.write("more", "comparisons.csv", &comparisons);
    env.run_all(&[&["import", dir.to_str().unwrap()]]);
    env
}

fn build(env: &Env) -> (PathBuf, String) {
    let site = env.dir.path().join("site");
    let out = env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    (site, stdout(&out))
}

/// The titles an article lists under More Comparisons, and whether it
/// says there are more.
fn listed(site: &Path, slug: &str) -> (Vec<String>, bool) {
    let page = std::fs::read_to_string(site.join(format!("compare/{slug}.html"))).unwrap();
    let Some(at) = page.find("<section class=\"related\">") else {
        return (Vec::new(), false);
    };
    let section = &page[at..at + page[at..].find("</section>").unwrap()];
    let titles = section
        .split("<li><a href=\"")
        .skip(1)
        .map(|li| {
            let (href, rest) = li.split_once("\">").unwrap();
            assert!(href.ends_with(".html") && !href.contains('/'), "{href}");
            rest.split_once("</a>").unwrap().0.to_string()
        })
        .collect();
    (titles, section.contains("All of them on the pages of"))
}

#[test]
fn an_article_lists_its_terms_other_comparisons_by_title() {
    let env = env(3);
    // Executive Producer vs. Producer, the other way round: shares both
    // terms, listed once.
    env.run_all(&[
        &[
            "add-comparison",
            "ep-vs-producer",
            "--left",
            "Executive Producer",
            "--right",
            "Producer",
        ],
        &[
            "edit",
            "comparison",
            "ep-vs-producer",
            "--set",
            "title=EP or Producer",
        ],
        &["publish", "ep-vs-producer", "--force"],
    ]);
    let (site, _) = build(&env);
    let (titles, more) = listed(&site, SLUG);
    assert_eq!(
        titles,
        [
            "EP or Producer",
            "Producer and Role 01",
            "Producer and Role 02",
            "Producer and Role 03"
        ]
    );
    assert!(!more);
    // Role 01 shares Producer only: the seed article, EP or Producer and
    // the other roles; never itself, never the draft.
    let (titles, _) = listed(&site, "producer-vs-role-01");
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(!titles
        .iter()
        .any(|t| t.contains("Role 01") || t.contains("Sketch")));
    assert!(
        titles.contains(&"Producer vs. Executive Producer: What&#39;s the Difference?".to_string())
    );
}

#[test]
fn ten_are_listed_and_the_terms_pages_have_the_rest() {
    let env = env(12);
    let (site, _) = build(&env);
    let (titles, more) = listed(&site, SLUG);
    assert_eq!(titles.len(), 10);
    assert_eq!(titles[0], "Producer and Role 01");
    assert_eq!(titles[9], "Producer and Role 10");
    assert!(more);
    let page = std::fs::read_to_string(site.join(format!("compare/{SLUG}.html"))).unwrap();
    assert!(
        page.contains("All of them on the pages of <a href=\"../terms/producer.html\">Producer</a> and <a href=\"../terms/executive-producer.html\">Executive Producer</a>."),
        "{page}"
    );
}

#[test]
fn an_incremental_build_renders_the_articles_whose_list_changed_and_no_others() {
    let env = env(3);
    let (site, _) = build(&env);
    // A FAQ of one: its page only (no list shows FAQs).
    env.run_all(&[&[
        "add-faq",
        "producer-vs-role-02",
        "--question",
        "Who?",
        "--answer",
        "Both.",
    ]]);
    let (_, report) = build(&env);
    assert!(report.contains("wrote 1 comparison page"), "{report}");
    // Retitled: every article that lists it.
    env.run_all(&[&[
        "edit",
        "comparison",
        "producer-vs-role-02",
        "--set",
        "title=Producer or Role Two",
    ]]);
    let (_, report) = build(&env);
    assert!(report.contains("wrote 4 comparison pages"), "{report}");
    assert!(listed(&site, SLUG)
        .0
        .contains(&"Producer or Role Two".to_string()));
    // The draft published: listed; unpublished again: gone.
    env.run_all(&[&["publish", "producer-vs-sketch", "--force"]]);
    build(&env);
    assert!(listed(&site, SLUG)
        .0
        .contains(&"Producer and Sketch".to_string()));
    env.run_all(&[&["unpublish", "producer-vs-sketch"]]);
    build(&env);
    assert!(!listed(&site, SLUG)
        .0
        .contains(&"Producer and Sketch".to_string()));
    // Renamed: listed at its new address.
    env.run_all(&[&[
        "edit",
        "comparison",
        "producer-vs-role-03",
        "--set",
        "slug=producer-or-role-three",
    ]]);
    build(&env);
    let page = std::fs::read_to_string(site.join(format!("compare/{SLUG}.html"))).unwrap();
    assert!(
        page.contains("<a href=\"producer-or-role-three.html\">"),
        "{page}"
    );
    // And a build from nothing writes the same pages.
    let fresh = env.dir.path().join("fresh");
    env.run_all(&[&["render", "--all", "--out", fresh.to_str().unwrap()]]);
    for slug in [SLUG, "producer-vs-role-01", "producer-or-role-three"] {
        let file = format!("compare/{slug}.html");
        assert_eq!(
            std::fs::read_to_string(fresh.join(&file)).unwrap(),
            std::fs::read_to_string(site.join(&file)).unwrap(),
            "{file}"
        );
    }
}
