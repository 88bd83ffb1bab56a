//! The editor's pages over real HTTP: every route answers, security
//! headers, hostile text shown as text, lists and search, loopback only.

use crate::setup::{id, location, open, seeded};
use crate::util::{stdout, Env, ARTICLE, SLUG};
use crate::webclient::Server;

#[test]
fn every_page_answers_on_the_seed_glossary() {
    let (_env, server) = seeded();
    let mut b = server.browser();
    for (path, expect) in [
        ("/", "Recent changes"),
        ("/terms", "Executive Producer"),
        ("/terms?status=draft", "Terms"),
        ("/comparisons", "Producer vs. Executive Producer"),
        ("/comparisons?status=published", SLUG),
        ("/search?q=budget", "<mark>budget</mark>"),
        ("/term/producer", "Sense 7"),
        ("/term/Executive%20Producer", "Sense 5"),
        (ARTICLE, "Comparison chart"),
        (
            "/compare/producer-vs-executive-producer/preview",
            "Key Differences",
        ),
        ("/new", "A comparison"),
        ("/history", "Seed"),
        ("/history/1", "Change 1"),
        ("/import", "Download the whole glossary"),
        ("/static/editor.css", "font"),
        ("/static/editor.js", "use strict"),
        ("/site/style.css", "font"),
    ] {
        let page = open(&mut b, path);
        assert!(page.text().contains(expect), "{path} lacks {expect:?}");
    }
    let preview = b.get("/compare/producer-vs-executive-producer/preview");
    assert!(preview.text().contains("href=\"/site/style.css\""));
    for path in [
        "/nope",
        "/term/prodcer",
        "/compare/nope",
        "/history/999",
        "/static/../Cargo.toml",
        "/static/..%2fCargo.toml",
        "/static/%2e%2e%2fsrc%2fmain.rs",
    ] {
        let page = b.get(path);
        assert_eq!(page.status, 404, "{path}");
    }
    // An unknown term's page says what the CLI says.
    assert!(b
        .get("/term/prodcer")
        .text()
        .contains("unknown term &quot;prodcer&quot; (did you mean &quot;Producer&quot;?)"));
}

#[test]
fn pages_carry_security_headers_and_a_strict_csrf_cookie() {
    let (_env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, "/new");
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'self'"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let cookie = page.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    // The page's forms carry the cookie's token; the next page sets none.
    let token = page.csrf();
    assert_eq!(b.cookie("glossary_csrf"), Some(token));
    assert!(open(&mut b, "/terms").header("set-cookie").is_none());
}

#[test]
fn hostile_text_is_shown_as_text_everywhere() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, ARTICLE);
    let cid = id(
        &env,
        &format!("SELECT id FROM comparisons WHERE slug = '{SLUG}'"),
    )
    .to_string();
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    location(&b.post(
        "/add",
        &[
            ("csrf", &page.csrf()),
            ("kind", "faq"),
            ("parent", &cid),
            ("question", evil),
            ("answer", evil),
        ],
    ));
    for path in [
        ARTICLE,
        "/compare/producer-vs-executive-producer/preview",
        "/history",
        "/search?q=alert",
    ] {
        let html = open(&mut b, path).text();
        assert!(!html.contains("<script>alert"), "{path} runs the text");
        assert!(!html.contains("<img src=x"), "{path} runs the text");
    }
    assert!(open(&mut b, ARTICLE)
        .text()
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // In a search box's echo, too.
    let html = open(&mut b, "/search?q=%3Cscript%3Ealert(3)%3C/script%3E").text();
    assert!(!html.contains("<script>alert(3)"));
}

