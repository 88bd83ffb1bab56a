//! The editor in a real browser: Debian's chromium driven over WebDriver by
//! the system chromedriver (nothing downloaded at run time). An editor
//! opens the seeded article, adds a FAQ, moves it, edits a sense, sees the
//! preview change, undoes the edit from the history page, and meets a
//! second editor's save; every main page is checked with axe-core and
//! saved as a screenshot under `target/screenshots/`.
//!
//! Without chromedriver or chromium on PATH when the tests were built,
//! they are ignored (build.rs), and `cargo test` says so; with
//! `GLOSSARY_BROWSER_TESTS=require` (as `.ci/run` sets) they always run,
//! and fail without a browser.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::util::Env;
use crate::webclient::Server;

fn required() -> bool {
    std::env::var("GLOSSARY_BROWSER_TESTS").is_ok_and(|v| v == "require")
}

fn find_program(name: &str, var: &str) -> Option<PathBuf> {
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
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Option<Driver> {
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

    async fn session(&self) -> Client {
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
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shoot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

/// Waits for `css` to be on the page (after a form's redirect).
async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
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
async fn click_and_load(c: &Client, element: fantoccini::elements::Element) {
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

async fn page_text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Replaces a field's text as a person would: select all, type.
async fn type_into(c: &Client, css: &str, text: &str) {
    let field = wait_for(c, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

fn axe_source() -> Option<String> {
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
async fn accessibility(c: &Client, axe: &str) -> Vec<String> {
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

#[test]
#[cfg_attr(
    no_browser,
    ignore = "no chromedriver or chromium on PATH (Debian: chromium, chromium-driver)"
)]
fn an_editor_works_through_the_browser() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let env = Env::new();
    env.import_seeds();
    let server = Server::start(&env);
    let base = format!("http://{}", server.addr);
    let runtime = runtime();
    runtime.block_on(async {
        let c = driver.session().await;
        let article = format!("{base}/compare/producer-vs-executive-producer");
        let cid: i64 = env.count("SELECT id FROM comparisons WHERE slug = 'producer-vs-executive-producer'");
        let faqs = env.count("SELECT count(*) FROM faqs");

        // Add a FAQ: open "Add a FAQ", fill it in, Add.
        c.goto(&article).await.unwrap();
        shoot(&c, "article").await;
        let add = format!("#faq-new-{cid}-question");
        c.find(Locator::XPath("//summary[contains(., 'Add a FAQ')]")).await.unwrap().click().await.unwrap();
        type_into(&c, &add, "Can one person be both?").await;
        type_into(&c, &format!("#faq-new-{cid}-answer"), "Yes, on small productions.").await;
        let form = c.find(Locator::XPath(&format!("//input[@name='parent' and @value='{cid}']/ancestor::form[.//textarea[@name='question']]"))).await.unwrap();
        click_and_load(&c, form.find(Locator::Css("button:not([form])")).await.unwrap()).await;
        wait_for(&c, ".done").await;
        assert!(page_text(&c).await.contains("Saved: +1 faq"), "{}", page_text(&c).await);
        assert_eq!(env.count("SELECT count(*) FROM faqs"), faqs + 1);
        let fid = env.count("SELECT id FROM faqs WHERE question = 'Can one person be both?'");
        let last = env.count(&format!("SELECT position FROM faqs WHERE id = {fid}"));

        // Move it up with its button.
        let up = c
            .find(Locator::XPath(&format!("//button[@form='up-faq-{fid}']")))
            .await
            .unwrap();
        click_and_load(&c, up).await;
        wait_for(&c, ".done").await;
        assert_eq!(env.count(&format!("SELECT position FROM faqs WHERE id = {fid}")), last - 1);

        // Drag it (the script) back to the end: it is moved by the same
        // move form the buttons post, one place at a time.
        c.goto(&article).await.unwrap();
        let moved = c
            .execute(
                "var items = document.querySelectorAll('[data-kind=faq]');
                 var from = document.querySelector('[data-kind=faq][data-id=\"' + arguments[0] + '\"]');
                 var to = items[items.length - 1];
                 from.dispatchEvent(new DragEvent('dragstart', { bubbles: true }));
                 to.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true }));
                 to.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true }));
                 return items.length;",
                vec![json!(fid)],
            )
            .await
            .unwrap();
        assert_eq!(moved, json!(last));
        let started = Instant::now();
        while env.count(&format!("SELECT position FROM faqs WHERE id = {fid}")) != last {
            assert!(started.elapsed() < Duration::from_secs(10), "the drag did not move the FAQ");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // Edit a sense of Producer: the preview shows the new text.
        let sid = env.count("SELECT s.id FROM senses s JOIN terms t ON t.id = s.term_id WHERE t.term = 'Producer' AND s.sense_number = 2");
        c.goto(&format!("{base}/term/producer")).await.unwrap();
        let field = format!("#sense-{sid}-definition");
        type_into(&c, &field, "A person who runs the making of a film, show or record.").await;
        let save = c.find(Locator::XPath(&format!("//textarea[@id='sense-{sid}-definition']/ancestor::form//button[not(@form)]"))).await.unwrap();
        click_and_load(&c, save).await;
        wait_for(&c, ".done").await;
        shoot(&c, "term").await;
        c.goto(&format!("{article}/preview")).await.unwrap();
        assert!(page_text(&c).await.contains("A person who runs the making of a film, show or record."));

        // Undo it from the history page.
        c.goto(&format!("{base}/history")).await.unwrap();
        shoot(&c, "history").await;
        let change = env.count("SELECT max(id) FROM changes");
        let link = c.find(Locator::Css(&format!("a[href='/history/{change}']"))).await.unwrap();
        click_and_load(&c, link).await;
        wait_for(&c, "h1").await;
        assert!(page_text(&c).await.contains("serve: edit sense"));
        click_and_load(&c, c.find(Locator::XPath("//button[normalize-space()='Undo this change']")).await.unwrap()).await;
        wait_for(&c, ".facts").await;
        assert!(page_text(&c).await.contains(&format!("revert {change}")), "{}", page_text(&c).await);
        c.goto(&format!("{article}/preview")).await.unwrap();
        let preview = page_text(&c).await;
        assert!(preview.contains("A person who oversees the production of a film, show, or music."));
        assert!(!preview.contains("runs the making"));

        // Two editors, one sense: the second save is a conflict to merge.
        let other = driver.session().await;
        c.goto(&format!("{base}/term/producer")).await.unwrap();
        other.goto(&format!("{base}/term/producer")).await.unwrap();
        type_into(&c, &field, "Alice's definition.").await;
        type_into(&other, &field, "Bob's definition.").await;
        for browser in [&c, &other] {
            let save = browser
                .find(Locator::XPath(&format!("//textarea[@id='sense-{sid}-definition']/ancestor::form//button[not(@form)]")))
                .await.unwrap();
            click_and_load(browser, save).await;
        }
        wait_for(&other, "#merge-definition").await;
        let text = page_text(&other).await;
        assert!(text.contains("someone else saved a different text"), "{text}");
        let theirs = other.find(Locator::Css("#theirs-definition")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(theirs.as_deref(), Some("Alice's definition."));
        let mine = other.find(Locator::Css("#merge-definition")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(mine.as_deref(), Some("Bob's definition."));
        shoot(&other, "conflict").await;
        type_into(&other, "#merge-definition", "Alice's and Bob's definition.").await;
        click_and_load(&other, other.find(Locator::XPath("//button[normalize-space()='Save the merged text']")).await.unwrap()).await;
        wait_for(&other, ".done").await;
        let stored: String = env.conn().query_row(&format!("SELECT definition FROM senses WHERE id = {sid}"), [], |r| r.get(0)).unwrap();
        assert_eq!(stored, "Alice's and Bob's definition.");
        other.close().await.unwrap();

        // Search as you type (the script), then without it (the form).
        c.goto(&format!("{base}/")).await.unwrap();
        shoot(&c, "dashboard").await;
        type_into(&c, "#q", "budget").await;
        wait_for(&c, "#results mark").await;
        c.goto(&format!("{base}/search?q=budget")).await.unwrap();
        shoot(&c, "search").await;

        // Every main page: accessible, and on a phone too.
        let pages = [
            "/", "/terms", "/comparisons", "/search?q=budget", "/search?q=prodcer",
            "/term/producer", "/compare/producer-vs-executive-producer",
            "/compare/producer-vs-executive-producer/preview", "/new", "/history", "/history/1", "/import",
        ];
        if let Some(axe) = axe_source() {
            let mut all = Vec::new();
            for p in pages {
                c.goto(&format!("{base}{p}")).await.unwrap();
                for v in accessibility(&c, &axe).await {
                    all.push(format!("{p}: {v}"));
                }
            }
            assert!(all.is_empty(), "accessibility violations:\n{}", all.join("\n"));
        }
        c.set_window_size(390, 844).await.unwrap();
        c.goto(&article).await.unwrap();
        shoot(&c, "article-phone").await;
        let width: serde_json::Value = c
            .execute("return document.documentElement.scrollWidth <= window.innerWidth + 1;", vec![])
            .await
            .unwrap();
        assert_eq!(width, json!(true), "the article page scrolls sideways on a phone");
        c.close().await.unwrap();
    });
}

/// Signs `name` in through the sign-in form the editor redirects to.
async fn sign_in(c: &Client, base: &str, name: &str) {
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

#[test]
#[cfg_attr(
    no_browser,
    ignore = "no chromedriver or chromium on PATH (Debian: chromium, chromium-driver)"
)]
fn a_draft_is_reviewed_sent_back_and_published_through_the_browser() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let env = Env::new();
    env.team();
    let slug = "producer-vs-director";
    env.run_all(&[
        &[
            "edit",
            "comparison",
            slug,
            "--set",
            "summary=Who does what on a film.",
        ],
        &[
            "add-difference",
            slug,
            "A director shapes the film; a producer makes it possible.",
        ],
        &[
            "add-row",
            slug,
            "--aspect",
            "Focus",
            "--left",
            "Money and people",
            "--right",
            "The story on screen",
        ],
        &[
            "add-faq",
            slug,
            "--question",
            "Who hires the director?",
            "--answer",
            "The producer.",
        ],
    ]);
    let server = Server::start(&env);
    let base = format!("http://{}", server.addr);
    let runtime = runtime();
    runtime.block_on(async {
        let axe = axe_source();
        let mut violations = Vec::new();
        let mut check = |page: String, found: Vec<String>| {
            violations.extend(found.into_iter().map(|v| format!("{page}: {v}")));
        };
        let editor = driver.session().await;
        editor.goto(&format!("{base}/")).await.unwrap();
        wait_for(&editor, "#login-name").await;
        shoot(&editor, "login").await;
        if let Some(axe) = &axe {
            check("/login".into(), accessibility(&editor, axe).await);
        }
        sign_in(&editor, &base, "ana").await;
        editor.goto(&format!("{base}/account")).await.unwrap();
        wait_for(&editor, "#current").await;
        if let Some(axe) = &axe {
            check("/account".into(), accessibility(&editor, axe).await);
        }
        // A published article's live version: shown to an editor, its
        // forms locked.
        editor.goto(&format!("{base}/compare/producer-vs-executive-producer?version=live")).await.unwrap();
        wait_for(&editor, "fieldset.locked").await;
        shoot(&editor, "article-locked").await;
        if let Some(axe) = &axe {
            check("/compare/producer-vs-executive-producer (editor)".into(), accessibility(&editor, axe).await);
        }
        let page = format!("{base}/compare/{slug}");
        editor.goto(&page).await.unwrap();
        // An editor has no Publish button; "Ready for review" instead.
        assert!(editor.find(Locator::XPath("//button[normalize-space()='Publish']")).await.is_err());
        click_and_load(&editor, editor.find(Locator::XPath("//button[normalize-space()='Ready for review']")).await.unwrap()).await;
        wait_for(&editor, ".review.ready").await;

        let publisher = driver.session().await;
        sign_in(&publisher, &base, "pia").await;
        publisher.goto(&format!("{base}/review")).await.unwrap();
        wait_for(&publisher, ".queued").await;
        assert!(page_text(&publisher).await.contains("Never published"));
        shoot(&publisher, "review").await;
        if let Some(axe) = &axe {
            check("/review".into(), accessibility(&publisher, axe).await);
        }
        type_into(&publisher, "textarea[name=comment]", "Say who has the final cut.").await;
        click_and_load(&publisher, publisher.find(Locator::XPath("//button[normalize-space()='Send back']")).await.unwrap()).await;
        assert!(page_text(&publisher).await.contains("Say who has the final cut."));

        // The editor sees the comment, changes the FAQ, asks again.
        editor.goto(&page).await.unwrap();
        wait_for(&editor, ".review.sent-back").await;
        assert!(page_text(&editor).await.contains("Sent back by pia"));
        if let Some(axe) = &axe {
            check(format!("/compare/{slug}"), accessibility(&editor, axe).await);
        }
        let fid = env.count("SELECT id FROM faqs WHERE question = 'Who hires the director?'");
        type_into(&editor, &format!("#faq-{fid}-answer"), "The producer, who also decides the final cut.").await;
        let save = editor.find(Locator::XPath(&format!("//textarea[@id='faq-{fid}-answer']/ancestor::form//button[not(@form)]"))).await.unwrap();
        click_and_load(&editor, save).await;
        wait_for(&editor, ".done").await;
        click_and_load(&editor, editor.find(Locator::XPath("//button[normalize-space()='Ready for review again']")).await.unwrap()).await;
        wait_for(&editor, ".review.ready").await;

        // The publisher publishes it, with its draft term.
        publisher.goto(&format!("{base}/review")).await.unwrap();
        wait_for(&publisher, ".queued").await;
        publisher.find(Locator::Css(".decide input[name=with_terms]")).await.unwrap().click().await.unwrap();
        click_and_load(&publisher, publisher.find(Locator::XPath("//button[normalize-space()='Publish']")).await.unwrap()).await;
        wait_for(&publisher, ".badge.published").await;
        let status: String = env.conn().query_row(&format!("SELECT status FROM comparisons WHERE slug = '{slug}'"), [], |r| r.get(0)).unwrap();
        assert_eq!(status, "published");
        let by: String = env.conn().query_row("SELECT author FROM changes ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
        assert_eq!(by, "pia");
        let by: String = env.conn().query_row("SELECT author FROM changes WHERE command LIKE 'serve: edit faq%' ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
        assert_eq!(by, "ana");

        // An admin's accounts page.
        let admin = driver.session().await;
        sign_in(&admin, &base, "ada").await;
        admin.goto(&format!("{base}/accounts")).await.unwrap();
        wait_for(&admin, "#add-name").await;
        shoot(&admin, "accounts").await;
        if let Some(axe) = &axe {
            check("/accounts".into(), accessibility(&admin, axe).await);
        }
        admin.close().await.unwrap();

        // Signing out ends it: the next page asks to sign in again.
        click_and_load(&editor, editor.find(Locator::XPath("//button[normalize-space()='Sign out']")).await.unwrap()).await;
        wait_for(&editor, "#login-name").await;
        editor.goto(&page).await.unwrap();
        wait_for(&editor, "#login-name").await;
        assert!(violations.is_empty(), "accessibility violations:\n{}", violations.join("\n"));
        editor.close().await.unwrap();
        publisher.close().await.unwrap();
    });
}

/// A renamed article's old address, opened in Chromium from the rendered
/// site, lands on the article at its new address.
#[test]
#[cfg_attr(
    no_browser,
    ignore = "no chromedriver or chromium on PATH (Debian: chromium, chromium-driver)"
)]
fn an_old_address_leads_to_the_renamed_article_in_chromium() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let env = Env::new();
    env.import_seeds();
    let out = env.output(&[
        "edit",
        "comparison",
        "producer-vs-executive-producer",
        "--set",
        "slug=producer-or-executive-producer",
    ]);
    assert!(out.status.success());
    let site = env.dir.path().join("site");
    let out = env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
    assert!(out.status.success());
    let old = site.join("compare/producer-vs-executive-producer.html");
    let runtime = runtime();
    runtime.block_on(async {
        let c = driver.session().await;
        c.goto(&format!("file://{}", old.display())).await.unwrap();
        let started = Instant::now();
        loop {
            let url = c.current_url().await.unwrap().to_string();
            if url.ends_with("/compare/producer-or-executive-producer.html") {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the old address stayed at {url}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let h1 = wait_for(&c, "h1").await.text().await.unwrap();
        assert_eq!(
            h1,
            "Producer vs. Executive Producer: What's the Difference?"
        );
        shoot(&c, "redirected").await;
        c.close().await.unwrap();
    });
}
