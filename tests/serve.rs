//! `glossary serve` over real HTTP on loopback: every route, with bad
//! input, missing and wrong CSRF tokens, conflicting saves, oversized
//! uploads and hostile text.

use crate::util::Env;
use crate::webclient::{Browser, Response, Server};

const ARTICLE: &str = "/compare/producer-vs-executive-producer";
const SLUG: &str = "producer-vs-executive-producer";

/// The seeds, and the editor serving them.
pub(crate) fn seeded() -> (Env, Server) {
    let env = Env::new();
    env.import_seeds();
    let server = Server::start(&env);
    (env, server)
}

fn id(env: &Env, sql: &str) -> i64 {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn text(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn sense_2(env: &Env) -> i64 {
    id(
        env,
        "SELECT s.id FROM senses s JOIN terms t ON t.id = s.term_id
         WHERE t.term = 'Producer' AND s.sense_number = 2",
    )
}

/// Opens `path` in `browser` and returns the page (which must be there).
fn open(browser: &mut Browser, path: &str) -> Response {
    let page = browser.get(path);
    assert_eq!(page.status, 200, "{path}: {}", page.text());
    page
}

/// POSTs `page`'s form for one field of entry `id` of `kind`: the text
/// typed, and the text the form was opened with.
fn save_field(
    b: &mut Browser,
    page: &Response,
    kind: &str,
    id: i64,
    field: &str,
    text: &str,
    was: &str,
) -> Response {
    let was_field = format!("was.{field}");
    b.post(
        "/save",
        &[
            ("csrf", &page.csrf()),
            ("kind", kind),
            ("id", &id.to_string()),
            (field, text),
            (&was_field, was),
        ],
    )
}

fn location(r: &Response) -> &str {
    assert_eq!(r.status, 303, "not a redirect: {}", r.text());
    r.header("location").unwrap()
}

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
fn a_form_without_this_browsers_token_changes_nothing() {
    let (env, server) = seeded();
    let id = sense_2(&env).to_string();
    let before = env.count("SELECT count(*) FROM changes");
    let fields = |token: &'static str| {
        vec![
            ("csrf", token),
            ("kind", "sense"),
            ("id", id.as_str()),
            ("definition", "hijacked"),
            ("was.definition", "x"),
        ]
    };
    // No cookie at all (a cross-site form), a made-up token, and a real
    // token of another browser.
    let mut stranger = server.browser();
    let r = stranger.post("/save", &fields(""));
    assert_eq!(r.status, 403);
    assert!(r.text().contains("security token"));
    let mut b = server.browser();
    open(&mut b, "/new");
    let r = b.post(
        "/save",
        &fields("0000000000000000000000000000000000000000000000000000000000000000"),
    );
    assert_eq!(r.status, 403);
    let mut other = server.browser();
    let theirs = open(&mut other, "/new").csrf();
    let theirs: &'static str = Box::leak(theirs.into_boxed_str());
    assert_eq!(b.post("/save", &fields(theirs)).status, 403);
    // Missing entirely, on every kind of POST.
    for path in [
        "/save",
        "/add",
        "/remove",
        "/move",
        "/status",
        "/new/term",
        "/history/1/undo",
        "/import/apply",
    ] {
        assert_eq!(b.post(path, &[("kind", "faq")]).status, 403, "{path}");
    }
    assert_eq!(env.count("SELECT count(*) FROM changes"), before);
}

#[test]
fn saving_a_sense_changes_it_and_files_one_change() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, "/term/producer");
    let id = sense_2(&env);
    let was = page.hidden("sense", id, "was.definition");
    assert_eq!(
        was,
        "A person who oversees the production of a film, show, or music."
    );
    let r = b.post(
        "/save",
        &[
            ("csrf", &page.csrf()),
            ("kind", "sense"),
            ("id", &id.to_string()),
            ("domain", "entertainment"),
            ("was.domain", "entertainment"),
            // A browser sends a textarea's line breaks as CRLF.
            (
                "definition",
                "Someone who oversees a film,\r\nshow, or album.",
            ),
            ("was.definition", &was),
        ],
    );
    let to = location(&r);
    assert!(to.starts_with("/term/Producer?change="), "{to}");
    assert!(to.ends_with("#sense-2"), "{to}");
    assert_eq!(
        text(
            &env,
            &format!("SELECT definition FROM senses WHERE id = {id}")
        ),
        "Someone who oversees a film,\nshow, or album."
    );
    let (author, command): (String, String) = env
        .conn()
        .query_row(
            "SELECT author, command FROM changes ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(author, "web tester");
    assert_eq!(command, "serve: edit sense \"Producer\" 2");
    // The page it goes to says so, with Undo.
    let shown = open(&mut b, to.split('#').next().unwrap());
    assert!(shown.text().contains("Saved: "), "{}", shown.text());
    assert!(shown.text().contains("Undo"));
}

