//! A bounded load test of `glossary serve`, on loopback only.
//!
//!     cargo run --release --example load -- URL DB [SECONDS] [BROWSERS] [SAVERS] [THINK_MS]
//!
//! URL is a running editor (`http://127.0.0.1:PORT/`), DB its database,
//! which this reads (never writes) to pick pages and to check the saves
//! afterwards. For SECONDS (default 30, at most 600) BROWSERS clients
//! (default 16) open pages one after another (article pages, term pages,
//! previews, lists, searches, the dashboard, history) while SAVERS clients
//! (default 4) each open an article page and save one of its FAQs, as a
//! person would. Each saver edits its own FAQs, so any 409 would be a
//! conflict that should not be. Between requests each client waits
//! THINK_MS on average (default 200: five pages a second a client, more
//! than people click); 0 measures how much the server takes at most.
//!
//! With LOAD_PASSWORD set, every client first signs in, as it would on a
//! team's server: browser B as `load-browser-B`, saver S as `load-saver-S`
//! (1-based; `scripts/load` with ACCOUNTS=1 creates them, browsers as
//! editors, savers as publishers since they change published FAQs).
//!
//! It prints p50/p95/p99/max latency of page views and saves, every status
//! other than 200 and 303, and then checks that every save answered with a
//! redirect is in the database: the FAQ holds the last text saved to it,
//! and the history has one change per save.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use glossary_core::text::url_segment as encode;
use rusqlite::{Connection, OpenFlags};

