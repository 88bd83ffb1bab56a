use super::*;
use crate::change::Actor;
use crate::db;
use crate::edit::{NewComparison, NewTerm};

fn actor() -> Actor {
    Actor::new(Some("Pat".into()), "test")
}

/// A published article with two FAQs and a difference.
fn article() -> Connection {
    let mut conn = db::open_in_memory().unwrap();
    db::write(&mut conn, &actor(), |tx| {
        for t in ["Producer", "Director"] {
            edit::add_term(
                tx,
                &NewTerm {
                    term: t,
                    part_of_speech: None,
                    note: None,
                    status: Status::Published,
                },
            )?;
        }
        edit::add_comparison(
            tx,
            &NewComparison {
                slug: Some("producer-vs-director"),
                left: "Producer",
                right: "Director",
                title: None,
                summary: Some("Money and vision."),
                published: None,
                status: Status::Published,
            },
        )?;
        edit::add_faq(
            tx,
            "producer-vs-director",
            "Who pays?",
            "The producer.",
            None,
        )?;
        edit::add_faq(
            tx,
            "producer-vs-director",
            "Who directs?",
            "The director.",
            None,
        )?;
        edit::add_difference(tx, "producer-vs-director", "One funds, one films.", None)?;
        Ok(())
    })
    .unwrap();
    conn
}

fn owner(conn: &Connection) -> Entry {
    entry(conn, Kind::Comparison, "producer-vs-director").unwrap()
}

fn faq(conn: &Connection, n: i64) -> Entry {
    edit::find(
        conn,
        Kind::Faq,
        &["producer-vs-director".into(), n.to_string()],
    )
    .unwrap()
}

fn value(conn: &Connection, e: &Entry, field: &str) -> String {
    edit::values(conn, e)
        .unwrap()
        .into_iter()
        .find(|(f, _)| f.name == field)
        .unwrap()
        .1
}

/// Sets `field` of the FAQ at `n` in the pending version, as `by`.
fn pending_set(conn: &mut Connection, by: &str, n: i64, field: &str, to: &str) {
    db::write(conn, &actor(), |tx| {
        let owner = owner(tx);
        change(tx, &owner, by, |c, _| {
            let f = faq(c, n);
            edit::set(c, &f, &[(field.into(), to.into())])?;
            Ok(((), vec![(Kind::Faq, f.id, field.to_string())]))
        })
    })
    .unwrap();
}

#[test]
fn a_pending_change_leaves_the_live_entry_as_it_is_until_published() {
    let mut conn = article();
    pending_set(&mut conn, "Ana", 1, "answer", "The producer, mostly.");
    assert_eq!(value(&conn, &faq(&conn, 1), "answer"), "The producer.");
    let o = owner(&conn);
    let seen = viewed(&conn, &o, |c, _| Ok(value(c, &faq(c, 1), "answer"))).unwrap();
    assert_eq!(seen, "The producer, mostly.");
    // Viewing wrote nothing, and saw no change of its own making.
    assert_eq!(value(&conn, &faq(&conn, 1), "answer"), "The producer.");
    let newest = viewed(&conn, &o, |c, _| crate::store::changes::newest(c)).unwrap();
    assert_eq!(newest, crate::store::changes::newest(&conn).unwrap());
    let shown = show(&conn, &o).unwrap();
    assert_eq!(shown.written_by, vec!["Ana".to_string()]);
    assert_eq!(shown.rows.len(), 1);
    assert_eq!(shown.rows[0].action, "changed");
    assert_eq!(
        shown.rows[0].fields[0].live.as_deref(),
        Some("The producer.")
    );

    let published = db::write(&mut conn, &actor(), |tx| publish(tx, &owner(tx))).unwrap();
    assert_eq!(published.written_by, vec!["Ana".to_string()]);
    assert_eq!(
        value(&conn, &faq(&conn, 1), "answer"),
        "The producer, mostly."
    );
    assert!(of(&conn, &owner(&conn)).unwrap().is_none());
}

#[test]
fn setting_a_field_back_to_live_leaves_no_pending_version() {
    let mut conn = article();
    pending_set(&mut conn, "Ana", 1, "answer", "Changed.");
    pending_set(&mut conn, "Ana", 1, "answer", "The producer.");
    assert!(of(&conn, &owner(&conn)).unwrap().is_none());
}

