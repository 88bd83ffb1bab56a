//! What an adversarial test and a new editor found (#19), each pinned by a
//! test that failed before its fix: the server's limits under concurrent
//! and slow clients, what a read-only server may touch, rebinding, and the
//! smaller holes of the web editor.

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::robust::make_version_2;
use crate::serve::seeded;
use crate::team::{sign_in, team_env};
use crate::util::{stderr, Env};
use crate::webclient::Server;

/// The files in the database's folder whose names start with the
/// database's: the file itself and any `-wal`, `-shm` or `.bak` beside it.
fn beside(db: &Path) -> Vec<String> {
    let name = db.file_name().unwrap().to_string_lossy().into_owned();
    let mut found: Vec<String> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name))
        .collect();
    found.sort();
    found
}

/// Pages a reader of a replica would open, signed in as a publisher: the
/// files beside the database while the server still runs.
fn browse_read_only(env: &Env) -> Vec<String> {
    let server = Server::start_args(env, &["--listen", "127.0.0.1:0", "--read-only"], &[]);
    let mut b = sign_in(&server, "pia");
    for path in [
        "/",
        "/terms",
        "/comparisons",
        "/compare/producer-vs-executive-producer",
        "/history",
        "/search?q=producer",
    ] {
        let page = b.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
    }
    let running = beside(&env.db());
    assert!(server.stop().success());
    running
}

/// Browses a read-only server on `env`'s database (alone in its folder):
/// the file stays byte-identical, and nothing appears beside it.
fn browse_and_find_it_untouched(env: &Env) {
    let (before, files) = (env.db_bytes(), beside(&env.db()));
    assert_eq!(files, ["glossary.db"]);
    let running = browse_read_only(env);
    assert!(
        env.db_bytes() == before,
        "the read-only server wrote to the file"
    );
    assert_eq!(running, files, "it made files beside the database");
    assert_eq!(beside(&env.db()), files);
}

