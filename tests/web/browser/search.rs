//! The published site's search in Chromium, served over HTTP as a reader
//! gets it: the search box on every page, results as the reader types,
//! the exact name first, the FAQ that answers a question under its
//! article, the kind filter, and the answer reached by its link.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use super::*;
use crate::util::Env;

/// A directory served over HTTP on loopback by Python's `http.server`
/// (the site's search fetches its index: `file://` pages may not);
/// stopped when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    fn start(dir: &Path) -> Served {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 serves the site");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "no server");
            std::thread::sleep(Duration::from_millis(50));
        }
        Served {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asserts the address the page is at ends with `end` (the search page
/// keeps the query and filters in it, for a link or the back button).
async fn at(c: &Client, end: &str) {
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().ends_with(end), "{url} does not end with {end}");
}

/// The results shown, as (link text, href) in order, once `ready` holds
/// of them.
async fn results_when(
    c: &Client,
    ready: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let started = Instant::now();
    loop {
        // Read in one go: the list is redrawn as results come.
        let links = c
            .execute(
                "return [...document.querySelectorAll('#results a')].map(a => [a.textContent, a.getAttribute('href')]);",
                vec![],
            )
            .await
            .unwrap();
        let found: Vec<(String, String)> = serde_json::from_value(links).unwrap();
        if ready(&found) {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the results never came: {found:?}, status {:?}",
            c.find(Locator::Css("#status")).await.unwrap().text().await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
#[cfg_attr(
    no_browser,
    ignore = "no chromedriver or chromium on PATH (Debian: chromium, chromium-driver)"
)]
fn a_reader_searches_the_site_and_lands_on_the_answer_in_chromium() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let env = Env::new();
    let site = rendered_seeds(&env);
    let served = Served::start(&site);
    let runtime = runtime();
    runtime.block_on(async {
        let axe = axe_source();
        let c = driver.session().await;
        // From an article, with the search box in its header.
        c.goto(&format!(
            "{}/compare/producer-vs-executive-producer.html",
            served.base
        ))
        .await
        .unwrap();
        let boxed = wait_for(&c, "header #site-search").await;
        boxed.send_keys("misconcep").await.unwrap();
        click_and_load(
            &c,
            c.find(Locator::Css("header form button")).await.unwrap(),
        )
        .await;
        at(&c, "/search.html?q=misconcep").await;
        // The first letters of a word find it ("misconception").
        // The article first; its FAQs that answer come under it.
        let found = results_when(&c, |r| r.iter().any(|(t, _)| t.contains("misconception"))).await;
        assert_eq!(
            found[0],
            (
                "Producer vs. Executive Producer: What's the Difference?".to_string(),
                "compare/producer-vs-executive-producer.html".to_string()
            ),
            "{found:?}"
        );
        let (question, href) = found
            .iter()
            .find(|(t, _)| t.contains("misconception"))
            .cloned()
            .expect("the FAQ that holds the word is a result");
        assert!(href.contains("#faq-"), "{href}");
        shoot(&c, "site-search").await;
        if let Some(axe) = &axe {
            let found = accessibility(&c, axe).await;
            assert!(
                found.is_empty(),
                "accessibility violations:\n{}",
                found.join("\n")
            );
        }

        // As the reader types: the exact name first, then the names it
        // begins, then the article.
        type_into(&c, "#q", "executive produc").await;
        let found = results_when(&c, |r| {
            r.first().is_some_and(|(t, _)| t == "Executive Producer")
        })
        .await;
        at(&c, "q=executive+produc").await;
        assert!(found.iter().any(|(_, h)| h.starts_with("compare/")));
        type_into(&c, "#q", "producer").await;
        let found = results_when(&c, |r| r.len() >= 3 && r[0].0 == "Producer").await;
        assert_eq!(found[1].0, "Executive Producer", "{found:?}");
        // Terms only.
        c.find(Locator::XPath("//label[normalize-space()='Terms']/input"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let found = results_when(&c, |r| r.iter().all(|(_, h)| h.starts_with("terms/"))).await;
        assert_eq!(found.len(), 2, "{found:?}");
        at(&c, "kind=term").await;
        // Nothing: said so.
        type_into(&c, "#q", "zzzyzx").await;
        let started = Instant::now();
        loop {
            let status = c
                .find(Locator::Css("#status"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            if status.contains("Nothing found") {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "{status}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // The answer, reached by its link.
        c.goto(&format!("{}/search.html?q=misconcep", served.base))
            .await
            .unwrap();
        results_when(&c, |r| r.iter().any(|(t, _)| *t == question)).await;
        let link = c.find(Locator::LinkText(&question)).await.unwrap();
        click_and_load(&c, link).await;
        let url = c.current_url().await.unwrap();
        let anchor = url.fragment().expect("an anchor").to_string();
        let heading = c
            .find(Locator::Id(&anchor))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(heading, question);
        c.close().await.unwrap();
    });
}
