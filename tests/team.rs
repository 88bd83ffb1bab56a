//! A team on one server (`glossary serve` with accounts): sign-in,
//! sessions, throttling, every role against every route, attribution,
//! review, a proxy in front, a read-only replica.

use crate::util::{stderr, stdout, Env, PASSWORD};
use crate::webclient::{Browser, Response, Server};

pub(crate) const SLUG: &str = "producer-vs-executive-producer";
pub(crate) const DRAFT: &str = "producer-vs-director";

/// [`Env::team`], with a FAQ in the draft article.
pub(crate) fn team_env() -> Env {
    let env = Env::new();
    env.team();
    env.run_all(&[&[
        "add-faq",
        DRAFT,
        "--question",
        "Who hires whom?",
        "--answer",
        "It depends.",
    ]]);
    env
}

/// [`team_env`] with the draft article complete (a summary, a key
/// difference) and put up for review by ana.
pub(crate) fn ready_for_review() -> Env {
    let env = team_env();
    env.run_all(&[
        &[
            "edit",
            "comparison",
            DRAFT,
            "--set",
            "summary=One directs, one produces.",
        ],
        &["add-difference", DRAFT, "One directs; one produces."],
        &["--author", "ana", "review", "ready", DRAFT],
    ]);
    env
}

fn id(env: &Env, sql: &str) -> i64 {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn text(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Signs `name` in with the right password: a browser with its session.
pub(crate) fn sign_in(server: &Server, name: &str) -> Browser {
    let mut b = server.browser();
    let r = try_sign_in(&mut b, name, PASSWORD);
    assert_eq!(r.status, 303, "{name}: {}", r.text());
    b
}

pub(crate) fn try_sign_in(b: &mut Browser, name: &str, password: &str) -> Response {
    let page = b.get("/login");
    assert_eq!(page.status, 200, "{}", page.text());
    b.post(
        "/login",
        &[
            ("csrf", &page.csrf()),
            ("name", name),
            ("password", password),
            ("next", "/terms"),
        ],
    )
}

/// The token the browser's pages carry: signed in, derived from the
/// session (checked against a page in `with_accounts_every_page_...`);
/// before, the CSRF cookie's.
pub(crate) fn csrf(b: &Browser) -> String {
    match b.cookie("glossary_session") {
        Some(session) => glossary_core::accounts::sessions::csrf_token(&session),
        None => b.cookie("glossary_csrf").expect("a CSRF cookie"),
    }
}

/// POSTs `fields` to `path` with the browser's CSRF token, as its pages do.
pub(crate) fn post(b: &mut Browser, path: &str, fields: &[(&str, &str)]) -> Response {
    let token = csrf(b);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    b.post(path, &all)
}

pub(crate) fn comparison(env: &Env, slug: &str) -> String {
    id(
        env,
        &format!("SELECT id FROM comparisons WHERE slug = '{slug}'"),
    )
    .to_string()
}

pub(crate) fn faq(env: &Env, slug: &str, position: i64) -> i64 {
    id(
        env,
        &format!(
            "SELECT f.id FROM faqs f JOIN comparisons c ON c.id = f.comparison_id
             WHERE c.slug = '{slug}' AND f.position = {position}"
        ),
    )
}

pub(crate) fn save(b: &mut Browser, id: i64, field: &str, value: &str, was: &str) -> Response {
    let (id, was_field) = (id.to_string(), format!("was.{field}"));
    post(
        b,
        "/save",
        &[
            ("kind", "faq"),
            ("id", &id),
            (field, value),
            (&was_field, was),
        ],
    )
}

/// A save of the draft's FAQ as another site's form sends it: no token.
fn tokenless_save(b: &mut Browser, id: i64, answer: &str) -> Response {
    let id = id.to_string();
    let fields = [
        ("kind", "faq"),
        ("id", &id),
        ("answer", answer),
        ("was.answer", "It depends."),
    ];
    b.post("/save", &fields)
}

#[test]
fn with_accounts_every_page_asks_to_sign_in_and_wrong_passwords_say_nothing_more() {
    let env = team_env();
    let server = Server::start(&env);
    let mut b = server.browser();
    let r = b.get("/compare/producer-vs-executive-producer?x=1");
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/login?next=%2Fcompare%2Fproducer-vs-executive-producer%3Fx%3D1")
    );
    // Static files and the sign-in page are open.
    assert_eq!(b.get("/static/editor.css").status, 200);
    let page = b.get("/login");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("autocomplete=\"current-password\""));
    // A wrong password and an unknown name get the same answer.
    let wrong = try_sign_in(&mut b, "ana", "not her password");
    let unknown = try_sign_in(&mut b, "nobody", "not her password");
    assert_eq!((wrong.status, unknown.status), (401, 401));
    let said = |r: &Response| {
        let t = r.text();
        let at = t.find("role=\"alert\">").unwrap();
        t[at..at + 80].to_string()
    };
    assert_eq!(said(&wrong), said(&unknown));
    assert!(b.cookie("glossary_session").is_none());
    // The right one: a session cookie, then back where it was going.
    let r = try_sign_in(&mut b, "ANA", PASSWORD);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/terms"));
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("glossary_session="))
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Max-Age=43200"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    let page = b.get("/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("ana</a> (editor)"));
    // Signed in, the forms' token comes from the session, not the cookie
    // (which a sibling subdomain could have planted).
    assert_eq!(page.csrf(), csrf(&b));
    assert_ne!(page.csrf(), b.cookie("glossary_csrf").unwrap());
    let token = b.cookie("glossary_csrf").unwrap();
    let r = b.post("/logout", &[("csrf", &token)]);
    assert_eq!(r.status, 403, "the cookie's token is not the session's");
    assert_eq!(b.get("/").status, 200);
    // Only a hash of the token is stored.
    let token = b.cookie("glossary_session").unwrap();
    assert_eq!(env.count("SELECT count(*) FROM sessions"), 1);
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM sessions WHERE token_hash = '{token}'"
        )),
        0
    );
    // A sign-in page cannot send anyone to another site.
    let mut c = server.browser();
    let page = c.get("/login");
    let r = c.post(
        "/login",
        &[
            ("csrf", &page.csrf()),
            ("name", "pia"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ],
    );
    assert_eq!(r.header("location"), Some("/"));
    // Signing in without the page's token is refused like any form.
    let mut d = server.browser();
    d.get("/login");
    let r = d.post("/login", &[("name", "pia"), ("password", PASSWORD)]);
    assert_eq!(r.status, 403);
    assert!(d.cookie("glossary_session").is_none());
}