type Sample = (&'static str, Duration, u16);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: load URL DB [SECONDS] [BROWSERS] [SAVERS]");
        std::process::exit(2);
    }
    let addr = args[0]
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let loopback = addr
        .parse::<std::net::SocketAddr>()
        .is_ok_and(|a| a.ip().is_loopback());
    if !loopback {
        eprintln!("load: {addr} is not a loopback address (127.0.0.1:PORT): refused");
        std::process::exit(2);
    }
    let db = std::path::PathBuf::from(&args[1]);
    let seconds: u64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
        .min(600);
    let browsers: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(16);
    let savers: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(4);
    let think: u64 = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(200);

    let conn =
        Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("the database");
    let pick = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    // Pages spread over the whole file: every 97th slug and term.
    let slugs = pick("SELECT slug FROM comparisons WHERE id % 97 = 0 LIMIT 2000");
    let terms = pick("SELECT term FROM terms WHERE id % 97 = 0 LIMIT 2000");
    let words = [
        "budget", "crew", "studio", "film", "quality", "growth", "producer", "release", "network",
        "zebra",
    ];
    let faqs: Vec<(i64, String)> = {
        let mut stmt = conn
            .prepare(
                "SELECT f.id, c.slug FROM faqs f JOIN comparisons c ON c.id = f.comparison_id
                 WHERE f.comparison_id % 89 = 0 AND f.position = 1 LIMIT 4000",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(
        !slugs.is_empty() && !terms.is_empty() && faqs.len() >= savers,
        "the database is too small"
    );
    let changes_before: i64 = conn
        .query_row(
            "SELECT count(*) FROM changes WHERE command LIKE 'serve: edit faq%'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    let password = std::env::var("LOAD_PASSWORD").ok();
    let first = request(&addr, "GET", "/login", None, None);
    if first.status != 200 && first.status != 303 {
        eprintln!(
            "load: no editor answers at http://{addr}/ (status {}): start `glossary serve` first",
            first.status
        );
        std::process::exit(1);
    }
    // Everyone signs in first; the clock starts when all have (a team
    // does not sign in within one second, and 50 Argon2 checks at once
    // would be what is measured).
    let start = Arc::new(std::sync::Barrier::new(browsers + savers));
    // Texts unique to this run: a save equal to what is stored changes nothing.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let samples: Arc<Mutex<Vec<Sample>>> = Arc::default();
    let saved: Arc<Mutex<HashMap<i64, String>>> = Arc::default();
    let saves_ok = Arc::new(Mutex::new(0u64));
    let mut threads = Vec::new();
    for b in 0..browsers {
        let (addr, slugs, terms, samples, start) = (
            addr.clone(),
            slugs.clone(),
            terms.clone(),
            samples.clone(),
            start.clone(),
        );
        let password = password.clone();
        threads.push(std::thread::spawn(move || {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (b as u64 + 1));
            let mut mine = Vec::new();
            let mut jar = Jar::default();
            if let Some(p) = &password {
                sign_in(
                    &addr,
                    &format!("load-browser-{}", b + 1),
                    p,
                    &mut jar,
                    &mut mine,
                );
            }
            start.wait();
            let stop = Instant::now() + Duration::from_secs(seconds);
            while Instant::now() < stop {
                pause(&mut rng, think);
                let (what, path) = match rng.below(10) {
                    0..=2 => (
                        "article",
                        format!("/compare/{}", encode(&slugs[rng.below(slugs.len())])),
                    ),
                    3 | 4 => (
                        "term",
                        format!("/term/{}", encode(&terms[rng.below(terms.len())])),
                    ),
                    5 => (
                        "preview",
                        format!(
                            "/compare/{}/preview",
                            encode(&slugs[rng.below(slugs.len())])
                        ),
                    ),
                    6 => (
                        "search",
                        format!("/search?q={}", words[rng.below(words.len())]),
                    ),
                    7 => (
                        "list",
                        format!(
                            "/comparisons?after={}",
                            encode(&slugs[rng.below(slugs.len())])
                        ),
                    ),
                    8 => ("history", "/history".to_string()),
                    _ => ("dashboard", "/".to_string()),
                };
                let started = Instant::now();
                let r = request(&addr, "GET", &path, None, jar.header().as_deref());
                jar.keep(&r);
                let took = started.elapsed();
                mine.push(("page", took, r.status));
                mine.push((what, took, r.status));
            }
            samples.lock().unwrap().extend(mine);
        }));
    }
    for s in 0..savers {
        let (addr, samples, saved, saves_ok, start) = (
            addr.clone(),
            samples.clone(),
            saved.clone(),
            saves_ok.clone(),
            start.clone(),
        );
        // Each saver its own FAQs: two savers never meet on one.
        let own: Vec<(i64, String)> = faqs.iter().skip(s).step_by(savers).cloned().collect();
        let password = password.clone();
        threads.push(std::thread::spawn(move || {
            let mut rng = Rng(0x51_7cc1_b727_220a ^ (s as u64 + 101));
            let mut mine = Vec::new();
            let mut jar = Jar::default();
            if let Some(p) = &password {
                sign_in(
                    &addr,
                    &format!("load-saver-{}", s + 1),
                    p,
                    &mut jar,
                    &mut mine,
                );
            }
            start.wait();
            let stop = Instant::now() + Duration::from_secs(seconds);
            let mut n = 0u64;
            while Instant::now() < stop {
                pause(&mut rng, think);
                let (id, slug) = &own[rng.below(own.len())];
                let started = Instant::now();
                let page = request(
                    &addr,
                    "GET",
                    &format!("/compare/{}", encode(slug)),
                    None,
                    jar.header().as_deref(),
                );
                jar.keep(&page);
                mine.push(("page", started.elapsed(), page.status));
                mine.push(("article", started.elapsed(), page.status));
                let html = String::from_utf8_lossy(&page.body);
                let (Some(csrf), Some(question), Some(answer)) = (
                    field(&html, "csrf", None),
                    field(&html, "was.question", Some(*id)),
                    field(&html, "was.answer", Some(*id)),
                ) else {
                    mine.push(("save", Duration::ZERO, 0));
                    continue;
                };
                n += 1;
                let text = format!("Saved by load saver {s}, save {n} of run {run}.");
                let body = form(&[
                    ("csrf", &csrf),
                    ("kind", "faq"),
                    ("id", &id.to_string()),
                    ("question", &question),
                    ("was.question", &question),
                    ("answer", &text),
                    ("was.answer", &answer),
                ]);
                pause(&mut rng, think);
                let started = Instant::now();
                let r = request(&addr, "POST", "/save", Some(&body), jar.header().as_deref());
                mine.push(("save", started.elapsed(), r.status));
                if r.status == 303 {
                    saved.lock().unwrap().insert(*id, text);
                    *saves_ok.lock().unwrap() += 1;
                }
            }
            samples.lock().unwrap().extend(mine);
        }));
    }
    for t in threads {
        t.join().unwrap();
    }

    let samples = samples.lock().unwrap();
    println!(
        "{seconds} s, {browsers} browsing, {savers} saving, {think} ms between requests, on {}",
        db.display()
    );
    for kind in [
        "sign-in",
        "page",
        "save",
        "article",
        "term",
        "preview",
        "search",
        "list",
        "history",
        "dashboard",
    ] {
        let mut times: Vec<Duration> = samples
            .iter()
            .filter(|s| s.0 == kind)
            .map(|s| s.1)
            .collect();
        times.sort();
        if times.is_empty() {
            continue;
        }
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "{kind:>9}: {:>6} requests ({:.0}/s)  p50 {:>6.1} ms  p95 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms",
            times.len(),
            times.len() as f64 / seconds as f64,
            ms(at(0.50)),
            ms(at(0.95)),
            ms(at(0.99)),
            ms(*times.last().unwrap()),
        );
    }
    let mut statuses: HashMap<(&str, u16), u64> = HashMap::new();
    for s in samples
        .iter()
        .filter(|s| matches!(s.0, "page" | "save" | "sign-in") && s.2 != 200 && s.2 != 303)
    {
        *statuses.entry((s.0, s.2)).or_default() += 1;
    }
    let mut failed = !statuses.is_empty();
    for ((kind, status), count) in &statuses {
        println!("  {count} {kind} requests answered {status}");
    }

    // Every save that got its redirect is in the database.
    let saved = saved.lock().unwrap();
    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut missing = 0;
    for (id, text) in saved.iter() {
        let stored: String = conn
            .query_row("SELECT answer FROM faqs WHERE id = ?1", [id], |r| r.get(0))
            .unwrap();
        if &stored != text {
            missing += 1;
        }
    }
    let changes_after: i64 = conn
        .query_row(
            "SELECT count(*) FROM changes WHERE command LIKE 'serve: edit faq%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let ok = *saves_ok.lock().unwrap();
    println!(
        "saves answered 303: {ok}; changes filed: {}; FAQs whose last saved text is not stored: {missing}",
        changes_after - changes_before
    );
    if missing > 0 || (changes_after - changes_before) as u64 != ok {
        failed = true;
    }
    if failed {
        std::process::exit(1);
    }
}

