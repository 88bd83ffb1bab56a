//! A team on one server (`glossary serve` with accounts): sign-in,
//! sessions, throttling, a proxy in front.

use crate::setup::{csrf, faq, save, sign_in, team_env, text, tokenless_save, try_sign_in};
use crate::util::{stderr, Env, DRAFT, PASSWORD, SLUG};
use crate::webclient::{Response, Server};

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
    // A name that exists and one that does not, at the same time: each is
    // throttled on its own, alike.
    std::thread::scope(|scope| {
        for name in ["ana", "nobody"] {
            let server = &server;
            scope.spawn(move || {
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
            });
        }
    });
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
