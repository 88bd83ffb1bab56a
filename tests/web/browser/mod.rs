//! The editor in a real browser: Debian's chromium driven over WebDriver by
//! the system chromedriver (nothing downloaded at run time). This module
//! holds the driver and what every browser test does (wait for a page,
//! click and wait for the next, type as a person would, run axe-core);
//! the tests are in [`editor`] (one editor's work), [`team`] (review, and
//! a live article changed through its pending version), [`site`] (the
//! rendered site) and [`search`] (the rendered site's search). Every main page is checked with axe-core and saved as
//! a screenshot under `target/screenshots/`.
//!
//! Without chromedriver or chromium on PATH when the tests were built,
//! they are ignored (build.rs), and `cargo test` says so; with
//! `GLOSSARY_BROWSER_TESTS=require` (as `.ci/run` sets) they always run,
//! and fail without a browser.

mod editor;
mod search;
mod site;
mod team;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub(super) fn required() -> bool {
    std::env::var("GLOSSARY_BROWSER_TESTS").is_ok_and(|v| v == "require")
}

pub(super) fn find_program(name: &str, var: &str) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(var) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// chromedriver on a free loopback port; stopped when dropped.
pub(super) struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    pub(super) fn start() -> Option<Driver> {
        let (Some(driver), Some(_)) = (
            find_program("chromedriver", "GLOSSARY_CHROMEDRIVER"),
            find_program("chromium", "GLOSSARY_CHROMIUM"),
        ) else {
            assert!(
                !required(),
                "chromedriver and chromium are required (GLOSSARY_BROWSER_TESTS=require)"
            );
            eprintln!("browser test skipped: no chromedriver or chromium on PATH");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Driver { child, url })
    }

    pub(super) async fn session(&self) -> Client {
        let chromium = find_program("chromium", "GLOSSARY_CHROMIUM").unwrap();
        let caps = json!({
            "browserName": "chrome",
            "unhandledPromptBehavior": "accept",
            "goog:chromeOptions": {
                "binary": chromium,
                // A closed network: no background fetches.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--window-size=1280,1000"]
            }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The runtime a test drives its WebDriver sessions on.
pub(super) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub(super) fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(super) async fn shoot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

/// Waits for `css` to be on the page (after a form's redirect).
pub(super) async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    let started = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            return e;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{css} never appeared on {}",
            c.current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks `element`, which submits a form or follows a link, and waits
/// for the next page to have loaded: a page still showing when the click
/// returns must not be mistaken for it.
pub(super) async fn click_and_load(c: &Client, element: fantoccini::elements::Element) {
    c.execute("window.__glossaryOldPage = true;", vec![])
        .await
        .unwrap();
    element.click().await.unwrap();
    let started = Instant::now();
    loop {
        let loaded = c
            .execute(
                "return window.__glossaryOldPage === undefined && document.readyState === 'complete';",
                vec![],
            )
            .await
            .unwrap_or(json!(false));
        if loaded == json!(true) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the next page did not load"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(super) async fn page_text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Replaces a field's text as a person would: select all, type.
pub(super) async fn type_into(c: &Client, css: &str, text: &str) {
    let field = wait_for(c, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub(super) fn axe_source() -> Option<String> {
    let path = std::env::var("GLOSSARY_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            assert!(
                !required(),
                "axe-core is required at {} (GLOSSARY_BROWSER_TESTS=require)",
                path.display()
            );
            eprintln!(
                "accessibility check skipped: no axe-core at {}",
                path.display()
            );
            None
        }
    }
}

/// axe-core's WCAG 2.1 A/AA rules and best practices on the page shown:
/// the violations, one line each.
pub(super) async fn accessibility(c: &Client, axe: &str) -> Vec<String> {
    c.execute(axe, vec![]).await.expect("axe-core loads");
    let script = r#"
        var done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
          .then(function (r) { done(r.violations.map(function (v) {
              return v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(', ');
          })); })
          .catch(function (e) { done(['axe failed: ' + e]); });
    "#;
    let found = c.execute_async(script, vec![]).await.expect("axe runs");
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

/// The seeds imported into `env` and rendered as a site: its directory.
pub(super) fn rendered_seeds(env: &crate::util::Env) -> PathBuf {
    env.import_seeds();
    let site = env.dir.path().join("site");
    let out = env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
    assert!(out.status.success());
    site
}

/// Signs `name` in through the sign-in form the editor redirects to.
pub(super) async fn sign_in(c: &Client, base: &str, name: &str) {
    c.goto(&format!("{base}/")).await.unwrap();
    wait_for(c, "#login-name").await;
    assert!(c
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("/login?next="));
    type_into(c, "#login-name", name).await;
    type_into(c, "#login-password", crate::util::PASSWORD).await;
    click_and_load(c, c.find(Locator::Css("form.login button")).await.unwrap()).await;
    wait_for(c, ".account").await;
    assert!(page_text(c).await.contains(&format!("{name} (")));
}