#[test]
fn a_second_save_of_the_same_field_is_a_conflict_with_both_texts() {
    let (env, server) = seeded();
    let id = sense_2(&env);
    let mut alice = server.browser();
    let mut bob = server.browser();
    let a_page = open(&mut alice, "/term/producer");
    let b_page = open(&mut bob, "/term/producer");
    let was = a_page.hidden("sense", id, "was.definition");
    let save = |b: &mut Browser, page: &Response, domain: &str, definition: &str| {
        b.post(
            "/save",
            &[
                ("csrf", &page.csrf()),
                ("kind", "sense"),
                ("id", &id.to_string()),
                ("domain", domain),
                ("was.domain", "entertainment"),
                ("definition", definition),
                ("was.definition", &was),
            ],
        )
    };
    location(&save(
        &mut alice,
        &a_page,
        "entertainment",
        "Alice's definition.",
    ));
    let r = save(
        &mut bob,
        &b_page,
        "entertainment",
        "Bob's definition <b>bold</b>.",
    );
    assert_eq!(r.status, 409, "{}", r.text());
    let page = r.text();
    // Bob's text (escaped), Alice's saved text and the start, side by side.
    assert!(
        page.contains("Bob&#39;s definition &lt;b&gt;bold&lt;/b&gt;."),
        "{page}"
    );
    assert!(page.contains("Alice&#39;s definition."));
    assert!(page.contains("A person who oversees the production"));
    assert_eq!(
        text(
            &env,
            &format!("SELECT definition FROM senses WHERE id = {id}")
        ),
        "Alice's definition."
    );
    // The merge form saves Bob's merged text over Alice's.
    let merged_was = r.hidden("sense", id, "was.definition");
    assert_eq!(merged_was, "Alice's definition.");
    let r = bob.post(
        "/save",
        &[
            ("csrf", &b_page.csrf()),
            ("kind", "sense"),
            ("id", &id.to_string()),
            ("definition", "Alice's and Bob's definition."),
            ("was.definition", &merged_was),
            ("domain", "entertainment"),
            ("was.domain", "entertainment"),
        ],
    );
    location(&r);
    assert_eq!(
        text(
            &env,
            &format!("SELECT definition FROM senses WHERE id = {id}")
        ),
        "Alice's and Bob's definition."
    );
}