#[test]
fn search_finds_terms_by_their_first_letters_and_suggests_on_a_typo() {
    let (_env, server) = seeded();
    let mut b = server.browser();
    let html = open(&mut b, "/search?q=exec").text();
    assert!(
        html.contains("href=\"/term/Executive%20Producer\""),
        "{html}"
    );
    // A variant finds its term, and says which it is; the term once.
    let html = open(&mut b, "/search?q=EP").text();
    assert!(
        html.contains("href=\"/term/Executive%20Producer\""),
        "{html}"
    );
    assert!(html.contains("EP (abbreviation)"), "{html}");
    assert_eq!(
        html.matches("href=\"/term/Executive%20Producer\"").count(),
        1,
        "{html}"
    );
    let html = open(&mut b, "/search?q=prodcer").text();
    assert!(html.contains("Did you mean"), "{html}");
    // Results only, for the script.
    let part = open(&mut b, "/search?q=budget&partial=1").text();
    assert!(part.starts_with("<div id=\"results\""), "{part}");
    // FTS5 syntax a person may type is text, not an error page.
    assert_eq!(b.get("/search?q=%22unbalanced").status, 200);
    assert_eq!(b.get("/search?q=NOT").status, 200);
}

#[test]
fn serve_listens_on_loopback_only_and_stops_cleanly() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(crate::util::stderr(&out).contains("loopback"));
    // No database: said at once, nothing created.
    let none = Env::new();
    let out = none
        .cmd()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!none.db().exists());
    // SIGTERM: it stops, status 0.
    let server = Server::start(&env);
    assert_eq!(server.browser().get("/").status, 200);
    let status = server.stop();
    assert!(status.success(), "{status:?}");
}

#[test]
fn lists_page_by_key_and_filter_by_status() {
    let env = Env::new();
    let mut csv = String::from("term,part_of_speech,note,status\n");
    for i in 0..75 {
        let status = if i % 3 == 0 { "draft" } else { "published" };
        csv.push_str(&format!("Term {i:03},noun,,{status}\n"));
    }
    let dir = env.write("many", "terms.csv", &csv);
    env.cmd().arg("import").arg(&dir).assert().success();
    let server = Server::start(&env);
    let mut b = server.browser();
    let first = open(&mut b, "/terms").text();
    assert!(first.contains("Term 000") && first.contains("Term 049"));
    assert!(!first.contains("Term 050"));
    let at = first.find("rel=\"next\"").expect("a next page link");
    let href_at = first[..at].rfind("href=\"").unwrap() + 6;
    let href = first[href_at..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let second = open(&mut b, &href).text();
    assert!(
        second.contains("Term 050") && second.contains("Term 074"),
        "{href}"
    );
    assert!(!second.contains("Term 049"));
    assert!(!second.contains("rel=\"next\""));
    // Drafts only: every third term.
    let drafts = open(&mut b, "/terms?status=draft").text();
    assert!(drafts.contains("Term 000") && drafts.contains("Term 072"));
    assert!(!drafts.contains("Term 001"));
    let dashboard = open(&mut b, "/").text();
    assert!(
        dashboard.contains("75 terms") && dashboard.contains("25 drafts"),
        "{dashboard}"
    );
}

#[test]
fn serve_refuses_a_database_from_a_newer_glossary() {
    let env = Env::new();
    env.import_seeds();
    env.conn()
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let out = env
        .cmd()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(crate::util::stderr(&out).contains("newer version of glossary"));
}

#[test]
fn an_untitled_article_has_one_title_everywhere() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &["add-term", "Director"],
        &[
            "add-comparison",
            "--left",
            "Producer",
            "--right",
            "Director",
            "--summary",
            "One makes it possible, one makes it.",
            "--published",
            "2024-03-10",
        ],
        &[
            "add-difference",
            "producer-vs-director",
            "A director shapes the film.",
        ],
        &["publish", "producer-vs-director", "--with-terms"],
    ]);
    let title = "Producer vs. Director: What&#39;s the Difference?";
    let plain = "Producer vs. Director: What's the Difference?";
    let out = env.output(&["query", "--comparison", "producer-vs-director"]);
    assert!(stdout(&out).contains(plain), "{}", stdout(&out));
    let out = env.output(&["query", "--term", "director"]);
    assert!(stdout(&out).contains(plain), "{}", stdout(&out));
    let out = env.output(&["render", "producer-vs-director", "--format", "html"]);
    assert!(
        stdout(&out).contains(title) || stdout(&out).contains(plain),
        "{}",
        stdout(&out)
    );
    let server = crate::webclient::Server::start(&env);
    let mut b = server.browser();
    for path in [
        "/comparisons",
        "/term/Director",
        "/compare/producer-vs-director",
    ] {
        let page = b.get(path).text();
        assert!(
            page.contains(title) || page.contains(plain),
            "{path}: {page}"
        );
        assert!(
            !page.contains("Producer vs. Director<"),
            "{path}: the short form"
        );
    }
    env.run_all(&[&["render", "--all", "--out", "site"]]);
    let index = std::fs::read_to_string(env.dir.path().join("site/index.html")).unwrap();
    assert!(index.contains(title) || index.contains(plain), "{index}");
}

