//! Adding, editing and removing entries from the command line and $EDITOR.

use predicates::prelude::*;

use crate::util::{stderr, stdout, Env, SLUG};

fn questions(env: &Env) -> Vec<String> {
    env.conn()
        .prepare("SELECT question FROM faqs ORDER BY position")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Runs the command and checks it failed with `message` and left the
/// database file exactly as it was.
fn refused(env: &Env, args: &[&str], message: &str) {
    let before = env.db_bytes();
    let out = env.cmd().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
    assert!(
        stderr(&out).contains(message),
        "{args:?}:\nexpected {message}\nin {}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "", "{args:?}");
    assert_eq!(env.db_bytes(), before, "{args:?} changed the database");
}

#[test]
fn add_term_starts_as_draft_and_refuses_a_duplicate() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["add-term", "Director", "--part-of-speech", "noun"])
        .assert()
        .success()
        .stdout("added term \"Director\" (draft)\n");
    env.cmd()
        .args(["add-term", "Writer", "--publish"])
        .assert()
        .success()
        .stdout("added term \"Writer\" (published)\n");
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term = 'Director' AND status = 'draft'"),
        1
    );
    refused(
        &env,
        &["add-term", "DIRECTOR"],
        "term \"Director\" already exists",
    );
    refused(&env, &["add-term", "  "], "term cannot be empty");
}

#[test]
fn add_term_after_init() {
    let env = Env::new();
    env.cmd().arg("init").assert().success();
    env.cmd().args(["add-term", "Director"]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM terms"), 1);
}

#[test]
fn add_sense_and_example() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args([
            "add-sense",
            "producer",
            "--definition",
            "A maker of records.",
            "--domain",
            "music",
            "--example",
            "She is a famous record producer.",
        ])
        .assert()
        .success()
        .stdout("added sense \"Producer\" 8\n");
    env.cmd()
        .args(["add-example", "Producer", "8", "He produced three albums."])
        .assert()
        .success()
        .stdout("added example \"Producer\" 8 2\n");
    assert_eq!(
        env.count("SELECT count(*) FROM examples e JOIN senses s ON s.id = e.sense_id WHERE s.sense_number = 8"),
        2
    );
    refused(
        &env,
        &["add-example", "Producer", "9", "x"],
        "term \"Producer\" has no sense 9 (it has senses 1–8)",
    );
    refused(
        &env,
        &["add-example", "Prodcer", "1", "x"],
        "unknown term \"Prodcer\" (did you mean \"Producer\"?)",
    );
    refused(
        &env,
        &["add-sense", "Producer", "--definition", ""],
        "definition cannot be empty",
    );
}

#[test]
fn add_comparison_derives_its_slug() {
    let env = Env::new();
    env.import_seeds();
    env.cmd().args(["add-term", "Director"]).assert().success();
    env.cmd()
        .args([
            "add-comparison",
            "--left",
            "producer",
            "--right",
            "director",
            "--published",
            "2024-01-15",
        ])
        .assert()
        .success()
        .stdout("added comparison producer-vs-director (draft)\n");
    refused(
        &env,
        &[
            "add-comparison",
            "--left",
            "producer",
            "--right",
            "director",
        ],
        "comparison \"producer-vs-director\" already exists",
    );
    refused(
        &env,
        &[
            "add-comparison",
            "x",
            "--left",
            "producer",
            "--right",
            "PRODUCER",
        ],
        "a comparison needs two different terms",
    );
    // A bad date is a usage mistake (exit 2): tests/usage.rs.
    refused(
        &env,
        &[
            "add-comparison",
            "Bad Slug",
            "--left",
            "producer",
            "--right",
            "director",
        ],
        "not a valid slug",
    );
}