/// A request a role may or may not make.
struct Action {
    what: &'static str,
    /// The least role that may.
    needs: &'static str,
    run: fn(&mut Browser, &Env) -> Response,
}

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
        // The forms of a published article are locked for an editor (its
        // role would refuse them), open for the others.
        let page = b.get(&format!("/compare/{SLUG}")).text();
        assert_eq!(
            page.contains("<fieldset class=\"locked\" disabled>"),
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

#[test]
fn sessions_end_at_logout_expiry_new_password_and_removal_and_roles_apply_at_once() {
    let env = team_env();
    let server = Server::start(&env);
    // Logout: the cookie is cleared, and the old token no longer works.
    let mut b = sign_in(&server, "ana");
    let token = b.cookie("glossary_session").unwrap();
    let r = b.post("/logout", &[("csrf", &csrf(&b))]);
    assert_eq!(r.header("location"), Some("/login"));
    assert!(b.cookie("glossary_session").is_none());
    b.set_cookie("glossary_session", &token);
    assert_eq!(b.get("/").status, 303);

    // Expiry.
    let mut b = sign_in(&server, "ana");
    env.conn()
        .execute(
            "UPDATE sessions SET created_at = '2000-01-01T00:00:00.000Z', expires_at = '2000-01-01T12:00:00.000Z'",
            [],
        )
        .unwrap();
    assert_eq!(b.get("/").status, 303);

    // A new password, set from the CLI.
    let mut b = sign_in(&server, "ana");
    let mut other = sign_in(&server, "ana");
    assert_eq!(b.get("/").status, 200);
    let out = env
        .cmd()
        .args(["user", "passwd", "ana"])
        .write_stdin("a brand new password\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(b.get("/").status, 303);
    assert_eq!(other.get("/").status, 303);

    // A role change applies to the next request.
    let mut p = sign_in(&server, "pia");
    let id = faq(&env, SLUG, 1);
    let was = text(&env, &format!("SELECT answer FROM faqs WHERE id = {id}"));
    env.cmd()
        .args(["user", "role", "pia", "editor"])
        .assert()
        .success();
    assert_eq!(save(&mut p, id, "answer", "Changed.", &was).status, 403);
    env.cmd()
        .args(["user", "role", "pia", "publisher"])
        .assert()
        .success();
    assert_eq!(save(&mut p, id, "answer", "Changed.", &was).status, 303);

    // Removal.
    env.cmd().args(["user", "remove", "pia"]).assert().success();
    assert_eq!(p.get("/").status, 303);
    assert_eq!(
        env.count("SELECT count(*) FROM sessions WHERE user_id NOT IN (SELECT id FROM users)"),
        0
    );
}

#[test]
fn a_form_sent_after_the_session_ended_is_kept_and_sent_again_after_signing_in() {
    let env = team_env();
    let server = Server::start(&env);
    let mut b = sign_in(&server, "ana");
    let id = faq(&env, DRAFT, 1);
    env.conn().execute("DELETE FROM sessions", []).unwrap();
    let typed = "A long answer typed while the session ran out: <kept> & \"quoted\".";
    let r = save(&mut b, id, "answer", typed, "It depends.");
    assert_eq!(r.status, 401);
    let page = r.text();
    assert!(page.contains("Your session has ended"));
    assert!(page.contains(
        "A long answer typed while the session ran out: &lt;kept&gt; &amp; &quot;quoted&quot;."
    ));
    assert_eq!(
        text(&env, &format!("SELECT answer FROM faqs WHERE id = {id}")),
        "It depends."
    );
    // Signing in from that page shows the form filled in, to send.
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), r.csrf()),
        ("name".into(), "ana".into()),
        ("password".into(), PASSWORD.into()),
        ("next".into(), "/".into()),
        ("resume.action".into(), "/save".into()),
    ];
    for (k, v) in [
        ("kind", "faq".to_string()),
        ("id", id.to_string()),
        ("answer", typed.to_string()),
        ("was.answer", "It depends.".to_string()),
    ] {
        fields.push((format!("resume:{k}"), v));
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let resumed = b.post("/login", &borrowed);
    assert_eq!(resumed.status, 200, "{}", resumed.text());
    assert!(resumed.text().contains("action=\"/save\""));
    assert!(resumed.text().contains(
        "name=\"answer\" value=\"A long answer typed while the session ran out: &lt;kept&gt; &amp; &quot;quoted&quot;.\""
    ));
    // Another site's form, sent without a session, is not kept to send.
    let mut stranger = server.browser();
    let r = tokenless_save(&mut stranger, id, "Forged text.");
    assert_eq!(r.status, 401);
    assert!(!r.text().contains("Forged text.") && !r.text().contains("resume"));
    let sent = save(&mut b, id, "answer", typed, "It depends.");
    assert_eq!(sent.status, 303, "{}", sent.text());
    assert_eq!(
        text(&env, &format!("SELECT answer FROM faqs WHERE id = {id}")),
        typed
    );
}