#[test]
fn live_changes_to_other_fields_merge_and_the_same_field_conflicts() {
    let mut conn = article();
    pending_set(&mut conn, "Ana", 1, "answer", "Pending answer.");
    // A publisher fixes the question live: merges.
    db::write(&mut conn, &actor(), |tx| {
        edit::set(
            tx,
            &faq(tx, 1),
            &[("question".into(), "Who pays for it?".into())],
        )
    })
    .unwrap();
    let o = owner(&conn);
    let (q, a, conflicts) = viewed(&conn, &o, |c, applied| {
        let f = faq(c, 1);
        Ok((
            value(c, &f, "question"),
            value(c, &f, "answer"),
            applied.conflicts.len(),
        ))
    })
    .unwrap();
    assert_eq!(
        (q.as_str(), a.as_str(), conflicts),
        ("Who pays for it?", "Pending answer.", 0)
    );

    // And then changes the answer live too: a conflict, and publishing
    // refuses with the field named, writing nothing.
    db::write(&mut conn, &actor(), |tx| {
        edit::set(tx, &faq(tx, 1), &[("answer".into(), "Live answer.".into())])
    })
    .unwrap();
    let err = db::write(&mut conn, &actor(), |tx| publish(tx, &owner(tx))).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("answer was changed live as well"), "{msg}");
    assert_eq!(value(&conn, &faq(&conn, 1), "answer"), "Live answer.");
    assert!(
        of(&conn, &owner(&conn)).unwrap().is_some(),
        "nothing typed is lost"
    );

    // Setting the answer again in the pending version resolves it.
    pending_set(&mut conn, "Ana", 1, "answer", "Merged answer.");
    db::write(&mut conn, &actor(), |tx| publish(tx, &owner(tx))).unwrap();
    let f = faq(&conn, 1);
    assert_eq!(value(&conn, &f, "answer"), "Merged answer.");
    assert_eq!(value(&conn, &f, "question"), "Who pays for it?");
}

#[test]
fn adds_removals_and_moves_are_part_of_a_pending_version() {
    let mut conn = article();
    db::write(&mut conn, &actor(), |tx| {
        let o = owner(tx);
        change(tx, &o, "Ana", |c, _| {
            edit::add_faq(c, "producer-vs-director", "Who casts?", "Both.", Some(1))?;
            // The old first FAQ is second now: remove it.
            edit::remove(c, &faq(c, 2))?;
            Ok(((), vec![]))
        })
    })
    .unwrap();
    // A second save on top: the added FAQ is found by its place, changed.
    pending_set(
        &mut conn,
        "Ben",
        1,
        "answer",
        "Both, with a casting director.",
    );
    // Live is untouched.
    let questions = |c: &Connection| -> Vec<String> {
        crate::store::faqs::for_comparison(c, crate::model::ComparisonId(owner(c).id))
            .unwrap()
            .into_iter()
            .map(|f| f.question)
            .collect()
    };
    assert_eq!(questions(&conn), vec!["Who pays?", "Who directs?"]);
    let shown = show(&conn, &owner(&conn)).unwrap();
    let actions: Vec<&str> = shown.rows.iter().map(|r| r.action).collect();
    assert_eq!(actions, vec!["added", "removed"], "{:?}", shown.rows);
    assert_eq!(shown.written_by, vec!["Ana".to_string(), "Ben".to_string()]);

    // Live gains a FAQ meanwhile: it stays, after the pending ones.
    db::write(&mut conn, &actor(), |tx| {
        edit::add_faq(
            tx,
            "producer-vs-director",
            "Who edits?",
            "The editor.",
            None,
        )
        .map(drop)
    })
    .unwrap();
    db::write(&mut conn, &actor(), |tx| publish(tx, &owner(tx))).unwrap();
    assert_eq!(
        questions(&conn),
        vec!["Who casts?", "Who directs?", "Who edits?"]
    );
    let answer = value(&conn, &faq(&conn, 1), "answer");
    assert_eq!(answer, "Both, with a casting director.");
}

#[test]
fn a_draft_is_edited_as_it_is() {
    let mut conn = article();
    db::write(&mut conn, &actor(), |tx| {
        edit::set_with(
            tx,
            &owner(tx),
            &[("status".into(), "draft".into())],
            crate::publication::Options::default(),
        )
    })
    .unwrap();
    let err = db::write(&mut conn, &actor(), |tx| {
        let o = owner(tx);
        change(tx, &o, "Ana", |_, _| Ok(((), vec![])))
    })
    .unwrap_err();
    assert!(err.to_string().contains("is a draft"), "{err}");
}

#[test]
fn a_row_removed_live_keeps_its_pending_text_and_blocks_publishing() {
    let mut conn = article();
    pending_set(&mut conn, "Ana", 2, "answer", "Typed with care.");
    db::write(&mut conn, &actor(), |tx| edit::remove(tx, &faq(tx, 2))).unwrap();
    let err = db::write(&mut conn, &actor(), |tx| publish(tx, &owner(tx))).unwrap_err();
    assert!(
        err.to_string().contains("removed from the live entry"),
        "{err}"
    );
    // Another pending change keeps it.
    pending_set(&mut conn, "Ana", 1, "answer", "Other.");
    let p = of(&conn, &owner(&conn)).unwrap().unwrap();
    assert!(p.edits.to_json().contains("Typed with care."));
}

#[test]
fn the_schema_refuses_edits_that_are_not_rows_of_the_entry() {
    let conn = article();
    let id = owner(&conn).id;
    let bad = conn.execute(
        "INSERT INTO pending_versions (owner_kind, comparison_id, label, edits, started_by, updated_by)
         VALUES ('comparison', ?1, 'x', '[{\"kind\": \"sense\", \"id\": 1}]', 'a', 'a')",
        [id],
    );
    assert!(bad
        .unwrap_err()
        .to_string()
        .contains("kind of a row of its entry"));
    let not_json = conn.execute(
        "INSERT INTO pending_versions (owner_kind, comparison_id, label, edits, started_by, updated_by)
         VALUES ('comparison', ?1, 'x', 'nope', 'a', 'a')",
        [id],
    );
    assert!(not_json.is_err());
}