#[test]
fn add_faq_appends_or_inserts_and_shifts() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["add-faq", SLUG, "--question", "Last?", "--answer", "Yes."])
        .assert()
        .success()
        .stdout(format!("added faq {SLUG} 21\n"));
    env.cmd()
        .args([
            "add-faq",
            SLUG,
            "--question",
            "First?",
            "--answer",
            "Yes.",
            "--position",
            "1",
        ])
        .assert()
        .success()
        .stdout(format!("added faq {SLUG} 1\n"));
    let q = questions(&env);
    assert_eq!(q.len(), 22);
    assert_eq!(q[0], "First?");
    assert_eq!(q[1], "What is a producer?");
    assert_eq!(q[21], "Last?");
    refused(
        &env,
        &[
            "add-faq",
            SLUG,
            "--question",
            "Q?",
            "--answer",
            "A.",
            "--position",
            "24",
        ],
        "position 24 is past the end (there are 22; use 1 to 23)",
    );
    refused(
        &env,
        &[
            "add-faq",
            SLUG,
            "--question",
            "First?",
            "--answer",
            "Again.",
        ],
        "already has the question \"First?\"",
    );
    refused(
        &env,
        &[
            "add-faq",
            "producer-vs-exec",
            "--question",
            "Q?",
            "--answer",
            "A.",
        ],
        "unknown comparison \"producer-vs-exec\"",
    );
    // Not on a terminal, a missing question is a usage mistake rather than
    // a prompt: tests/usage.rs.
}

#[test]
fn add_difference_and_row() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args([
            "add-difference",
            SLUG,
            "A new second paragraph.",
            "--position",
            "2",
        ])
        .assert()
        .success()
        .stdout(format!("added difference {SLUG} 2\n"));
    assert_eq!(env.count("SELECT count(*) FROM differences"), 6);
    assert_eq!(
        env.count("SELECT position FROM differences WHERE text = 'A new second paragraph.'"),
        2
    );
    env.cmd()
        .args([
            "add-row",
            SLUG,
            "--aspect",
            "Typical Employer",
            "--left",
            "Production company",
            "--right",
            "Studio",
        ])
        .assert()
        .success()
        .stdout(format!(
            "added row {SLUG} \"Typical Employer\" at position 6\n"
        ));
    refused(
        &env,
        &[
            "add-row",
            SLUG,
            "--aspect",
            "Typical Employer",
            "--left",
            "a",
            "--right",
            "b",
        ],
        "already has a chart row \"Typical Employer\"",
    );
}

#[test]
fn edit_with_set_changes_fields_and_moves_entries() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["edit", "faq", SLUG, "3", "--set", "answer=An EP funds it.", "--set", "position=1"])
        .assert()
        .success()
        .stdout(format!(
            "updated faq {SLUG} 1\n    answer: \"An executive producer oversees the project's financial and strategic aspects, often securing funding and making high-level decisions.\" → \"An EP funds it.\"\n    position: 3 → 1\n"
        ));
    let q = questions(&env);
    assert_eq!(
        &q[..3],
        [
            "What does an executive producer do?",
            "What is a producer?",
            "Do producers work on creative aspects?"
        ]
    );
    env.cmd()
        .args(["edit", "faq", SLUG, "1", "--set", "answer=An EP funds it."])
        .assert()
        .success()
        .stdout(format!("no change to faq {SLUG} 1\n"));
    env.cmd()
        .args([
            "edit",
            "row",
            SLUG,
            "Project Influence",
            "--set",
            "position=1",
        ])
        .assert()
        .success();
    assert_eq!(
        env.count("SELECT position FROM comparison_rows WHERE aspect = 'Project Influence'"),
        1
    );
    assert_eq!(
        env.count("SELECT position FROM comparison_rows WHERE aspect = 'Role in Production'"),
        2
    );
    env.cmd()
        .args([
            "edit", "sense", "producer", "7", "--set", "sense=1", "--set", "domain=",
        ])
        .assert()
        .success();
    assert_eq!(
        env.count("SELECT count(*) FROM senses WHERE sense_number = 1 AND domain IS NULL AND definition LIKE 'A person who supervises%'"),
        1
    );
}