#[test]
fn wrong_passwords_slow_down_then_lock_the_name_whether_or_not_it_exists() {
    let env = team_env();
    let server = Server::start(&env);
    for name in ["ana", "nobody"] {
        let mut b = server.browser();
        let mut statuses = Vec::new();
        let started = std::time::Instant::now();
        for _ in 0..5 {
            statuses.push(try_sign_in(&mut b, name, "a wrong password").status);
        }
        // The third and fourth wait 1 s and 2 s, the fifth 3 s.
        assert!(started.elapsed() >= std::time::Duration::from_secs(5));
        assert_eq!(statuses, [401, 401, 401, 401, 401], "{name}");
        // Locked: even the right password (for ana) is refused for now.
        let r = try_sign_in(&mut b, name, PASSWORD);
        assert_eq!(r.status, 429, "{name}: {}", r.text());
        assert!(r.header("retry-after").is_some());
        assert!(r.text().contains("locked for 15 more minutes"));
    }
    // Other names are not locked.
    sign_in(&server, "pia");
    // One password tried on many names: thirty wrong ones from an address
    // (the ten above among them) lock the address.
    let mut b = server.browser();
    for i in 0..20 {
        let r = try_sign_in(&mut b, &format!("name{i}"), "a wrong password");
        assert_eq!(r.status, 401, "attempt {i}");
    }
    let r = try_sign_in(&mut b, "pia", PASSWORD);
    assert_eq!(r.status, 429);
    assert!(r.text().contains("from your address"), "{}", r.text());
}