/// Waits half to one and a half times `think` ms, as a person reads.
fn pause(rng: &mut Rng, think: u64) {
    if think > 0 {
        let ms = think / 2 + rng.below(think as usize + 1) as u64;
        std::thread::sleep(Duration::from_millis(ms));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// xorshift: the same pages for the same seed, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

struct Reply {
    status: u16,
    /// Every cookie set: `name=value`.
    cookies: Vec<String>,
    body: Vec<u8>,
}

/// A client's cookies: the CSRF token's and, signed in, the session's.
#[derive(Default)]
struct Jar(Vec<String>);

impl Jar {
    fn keep(&mut self, reply: &Reply) {
        for set in &reply.cookies {
            let name = set.split('=').next().unwrap_or_default();
            self.0.retain(|c| c.split('=').next() != Some(name));
            self.0.push(set.clone());
        }
    }

    fn header(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.0.join("; "))
    }
}

/// Signs in as `name`: the sign-in page, then its form.
fn sign_in(addr: &str, name: &str, password: &str, jar: &mut Jar, samples: &mut Vec<Sample>) {
    let started = Instant::now();
    let page = request(addr, "GET", "/login", None, jar.header().as_deref());
    jar.keep(&page);
    let html = String::from_utf8_lossy(&page.body);
    let csrf = field(&html, "csrf", None).unwrap_or_default();
    let body = form(&[("csrf", &csrf), ("name", name), ("password", password)]);
    let r = request(addr, "POST", "/login", Some(&body), jar.header().as_deref());
    jar.keep(&r);
    samples.push(("sign-in", started.elapsed(), r.status));
}

fn request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    cookie: Option<&str>,
) -> Reply {
    let failed = Reply {
        status: 0,
        cookies: Vec::new(),
        body: Vec::new(),
    };
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return failed;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(c) = cookie {
        head.push_str(&format!("Cookie: {c}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    head.push_str("\r\n");
    head.push_str(body.unwrap_or_default());
    if stream.write_all(head.as_bytes()).is_err() {
        return failed;
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return failed;
    };
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cookies = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .collect();
    Reply {
        status,
        cookies,
        body: raw[end + 4..].to_vec(),
    }
}

/// A hidden field's value: the page's CSRF token, or a field of the form
/// that saves FAQ `id`.
fn field(html: &str, name: &str, id: Option<i64>) -> Option<String> {
    let from = match id {
        Some(id) => {
            let marker = format!(
                "name=\"kind\" value=\"faq\">\n<input type=\"hidden\" name=\"id\" value=\"{id}\">"
            );
            html.find(&marker)?
        }
        None => 0,
    };
    let key = format!("name=\"{name}\" value=\"");
    let at = html[from..].find(&key)? + from + key.len();
    let value = &html[at..at + html[at..].find('"')?];
    Some(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}
