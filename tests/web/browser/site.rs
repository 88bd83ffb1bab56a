//! The rendered site in Chromium.

use std::time::{Duration, Instant};

use super::*;
use crate::util::Env;

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
