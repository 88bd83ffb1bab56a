//! Auto-links on the published site: a mention of a published term links
//! to its page with its definition as a tooltip, and an incremental build
//! follows the term: published, its definition changed, renamed,
//! unpublished, each re-renders the pages that mention it.

use std::path::PathBuf;

use crate::util::{stderr, stdout, Env, SLUG};

fn build(env: &Env) -> (PathBuf, String) {
    let site = env.dir.path().join("site");
    let out = env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    (site, stdout(&out))
}

fn article(site: &std::path::Path) -> String {
    std::fs::read_to_string(site.join(format!("compare/{SLUG}.html"))).unwrap()
}

/// The links to Director's page in `html`.
fn director_links(html: &str) -> usize {
    html.matches("href=\"../terms/director.html\"").count()
}

#[test]
fn a_mention_links_once_a_term_is_published_and_the_build_follows_the_term() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &["add-term", "Director"],
        &[
            "add-sense",
            "Director",
            "--definition",
            "The person who directs the making of a film.",
        ],
        &[
            "add-faq",
            SLUG,
            "--question",
            "Who hires the director?",
            "--answer",
            "The producer hires the DIRECTOR; the director hires the crew.",
            "--position",
            "1",
        ],
        &[
            "edit",
            "faq",
            SLUG,
            "2",
            "--set",
            "answer=Often, with the director.",
        ],
    ]);
    let (site, _) = build(&env);
    // A draft is not linked (it has no page), and neither are the
    // article's own terms.
    let html = article(&site);
    assert_eq!(director_links(&html), 0);
    assert!(
        !html.contains("class=\"term-ref\""),
        "the page's own terms are not linked"
    );

    // A draft's edit re-renders nothing: it is linked from nowhere.
    env.run_all(&[&[
        "edit",
        "sense",
        "Director",
        "1",
        "--set",
        "definition=A person who directs films.",
    ]]);
    let (_, said) = build(&env);
    assert!(said.contains("wrote 0 comparison pages"), "{said}");

    // Published: the next build finds the article by what it mentions.
    env.run_all(&[&["publish", "--term", "Director"]]);
    let (_, said) = build(&env);
    assert!(said.contains("wrote 1 comparison page,"), "{said}");
    let html = article(&site);
    // The first mention in each section (a producer's example, the
    // FAQs); a question (a heading) never.
    assert_eq!(director_links(&html), 2, "{html}");
    assert!(html.contains(">Who hires the director?</h3>"), "{html}");
    assert!(
        html.contains(">DIRECTOR</a><span class=\"tip\" role=\"tooltip\" id=\"tip-2\">A person who directs films.</span>"),
        "{html}"
    );

    // Its definition changes: the tooltip follows.
    env.run_all(&[&[
        "edit",
        "sense",
        "Director",
        "1",
        "--set",
        "definition=Who directs a film.",
    ]]);
    build(&env);
    assert!(article(&site).contains(">Who directs a film.</span>"));

    // A term new since the last build, published: its name is found in
    // the text (the index of mentions had never seen it).
    env.run_all(&[
        &["add-term", "Crew"],
        &[
            "add-sense",
            "Crew",
            "--definition",
            "The people who make a film.",
        ],
        &["publish", "--term", "Crew"],
    ]);
    let (_, said) = build(&env);
    assert!(said.contains("wrote 1 comparison page,"), "{said}");
    assert!(article(&site).contains(">crew</a>"));

    // `all` links every mention.
    env.run_all(&[&["site", "set", "autolink", "all"]]);
    build(&env);
    assert_eq!(director_links(&article(&site)), 4);

    // Renamed: the text no longer names it, so nothing links.
    env.run_all(&[&["edit", "term", "Director", "--set", "term=Film Director"]]);
    let (_, said) = build(&env);
    assert!(said.contains("wrote 1 comparison page,"), "{said}");
    assert_eq!(director_links(&article(&site)), 0);
    assert!(!article(&site).contains("terms/film-director.html"));

    // Renamed back, then unpublished: the link goes, not to a missing page.
    env.run_all(&[
        &["edit", "term", "Film Director", "--set", "term=Director"],
        &["unpublish", "--term", "Director"],
    ]);
    build(&env);
    let html = article(&site);
    assert_eq!(director_links(&html), 0);
    assert!(!site.join("terms/director.html").exists());

    // Off: no links at all.
    env.run_all(&[
        &["publish", "--term", "Director"],
        &["site", "set", "autolink", "off"],
    ]);
    build(&env);
    assert!(!article(&site).contains("class=\"term-ref\""));
}