#[test]
fn two_people_changing_different_fields_both_keep_their_work() {
    let (env, server) = seeded();
    let id = sense_2(&env);
    let mut alice = server.browser();
    let mut bob = server.browser();
    let a_page = open(&mut alice, "/term/producer");
    let b_page = open(&mut bob, "/term/producer");
    let was = a_page.hidden("sense", id, "was.definition");
    let sid = id.to_string();
    location(&alice.post(
        "/save",
        &[
            ("csrf", &a_page.csrf()),
            ("kind", "sense"),
            ("id", &sid),
            ("domain", "film"),
            ("was.domain", "entertainment"),
            ("definition", &was),
            ("was.definition", &was),
        ],
    ));
    location(&bob.post(
        "/save",
        &[
            ("csrf", &b_page.csrf()),
            ("kind", "sense"),
            ("id", &sid),
            ("domain", "entertainment"),
            ("was.domain", "entertainment"),
            ("definition", "Bob's."),
            ("was.definition", &was),
        ],
    ));
    let (domain, definition): (String, String) = env
        .conn()
        .query_row(
            &format!("SELECT domain, definition FROM senses WHERE id = {id}"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((domain.as_str(), definition.as_str()), ("film", "Bob's."));
}

#[test]
fn a_refused_save_shows_the_message_by_the_field_and_keeps_what_was_typed() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, ARTICLE);
    let cid = id(
        &env,
        &format!("SELECT id FROM comparisons WHERE slug = '{SLUG}'"),
    );
    let before = env.count("SELECT count(*) FROM changes");
    let r = b.post(
        "/save",
        &[
            ("csrf", &page.csrf()),
            ("kind", "comparison"),
            ("id", &cid.to_string()),
            ("title", "My new title, typed with care"),
            ("was.title", &page.hidden("comparison", cid, "was.title")),
            ("published", "2023-02-30"),
            ("was.published", "2023-12-02"),
        ],
    );
    assert_eq!(r.status, 422);
    let html = r.text();
    assert!(
        html.contains("My new title, typed with care"),
        "typed text lost"
    );
    assert!(html.contains("value=\"2023-02-30\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        html.contains("not a real date") || html.contains("2023-02-30"),
        "{html}"
    );
    assert_eq!(env.count("SELECT count(*) FROM changes"), before);
    // Blank required text: the CLI's words.
    let fid = id(&env, "SELECT id FROM faqs ORDER BY id LIMIT 1");
    let r = save_field(
        &mut b,
        &page,
        "faq",
        fid,
        "question",
        "   ",
        &page.hidden("faq", fid, "was.question"),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.text().contains("question must not be empty") || r.text().contains("question"),
        "{}",
        r.text()
    );
}

#[test]
fn faqs_are_added_moved_removed_and_the_removal_undone() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, ARTICLE);
    let cid = id(
        &env,
        &format!("SELECT id FROM comparisons WHERE slug = '{SLUG}'"),
    )
    .to_string();
    let csrf = page.csrf();
    let count = || env.count("SELECT count(*) FROM faqs");
    let n = count();
    let r = b.post(
        "/add",
        &[
            ("csrf", &csrf),
            ("kind", "faq"),
            ("parent", &cid),
            ("question", "Can one person be both?"),
            ("answer", "Yes, on small productions."),
        ],
    );
    assert!(location(&r).ends_with(&format!("#faq-{}", n + 1)));
    assert_eq!(count(), n + 1);
    let new_id = id(
        &env,
        "SELECT id FROM faqs WHERE question = 'Can one person be both?'",
    );
    let position = || env.count(&format!("SELECT position FROM faqs WHERE id = {new_id}"));
    assert_eq!(position(), n + 1);
    location(&b.post(
        "/move",
        &[
            ("csrf", &csrf),
            ("kind", "faq"),
            ("id", &new_id.to_string()),
            ("to", "up"),
        ],
    ));
    assert_eq!(position(), n);
    // A question that is there already: the CLI's rule, 422, text kept.
    let r = b.post(
        "/add",
        &[
            ("csrf", &csrf),
            ("kind", "faq"),
            ("parent", &cid),
            ("question", "Can one person be both?"),
            ("answer", "Again"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("already has the question"));
    assert!(r.text().contains(">Again</textarea>"));
    // Remove, then undo from the page it lands on.
    let before = env.conn().query_row("SELECT group_concat(question, '|') FROM (SELECT question FROM faqs ORDER BY comparison_id, position)", [], |r| r.get::<_, String>(0)).unwrap();
    let to = location(&b.post(
        "/remove",
        &[
            ("csrf", &csrf),
            ("kind", "faq"),
            ("id", &new_id.to_string()),
        ],
    ))
    .to_string();
    assert_eq!(count(), n);
    let landed = open(&mut b, &to);
    let change: i64 = to.split("change=").nth(1).unwrap().parse().unwrap();
    assert!(landed.text().contains(&format!("/history/{change}/undo")));
    let r = b.post(&format!("/history/{change}/undo"), &[("csrf", &csrf)]);
    let undone = location(&r).to_string();
    assert!(undone.starts_with("/history/"));
    assert_eq!(count(), n + 1);
    let after = env.conn().query_row("SELECT group_concat(question, '|') FROM (SELECT question FROM faqs ORDER BY comparison_id, position)", [], |r| r.get::<_, String>(0)).unwrap();
    assert_eq!(before, after);
    assert!(open(&mut b, &undone).text().contains("revert"));
}

#[test]
fn an_undo_that_a_later_change_blocks_is_refused_with_the_reason() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, "/term/producer");
    let sid = sense_2(&env);
    let was = page.hidden("sense", sid, "was.definition");
    let save = |b: &mut Browser, text: &str, was: &str| {
        let to = location(&save_field(b, &page, "sense", sid, "definition", text, was)).to_string();
        to.split("change=")
            .nth(1)
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .parse::<i64>()
            .unwrap()
    };
    let first = save(&mut b, "First.", &was);
    save(&mut b, "Second.", "First.");
    let r = b.post(&format!("/history/{first}/undo"), &[("csrf", &page.csrf())]);
    assert_eq!(r.status, 409);
    assert!(
        r.text().contains("changed the same entries since"),
        "{}",
        r.text()
    );
    assert_eq!(
        text(
            &env,
            &format!("SELECT definition FROM senses WHERE id = {sid}")
        ),
        "Second."
    );
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
fn publishing_follows_the_rules_of_publish() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let csrf = open(&mut b, "/new").csrf();
    for (name, _) in [("Director", ()), ("Showrunner", ())] {
        location(&b.post(
            "/new/term",
            &[
                ("csrf", &csrf),
                ("term", name),
                ("part_of_speech", "noun"),
                ("note", ""),
            ],
        ));
    }
    let r = b.post(
        "/new/comparison",
        &[
            ("csrf", &csrf),
            ("left", "Director"),
            ("right", "Showrunner"),
            ("slug", ""),
            ("title", ""),
            ("summary", "A summary."),
            ("published", "2024-01-05"),
        ],
    );
    assert_eq!(
        location(&r).split('?').next().unwrap(),
        "/compare/director-vs-showrunner"
    );
    let cid = id(
        &env,
        "SELECT id FROM comparisons WHERE slug = 'director-vs-showrunner'",
    )
    .to_string();
    // Its terms are drafts: refused, with the CLI's reason and way out.
    let r = b.post(
        "/status",
        &[
            ("csrf", &csrf),
            ("kind", "comparison"),
            ("id", &cid),
            ("to", "published"),
        ],
    );
    assert_eq!(r.status, 409);
    assert!(r.text().contains("draft"), "{}", r.text());
    assert_eq!(
        text(
            &env,
            "SELECT status FROM comparisons WHERE slug = 'director-vs-showrunner'"
        ),
        "draft"
    );
    // With its terms, it goes (it has no content: forced).
    let r = b.post(
        "/status",
        &[
            ("csrf", &csrf),
            ("kind", "comparison"),
            ("id", &cid),
            ("to", "published"),
            ("with_terms", "on"),
            ("force", "on"),
        ],
    );
    location(&r);
    assert_eq!(
        text(
            &env,
            "SELECT status FROM comparisons WHERE slug = 'director-vs-showrunner'"
        ),
        "published"
    );
    assert_eq!(env.count("SELECT count(*) FROM terms WHERE term IN ('Director', 'Showrunner') AND status = 'published'"), 2);
    // A new comparison of a term that is not there: 422, the form kept.
    let r = b.post(
        "/new/comparison",
        &[
            ("csrf", &csrf),
            ("left", "Directr"),
            ("right", "Showrunner"),
            ("summary", "Kept summary"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("unknown term &quot;Directr&quot;"));
    assert!(r.text().contains("Kept summary"));
}

#[test]
fn a_form_for_an_entry_removed_meanwhile_keeps_the_text() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, ARTICLE);
    let fid = id(&env, "SELECT id FROM faqs ORDER BY id LIMIT 1");
    let was = page.hidden("faq", fid, "was.question");
    env.cmd()
        .args(["remove", "faq", SLUG, "1", "--yes"])
        .assert()
        .success();
    let r = save_field(
        &mut b,
        &page,
        "faq",
        fid,
        "question",
        "My careful rewrite",
        &was,
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("My careful rewrite"));
    assert!(r.text().contains("no longer there"));
}

