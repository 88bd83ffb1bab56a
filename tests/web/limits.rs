//! The server's limits under concurrent and slow clients: the sign-in
//! lock, long names, shutdown, huge forms, uploads. (Idle and
//! byte-at-a-time connections are tested in process, with short limits:
//! `crates/web/tests/limits.rs`.)

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::setup::{seeded, team_env};
use crate::util::{stderr, Env};
use crate::webclient::Server;

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
    let r = crate::setup::try_sign_in(&mut b, "ana", crate::util::PASSWORD);
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
