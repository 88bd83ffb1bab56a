//! `serve --site DIR`: the published site kept in step with every change,
//! whoever makes it.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::util::{stderr, Env, SLUG};
use crate::webclient::Server;

/// Waits until `ok` holds of the file at `path` (its text, None if absent).
fn until(path: &Path, what: &str, ok: impl Fn(Option<String>) -> bool) {
    let started = Instant::now();
    while !ok(std::fs::read_to_string(path).ok()) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{}: {what}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_site_follows_a_live_fix_and_an_unpublish() {
    let env = Env::new();
    env.import_seeds();
    let site = env.dir.path().join("site");
    let _server = Server::start_args(
        &env,
        &["--listen", "127.0.0.1:0", "--site", site.to_str().unwrap()],
        &[],
    );
    let article = site.join(format!("compare/{SLUG}.html"));
    until(&article, "never built", |t| t.is_some());
    // A fix from the command line, beside the server.
    let out = env.output(&[
        "edit",
        "faq",
        SLUG,
        "1",
        "--set",
        "answer=Fixed while live.",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    until(&article, "the fix never reached the page", |t| {
        t.is_some_and(|t| t.contains("Fixed while live."))
    });
    // A pending version leaves the page as it is; publishing it shows it.
    env.pending_answer("editor", 2, "Waiting for review.");
    let out = env.output(&[
        "edit",
        "faq",
        SLUG,
        "3",
        "--set",
        "answer=A live fix after it.",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    until(&article, "the live fix never reached the page", |t| {
        t.is_some_and(|t| t.contains("A live fix after it."))
    });
    let page = std::fs::read_to_string(&article).unwrap();
    assert!(
        !page.contains("Waiting for review."),
        "a pending answer is on the site"
    );
    let out = env.output(&["pending", "publish", "comparison", SLUG]);
    assert!(out.status.success(), "{}", stderr(&out));
    until(
        &article,
        "the published pending version never reached the page",
        |t| t.is_some_and(|t| t.contains("Waiting for review.")),
    );
    // A draft's change writes nothing readers see; an unpublish takes the
    // page down.
    env.cmd().args(["add-term", "Director"]).assert().success();
    env.cmd().args(["unpublish", SLUG]).assert().success();
    until(
        &article,
        "the unpublished article is still on the site",
        |t| t.is_none(),
    );
    assert!(!site.join("terms/director.html").exists());
}