#[test]
fn an_upload_is_checked_then_applied() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let csrf = open(&mut b, "/import").csrf();
    let terms = "term,part_of_speech,note,status\nProducer,noun,Changed by upload,published\nGaffer,noun,,draft\n";
    let r = b.upload(
        &csrf,
        &[
            ("../../etc/terms.csv", terms.as_bytes()),
            ("notes.txt", b"hello"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("Gaffer") && html.contains("Changed by upload"),
        "{html}"
    );
    assert!(html.contains("notes.txt"), "ignored files are named");
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term = 'Gaffer'"),
        0,
        "a dry run writes nothing"
    );
    let token = r.field("token").unwrap();
    let r = b.post("/import/apply", &[("csrf", &csrf), ("token", &token)]);
    assert!(location(&r).starts_with("/history/"));
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term = 'Gaffer'"),
        1
    );
    // Applied once only.
    assert_eq!(
        b.post("/import/apply", &[("csrf", &csrf), ("token", &token)])
            .status,
        422
    );
    // Nothing was written outside the upload's temp dir.
    assert!(!env.dir.path().join("etc").exists());
}

#[test]
fn a_bad_upload_says_where_and_writes_nothing() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let csrf = open(&mut b, "/import").csrf();
    let senses = "term,sense,domain,definition\nProducer,8,,Fine\nprodcer,1,,Typo\n";
    let r = b.upload(&csrf, &[("senses.csv", senses.as_bytes())]);
    assert_eq!(r.status, 422);
    assert!(
        r.text()
            .contains("senses.csv:3: unknown term &quot;prodcer&quot;"),
        "{}",
        r.text()
    );
    // Nothing glossary imports.
    let r = b.upload(&csrf, &[("x.txt", b"x")]);
    assert_eq!(r.status, 422);
    // No token, or a token after the files.
    let r = b.post_multipart(
        "/import",
        &[
            ("files", "senses.csv", senses.as_bytes()),
            ("csrf", "", csrf.as_bytes()),
        ],
    );
    assert_eq!(r.status, 403);
    // Too big: refused before it is read whole.
    let big = vec![b'a'; 65 << 20];
    let r = b.upload(&csrf, &[("terms.csv", &big)]);
    assert_eq!(r.status, 413);
    // A form over the form limit.
    let long = "x".repeat(2 << 20);
    let r = b.post(
        "/save",
        &[
            ("csrf", &csrf),
            ("kind", "faq"),
            ("id", "1"),
            ("answer", &long),
        ],
    );
    assert_eq!(r.status, 413);
    assert_eq!(
        env.count("SELECT count(*) FROM senses WHERE definition = 'Fine'"),
        0
    );
}