#[test]
fn a_bad_autolink_setting_is_refused() {
    let env = Env::new();
    env.import_seeds();
    let out = env.output(&["site", "set", "autolink", "sometimes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("must be first, all or off, not \"sometimes\""),
        "{}",
        stderr(&out)
    );
    // The schema holds the rule for the sqlite3 shell too.
    let err = env
        .conn()
        .execute(
            "INSERT INTO site_settings (key, value) VALUES ('autolink', 'often')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
}

/// The seeds, with Director published and named in an answer of the
/// seeds' article.
fn director_in_an_answer() -> Env {
    let env = Env::new();
    env.import_seeds();
    env.add_term("Director", true, &["The person who directs a film."]);
    env.run_all(&[&[
        "edit",
        "faq",
        SLUG,
        "2",
        "--set",
        "answer=Often, with the director.",
    ]]);
    env
}

#[test]
fn a_terms_page_lists_the_articles_that_mention_it_and_follows_them() {
    let env = director_in_an_answer();
    let (site, _) = build(&env);
    let director = || std::fs::read_to_string(site.join("terms/director.html")).unwrap();
    let page = director();
    assert!(page.contains("<h2>Mentioned in</h2>"), "{page}");
    assert!(
        page.contains(&format!(
            "<a href=\"../compare/{SLUG}.html\">Producer vs. Executive Producer"
        )),
        "{page}"
    );
    // The mention goes: the term's page is built again, without it.
    env.run_all(&[
        &["edit", "faq", SLUG, "2", "--set", "answer=Often."],
        &["edit", "faq", SLUG, "8", "--set", "answer=Yes."],
    ]);
    // (Director has no comparison: a link to one is a mention.)
    let lists_article = |page: &str| page.contains(&format!("<a href=\"../compare/{SLUG}.html\">"));
    let html = article(&site);
    let still = html.contains("terms/director.html");
    build(&env);
    let page = director();
    assert_eq!(
        lists_article(&page),
        still || article(&site).contains("terms/director.html"),
        "{page}"
    );
    // The article unpublished: gone from the list.
    env.run_all(&[&["unpublish", SLUG]]);
    build(&env);
    assert!(!lists_article(&director()), "{}", director());
}

#[test]
fn a_term_can_stay_out_of_the_links_and_the_build_follows() {
    let env = director_in_an_answer();
    let (site, _) = build(&env);
    assert!(director_links(&article(&site)) > 0);
    env.run_all(&[&["edit", "term", "Director", "--set", "autolink=NO"]]);
    build(&env);
    assert_eq!(director_links(&article(&site)), 0, "left as text");
    assert!(article(&site).contains("Often, with the director."));
    // Its own page stays, and the export says it.
    assert!(site.join("terms/director.html").exists());
    let out = env.dir.path().join("out");
    env.run_all(&[&["export", out.to_str().unwrap()]]);
    let terms = std::fs::read_to_string(out.join("terms.csv")).unwrap();
    assert!(terms.contains("Director,,,published,no\n"), "{terms}");
    assert!(terms.contains("Producer,noun,,published,\n"), "{terms}");
    // Undone, it links again.
    let change = env.json(&["history", "--format", "json", "--limit", "1"])[0]["change"]
        .as_i64()
        .unwrap()
        .to_string();
    env.run_all(&[&["revert", &change]]);
    build(&env);
    assert!(director_links(&article(&site)) > 0);
    // A value that is neither yes nor no: refused, by the command and the import.
    let err = env.fails(&[
        "edit".as_ref(),
        "term".as_ref(),
        "Director".as_ref(),
        "--set".as_ref(),
        "autolink=maybe".as_ref(),
    ]);
    assert!(err.contains("\"maybe\" is neither yes nor no"), "{err}");
    let dir = env.write(
        "bad",
        "terms.csv",
        "term,autolink\nDirector,no\nProducer,perhaps\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("terms.csv:3: autolink: \"perhaps\" is neither yes nor no"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_terms_page_lists_the_terms_whose_definitions_link_to_it() {
    let env = director_in_an_answer();
    env.run_all(&[
        &["add-term", "Showrunner", "--publish"],
        &[
            "add-sense",
            "Showrunner",
            "--definition",
            "A writer who runs a series, often as its director.",
        ],
        &["add-term", "Auteur", "--publish"],
        &["add-sense", "Auteur", "--definition", "A filmmaker."],
        &[
            "add-example",
            "Auteur",
            "1",
            "The auteur was also the Director.",
        ],
    ]);
    let (site, _) = build(&env);
    let director = || std::fs::read_to_string(site.join("terms/director.html")).unwrap();
    let said = |page: &str| -> String {
        page.lines()
            .find(|l| l.contains("class=\"mentioned-by\""))
            .unwrap_or_default()
            .to_string()
    };
    // By a definition and by an example (Producer's definitions name
    // directors too), A to Z; the article still listed.
    assert_eq!(
        said(&director()),
        "<p class=\"mentioned-by\">The definitions of <a href=\"auteur.html\">Auteur</a>, <a href=\"producer.html\">Producer</a>, <a href=\"showrunner.html\">Showrunner</a>.</p>"
    );
    assert!(director().contains("../compare/"), "{}", director());
    // Each one listed does link to it: the list is what the pages link.
    for file in ["auteur", "producer", "showrunner"] {
        let page = std::fs::read_to_string(site.join(format!("terms/{file}.html"))).unwrap();
        assert!(
            page.contains("href=\"../terms/director.html\""),
            "{file}: {page}"
        );
    }

    // A definition changed away: the term page it no longer links is
    // built again without it, and only the pages concerned.
    env.run_all(&[&[
        "edit",
        "sense",
        "Showrunner",
        "1",
        "--set",
        "definition=A writer who runs a series.",
    ]]);
    let (_, report) = build(&env);
    assert!(report.contains("2 term pages"), "{report}");
    assert_eq!(
        said(&director()),
        "<p class=\"mentioned-by\">The definitions of <a href=\"auteur.html\">Auteur</a>, <a href=\"producer.html\">Producer</a>.</p>"
    );
    // A term unpublished: its page is gone, and so is its mention.
    env.run_all(&[&["unpublish", "--term", "Auteur"]]);
    build(&env);
    assert_eq!(
        said(&director()),
        "<p class=\"mentioned-by\">The definitions of <a href=\"producer.html\">Producer</a>.</p>"
    );
    // Renamed: listed by its new name at its new address.
    env.run_all(&[
        &["publish", "--term", "Auteur"],
        &["edit", "term", "Auteur", "--set", "term=Cineaste"],
    ]);
    build(&env);
    assert_eq!(
        said(&director()),
        "<p class=\"mentioned-by\">The definitions of <a href=\"cineaste.html\">Cineaste</a>, <a href=\"producer.html\">Producer</a>.</p>"
    );
    // A build from nothing says the same as the incremental ones.
    let fresh = env.dir.path().join("fresh");
    env.run_all(&[&["render", "--all", "--out", fresh.to_str().unwrap()]]);
    for file in [
        "terms/director.html",
        "terms/cineaste.html",
        "terms/showrunner.html",
    ] {
        assert_eq!(
            std::fs::read_to_string(fresh.join(file)).unwrap(),
            std::fs::read_to_string(site.join(file)).unwrap(),
            "{file}"
        );
    }
}