#[test]
fn renaming_a_term_keeps_what_refers_to_it() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["edit", "term", "producer", "--set", "term=Line Producer"])
        .assert()
        .success();
    let out = env
        .cmd()
        .args(["query", "--term", "line producer", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["senses"].as_array().unwrap().len(), 7);
    assert_eq!(v["comparisons"][0]["left"], "Line Producer");
    env.cmd()
        .args(["query", "--term", "producer"])
        .assert()
        .code(1);
}

#[test]
fn bad_edits_are_refused_with_a_reason() {
    let env = Env::new();
    env.import_seeds();
    refused(
        &env,
        &["edit", "faq", SLUG, "3", "--set", "answr=x"],
        "unknown field \"answr\" (did you mean \"answer\"?); a FAQ's fields are",
    );
    refused(
        &env,
        &["edit", "faq", SLUG, "3", "--set", "answer= "],
        "answer cannot be empty",
    );
    refused(
        &env,
        &["edit", "faq", SLUG, "30", "--set", "answer=x"],
        "there is no faq at position 30 (positions are 1 to 20)",
    );
    refused(
        &env,
        &["edit", "faq", SLUG, "3", "--set", "position=21"],
        "position: 21 is past the end (the last is 20)",
    );
    refused(
        &env,
        &[
            "edit",
            "faq",
            SLUG,
            "3",
            "--set",
            "question=What is a producer?",
        ],
        "already has one with question \"What is a producer?\"",
    );
    refused(
        &env,
        &["edit", "comparison", SLUG, "--set", "published=2023-02-30"],
        "published: \"2023-02-30\" is not a day of the calendar",
    );
    refused(
        &env,
        &["edit", "comparison", SLUG, "--set", "right=producer"],
        "a comparison needs two different terms",
    );
    refused(
        &env,
        &["edit", "comparison", SLUG, "--set", "slug=Not Ok"],
        "not a valid slug",
    );
    refused(
        &env,
        &["edit", "comparison", SLUG, "--set", "status=live"],
        "status must be draft or published",
    );
    refused(
        &env,
        &[
            "edit",
            "term",
            "Producer",
            "--set",
            "term=executive producer",
        ],
        "term \"Executive Producer\" already exists",
    );
}

#[test]
fn remove_asks_for_yes_says_what_goes_and_closes_the_gap() {
    let env = Env::new();
    env.import_seeds();
    refused(
        &env,
        &["remove", "comparison", SLUG],
        "this would remove comparison producer-vs-executive-producer, with 5 differences, 5 comparison rows, 20 FAQs; add --yes",
    );
    env.cmd()
        .args(["remove", "faq", SLUG, "1", "--yes"])
        .assert()
        .success()
        .stdout(format!("removed faq {SLUG} 1\n"));
    let q = questions(&env);
    assert_eq!(q.len(), 19);
    assert_eq!(q[0], "Do producers work on creative aspects?");
    assert_eq!(env.count("SELECT max(position) FROM faqs"), 19);
    env.cmd()
        .args(["remove", "term", "Executive Producer", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "with 5 senses, 5 examples, 2 variants, 1 comparison,",
        ));
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 0);
}

#[test]
fn publish_and_unpublish() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["unpublish", SLUG])
        .assert()
        .success()
        .stdout(format!("comparison {SLUG} is now draft\n"));
    env.cmd()
        .args(["unpublish", SLUG])
        .assert()
        .success()
        .stdout(format!("comparison {SLUG} is already draft\n"));
    env.cmd()
        .args(["publish", "--term", "producer"])
        .assert()
        .success()
        .stdout("term \"Producer\" is already published\n");
    assert_eq!(
        env.count("SELECT count(*) FROM comparisons WHERE status = 'draft'"),
        1
    );
}