#[test]
fn a_zip_of_a_seed_directory_imports_and_the_export_downloads() {
    let env = Env::new();
    env.cmd().arg("init").assert().success();
    let server = Server::start(&env);
    let mut b = server.browser();
    let csrf = open(&mut b, "/import").csrf();
    // The export of a seeded glossary, as a zip, is an upload.
    let seeded = Env::new();
    seeded.import_seeds();
    let source = Server::start(&seeded);
    let zip = source.browser().get("/export.zip");
    assert_eq!(zip.status, 200);
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    assert!(zip.body.starts_with(b"PK"));
    let r = b.upload(&csrf, &[("seeds.zip", &zip.body)]);
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.field("token").unwrap();
    location(&b.post("/import/apply", &[("csrf", &csrf), ("token", &token)]));
    assert_eq!(
        env.count("SELECT count(*) FROM faqs"),
        seeded.count("SELECT count(*) FROM faqs")
    );
    // A zip that is not one.
    let r = b.upload(&csrf, &[("bad.zip", b"PK not really")]);
    assert_eq!(r.status, 422);
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
fn edits_in_the_browser_and_the_cli_meet_in_one_history() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, "/term/producer");
    let sid = sense_2(&env);
    let was = page.hidden("sense", sid, "was.definition");
    location(&save_field(
        &mut b,
        &page,
        "sense",
        sid,
        "definition",
        "From the web.",
        &was,
    ));
    env.cmd()
        .args(["edit", "sense", "producer", "2", "--set", "domain=film"])
        .assert()
        .success();
    let history = env.json(&["history", "sense", "producer", "2", "--format", "json"]);
    let commands: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert!(
        commands.iter().any(|c| c.starts_with("serve: edit sense")),
        "{commands:?}"
    );
    assert!(
        commands.iter().any(|c| c.starts_with("edit sense")),
        "{commands:?}"
    );
    let html = open(&mut b, "/history?term=producer").text();
    assert!(
        html.contains("serve: edit sense &quot;Producer&quot; 2"),
        "{html}"
    );
    assert!(html.contains("edit sense producer 2"));
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
fn forms_the_editor_did_not_make_are_refused_and_change_nothing() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let csrf = open(&mut b, "/new").csrf();
    let before = env.count("SELECT count(*) FROM changes");
    let sid = sense_2(&env).to_string();
    for (path, fields) in [
        ("/save", vec![("kind", "bogus"), ("id", "1")]),
        ("/save", vec![("kind", "sense"), ("id", "abc")]),
        (
            "/save",
            vec![
                ("kind", "sense"),
                ("id", "999999"),
                ("definition", "x"),
                ("was.definition", "y"),
            ],
        ),
        (
            "/move",
            vec![("kind", "sense"), ("id", sid.as_str()), ("to", "sideways")],
        ),
        ("/move", vec![("kind", "term"), ("id", "1"), ("to", "up")]),
        (
            "/status",
            vec![("kind", "faq"), ("id", "1"), ("to", "published")],
        ),
        (
            "/status",
            vec![("kind", "term"), ("id", "1"), ("to", "maybe")],
        ),
        ("/add", vec![("kind", "term"), ("parent", "1")]),
        (
            "/add",
            vec![
                ("kind", "faq"),
                ("parent", "999999"),
                ("question", "Q"),
                ("answer", "A"),
            ],
        ),
        ("/remove", vec![("kind", "faq"), ("id", "999999")]),
        ("/history/999999/undo", vec![]),
        ("/import/apply", vec![("token", "not-a-token")]),
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields.iter().copied());
        let r = b.post(path, &all);
        assert!(
            (400..500).contains(&r.status),
            "{path} {fields:?}: {}",
            r.status
        );
        assert!(r.text().contains("role=\"alert\""), "{path}: no message");
    }
    // A body that is not a form at all.
    let r = b.send(
        "POST",
        "/save",
        Some(("application/json", b"{\"kind\":\"faq\"}".to_vec())),
        &[],
    );
    assert!((400..500).contains(&r.status), "{}", r.status);
    assert_eq!(env.count("SELECT count(*) FROM changes"), before);
}

#[test]
fn a_save_while_another_program_writes_says_busy_and_keeps_nothing_half_done() {
    let env = Env::new();
    env.import_seeds();
    let server = Server::start_with(&env, &[("GLOSSARY_BUSY_TIMEOUT", "200")]);
    let mut b = server.browser();
    let page = open(&mut b, "/term/producer");
    let sid = sense_2(&env);
    let was = page.hidden("sense", sid, "was.definition");
    // Another program holds the write lock.
    let other = env.conn();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = save_field(
        &mut b,
        &page,
        "sense",
        sid,
        "definition",
        "Typed while busy.",
        &was,
    );
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.text().contains("busy"));
    // Reading goes on meanwhile.
    assert_eq!(b.get("/term/producer").status, 200);
    other.execute_batch("ROLLBACK").unwrap();
    // The same form, sent again, saves.
    let r = save_field(
        &mut b,
        &page,
        "sense",
        sid,
        "definition",
        "Typed while busy.",
        &was,
    );
    location(&r);
    assert_eq!(
        text(
            &env,
            &format!("SELECT definition FROM senses WHERE id = {sid}")
        ),
        "Typed while busy."
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