#[test]
fn a_read_only_server_leaves_a_rollback_journal_file_byte_identical() {
    let env = team_env();
    env.conn()
        .query_row("PRAGMA journal_mode = DELETE", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap();
    browse_and_find_it_untouched(&env);
}

#[test]
fn a_read_only_server_makes_no_wal_beside_a_wal_file() {
    let env = team_env();
    // Closed cleanly: a WAL database with nothing beside it.
    browse_and_find_it_untouched(&env);
}

#[test]
fn a_read_only_server_refuses_an_older_or_newer_schema_and_upgrades_nothing() {
    let env = team_env();
    make_version_2(&env);
    let before = env.db_bytes();
    let out = env
        .cmd()
        .args(["serve", "--read-only", "--listen", "127.0.0.1:0"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("older schema (version 2;") && said.contains("does not upgrade it"),
        "{said}"
    );
    assert!(env.db_bytes() == before, "the schema was upgraded");
    assert_eq!(
        beside(&env.db()),
        ["glossary.db"],
        "a copy or a WAL was made"
    );

    let env = team_env();
    env.conn().pragma_update(None, "user_version", 999).unwrap();
    let before = env.db_bytes();
    let out = env
        .cmd()
        .args(["serve", "--read-only", "--listen", "127.0.0.1:0"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("newer version of glossary"),
        "{}",
        stderr(&out)
    );
    assert!(env.db_bytes() == before);
}

/// Sends `n` sign-ins for `name` with `password` at once, each from a
/// browser of its own that has loaded the sign-in page: their statuses.
fn sign_ins_at_once(server: &Server, name: &str, password: &str, n: usize) -> Vec<u16> {
    let mut ready: Vec<(crate::webclient::Browser, String)> = (0..n)
        .map(|_| {
            let mut b = server.browser();
            let token = b.get("/login").csrf();
            (b, token)
        })
        .collect();
    std::thread::scope(|s| {
        let sent: Vec<_> = ready
            .iter_mut()
            .map(|(b, token)| {
                s.spawn(move || {
                    b.post(
                        "/login",
                        &[
                            ("csrf", token.as_str()),
                            ("name", name),
                            ("password", password),
                        ],
                    )
                    .status
                })
            })
            .collect();
        sent.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn the_sign_in_lock_holds_under_parallel_guesses() {
    let env = team_env();
    let server = Server::start(&env);
    let statuses = sign_ins_at_once(&server, "ana", "wrong password 1", 9);
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        checked <= 5,
        "{checked} of 9 guesses sent at once were checked: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [401, 429].contains(s)),
        "{statuses:?}"
    );
    // Bursts of five keep coming: none is checked any more.
    for _ in 0..3 {
        let burst = sign_ins_at_once(&server, "ana", "wrong password 2", 5);
        assert!(burst.iter().all(|s| *s == 429), "{burst:?}");
    }
    // And the right password is not let in while the name is locked.
    let mut b = server.browser();
    let r = crate::team::try_sign_in(&mut b, "ana", crate::util::PASSWORD);
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
}

#[test]
fn over_long_or_multi_line_sign_in_names_reach_neither_the_throttle_nor_the_log() {
    let env = team_env();
    let server = Server::start(&env);
    let huge = "n".repeat(1_000_000);
    for name in [huge.as_str(), "ana\nglossary: ada signed in from 127.0.0.1"] {
        for _ in 0..3 {
            let mut b = server.browser();
            let token = b.get("/login").csrf();
            let r = b.post(
                "/login",
                &[("csrf", &token), ("name", name), ("password", "x")],
            );
            assert_eq!(r.status, 422, "{}", &r.text()[..200.min(r.text().len())]);
            assert!(r.body.len() < 64 << 10, "a {} byte answer", r.body.len());
            assert!(r.text().contains("An account name has 1 to 64 characters"));
        }
    }
    // A line break in a name that is tried (a short one) is escaped in the log.
    let mut b = server.browser();
    let token = b.get("/login").csrf();
    b.post(
        "/login",
        &[("csrf", &token), ("name", "bo"), ("password", "x\ny")],
    );
    let log = server.stop_with_log();
    assert!(log.len() < 10_000, "the log took {} bytes", log.len());
    assert!(!log.contains("ada signed in"), "{log}");
    assert!(log.contains("a wrong name or password for \"bo\""), "{log}");
    // And the accounts refuse such names too, from the CLI.
    let out = env
        .cmd()
        .args(["user", "add", "eve\nadmin", "--role", "editor"])
        .write_stdin(format!("{}\n", crate::util::PASSWORD))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("control characters"),
        "{}",
        stderr(&out)
    );
}

/// Reads from `stream` until the server closes it or `within` passes:
/// what it sent, and whether it closed.
fn read_until_closed(stream: &mut std::net::TcpStream, within: Duration) -> (Vec<u8>, bool) {
    use std::io::Read;
    stream.set_read_timeout(Some(within)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (got, true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (got, true),
            Err(_) => return (got, false),
        }
    }
}

#[test]
fn idle_connections_are_cut_off_and_cannot_lock_everyone_out() {
    let (_env, server) = seeded();
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = (0..256)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // Beyond the cap: answered at once, and closed.
    let mut extra = TcpStream::connect(&server.addr).unwrap();
    let (said, closed) = read_until_closed(&mut extra, Duration::from_secs(5));
    assert!(
        closed && said.starts_with(b"HTTP/1.1 503"),
        "{:?}",
        String::from_utf8_lossy(&said)
    );
    // Those that send nothing are closed by the server after the header
    // timeout (10 s), not kept for ever.
    for s in &mut idle {
        let (_, closed) = read_until_closed(s, Duration::from_secs(15));
        assert!(
            closed,
            "an idle connection was kept past the header timeout"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(16),
        "{:?}",
        started.elapsed()
    );
    let mut b = server.browser();
    assert_eq!(b.get("/").status, 200);
}

#[test]
fn a_header_or_a_body_sent_a_byte_at_a_time_is_cut_off() {
    let (_env, server) = seeded();
    let trickle = |head: &str| {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let started = Instant::now();
        let mut answer = Vec::new();
        while started.elapsed() < Duration::from_secs(40) {
            if s.write_all(b"a").is_err() {
                break;
            }
            let mut buf = [0u8; 4096];
            match std::io::Read::read(&mut s, &mut buf) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => break,
            }
        }
        (
            started.elapsed(),
            String::from_utf8_lossy(&answer).into_owned(),
        )
    };
    let host = server.addr.clone();
    std::thread::scope(|s| {
        let header = s.spawn(|| trickle(&format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Slow: ")));
        let body = s.spawn(|| {
            trickle(&format!(
                "POST /login HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nname="
            ))
        });
        let (took, _) = header.join().unwrap();
        assert!(
            took < Duration::from_secs(13),
            "a header trickled for {took:?}"
        );
        let (took, answer) = body.join().unwrap();
        assert!(
            took < Duration::from_secs(25),
            "a body trickled for {took:?}"
        );
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
            "{answer}"
        );
    });
    let mut b = server.browser();
    assert_eq!(b.get("/").status, 200);
}

#[test]
fn sigterm_is_not_held_by_idle_connections() {
    let (_env, server) = seeded();
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    // And one kept alive after a request.
    let mut kept = TcpStream::connect(&server.addr).unwrap();
    write!(kept, "GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    let mut buf = [0u8; 1024];
    assert!(std::io::Read::read(&mut kept, &mut buf).unwrap() > 0);
    let started = Instant::now();
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "SIGTERM took {:?} with idle connections open",
        started.elapsed()
    );
    drop(idle);
}

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

/// The names of the files in a zip.
fn zip_names(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    archive.file_names().map(str::to_string).collect()
}

#[test]
fn the_web_export_names_its_files_as_an_export_and_imports_once_unzipped() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[&[
        "add-faq",
        "producer-vs-executive-producer",
        "--question",
        "Is =1+2 a formula?",
        "--answer",
        "  =HYPERLINK(\"http://evil.example\") a;=cmd",
    ]]);
    let server = Server::start(&env);
    let mut b = server.browser();
    let zipped = b.get("/export.zip");
    assert_eq!(zipped.status, 200);
    let mut names = zip_names(&zipped.body);
    names.sort();
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("glossary/") && !n[9..].contains('/')),
        "{names:?}"
    );
    assert!(
        names.contains(&"glossary/terms.csv".to_string()),
        "{names:?}"
    );
    // Unzipped as a person would, the folder imports into a new database.
    let out = env.dir.path().join("unzipped");
    zip::ZipArchive::new(std::io::Cursor::new(&zipped.body[..]))
        .unwrap()
        .extract(&out)
        .unwrap();
    let fresh = env.dir.path().join("fresh.db");
    let imported = env
        .cmd_at(&fresh)
        .arg("import")
        .arg(out.join("glossary"))
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", stderr(&imported));
    // For a spreadsheet: formulas guarded, every cell quoted.
    let safe = b.get("/export.zip?spreadsheet_safe=1");
    assert_eq!(safe.status, 200);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&safe.body[..])).unwrap();
    let mut faqs = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("glossary/faqs.csv").unwrap(),
        &mut faqs,
    )
    .unwrap();
    assert!(
        faqs.contains("\"'Is =1+2 a formula?\"") || faqs.contains("\"Is =1+2 a formula?\""),
        "{faqs}"
    );
    assert!(
        faqs.contains("\"'  =HYPERLINK(\"\"http://evil.example\"\") a;=cmd\""),
        "{faqs}"
    );
}

