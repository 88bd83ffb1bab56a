//! The accept loop's limits, in process: the real server (its router, its
//! accept loop) on a loopback port, with limits short enough that a test
//! of a timeout does not wait out the defaults. The process-level tests
//! (`tests/web/limits.rs` at the root) drive `glossary serve` itself; a
//! unit test holds the defaults to what the README says.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use glossary_web::{Limits, Options};

mod support;

/// A server on a fresh database of the seeds, stopped when dropped.
struct Server {
    addr: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(limits: Limits) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = support::database(dir.path(), &[]);
        let (ready, address) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let options = Options {
            ready: Box::new(move |url: &str| ready.send(url.to_string()).unwrap()),
            stop: Some(Box::pin(async move {
                let _ = stopped.await;
            })),
            ..support::options("127.0.0.1:0", limits)
        };
        let thread = std::thread::spawn(move || glossary_web::serve(&db, options).unwrap());
        let url = address.recv_timeout(Duration::from_secs(30)).unwrap();
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
            _dir: dir,
        }
    }

    /// The status line of `GET path`, on a connection of its own.
    fn get(&self, path: &str) -> String {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (got, _) = read_until_closed(&mut s, Duration::from_secs(10));
        String::from_utf8_lossy(&got)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn short() -> Limits {
    Limits {
        header_timeout: Duration::from_secs(1),
        body_start: Duration::from_secs(2),
        body_rate: 1024,
        max_connections: 16,
        grace: Duration::from_secs(1),
    }
}

fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (Vec<u8>, bool) {
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
fn the_defaults_are_the_ones_documented() {
    let d = Limits::default();
    assert_eq!(d.header_timeout, Duration::from_secs(10));
    assert_eq!(d.body_start, Duration::from_secs(20));
    assert_eq!(d.body_rate, 32 << 10);
    assert_eq!(d.max_connections, 256);
    assert_eq!(d.grace, Duration::from_secs(10));
}

#[test]
fn idle_connections_are_cut_off_and_cannot_lock_everyone_out() {
    // Long enough that the idle connections still hold every slot when the
    // one beyond the cap comes, on a busy machine too.
    let limits = Limits {
        header_timeout: Duration::from_secs(3),
        ..short()
    };
    // No request before the idle connections: a connection's slot is freed
    // when its task ends, a moment after the client has seen it closed, so
    // a request just before could still hold one, and the last idle
    // connection would be the one turned away (CI saw this once).
    let server = Server::start(limits);
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = (0..limits.max_connections)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    // Beyond the cap: answered at once, and closed.
    let mut extra = TcpStream::connect(&server.addr).unwrap();
    let (said, closed) = read_until_closed(&mut extra, Duration::from_secs(5));
    assert!(
        closed && said.starts_with(b"HTTP/1.1 503"),
        "closed: {closed}, after {:?}: {:?}",
        started.elapsed(),
        String::from_utf8_lossy(&said)
    );
    assert!(String::from_utf8_lossy(&said).contains("Retry-After: 5"));
    // Those that send nothing are closed after the header timeout.
    for s in &mut idle {
        let (_, closed) = read_until_closed(s, Duration::from_secs(5));
        assert!(
            closed,
            "an idle connection was kept past the header timeout"
        );
    }
    let took = started.elapsed();
    assert!(
        took >= limits.header_timeout,
        "closed before the timeout: {took:?}"
    );
    assert!(took < limits.header_timeout * 4, "{took:?}");
    // And the server answers again.
    assert!(server.get("/").starts_with("HTTP/1.1 200"));
}

#[test]
fn a_header_or_a_body_sent_a_byte_at_a_time_is_cut_off() {
    let limits = short();
    let server = Server::start(limits);
    let trickle = |head: &str| {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let started = Instant::now();
        let mut answer = Vec::new();
        while started.elapsed() < Duration::from_secs(20) {
            if s.write_all(b"a").is_err() {
                break;
            }
            let mut buf = [0u8; 4096];
            match s.read(&mut buf) {
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
        // A byte every 100 ms is a header that never ends: cut off at the
        // header timeout, not served for ever.
        let (took, _) = header.join().unwrap();
        assert!(
            took >= limits.header_timeout && took < limits.header_timeout * 6,
            "a header trickled for {took:?}"
        );
        // 10 bytes a second is slower than the body rate: cut off soon after
        // the body's start allowance.
        let (took, answer) = body.join().unwrap();
        assert!(
            took >= limits.body_start && took < limits.body_start * 6,
            "a body trickled for {took:?}"
        );
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
            "{answer}"
        );
    });
    assert!(server.get("/").starts_with("HTTP/1.1 200"));
}
