//! Adding, editing and removing entries from the command line and $EDITOR.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use predicates::prelude::*;

use crate::util::{stderr, stdout, Env};

const SLUG: &str = "producer-vs-executive-producer";

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
            "with 5 senses, 5 examples, 1 comparison,",
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

/// An $EDITOR that runs `script` on the file it is given.
fn editor(env: &Env, script: &str) -> String {
    let path = env.dir.path().join("fake-editor");
    fs::write(&path, format!("#!/bin/sh\nset -e\nf=\"$1\"\n{script}\n")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[test]
fn editor_round_trip_applies_a_valid_document() {
    let env = Env::new();
    env.import_seeds();
    let ed = editor(
        &env,
        "sed -i 's/^answer = .*/answer = \"\"\"\\nYes.\\nOften.\"\"\"/' \"$f\"",
    );
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "faq", SLUG, "4"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("answer:"), "{}", stdout(&out));
    assert_eq!(env.count("SELECT count(*) FROM faqs WHERE position = 4 AND answer = 'Yes.' || char(10) || 'Often.'"), 1);
}

#[test]
fn editor_unchanged_or_emptied_document_changes_nothing() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    for (script, says) in [
        ("true", "no change to"),
        (": > \"$f\"", "empty document: no change to"),
    ] {
        let ed = editor(&env, script);
        env.cmd()
            .env("VISUAL", &ed)
            .args(["edit", "comparison", SLUG])
            .assert()
            .success()
            .stdout(predicate::str::starts_with(says));
    }
    assert_eq!(env.db_bytes(), before);
}

#[test]
fn editor_invalid_document_is_kept_and_nothing_changes() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    let ed = editor(&env, "echo 'answr = \"typo\"' >> \"$f\"");
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "faq", SLUG, "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unknown field \"answr\" (did you mean \"answer\"?)"),
        "{err}"
    );
    let kept = err
        .split("your text is kept in ")
        .nth(1)
        .expect("a kept file")
        .split(';')
        .next()
        .unwrap()
        .trim();
    let text = fs::read_to_string(kept).unwrap();
    assert!(text.contains("answr = \"typo\""), "{text}");
    fs::remove_file(kept).unwrap();
    assert_eq!(env.db_bytes(), before);
}

#[test]
fn a_failing_editor_keeps_the_text() {
    let env = Env::new();
    env.import_seeds();
    let ed = editor(&env, "echo 'half-typed' >> \"$f\"; exit 3");
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "term", "Producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("failed"), "{err}");
    let kept = err
        .split("your text is kept in ")
        .nth(1)
        .expect("kept")
        .split(';')
        .next()
        .unwrap()
        .trim();
    assert!(fs::read_to_string(kept).unwrap().contains("half-typed"));
    fs::remove_file(kept).unwrap();
}

/// Runs `glossary ARGS` on a pseudo-terminal (util-linux `script`), as an
/// editor at a terminal would, feeding `input` to it.
fn on_terminal(env: &Env, editor_path: &str, args: &str, input: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("glossary");
    let command = format!("{} --db {} {args}", bin.display(), env.db().display());
    // timeout(1) keeps a regression (an editor loop) from hanging the suite.
    let mut child = std::process::Command::new("timeout")
        .args(["60", "script", "-qec", &command, "/dev/null"])
        .env("EDITOR", editor_path)
        .env_remove("VISUAL")
        .env("NO_COLOR", "1")
        .current_dir(env.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn on_a_terminal_an_invalid_document_reopens_with_the_error_on_top() {
    let env = Env::new();
    env.import_seeds();
    // First round: a typo. Second round: the error must be on top; fix it.
    let ed = editor(
        &env,
        "if grep -q '^# ERROR: unknown field \"answr\"' \"$f\"; then \
           sed -i '/^answr = /d; s/^answer = .*/answer = \"Fixed.\"/' \"$f\"; \
         else echo 'answr = \"typo\"' >> \"$f\"; fi",
    );
    let out = on_terminal(&env, &ed, &format!("edit faq {SLUG} 2"), "");
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        env.count("SELECT count(*) FROM faqs WHERE position = 2 AND answer = 'Fixed.'"),
        1
    );
}

#[test]
fn on_a_terminal_add_faq_asks_and_remove_confirms() {
    let env = Env::new();
    env.import_seeds();
    let out = on_terminal(
        &env,
        "true",
        &format!("add-faq {SLUG}"),
        "Asked?\nAnswered.\n",
    );
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(
        env.count("SELECT position FROM faqs WHERE question = 'Asked?' AND answer = 'Answered.'"),
        21
    );
    let out = on_terminal(&env, "true", &format!("remove faq {SLUG} 21"), "n\n");
    assert!(stdout(&out).contains("nothing removed"), "{}", stdout(&out));
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 21);
    let out = on_terminal(&env, "true", &format!("remove faq {SLUG} 21"), "y\n");
    assert!(stdout(&out).contains("removed faq"), "{}", stdout(&out));
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 20);
}
