//! Every role against every route: what each may see and change.

use crate::setup::{comparison, csrf, faq, id, post, save, sign_in, team_env, text};
use crate::util::{stderr, stdout, Env, DRAFT, PASSWORD, SLUG};
use crate::webclient::{Browser, Response, Server};

fn actions() -> Vec<Action> {
    let action = |what, needs, run| Action { what, needs, run };
    vec![
        action("read the dashboard", "editor", |b, _| b.get("/")),
        action("read an article's page", "editor", |b, _| {
            b.get(&format!("/compare/{SLUG}"))
        }),
        action("read the review queue", "editor", |b, _| b.get("/review")),
        action("read the history", "editor", |b, _| b.get("/history")),
        action("read a change", "editor", |b, _| b.get("/history/1")),
        action("list the terms", "editor", |b, _| b.get("/terms")),
        action("list the comparisons", "editor", |b, _| {
            b.get("/comparisons")
        }),
        action("search", "editor", |b, _| b.get("/search?q=budget")),
        action("read a term's page", "editor", |b, _| {
            b.get("/term/Producer")
        }),
        action("preview an article", "editor", |b, _| {
            b.get(&format!("/compare/{SLUG}/preview"))
        }),
        action("open the new-entry forms", "editor", |b, _| b.get("/new")),
        action("open import and export", "editor", |b, _| b.get("/import")),
        action("read their account", "editor", |b, _| b.get("/account")),
        action("start a new term", "editor", |b, _| {
            post(b, "/new/term", &[("term", "Cinematographer")])
        }),
        action("download the export", "editor", |b, _| b.get("/export.zip")),
        action("save a draft's FAQ", "editor", |b, env| {
            let id = faq(env, DRAFT, 1);
            save(b, id, "answer", "It depends on the project.", "It depends.")
        }),
        action("add a FAQ to a draft", "editor", |b, env| {
            add_faq(b, env, DRAFT)
        }),
        action("start a new article", "editor", |b, _| {
            post(
                b,
                "/new/comparison",
                &[("left", "Director"), ("right", "Executive Producer")],
            )
        }),
        action("move a draft's FAQ", "editor", |b, env| {
            let id = faq(env, DRAFT, 2).to_string();
            post(b, "/move", &[("kind", "faq"), ("id", &id), ("to", "up")])
        }),
        action("put a draft up for review", "editor", |b, env| {
            let id = comparison(env, DRAFT);
            post(b, "/review/ready", &[("kind", "comparison"), ("id", &id)])
        }),
        action("save a published FAQ", "publisher", |b, env| {
            let id = faq(env, SLUG, 1);
            let was = text(env, &format!("SELECT answer FROM faqs WHERE id = {id}"));
            save(b, id, "answer", "A new answer.", &was)
        }),
        action("add a FAQ to a published article", "publisher", |b, env| {
            add_faq(b, env, SLUG)
        }),
        action("move a published FAQ", "publisher", |b, env| {
            let id = faq(env, SLUG, 2).to_string();
            post(b, "/move", &[("kind", "faq"), ("id", &id), ("to", "up")])
        }),
        action("remove a published FAQ", "publisher", |b, env| {
            let id = faq(env, SLUG, 2).to_string();
            post(b, "/remove", &[("kind", "faq"), ("id", &id)])
        }),
        action(
            "save a published FAQ to its pending version",
            "editor",
            |b, env| pending_save(b, env, "A pending answer."),
        ),
        action("publish a pending version", "publisher", |b, env| {
            let id = comparison(env, SLUG);
            post(
                b,
                "/pending/publish",
                &[("kind", "comparison"), ("id", &id)],
            )
        }),
        action("save to the pending version again", "editor", |b, env| {
            pending_save(b, env, "Another pending answer.")
        }),
        action("discard a pending version", "publisher", |b, env| {
            let id = comparison(env, SLUG);
            post(
                b,
                "/pending/discard",
                &[("kind", "comparison"), ("id", &id)],
            )
        }),
        action("send a review back", "publisher", |b, env| {
            let id = comparison(env, DRAFT);
            let fields = [
                ("kind", "comparison"),
                ("id", &id),
                ("decision", "send back"),
                ("comment", "Add a key difference."),
            ];
            post(b, "/review/decide", &fields)
        }),
        action("undo someone else's change", "admin", |b, env| {
            let change = id(
                env,
                "SELECT max(id) FROM changes WHERE command LIKE 'edit sense%'",
            );
            post(b, &format!("/history/{change}/undo"), &[])
        }),
        action("read the accounts", "admin", |b, _| b.get("/accounts")),
        action("add an account", "admin", |b, _| {
            let fields = [
                ("action", "add"),
                ("name", "eve"),
                ("role", "editor"),
                ("password", PASSWORD),
                ("again", PASSWORD),
            ];
            post(b, "/accounts", &fields)
        }),
        action("upload an import", "admin", |b, _| {
            let terms = std::fs::read(crate::util::seeds().join("terms.csv")).unwrap();
            let token = csrf(b);
            b.upload(&token, &[("terms.csv", &terms)])
        }),
        action("schedule a draft's publish", "publisher", |b, env| {
            let id = comparison(env, DRAFT);
            let fields = [
                ("kind", "comparison"),
                ("id", &id),
                ("action", "publish"),
                ("at", "2999-01-01T10:00"),
            ];
            post(b, "/schedule", &fields)
        }),
        action("publish a draft", "publisher", |b, env| {
            let id = comparison(env, DRAFT);
            let fields = [
                ("kind", "comparison"),
                ("id", &id),
                ("to", "published"),
                ("with_terms", "on"),
                ("force", "on"),
            ];
            post(b, "/status", &fields)
        }),
        action("apply an import", "admin", |b, _| {
            // The upload's dry run gives the token to apply (an admin's).
            let terms = std::fs::read(crate::util::seeds().join("terms.csv")).unwrap();
            let token = csrf(b);
            let checked = b.upload(&token, &[("terms.csv", &terms)]);
            let upload = checked.field("token").unwrap_or_default();
            post(b, "/import/apply", &[("token", &upload)])
        }),
        action("sign out", "editor", |b, _| post(b, "/logout", &[])),
    ]
}