#[test]
fn an_entry_page_names_the_old_addresses_that_lead_to_it() {
    let env = Env::new();
    env.import_seeds();
    let out = env.output(&["edit", "comparison", SLUG, "--set", "slug=producer-vs-ep"]);
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    let server = Server::start(&env);
    let page = server.browser().get("/compare/producer-vs-ep").text();
    assert!(
        page.contains(&format!(
            "Old addresses that send readers here: <code>{SLUG}</code>"
        )),
        "{page}"
    );
    let term = server.browser().get("/term/Producer").text();
    assert!(!term.contains("Old addresses"), "{term}");
}

#[test]
fn the_ideas_page_lists_related_terms_without_an_article_and_starts_one() {
    let (env, server) = crate::setup::seeded();
    env.run_all(&[
        &["add-term", "Showrunner"],
        &[
            "add-relation",
            "Showrunner",
            "synonym",
            "Executive Producer",
        ],
        &["add-relation", "Showrunner", "related", "Producer"],
    ]);
    let mut b = server.browser();
    let dashboard = crate::setup::open(&mut b, "/");
    assert!(dashboard
        .text()
        .contains("<a href=\"/ideas\">Comparisons to write</a>"));
    let page = crate::setup::open(&mut b, "/ideas");
    let html = page.text();
    // The synonyms first (3 points), then the related pair (2).
    assert!(
        html.contains("Start the comparison Executive Producer vs. Showrunner"),
        "{html}"
    );
    let related = html.find("<td>related</td>").expect("the related pair");
    assert!(html.find("<td>synonym</td>").unwrap() < related, "{html}");
    let r = b.post(
        "/new/comparison",
        &[
            ("csrf", &page.csrf()),
            ("left", "Executive Producer"),
            ("right", "Showrunner"),
        ],
    );
    assert!(
        crate::setup::location(&r).starts_with("/compare/executive-producer-vs-showrunner"),
        "{}",
        crate::setup::location(&r)
    );
    // Written, it is no idea any more.
    let html = crate::setup::open(&mut b, "/ideas").text();
    assert!(!html.contains("<td>synonym</td>"), "{html}");
    assert!(html.contains("<td>related</td>"), "{html}");
    // Terms the texts name together are ideas too.
    env.run_all(&[
        &["add-term", "Gaffer"],
        &[
            "add-sense",
            "Gaffer",
            "--definition",
            "The chief lighting technician.",
        ],
        &["add-term", "Grip"],
        &[
            "add-sense",
            "Grip",
            "--definition",
            "Works with the gaffer on rigging.",
        ],
        &[
            "add-example",
            "Grip",
            "1",
            "The grip and the gaffer set the lights.",
        ],
    ]);
    let html = crate::setup::open(&mut b, "/ideas").text();
    assert!(
        html.contains("Start the comparison Gaffer vs. Grip"),
        "{html}"
    );
    assert!(html.contains("<td>together</td>"), "{html}");
}