#[test]
fn csrf_tokens_and_cookies_from_another_server_are_refused() {
    let env = team_env();
    let server = Server::start(&env);
    let other_env = team_env();
    let other = Server::start(&other_env);
    let mut b = sign_in(&server, "ana");
    let id = faq(&env, DRAFT, 1);
    // Signed in, but the form lacks the token: refused, nothing changed.
    let r = tokenless_save(&mut b, id, "x");
    assert_eq!(r.status, 403);
    assert_eq!(
        text(&env, &format!("SELECT answer FROM faqs WHERE id = {id}")),
        "It depends."
    );
    // A session cookie from another server (same names, same passwords)
    // signs nobody in here.
    let mut stranger = other.browser();
    stranger.set_cookie("glossary_session", &b.cookie("glossary_session").unwrap());
    assert_eq!(stranger.get("/").status, 303);
    // Nor does a forged one.
    stranger.set_cookie("glossary_session", &"ab".repeat(32));
    assert_eq!(stranger.get("/").status, 303);
}

#[test]
fn a_network_address_needs_an_admin_and_a_trusted_proxy_makes_cookies_secure() {
    let env = Env::new();
    env.import_seeds();
    env.add_user("ana", "editor");
    let out = env.output(&["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("no admin account") && said.contains("glossary user add NAME --role admin"),
        "{said}"
    );
    env.add_user("ada", "admin");
    let server = Server::start_args(
        &env,
        &["--listen", "0.0.0.0:0", "--trusted-proxy", "127.0.0.1"],
        &[],
    );
    let mut b = server.browser();
    // Everyone signs in there, even with no accounts... and with them.
    assert_eq!(b.get("/").status, 303);
    let https = [
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-For", "203.0.113.7"),
    ];
    let page = b.send("GET", "/login", None, &https);
    let body = format!(
        "csrf={}&name=ada&password={}&next=%2F",
        page.csrf(),
        PASSWORD.replace(' ', "+")
    );
    let r = b.send(
        "POST",
        "/login",
        Some(("application/x-www-form-urlencoded", body.into_bytes())),
        &https,
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("__Host-glossary_session="))
        .unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let stopped = server.stop();
    assert!(stopped.success());
    // Without --trusted-proxy, the same header is not believed.
    let server = Server::start(&env);
    let mut b = server.browser();
    let page = b.get("/login");
    let body = format!(
        "csrf={}&name=ada&password={}",
        page.csrf(),
        PASSWORD.replace(' ', "+")
    );
    let r = b.send(
        "POST",
        "/login",
        Some(("application/x-www-form-urlencoded", body.into_bytes())),
        &https,
    );
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("glossary_session="))
        .unwrap();
    assert!(!cookie.contains("Secure"), "{cookie}");
}