fn add_faq(b: &mut Browser, env: &Env, slug: &str) -> Response {
    let parent = comparison(env, slug);
    let question = format!("A new question for {slug}?");
    let fields = [
        ("kind", "faq"),
        ("parent", &parent),
        ("question", &question),
        ("answer", "Yes."),
    ];
    post(b, "/add", &fields)
}

/// Saves the published article's first FAQ's answer to its pending
/// version, as its page's form does (the answer it was opened with: the
/// pending one if there is one, else live).
fn pending_save(b: &mut Browser, env: &Env, answer: &str) -> Response {
    let id = faq(env, SLUG, 1);
    let owner = comparison(env, SLUG);
    let pending: Option<String> = env
        .conn()
        .query_row(
            "SELECT json_extract(e.value, '$.set.answer.value') FROM pending_versions AS p, json_each(p.edits) AS e
             WHERE json_extract(e.value, '$.id') = ?1",
            [id],
            |r| r.get(0),
        )
        .ok()
        .flatten();
    let was =
        pending.unwrap_or_else(|| text(env, &format!("SELECT answer FROM faqs WHERE id = {id}")));
    let id = id.to_string();
    post(
        b,
        "/save",
        &[
            ("kind", "faq"),
            ("id", &id),
            ("answer", answer),
            ("was.answer", &was),
            ("version", "pending"),
            ("owner", &owner),
        ],
    )
}

fn rank(role: &str) -> u8 {
    match role {
        "editor" => 0,
        "publisher" => 1,
        _ => 2,
    }
}

#[test]
fn every_role_against_every_route() {
    for (user, role) in [("ana", "editor"), ("pia", "publisher"), ("ada", "admin")] {
        let env = team_env();
        // Someone else's change, for the undo.
        let out = env.output(&[
            "--author",
            "cli person",
            "edit",
            "sense",
            "Producer",
            "1",
            "--set",
            "domain=film",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let server = Server::start(&env);
        let mut b = sign_in(&server, user);
        for action in actions() {
            let changes = env.count("SELECT count(*) FROM changes");
            let r = (action.run)(&mut b, &env);
            if rank(role) >= rank(action.needs) {
                assert!(
                    r.status == 200 || r.status == 303,
                    "{role} may {}: {} {}",
                    action.what,
                    r.status,
                    r.text()
                );
            } else {
                assert_eq!(
                    r.status,
                    403,
                    "{role} may not {}: {}",
                    action.what,
                    r.text()
                );
                let said = r.text();
                assert!(
                    said.contains(&format!("needs the {} role", action.needs))
                        && said.contains(&format!("{user}, a")),
                    "{role}, {}: {said}",
                    action.what
                );
                assert_eq!(
                    env.count("SELECT count(*) FROM changes"),
                    changes,
                    "{role}: a refused {} wrote a change",
                    action.what
                );
            }
        }
        // The table ends signing out: in again, to see what the role is shown.
        let mut b = sign_in(&server, user);
        // Undo is offered on one's own changes, and to an admin on all.
        let others = id(
            &env,
            "SELECT max(id) FROM changes WHERE author = 'cli person'",
        );
        let page = b.get(&format!("/history/{others}")).text();
        assert_eq!(page.contains("Undo this change"), role == "admin", "{role}");
        let mine = id(
            &env,
            &format!("SELECT max(id) FROM changes WHERE author = '{user}'"),
        );
        assert!(b
            .get(&format!("/history/{mine}"))
            .text()
            .contains("Undo this change"));
        // The import form is an admin's.
        let page = b.get("/import").text();
        assert_eq!(
            page.contains("enctype=\"multipart/form-data\""),
            role == "admin",
            "{role}"
        );
        // A published article: an editor's page opens on its pending
        // version (where their saves go), the others' on live; the live
        // version's forms are locked for an editor (its role would refuse
        // them), open for the others.
        let page = b.get(&format!("/compare/{SLUG}")).text();
        assert_eq!(
            page.contains("You are looking at the pending version"),
            role == "editor",
            "{role}"
        );
        assert!(
            !page.contains("<fieldset class=\"locked\" disabled>"),
            "{role}"
        );
        let live = b.get(&format!("/compare/{SLUG}?version=live")).text();
        assert_eq!(
            live.contains("<fieldset class=\"locked\" disabled>"),
            role == "editor",
            "{role}"
        );
        // What the account did is filed under its name.
        let mine = env.count(&format!(
            "SELECT count(*) FROM changes WHERE author = '{user}' AND command LIKE 'serve: %'"
        ));
        assert!(mine >= 3, "{user}: {mine} changes");
        let page = b.get(&format!("/history?author={user}"));
        assert!(page.text().contains("serve: edit faq"), "{}", page.text());
        let out = env.output(&["history", "--author", user, "--format", "json"]);
        assert!(stdout(&out).contains("serve: add faq"), "{}", stdout(&out));
        drop(server);
    }
}

/// A request a role may or may not make.
struct Action {
    what: &'static str,
    /// The least role that may.
    needs: &'static str,
    run: fn(&mut Browser, &Env) -> Response,
}