#[test]
fn spreadsheet_safe_guards_formulas_after_spaces_and_quotes_every_cell() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[&[
        "add-faq",
        "producer-vs-executive-producer",
        "--question",
        "Who?",
        "--answer",
        " @SUM(A1) x;=cmd|' /C calc'!A0",
    ]]);
    let out = env.output(&["export", "--spreadsheet-safe", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let faqs = std::fs::read_to_string(env.dir.path().join("out/faqs.csv")).unwrap();
    assert!(
        faqs.contains("\"' @SUM(A1) x;=cmd|' /C calc'!A0\""),
        "{faqs}"
    );
    assert!(
        faqs.lines().all(|l| l.is_empty() || l.starts_with('"')),
        "{faqs}"
    );
}

#[test]
fn uploads_are_private_streamed_and_few() {
    let env = Env::new();
    env.import_seeds();
    let tmp = env.dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let server = Server::start_with(&env, &[("TMPDIR", tmp.to_str().unwrap())]);
    let mut b = server.browser();
    let csrf = b.get("/import").csrf();
    let terms = std::fs::read(crate::util::seeds().join("terms.csv")).unwrap();
    let r = b.upload(&csrf, &[("terms.csv", &terms)]);
    assert_eq!(r.status, 200, "{}", r.text());
    let first = r.field("token").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let dirs: Vec<_> = std::fs::read_dir(&tmp)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(dirs.len(), 1, "{dirs:?}");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dirs[0]), 0o700);
        assert_eq!(mode(&dirs[0].join("terms.csv")), 0o600);
    }
    // More uploads than are kept waiting: the oldest goes, the files too.
    for _ in 0..8 {
        let r = b.upload(&csrf, &[("terms.csv", &terms)]);
        assert_eq!(r.status, 200);
    }
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 8);
    let r = b.post("/import/apply", &[("csrf", &csrf), ("token", &first)]);
    assert!(r.text().contains("no longer waiting"), "{}", r.text());
    // A zip bomb: 600 MB of CSV in a few hundred KB, refused while it is
    // written out, not after it was held in memory.
    let bomb = {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "terms.csv",
            zip::write::SimpleFileOptions::default().large_file(true),
        )
        .unwrap();
        let line = [b'a'; 1 << 20];
        for _ in 0..600 {
            zip.write_all(&line).unwrap();
        }
        zip.finish().unwrap().into_inner()
    };
    assert!(bomb.len() < 4 << 20, "{}", bomb.len());
    let r = b.upload(&csrf, &[("seeds.zip", &bomb)]);
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text().contains("unpacks to more than 512 MB"),
        "{}",
        r.text()
    );
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    assert!(
        peak_kb < 200 << 10,
        "the server peaked at {} MB",
        peak_kb >> 10
    );
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
    let r = crate::team::post(
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

#[test]
fn a_huge_form_sent_without_a_session_does_not_come_back_larger() {
    let env = Env::new();
    env.team();
    let server = Server::start(&env);
    let mut b = server.browser();
    let token = b.get("/login").csrf();
    let big = "<\"&".repeat(100_000);
    let r = b.post(
        "/save",
        &[
            ("csrf", &token),
            ("kind", "faq"),
            ("id", "1"),
            ("answer", &big),
        ],
    );
    assert_eq!(r.status, 401, "{}", r.status);
    assert!(
        r.body.len() < 64 << 10,
        "a {} byte answer to a {} byte form",
        r.body.len(),
        big.len()
    );
    assert!(r.text().contains("too large to keep here"), "{}", r.text());
}

#[test]
fn publishing_from_the_queue_publishes_only_what_the_publisher_saw() {
    use crate::team::{comparison, post, DRAFT};
    let env = crate::team::ready_for_review();
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