#[test]
fn a_read_only_server_shows_everything_and_changes_nothing() {
    let env = team_env();
    let before = env.db_bytes();
    let server = Server::start_args(&env, &["--listen", "127.0.0.1:0", "--read-only"], &[]);
    let mut b = sign_in(&server, "pia");
    let page = b.get(&format!("/compare/{SLUG}"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("read-only copy"));
    assert!(!page.text().contains(">Unpublish</button>"));
    let id = faq(&env, SLUG, 1);
    let r = save(&mut b, id, "answer", "Changed.", "x");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("read-only copy"));
    // Signed in with nothing written: the sessions are in memory.
    assert_eq!(env.count("SELECT count(*) FROM sessions"), 0);
    assert!(
        env.db_bytes() == before,
        "the read-only server wrote to the file"
    );
    // A replica restored over the file (a new file renamed into place, as
    // a restore from a timer does) is served from the next request.
    let restored = env.dir.path().join("restored.db");
    env.conn()
        .execute("VACUUM INTO ?1", [restored.to_str().unwrap()])
        .unwrap();
    rusqlite::Connection::open(&restored)
        .unwrap()
        .execute(
            &format!("UPDATE faqs SET answer = 'Restored from the replica.' WHERE id = {id}"),
            [],
        )
        .unwrap();
    std::fs::rename(&restored, env.db()).unwrap();
    let page = b.get(&format!("/compare/{SLUG}"));
    assert!(page.text().contains("Restored from the replica."));
}

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
        listed.contains("answer: \"It depends.\" -> \"Whoever the studio says.\""),
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
fn admins_manage_accounts_on_the_web_and_the_last_admin_stays() {
    let env = team_env();
    let server = Server::start(&env);
    let mut ada = sign_in(&server, "ada");
    let accounts = ada.get("/accounts");
    assert_eq!(accounts.status, 200);
    assert!(accounts
        .text()
        .contains("name=\"name\" value=\"\" autocomplete=\"off\""));
    assert!(accounts.text().contains(">ana</a>") && accounts.text().contains("href=\"/accounts\""));
    let post = |ada: &mut Browser, fields: &[(&str, &str)]| {
        let token = csrf(ada);
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        ada.post("/accounts", &all)
    };
    // Added; the two passwords must match and be long enough.
    let r = post(
        &mut ada,
        &[
            ("action", "add"),
            ("name", "eve"),
            ("role", "publisher"),
            ("password", PASSWORD),
            ("again", "something else"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("the two passwords differ") && r.text().contains("value=\"eve\""));
    let r = post(
        &mut ada,
        &[
            ("action", "add"),
            ("name", "eve"),
            ("role", "publisher"),
            ("password", "short"),
            ("again", "short"),
        ],
    );
    assert!(r.text().contains("at least 10 characters"), "{}", r.text());
    let r = post(
        &mut ada,
        &[
            ("action", "add"),
            ("name", "eve"),
            ("role", "publisher"),
            ("password", PASSWORD),
            ("again", PASSWORD),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(ada
        .get(r.header("location").unwrap())
        .text()
        .contains("Added eve, publisher."));
    let mut eve = sign_in(&server, "eve");
    assert_eq!(eve.get("/review").status, 200);
    // A new password ends eve's session; a role change applies at once.
    let r = post(
        &mut ada,
        &[
            ("action", "password"),
            ("name", "eve"),
            ("password", "another long password"),
            ("again", "another long password"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(eve.get("/").status, 303);
    post(
        &mut ada,
        &[("action", "role"), ("name", "ana"), ("role", "admin")],
    );
    assert_eq!(
        text(&env, "SELECT role FROM users WHERE name = 'ana'"),
        "admin"
    );
    post(&mut ada, &[("action", "remove"), ("name", "eve")]);
    assert_eq!(
        env.count("SELECT count(*) FROM users WHERE name = 'eve'"),
        0
    );
    // The last admin can be neither demoted nor removed, on the web or the CLI.
    post(
        &mut ada,
        &[("action", "role"), ("name", "ana"), ("role", "editor")],
    );
    let r = post(
        &mut ada,
        &[("action", "role"), ("name", "ada"), ("role", "editor")],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("it is the last admin account"));
    let out = env.output(&["user", "remove", "ada"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("glossary user role NAME admin"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        text(&env, "SELECT role FROM users WHERE name = 'ada'"),
        "admin"
    );
}

#[test]
fn people_change_their_own_password_and_their_other_sessions_end() {
    let env = team_env();
    let server = Server::start(&env);
    let mut here = sign_in(&server, "ana");
    let mut elsewhere = sign_in(&server, "ana");
    let page = here.get("/account");
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("Signed in as <strong>ana</strong>, editor"));
    let new = "a password of her own";
    let change = |b: &mut Browser, current: &str, again: &str| {
        post(
            b,
            "/account",
            &[("current", current), ("password", new), ("again", again)],
        )
    };
    let r = change(&mut here, "not her password", new);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("The current password is wrong"));
    let r = change(&mut here, PASSWORD, "a typo in the second one");
    assert!(r.text().contains("The two new passwords differ"));
    assert_eq!(env.count("SELECT count(*) FROM sessions"), 2);
    let r = change(&mut here, PASSWORD, new);
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(here
        .get(r.header("location").unwrap())
        .text()
        .contains("Your password is changed"));
    // This browser goes on with a new session; the other is signed out.
    assert_eq!(here.get("/").status, 200);
    assert_eq!(elsewhere.get("/").status, 303);
    assert_eq!(env.count("SELECT count(*) FROM sessions"), 1);
    let mut b = server.browser();
    assert_eq!(try_sign_in(&mut b, "ana", PASSWORD).status, 401);
    assert_eq!(try_sign_in(&mut b, "ana", new).status, 303);
}
