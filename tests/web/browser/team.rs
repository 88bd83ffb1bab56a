//! A team in Chromium: a draft reviewed, sent back and published; a live
//! article changed through its pending version and published, the site
//! following.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::*;
use crate::util::Env;
use crate::webclient::Server;

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

/// The promise, in Chromium: an editor fixes a typo on a live
/// article, the article never leaves the site (`serve --site` keeps it
/// built), the publisher sees the fix against live in the review queue
/// and publishes it, and the site shows it.
#[test]
#[cfg_attr(
    no_browser,
    ignore = "no chromedriver or chromium on PATH (Debian: chromium, chromium-driver)"
)]
fn a_live_article_is_fixed_through_its_pending_version_and_never_leaves_the_site() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let env = Env::new();
    env.team();
    let slug = crate::util::SLUG;
    let site = env.dir.path().join("site");
    let server = Server::start_args(
        &env,
        &["--listen", "127.0.0.1:0", "--site", site.to_str().unwrap()],
        &[],
    );
    let page_on_site = site.join(format!("compare/{slug}.html"));
    let base = format!("http://{}", server.addr);
    let fid = env.count(&format!(
        "SELECT f.id FROM faqs AS f JOIN comparisons AS c ON c.id = f.comparison_id
         WHERE c.slug = '{slug}' AND f.position = 1"
    ));
    let live_answer: String = env
        .conn()
        .query_row("SELECT answer FROM faqs WHERE id = ?1", [fid], |r| r.get(0))
        .unwrap();
    let fixed = format!("{live_answer} (Fixed in the browser.)");
    let site_text = || std::fs::read_to_string(&page_on_site).unwrap_or_default();
    let started = Instant::now();
    while !site_text().contains("<h1") {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the site was never built"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let runtime = runtime();
    runtime.block_on(async {
        let axe = axe_source();
        let editor = driver.session().await;
        sign_in(&editor, &base, "ana").await;
        editor
            .goto(&format!("{base}/compare/{slug}"))
            .await
            .unwrap();
        wait_for(&editor, ".banner.version").await;
        assert!(page_text(&editor)
            .await
            .contains("You are looking at the pending version"));
        type_into(&editor, &format!("#faq-{fid}-answer"), &fixed).await;
        let save = editor
            .find(Locator::XPath(&format!(
                "//textarea[@id='faq-{fid}-answer']/ancestor::form//button[not(@form)]"
            )))
            .await
            .unwrap();
        click_and_load(&editor, save).await;
        assert!(page_text(&editor)
            .await
            .contains("You are looking at the pending version (saved)"));
        assert_eq!(
            wait_for(&editor, &format!("#faq-{fid}-answer"))
                .await
                .prop("value")
                .await
                .unwrap()
                .as_deref(),
            Some(fixed.as_str())
        );
        shoot(&editor, "pending-version").await;
        if let Some(axe) = &axe {
            let found = accessibility(&editor, axe).await;
            assert!(
                found.is_empty(),
                "accessibility violations on the pending version:\n{}",
                found.join("\n")
            );
        }
        click_and_load(
            &editor,
            editor
                .find(Locator::XPath(
                    "//button[normalize-space()='Pending changes ready for review']",
                ))
                .await
                .unwrap(),
        )
        .await;

        // Live stays as it was, on the site too.
        let live: String = env
            .conn()
            .query_row("SELECT answer FROM faqs WHERE id = ?1", [fid], |r| r.get(0))
            .unwrap();
        assert_eq!(live, live_answer);
        assert!(!site_text().contains("Fixed in the browser."));

        let publisher = driver.session().await;
        sign_in(&publisher, &base, "pia").await;
        publisher.goto(&format!("{base}/review")).await.unwrap();
        wait_for(&publisher, ".queued").await;
        let queue = page_text(&publisher).await;
        assert!(
            queue.contains("Pending changes, against the live version"),
            "{queue}"
        );
        assert!(queue.contains("(Fixed in the browser.)"), "{queue}");
        shoot(&publisher, "review-pending").await;
        click_and_load(
            &publisher,
            publisher
                .find(Locator::XPath("//button[normalize-space()='Publish']"))
                .await
                .unwrap(),
        )
        .await;
        let started = Instant::now();
        while !site_text().contains("Fixed in the browser.") {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the published fix never reached the site"
            );
            // The page was on the site all along.
            assert!(site_text().contains("<h1"), "the article left the site");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (author, written_by): (String, String) = env
            .conn()
            .query_row(
                "SELECT author, written_by FROM changes ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((author.as_str(), written_by.as_str()), ("pia", "ana"));
        editor.close().await.unwrap();
        publisher.close().await.unwrap();
    });
}
