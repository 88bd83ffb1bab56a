//! Review on the web: ready, sent back, published; an approval is for
//! the version the publisher saw.

use crate::setup::{comparison, post, sign_in, team_env, text};
use crate::util::{stderr, stdout, DRAFT, SLUG};
use crate::webclient::{Browser, Server};

#[test]
fn review_from_ready_to_sent_back_to_published_on_the_web_and_the_cli() {
    let env = team_env();
    let server = Server::start(&env);
    let mut ana = sign_in(&server, "ana");
    let mut pia = sign_in(&server, "pia");
    let draft = comparison(&env, DRAFT);
    let ready = |b: &mut Browser| {
        post(
            b,
            "/review/ready",
            &[("kind", "comparison"), ("id", &draft)],
        )
    };
    assert_eq!(ready(&mut ana).status, 303);
    let queue = pia.get("/review");
    assert!(
        queue.text().contains(DRAFT) && queue.text().contains("Never published"),
        "{}",
        queue.text()
    );
    assert!(queue.text().contains("Send back"));
    // The editor sees the queue, not the decisions.
    assert!(!ana.get("/review").text().contains("Send back"));
    let decide = |b: &mut Browser, decision: &str, comment: &str| {
        // The version the queue shows, as its forms carry it.
        let version = b.get("/review").field("version").unwrap_or("0".into());
        let fields = [
            ("kind", "comparison"),
            ("id", &draft),
            ("decision", decision),
            ("comment", comment),
            ("with_terms", "on"),
            ("version", &version),
        ];
        post(b, "/review/decide", &fields)
    };
    // Sending back needs a comment.
    assert_eq!(decide(&mut pia, "send back", "  ").status, 422);
    assert_eq!(
        decide(&mut pia, "send back", "Add a key difference & a row.").status,
        303
    );
    assert!(ana
        .get("/")
        .text()
        .contains("sent back by pia: “Add a key difference &amp; a row.”"));
    let page = ana.get(&format!("/compare/{DRAFT}"));
    assert!(
        page.text().contains("Sent back by pia")
            && page.text().contains("Add a key difference &amp; a row.")
    );
    // Approving what is not waiting is refused.
    assert_eq!(decide(&mut pia, "approve", "").status, 409);
    let out = env.output(&["review", "list", "--all"]);
    assert!(
        stdout(&out).contains("sent back by pia"),
        "{}",
        stdout(&out)
    );
    // Ready again from the CLI; published from the web, with publish's rules.
    env.cmd()
        .args(["--author", "ana", "review", "ready", DRAFT])
        .assert()
        .success();
    let r = decide(&mut pia, "approve", "");
    assert_eq!(r.status, 409, "no key differences yet: {}", r.text());
    assert!(r.text().contains("it has no summary"), "{}", r.text());
    for (kind, args) in [
        (
            "difference",
            vec!["add-difference", DRAFT, "One directs, one produces."],
        ),
        (
            "row",
            vec![
                "add-row", DRAFT, "--aspect", "Role", "--left", "Produces", "--right", "Directs",
            ],
        ),
    ] {
        let out = env.output(&args);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
    }
    env.cmd()
        .args([
            "edit",
            "comparison",
            DRAFT,
            "--set",
            "summary=Who does what.",
            "--set",
            "published=2026-11-01",
        ])
        .assert()
        .success();
    let r = decide(&mut pia, "approve", "");
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        text(
            &env,
            &format!("SELECT status FROM comparisons WHERE id = {draft}")
        ),
        "published"
    );
    assert_eq!(env.count("SELECT count(*) FROM reviews"), 0);
    assert_eq!(
        text(
            &env,
            "SELECT author || ': ' || command FROM changes ORDER BY id DESC LIMIT 1"
        ),
        format!("pia: serve: review approve {DRAFT}")
    );

    // Unpublished and changed: the queue shows the change, field by field.
    env.cmd().args(["unpublish", DRAFT]).assert().success();
    env.cmd()
        .args([
            "edit",
            "faq",
            DRAFT,
            "1",
            "--set",
            "answer=Whoever the studio says.",
        ])
        .assert()
        .success();
    let out = env.output(&["review", "ready", DRAFT]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.output(&["review", "list"]);
    let listed = stdout(&out);
    assert!(
        listed.contains(&format!("update faq {DRAFT} 1")),
        "{listed}"
    );
    assert!(
        listed.contains("answer: \"It depends.\" → \"Whoever the studio says.\""),
        "{listed}"
    );
    assert!(pia
        .get("/review")
        .text()
        .contains("Whoever the studio says."));
    // The CLI: reject needs a comment; unknown names are suggested.
    let out = env.output(&["review", "reject", DRAFT]);
    assert_eq!(out.status.code(), Some(2));
    let out = env.output(&["review", "approve", "producer-vs-directr"]);
    assert!(
        stderr(&out).contains("did you mean \"producer-vs-director\""),
        "{}",
        stderr(&out)
    );
    env.cmd()
        .args(["review", "reject", DRAFT, "--comment", "Too vague."])
        .assert()
        .success();
    env.cmd()
        .args(["review", "ready", DRAFT])
        .assert()
        .success();
    env.cmd()
        .args(["review", "approve", DRAFT])
        .assert()
        .success();
    let out = env.output(&["review", "list", "--format", "json"]);
    assert_eq!(stdout(&out).trim(), "[]");
    // Published entries are not reviewed, whoever asks (the schema says so).
    let out = env.output(&["review", "ready", SLUG]);
    assert!(stderr(&out).contains("it is published"), "{}", stderr(&out));
    let refused = env.conn().execute(
        &format!("INSERT INTO reviews (comparison_id, state, requested_by) SELECT id, 'ready', 'x' FROM comparisons WHERE slug = '{SLUG}'"),
        [],
    );
    assert!(refused.is_err());
}

