//! Saves that meet other work: the same field saved twice (a conflict
//! with both texts), different fields (both kept), an entry removed
//! meanwhile, another program holding the write lock.

use crate::setup::{id, location, open, save_field, seeded, sense_2, text};
use crate::util::{Env, ARTICLE, SLUG};
use crate::webclient::{Browser, Response, Server};

#[test]
fn a_second_save_of_the_same_field_is_a_conflict_with_both_texts() {
    let (env, server) = seeded();
    let id = sense_2(&env);
    let mut alice = server.browser();
    let mut bob = server.browser();
    let a_page = open(&mut alice, "/term/producer");
    let b_page = open(&mut bob, "/term/producer");
    let was = a_page.hidden("sense", id, "was.definition");
    let save = |b: &mut Browser, page: &Response, domain: &str, definition: &str| {
        b.post(
            "/save",
            &[
                ("csrf", &page.csrf()),
                ("kind", "sense"),
                ("id", &id.to_string()),
                ("domain", domain),
                ("was.domain", "entertainment"),
                ("definition", definition),
                ("was.definition", &was),
            ],
        )
    };
    location(&save(
        &mut alice,
        &a_page,
        "entertainment",
        "Alice's definition.",
    ));
    let r = save(
        &mut bob,
        &b_page,
        "entertainment",
        "Bob's definition <b>bold</b>.",
    );
    assert_eq!(r.status, 409, "{}", r.text());
    let page = r.text();
    // Bob's text (escaped), Alice's saved text and the start, side by side.
    assert!(
        page.contains("Bob&#39;s definition &lt;b&gt;bold&lt;/b&gt;."),
        "{page}"
    );
    assert!(page.contains("Alice&#39;s definition."));
    assert!(page.contains("A person who oversees the production"));
    assert_eq!(
        text(
            &env,
            &format!("SELECT definition FROM senses WHERE id = {id}")
        ),
        "Alice's definition."
    );
    // The merge form saves Bob's merged text over Alice's.
    let merged_was = r.hidden("sense", id, "was.definition");
    assert_eq!(merged_was, "Alice's definition.");
    let r = bob.post(
        "/save",
        &[
            ("csrf", &b_page.csrf()),
            ("kind", "sense"),
            ("id", &id.to_string()),
            ("definition", "Alice's and Bob's definition."),
            ("was.definition", &merged_was),
            ("domain", "entertainment"),
            ("was.domain", "entertainment"),
        ],
    );
    location(&r);
    assert_eq!(
        text(
            &env,
            &format!("SELECT definition FROM senses WHERE id = {id}")
        ),
        "Alice's and Bob's definition."
    );
}

#[test]
fn two_people_changing_different_fields_both_keep_their_work() {
    let (env, server) = seeded();
    let id = sense_2(&env);
    let mut alice = server.browser();
    let mut bob = server.browser();
    let a_page = open(&mut alice, "/term/producer");
    let b_page = open(&mut bob, "/term/producer");
    let was = a_page.hidden("sense", id, "was.definition");
    let sid = id.to_string();
    location(&alice.post(
        "/save",
        &[
            ("csrf", &a_page.csrf()),
            ("kind", "sense"),
            ("id", &sid),
            ("domain", "film"),
            ("was.domain", "entertainment"),
            ("definition", &was),
            ("was.definition", &was),
        ],
    ));
    location(&bob.post(
        "/save",
        &[
            ("csrf", &b_page.csrf()),
            ("kind", "sense"),
            ("id", &sid),
            ("domain", "entertainment"),
            ("was.domain", "entertainment"),
            ("definition", "Bob's."),
            ("was.definition", &was),
        ],
    ));
    let (domain, definition): (String, String) = env
        .conn()
        .query_row(
            &format!("SELECT domain, definition FROM senses WHERE id = {id}"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((domain.as_str(), definition.as_str()), ("film", "Bob's."));
}

#[test]
fn a_form_for_an_entry_removed_meanwhile_keeps_the_text() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let page = open(&mut b, ARTICLE);
    let fid = id(&env, "SELECT id FROM faqs ORDER BY id LIMIT 1");
    let was = page.hidden("faq", fid, "was.question");
    env.cmd()
        .args(["remove", "faq", SLUG, "1", "--yes"])
        .assert()
        .success();
    let r = save_field(
        &mut b,
        &page,
        "faq",
        fid,
        "question",
        "My careful rewrite",
        &was,
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("My careful rewrite"));
    assert!(r.text().contains("no longer there"));
}

#[test]
fn a_save_while_another_program_writes_says_busy_and_keeps_nothing_half_done() {
    let env = Env::new();
    env.import_seeds();
    let server = Server::start_with(&env, &[("GLOSSARY_BUSY_TIMEOUT", "200")]);
    let mut b = server.browser();
    let page = open(&mut b, "/term/producer");
    let sid = sense_2(&env);
    let was = page.hidden("sense", sid, "was.definition");
    // Another program holds the write lock.
    let other = env.conn();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = save_field(
        &mut b,
        &page,
        "sense",
        sid,
        "definition",
        "Typed while busy.",
        &was,
    );
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.text().contains("busy"));
    // Reading goes on meanwhile.
    assert_eq!(b.get("/term/producer").status, 200);
    other.execute_batch("ROLLBACK").unwrap();
    // The same form, sent again, saves.
    let r = save_field(
        &mut b,
        &page,
        "sense",
        sid,
        "definition",
        "Typed while busy.",
        &was,
    );
    location(&r);
    assert_eq!(
        text(
            &env,
            &format!("SELECT definition FROM senses WHERE id = {sid}")
        ),
        "Typed while busy."
    );
}
