//! One editor's work in Chromium: the seeded article's forms, a FAQ added
//! and moved, a sense edited, the preview, an undo from the history page,
//! and a second editor's save met.

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