#[test]
fn publishing_from_the_queue_publishes_only_what_the_publisher_saw() {
    use crate::setup::comparison;
    use crate::setup::post;
    use crate::util::DRAFT;
    let env = crate::setup::ready_for_review();
    let server = Server::start(&env);
    let mut pia = sign_in(&server, "pia");
    let queue = pia.get("/review");
    let version = queue
        .field("version")
        .expect("an approve form with its version");
    // Meanwhile an editor changes the draft.
    env.run_all(&[&[
        "--author",
        "ana",
        "add-faq",
        DRAFT,
        "--question",
        "Unseen?",
        "--answer",
        "Added after the queue was opened.",
    ]]);
    let id = comparison(&env, DRAFT);
    let approve = |b: &mut crate::webclient::Browser, version: &str| {
        post(
            b,
            "/review/decide",
            &[
                ("kind", "comparison"),
                ("id", &id),
                ("decision", "approve"),
                ("with_terms", "on"),
                ("version", version),
            ],
        )
    };
    let r = approve(&mut pia, &version);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(
        r.text()
            .contains("changed after the review queue showed it")
            && r.text().contains("add-faq"),
        "{}",
        r.text()
    );
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM comparisons WHERE slug = '{DRAFT}' AND status = 'published'"
        )),
        0
    );
    // Read again, it publishes.
    let version = pia.get("/review").field("version").unwrap();
    let r = approve(&mut pia, &version);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM comparisons WHERE slug = '{DRAFT}' AND status = 'published'"
        )),
        1
    );
}

#[test]
fn the_review_queue_shows_titles_and_offers_draft_terms_only_when_there_are_some() {
    use crate::setup::post;
    use crate::util::DRAFT;
    let env = crate::setup::ready_for_review();
    let server = crate::webclient::Server::start(&env);
    let mut pia = crate::setup::sign_in(&server, "pia");
    let queue = pia.get("/review").text();
    assert!(
        queue.contains("Producer vs. Director: What&#39;s the Difference?"),
        "{queue}"
    );
    assert!(
        queue.contains("and publish its draft term Director"),
        "{queue}"
    );
    let version = pia.get("/review").field("version").unwrap();
    let id = crate::setup::comparison(&env, DRAFT);
    let r = post(
        &mut pia,
        "/review/decide",
        &[
            ("kind", "comparison"),
            ("id", &id),
            ("decision", "approve"),
            ("version", &version),
        ],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("tick"), "{}", r.text());
    assert!(
        !r.text().contains("glossary publish"),
        "a CLI hint on the web: {}",
        r.text()
    );
    // An editor is "an editor".
    let mut ana = crate::setup::sign_in(&server, "ana");
    let r = post(
        &mut ana,
        "/review/decide",
        &[
            ("kind", "comparison"),
            ("id", &id),
            ("decision", "approve"),
            ("version", &version),
        ],
    );
    assert!(r.text().contains("ana, an editor"), "{}", r.text());
    // With the term published, no box is offered.
    env.run_all(&[&["publish", "--term", "Director"]]);
    let queue = pia.get("/review").text();
    assert!(!queue.contains("draft term"), "{queue}");
}
