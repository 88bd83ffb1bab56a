//! The editor's forms: saves filed as changes, conflicts with both texts
//! kept, refused saves that keep what was typed, undo, publishing, and
//! forms the editor did not make.

use crate::setup::{id, location, open, save_field, seeded, sense_2, text};
use crate::util::{ARTICLE, SLUG};
use crate::webclient::Browser;

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
    assert_eq!(r.status, 422, "{}", r.text());
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
fn a_terms_variants_are_added_changed_and_refused_on_its_page() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, "/term/Executive%20Producer");
    let html = page.text();
    assert!(
        html.contains("<h2 id=\"variants-h\">Variants</h2>"),
        "{html}"
    );
    // The type is picked from the list the schema allows, the stored one selected.
    assert!(
        html.contains("<option selected>abbreviation</option><option>spelling</option>"),
        "{html}"
    );
    let term = id(
        &env,
        "SELECT id FROM terms WHERE term = 'Executive Producer'",
    )
    .to_string();
    let csrf = page.csrf();
    let count = || env.count("SELECT count(*) FROM variants");
    let n = count();
    let r = b.post(
        "/add",
        &[
            ("csrf", &csrf),
            ("kind", "variant"),
            ("parent", &term),
            ("variant", "E.P."),
            ("type", "abbreviation"),
        ],
    );
    let new_id = id(&env, "SELECT id FROM variants WHERE variant = 'E.P.'");
    assert!(
        location(&r).ends_with(&format!("#variant-{new_id}")),
        "{}",
        location(&r)
    );
    assert_eq!(count(), n + 1);
    // A term's name is no variant: refused with the rule, what was typed kept.
    let r = b.post(
        "/add",
        &[
            ("csrf", &csrf),
            ("kind", "variant"),
            ("parent", &term),
            ("variant", "PRODUCER"),
            ("type", "spelling"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.text()
            .contains("is the term &quot;Producer&quot; already"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"PRODUCER\""), "{}", r.text());
    assert_eq!(count(), n + 1);
    // Changed as any entry is, and the change filed.
    let r = b.post(
        "/save",
        &[
            ("csrf", &csrf),
            ("kind", "variant"),
            ("id", &new_id.to_string()),
            ("variant", "E. P."),
            ("was.variant", "E.P."),
            ("type", "spelling"),
            ("was.type", "abbreviation"),
        ],
    );
    location(&r);
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM variants WHERE id = {new_id} AND variant = 'E. P.' AND type = 'spelling'"
        )),
        1
    );
    let json = env.json(&["query", "--term", "e. p.", "--format", "json"]);
    assert_eq!(json["term"], "Executive Producer");
}

#[test]
fn relations_are_added_on_a_terms_page_and_shown_on_the_others() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, "/term/Executive%20Producer");
    assert!(page
        .text()
        .contains("<h2 id=\"relations-h\">Relations</h2>"));
    let term = id(
        &env,
        "SELECT id FROM terms WHERE term = 'Executive Producer'",
    )
    .to_string();
    let csrf = page.csrf();
    let add = |b: &mut crate::webclient::Browser, target: &str, relation: &str| {
        b.post(
            "/add",
            &[
                ("csrf", &csrf),
                ("kind", "relation"),
                ("parent", &term),
                ("sense", "1"),
                ("relation", relation),
                ("target", target),
                ("target_sense", "2"),
            ],
        )
    };
    // A typo in the target: refused with a suggestion, the text kept.
    let r = add(&mut b, "Prodcer", "broader");
    assert_eq!(r.status, 422);
    assert!(
        r.text().contains("did you mean &quot;Producer&quot;?"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"Prodcer\""), "{}", r.text());
    assert_eq!(env.count("SELECT count(*) FROM relations"), 0);
    let r = add(&mut b, "Producer", "broader");
    let new_id = id(&env, "SELECT id FROM relations");
    assert!(
        location(&r).ends_with(&format!("#relation-{new_id}")),
        "{}",
        location(&r)
    );
    // Its own page has its form, the type picked from the list; the other
    // term's page shows it from there, with the inverse.
    let page = open(&mut b, "/term/Executive%20Producer");
    assert!(
        page.text().contains("<option selected>broader</option>"),
        "{}",
        page.text()
    );
    let other = open(&mut b, "/term/Producer");
    assert!(
        other.text().contains("Sense 2: narrower <a href=\"/term/Executive%20Producer\">Executive Producer</a> (sense 1)"),
        "{}",
        other.text()
    );
    // The reverse from the other end would be a second relation of the pair.
    let r = b.post(
        "/add",
        &[
            ("csrf", &csrf),
            ("kind", "relation"),
            (
                "parent",
                &id(&env, "SELECT id FROM terms WHERE term = 'Producer'").to_string(),
            ),
            ("sense", "2"),
            ("relation", "related"),
            ("target", "Executive Producer"),
            ("target_sense", "1"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("are related already"), "{}", r.text());
    assert_eq!(env.count("SELECT count(*) FROM relations"), 1);
}
