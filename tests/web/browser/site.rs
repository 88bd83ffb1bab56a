//! The rendered site in Chromium: an old address redirected, an
//! auto-link's tooltip, a reader's way through variants, relations and
//! mentions.

use std::time::{Duration, Instant};

use fantoccini::Locator;

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

/// An auto-link's tooltip, in Chromium: hidden until the link has
/// keyboard focus (CSS alone), then the term's definition in the field of
/// the text it is in (a film sense's mention shows the producer's film
/// sense); the page stays clean under axe-core.
#[test]
#[cfg_attr(
    no_browser,
    ignore = "no chromedriver or chromium on PATH (Debian: chromium, chromium-driver)"
)]
fn an_auto_link_shows_its_definition_on_keyboard_focus() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let env = Env::new();
    let site = rendered_seeds(&env);
    let page = site.join("terms/executive-producer.html");
    let runtime = runtime();
    runtime.block_on(async {
        let axe = axe_source();
        let c = driver.session().await;
        c.goto(&format!("file://{}", page.display())).await.unwrap();
        let tip = wait_for(&c, ".term-ref .tip").await;
        assert!(
            !tip.is_displayed().await.unwrap(),
            "the tooltip shows before focus"
        );
        // Tab from the top of the page to the auto-link, as a keyboard
        // user would.
        let link = c.find(Locator::Css(".term-ref a")).await.unwrap();
        let mut focused = false;
        for _ in 0..40 {
            c.active_element()
                .await
                .unwrap()
                .send_keys("\u{e004}")
                .await
                .unwrap();
            let active = c.active_element().await.unwrap();
            if active.attr("aria-describedby").await.unwrap().as_deref() == Some("tip-1") {
                focused = true;
                break;
            }
        }
        assert!(focused, "Tab never reached the auto-link");
        assert!(
            tip.is_displayed().await.unwrap(),
            "the tooltip is hidden on focus"
        );
        let text = tip.text().await.unwrap();
        let definition: String = env
            .conn()
            .query_row(
                "SELECT definition FROM senses JOIN terms ON terms.id = senses.term_id
                 WHERE term = 'Producer' AND domain = 'film'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(text, definition);
        assert_eq!(link.text().await.unwrap(), "producer");
        shoot(&c, "tooltip").await;
        if let Some(axe) = &axe {
            let found = accessibility(&c, axe).await;
            assert!(
                found.is_empty(),
                "accessibility violations:\n{}",
                found.join("\n")
            );
        }
        c.close().await.unwrap();
    });
}

/// A reader's way through the connections, in Chromium: a variant's
/// mention ("EP") in an answer links to the term, whose page names its
/// variants and its narrower term, linked; that term's page says which
/// article mentions it, and that article lists the other comparison of
/// its terms; a term's page names the term whose definition mentions it.
/// The pages stay clean under axe-core.
#[test]
#[cfg_attr(
    no_browser,
    ignore = "no chromedriver or chromium on PATH (Debian: chromium, chromium-driver)"
)]
fn a_reader_follows_a_variant_a_relation_and_a_mention_in_chromium() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let env = Env::new();
    env.import_seeds();
    env.add_term(
        "Showrunner",
        true,
        &["The head writer of a series, often its producer."],
    );
    env.run_all(&[
        &[
            "add-relation",
            "Showrunner",
            "broader",
            "Executive Producer",
        ],
        &[
            "add-comparison",
            "producer-vs-showrunner",
            "--left",
            "Producer",
            "--right",
            "Showrunner",
        ],
        &["publish", "producer-vs-showrunner", "--force"],
        &["add-term", "Crew", "--publish"],
        &[
            "add-sense",
            "Crew",
            "--definition",
            "The people who make a film.",
        ],
        &["add-variant", "Crew", "film crew", "--type", "form"],
        // In the key differences: the first mention there is linked.
        &[
            "edit",
            "difference",
            "producer-vs-executive-producer",
            "1",
            "--set",
            "text=The film crew reports to a producer; on television the showrunner often is one.",
        ],
    ]);
    let site = env.dir.path().join("site");
    let out = env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
    assert!(out.status.success());
    let article = site.join("compare/producer-vs-executive-producer.html");
    let runtime = runtime();
    runtime.block_on(async {
        let axe = axe_source();
        let c = driver.session().await;
        c.goto(&format!("file://{}", article.display()))
            .await
            .unwrap();
        // The variant "film crew" links to Crew's page.
        let link = c
            .find(Locator::XPath("//a[normalize-space()='film crew']"))
            .await
            .unwrap();
        link.click().await.unwrap();
        let h1 = wait_for(&c, "h1").await.text().await.unwrap();
        assert_eq!(h1, "Crew");
        let also = c.find(Locator::Css(".variants")).await.unwrap();
        assert!(also.text().await.unwrap().contains("film crew"));
        // Executive Producer's page: Showrunner is narrower, linked.
        let ep = site.join("terms/executive-producer.html");
        c.goto(&format!("file://{}", ep.display())).await.unwrap();
        let narrower = c
            .find(Locator::XPath(
                "//dt[.='Narrower terms']/following-sibling::dd[1]/a",
            ))
            .await
            .unwrap();
        assert_eq!(narrower.text().await.unwrap(), "Showrunner");
        if let Some(axe) = &axe {
            let found = accessibility(&c, axe).await;
            assert!(found.is_empty(), "violations:\n{}", found.join("\n"));
        }
        narrower.click().await.unwrap();
        assert_eq!(wait_for(&c, "h1").await.text().await.unwrap(), "Showrunner");
        let mentioned = c
            .find(Locator::XPath(
                "//h2[.='Mentioned in']/following-sibling::ul[1]//a",
            ))
            .await
            .unwrap();
        assert!(mentioned
            .text()
            .await
            .unwrap()
            .starts_with("Producer vs. Executive Producer"));
        shoot(&c, "connections").await;
        if let Some(axe) = &axe {
            let found = accessibility(&c, axe).await;
            assert!(found.is_empty(), "violations:\n{}", found.join("\n"));
        }
        // The article it mentions lists the other comparison of its terms.
        mentioned.click().await.unwrap();
        wait_for(&c, "h1").await;
        let more = c
            .find(Locator::XPath(
                "//h2[.='More Comparisons']/following-sibling::ul[1]//a",
            ))
            .await
            .unwrap();
        assert_eq!(
            more.text().await.unwrap(),
            "Producer vs. Showrunner: What's the Difference?"
        );
        more.click().await.unwrap();
        assert_eq!(
            wait_for(&c, "h1").await.text().await.unwrap(),
            "Producer vs. Showrunner: What's the Difference?"
        );
        // Producer's page names the term whose definition mentions it.
        let producer = site.join("terms/producer.html");
        c.goto(&format!("file://{}", producer.display()))
            .await
            .unwrap();
        let by = c
            .find(Locator::XPath(
                "//p[@class='mentioned-by']/a[.='Showrunner']",
            ))
            .await
            .unwrap();
        if let Some(axe) = &axe {
            let found = accessibility(&c, axe).await;
            assert!(found.is_empty(), "violations:\n{}", found.join("\n"));
        }
        by.click().await.unwrap();
        assert_eq!(wait_for(&c, "h1").await.text().await.unwrap(), "Showrunner");
        c.close().await.unwrap();
    });
}
