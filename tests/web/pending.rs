//! The editor and pending versions: an editor changes a published article
//! without readers seeing it, the publisher sees the version and publishes
//! it, as one change naming who wrote it.

use crate::setup::{comparison, faq, location, open, sign_in, team_env, text};
use crate::util::{stdout, Env, SLUG};
use crate::webclient::{Response, Server};

/// What readers get of the article: its Markdown, as `render` makes it.
fn readers_see(env: &Env) -> String {
    stdout(&env.output(&["query", "--comparison", SLUG, "--format", "markdown"]))
}

/// The id and key of the form of the row a pending version adds, whose
/// question is `question`.
fn added_row(page: &Response, question: &str) -> (String, String) {
    let html = page.text();
    let at = html.find(question).expect("the added FAQ is on the page");
    let form = &html[html[..at].rfind("<form").unwrap()..at];
    let value = |name: &str| {
        let key = format!("name=\"{name}\" value=\"");
        let rest = &form[form
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} in {form}"))
            + key.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    (value("id"), value("key"))
}

#[test]
fn an_editor_fixes_a_live_article_in_a_pending_version_and_a_publisher_publishes_it() {
    let env = team_env();
    let server = Server::start(&env);
    let before = readers_see(&env);
    let changes = env.count("SELECT count(*) FROM changes");
    let cid = comparison(&env, SLUG);
    let first = faq(&env, SLUG, 1);
    let live_answer = text(&env, &format!("SELECT answer FROM faqs WHERE id = {first}"));

    let mut ana = sign_in(&server, "ana");
    let page = open(&mut ana, &format!("/compare/{SLUG}"));
    assert!(page
        .text()
        .contains("You are looking at the pending version"));
    assert_eq!(page.hidden("faq", first, "version"), "pending");
    assert_eq!(page.hidden("faq", first, "owner"), cid);
    let r = ana.post(
        "/save",
        &[
            ("csrf", &page.csrf()),
            ("kind", "faq"),
            ("id", &first.to_string()),
            ("answer", "Fixed on the web."),
            ("was.answer", &page.hidden("faq", first, "was.answer")),
            ("version", "pending"),
            ("owner", &cid),
        ],
    );
    assert!(
        location(&r).contains("?version=pending&saved=1"),
        "{}",
        location(&r)
    );
    // A FAQ added to the version, then changed by its key there.
    let r = ana.post(
        "/add",
        &[
            ("csrf", &page.csrf()),
            ("kind", "faq"),
            ("parent", &cid),
            ("question", "Added while live?"),
            ("answer", "Not yet."),
            ("version", "pending"),
            ("owner", &cid),
        ],
    );
    location(&r);
    let page = open(&mut ana, &format!("/compare/{SLUG}?version=pending"));
    let (id, key) = added_row(&page, "Added while live?");
    assert!(key.starts_with('-'), "{key}");
    let r = ana.post(
        "/save",
        &[
            ("csrf", &page.csrf()),
            ("kind", "faq"),
            ("id", &id),
            ("key", &key),
            ("answer", "Yes, once published."),
            ("was.answer", "Not yet."),
            ("version", "pending"),
            ("owner", &cid),
        ],
    );
    location(&r);

    // Readers see nothing of it; no change of the content was filed.
    assert_eq!(readers_see(&env), before);
    assert_eq!(env.count("SELECT count(*) FROM changes"), changes);
    assert_eq!(
        text(&env, &format!("SELECT answer FROM faqs WHERE id = {first}")),
        live_answer
    );
    // The live version's page says there are pending changes.
    let live = open(&mut ana, &format!("/compare/{SLUG}?version=live"));
    assert!(live.text().contains("Show it with its pending changes"));

    // A save from a form opened before another save of the same field:
    // the merge page, nothing lost.
    let r = ana.post(
        "/save",
        &[
            ("csrf", &page.csrf()),
            ("kind", "faq"),
            ("id", &first.to_string()),
            ("answer", "A stale form's answer."),
            ("was.answer", &live_answer),
            ("version", "pending"),
            ("owner", &cid),
        ],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(
        r.text().contains("A stale form&#39;s answer.")
            || r.text().contains("A stale form's answer.")
    );

    // The publisher sees the version, its preview, and publishes it.
    let mut pia = sign_in(&server, "pia");
    let page = open(&mut pia, &format!("/compare/{SLUG}"));
    assert!(page.text().contains("Publish the pending changes"));
    assert!(page.text().contains("Yes, once published."));
    let preview = open(
        &mut pia,
        &format!("/compare/{SLUG}/preview?version=pending"),
    );
    assert!(preview.text().contains("Added while live?"));
    assert!(preview.text().contains("Fixed on the web."));
    let preview = open(&mut pia, &format!("/compare/{SLUG}/preview"));
    assert!(!preview.text().contains("Added while live?"));
    let r = pia.post(
        "/pending/publish",
        &[("csrf", &page.csrf()), ("kind", "comparison"), ("id", &cid)],
    );
    assert!(location(&r).contains("?change="), "{}", location(&r));
    assert_eq!(
        text(&env, &format!("SELECT answer FROM faqs WHERE id = {first}")),
        "Fixed on the web."
    );
    assert!(readers_see(&env).contains("Yes, once published."));
    let (author, written_by): (String, String) = env
        .conn()
        .query_row(
            "SELECT author, written_by FROM changes ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((author.as_str(), written_by.as_str()), ("pia", "ana"));
    assert_eq!(env.count("SELECT count(*) FROM pending_versions"), 0);
}

#[test]
fn a_pending_version_changed_live_as_well_shows_both_sides_and_refuses_to_publish() {
    let env = team_env();
    env.run_all(&[
        &[
            "edit",
            "faq",
            SLUG,
            "1",
            "--pending",
            "--set",
            "answer=Pending side.",
        ],
        &["edit", "faq", SLUG, "1", "--set", "answer=Live side."],
    ]);
    let server = Server::start(&env);
    let mut pia = sign_in(&server, "pia");
    let page = open(&mut pia, &format!("/compare/{SLUG}"));
    let html = page.text();
    assert!(html.contains("Changed live as well"), "{html}");
    assert!(html.contains("Live side.") && html.contains("Pending side."));
    let cid = comparison(&env, SLUG);
    let r = pia.post(
        "/pending/publish",
        &[("csrf", &page.csrf()), ("kind", "comparison"), ("id", &cid)],
    );
    assert_ne!(r.status, 303);
    assert!(
        r.text().contains("answer was changed live as well"),
        "{}",
        r.text()
    );
    assert_eq!(
        text(
            &env,
            &format!("SELECT answer FROM faqs WHERE id = {}", faq(&env, SLUG, 1))
        ),
        "Live side."
    );
    // The banner's merge form: keeping the pending text as it is
    // settles the conflict, and the version publishes.
    let fid = faq(&env, SLUG, 1).to_string();
    assert!(
        html.contains(&format!("id=\"settle-faq-{fid}-answer\"")),
        "{html}"
    );
    let r = pia.post(
        "/save",
        &[
            ("csrf", &page.csrf()),
            ("kind", "faq"),
            ("id", &fid),
            ("version", "pending"),
            ("owner", &cid),
            ("answer", "Pending side."),
            ("was.answer", "Pending side."),
            ("settle.answer", "1"),
        ],
    );
    location(&r);
    let page = open(&mut pia, &format!("/compare/{SLUG}?version=pending"));
    assert!(
        !page.text().contains("Changed live as well"),
        "{}",
        page.text()
    );
    // Discarding keeps live.
    let r = pia.post(
        "/pending/discard",
        &[("csrf", &page.csrf()), ("kind", "comparison"), ("id", &cid)],
    );
    assert!(location(&r).ends_with("?version=live"));
    assert_eq!(env.count("SELECT count(*) FROM pending_versions"), 0);
}

#[test]
fn the_review_queue_shows_a_pending_version_against_live_and_approves_what_was_shown() {
    let env = team_env();
    env.run_all(&[
        &[
            "--author",
            "ana",
            "edit",
            "faq",
            SLUG,
            "1",
            "--pending",
            "--set",
            "answer=For review.",
        ],
        &["--author", "ana", "review", "ready", SLUG],
    ]);
    let server = Server::start(&env);
    let mut pia = sign_in(&server, "pia");
    let queue = open(&mut pia, "/review");
    let html = queue.text();
    assert!(
        html.contains("Pending changes, against the live version"),
        "{html}"
    );
    assert!(html.contains("<ins>For review.</ins>"), "{html}");
    let revision = queue
        .field("pending")
        .expect("the approval names the revision");
    let version = queue.field("version").unwrap();
    let cid = comparison(&env, SLUG);
    // Saved again after the queue showed it: the approval is refused.
    env.pending_answer("editor", 1, "Changed after.");
    let decide = |pia: &mut crate::webclient::Browser, revision: &str| {
        pia.post(
            "/review/decide",
            &[
                ("csrf", &queue.csrf()),
                ("kind", "comparison"),
                ("id", &cid),
                ("decision", "approve"),
                ("version", &version),
                ("pending", revision),
            ],
        )
    };
    let r = decide(&mut pia, &revision);
    assert!(
        r.text()
            .contains("saved again after the review queue showed it"),
        "{}",
        r.text()
    );
    assert_eq!(env.count("SELECT count(*) FROM pending_versions"), 1);
    let queue = open(&mut pia, "/review");
    let r = decide(&mut pia, &queue.field("pending").unwrap());
    location(&r);
    assert_eq!(
        text(
            &env,
            &format!("SELECT answer FROM faqs WHERE id = {}", faq(&env, SLUG, 1))
        ),
        "Changed after."
    );
    assert_eq!(env.count("SELECT count(*) FROM reviews"), 0);
}
