//! Host names, origins and cookies: a rebound name reaches nothing, forms
//! from another site change nothing, a proxy's names are the ones
//! compared, `__Host-` cookies over HTTPS; pages show no server paths.

use crate::setup::{seeded, sign_in};
use crate::util::Env;
use crate::webclient::Server;

#[test]
fn a_rebound_host_name_reaches_nothing_and_forms_from_another_site_change_nothing() {
    let env = Env::new();
    env.import_seeds();
    let server = Server::start_args(
        &env,
        &["--listen", "127.0.0.1:0", "--host", "glossary.lan"],
        &[],
    );
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    let mut b = server.browser();
    // A page of evil.example whose name now points at 127.0.0.1: without
    // accounts on loopback, it would read, export and change everything.
    for path in [
        "/",
        "/export.zip",
        "/compare/producer-vs-executive-producer",
    ] {
        let host = format!("evil.example:{port}");
        let r = b.send("GET", path, None, &[("Host", &host)]);
        assert_eq!(r.status, 421, "{path}: {}", r.text());
        assert!(r.text().contains("--host evil.example"), "{}", r.text());
        assert!(r.text().contains("<h1>Wrong address</h1>"), "{}", r.text());
    }
    // The refusal has its style: static files are the same for every name.
    let host = format!("evil.example:{port}");
    let css = b.send("GET", "/static/editor.css", None, &[("Host", &host)]);
    assert_eq!(css.status, 200);
    for host in [
        format!("localhost:{port}"),
        format!("glossary.lan:{port}"),
        format!("GLOSSARY.LAN.:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = b.send("GET", "/", None, &[("Host", &host)]);
        assert_eq!(r.status, 200, "{host}: {}", r.text());
    }
    // A form posted from another site, with a token it somehow has.
    let page = b.get("/compare/producer-vs-executive-producer");
    let id: i64 = env
        .conn()
        .query_row(
            "SELECT id FROM faqs WHERE position = 1 AND comparison_id = (SELECT id FROM comparisons WHERE slug = 'producer-vs-executive-producer')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let was: String = env
        .conn()
        .query_row("SELECT answer FROM faqs WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    let id_text = id.to_string();
    let form = [
        ("csrf", page.csrf()),
        ("kind", "faq".into()),
        ("id", id_text.clone()),
        ("answer", "Forged.".into()),
        ("was.answer", was.clone()),
    ];
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for (header, value) in [
        ("Origin", "http://evil.example".to_string()),
        ("Origin", "null".to_string()),
        ("Referer", "http://evil.example/page".to_string()),
        ("Origin", format!("http://127.0.0.1:{port}.evil.example")),
    ] {
        let r = b.post_with("/save", &fields, &[(header, &value)]);
        assert_eq!(r.status, 403, "{header}: {value}: {}", r.text());
        assert!(r.text().contains("sent from another site"), "{}", r.text());
    }
    let answer: String = env
        .conn()
        .query_row("SELECT answer FROM faqs WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(answer, was, "a form from another site changed the glossary");
    // The editor's own pages say where they are from, and are saved.
    let own = format!("http://{}", server.addr);
    let r = b.post_with("/save", &fields, &[("Origin", &own)]);
    assert_eq!(r.status, 303, "{}", r.text());
}

#[test]
fn editor_pages_are_kept_by_no_cache() {
    let (_env, server) = seeded();
    let mut b = server.browser();
    for path in [
        "/",
        "/terms",
        "/compare/producer-vs-executive-producer",
        "/history",
    ] {
        let r = b.get(path);
        assert_eq!(
            r.header("cache-control"),
            Some("private, no-store"),
            "{path}"
        );
    }
}

#[test]
fn behind_the_trusted_proxy_its_host_names_and_origins_are_the_ones_compared() {
    let env = Env::new();
    env.import_seeds();
    let server = Server::start_args(
        &env,
        &["--listen", "127.0.0.1:0", "--trusted-proxy", "127.0.0.1"],
        &[],
    );
    let mut b = server.browser();
    let proxied = [
        ("Host", "glossary.example.org"),
        ("X-Forwarded-Proto", "https"),
    ];
    let page = b.send("GET", "/new", None, &proxied);
    assert_eq!(page.status, 200, "{}", page.text());
    let token = page.csrf();
    let new_term = |b: &mut crate::webclient::Browser, origin: &str, name: &str| {
        let mut headers = proxied.to_vec();
        headers.push(("Origin", origin));
        let body = format!("csrf={token}&term={name}");
        b.send(
            "POST",
            "/new/term",
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
            &headers,
        )
        .status
    };
    assert_eq!(new_term(&mut b, "https://evil.example", "Forged"), 403);
    assert_eq!(
        new_term(&mut b, "https://glossary.example.org", "Gaffer"),
        303
    );
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term = 'Forged'"),
        0
    );
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term = 'Gaffer'"),
        1
    );
}

#[test]
fn over_https_only_host_cookies_count_so_a_planted_csrf_cookie_forges_nothing() {
    let env = Env::new();
    env.team();
    let server = Server::start_args(
        &env,
        &["--listen", "127.0.0.1:0", "--trusted-proxy", "127.0.0.1"],
        &[],
    );
    let https = [("X-Forwarded-Proto", "https")];
    let sign_in = |b: &mut crate::webclient::Browser, token: &str| {
        let body = format!(
            "csrf={token}&name=ada&password={}",
            crate::util::PASSWORD.replace(' ', "+")
        );
        b.send(
            "POST",
            "/login",
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
            &https,
        )
    };
    // A sibling subdomain planted a plain cookie with a token it knows.
    let mut b = server.browser();
    let planted = "a".repeat(64);
    b.set_cookie("glossary_csrf", &planted);
    let r = sign_in(&mut b, &planted);
    assert_eq!(r.status, 403, "{}", r.text());
    // The editor's own page sets a __Host- cookie, and signing in works.
    let page = b.send("GET", "/login", None, &https);
    // (The refusal above already gave the browser its own.)
    assert!(
        b.cookie("__Host-glossary_csrf").is_some(),
        "{:?}",
        b.cookies
    );
    assert_ne!(page.csrf(), planted);
    let r = sign_in(&mut b, &page.csrf());
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(r
        .set_cookies()
        .iter()
        .any(|c| c.starts_with("__Host-glossary_session=")));
    let r = b.send("GET", "/", None, &https);
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn pages_say_only_what_the_server_said_and_never_show_its_paths() {
    let env = Env::new();
    env.team();
    let server = Server::start(&env);
    let mut ada = sign_in(&server, "ada");
    // A link made elsewhere cannot put its words on the editor's pages.
    for path in ["/accounts", "/account"] {
        let r = ada.get(&format!(
            "{path}?done=Your+account+is+locked:+call+555-0100"
        ));
        assert_eq!(r.status, 200);
        assert!(!r.text().contains("555-0100"), "{path}: {}", r.text());
    }
    // What the server said after a form, it still says.
    let r = crate::setup::post(
        &mut ada,
        "/accounts",
        &[("action", "role"), ("name", "ana"), ("role", "publisher")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let to = r.header("location").unwrap().to_string();
    let page = ada.get(&to);
    assert!(page.text().contains("ana"), "{}", page.text());
    let said = to
        .split("done=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let forged = to.replace(&said, "Forged");
    assert!(!ada.get(&forged).text().contains("Forged"));
    // axum's own refusals come as the editor's page, not plain text.
    for (path, body) in [
        ("/history/abc", None),
        ("/import", Some(("multipart/form-data", b"x".to_vec()))),
        (
            "/save",
            Some(("application/x-www-form-urlencoded", b"%zz=%%".to_vec())),
        ),
    ] {
        let method = if body.is_some() { "POST" } else { "GET" };
        let r = ada.send(method, path, body, &[]);
        assert!(r.status >= 400, "{path}: {}", r.status);
        assert!(
            r.header("content-type").unwrap().starts_with("text/html"),
            "{path}: {:?} {}",
            r.header("content-type"),
            r.text()
        );
        assert!(r.text().contains("<main"), "{path}: {}", r.text());
        assert!(
            !r.text().contains("<h1>Not saved</h1>"),
            "{path}: titled as a save"
        );
    }
    // An internal failure (here: a replica replaced by a file that is no
    // database, which a read-only server opens anew) names no path.
    drop(server);
    let env2 = Env::new();
    env2.import_seeds();
    let server = Server::start_args(&env2, &["--listen", "127.0.0.1:0", "--read-only"], &[]);
    let mut b = server.browser();
    assert_eq!(b.get("/").status, 200);
    let garbage = env2.dir.path().join("garbage");
    std::fs::write(&garbage, vec![b'x'; 8192]).unwrap();
    std::fs::rename(&garbage, env2.db()).unwrap();
    let r = b.get("/terms");
    assert_eq!(r.status, 500, "{}", r.text());
    let dir = env2.dir.path().to_string_lossy().into_owned();
    assert!(!r.text().contains(&dir), "{}", r.text());
    assert!(r.text().contains("in its log"), "{}", r.text());
    let log = server.stop_with_log();
    assert!(log.contains("is not an SQLite database"), "{log}");
}
