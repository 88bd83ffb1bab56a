//! Pending versions of published entries (migration V16): `--pending` on
//! `edit`, `add-*` and `remove`, `pending` and its `show`, `publish` and
//! `discard`, `query --pending`; readers' views stay on the live version.

use pretty_assertions::assert_eq;

use crate::util::{shell, stderr, stdout, Env, SLUG};

fn answer(env: &Env, position: i64) -> String {
    env.conn()
        .query_row(
            "SELECT f.answer FROM faqs AS f JOIN comparisons AS c ON c.id = f.comparison_id
             WHERE c.slug = ?1 AND f.position = ?2",
            rusqlite::params![SLUG, position],
            |r| r.get(0),
        )
        .unwrap()
}

fn questions(env: &Env) -> Vec<String> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT f.question FROM faqs AS f JOIN comparisons AS c ON c.id = f.comparison_id
             WHERE c.slug = ?1 ORDER BY f.position",
        )
        .unwrap();
    let rows = stmt.query_map([SLUG], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn a_pending_fix_stays_off_the_site_until_published_as_one_change_naming_its_writers() {
    let env = Env::new();
    env.import_seeds();
    let live_answer = answer(&env, 1);
    let live_questions = questions(&env);
    let site_before = env.output(&["query", "--comparison", SLUG, "--format", "markdown"]);
    env.run_all(&[
        &[
            "--author",
            "ana",
            "edit",
            "faq",
            SLUG,
            "1",
            "--pending",
            "--set",
            "answer=Fixed typo.",
        ],
        &[
            "--author",
            "ben",
            "add-faq",
            SLUG,
            "--pending",
            "--question",
            "Is it new?",
            "--answer",
            "Yes.",
            "--position",
            "1",
        ],
        &[
            "--author",
            "ben",
            "remove",
            "faq",
            SLUG,
            "3",
            "--pending",
            "--yes",
        ],
    ]);
    // Live, the public view and the site's Markdown are untouched, and no
    // change of the content was filed.
    assert_eq!(answer(&env, 1), live_answer);
    assert_eq!(questions(&env), live_questions);
    assert_eq!(env.count("SELECT count(*) FROM changes"), 1);
    let site_now = env.output(&["query", "--comparison", SLUG, "--format", "markdown"]);
    assert_eq!(stdout(&site_now), stdout(&site_before));

    let listed = env.json(&["pending", "--format", "json"]);
    assert_eq!(listed[0]["entry"], format!("comparison {SLUG}"));
    assert_eq!(listed[0]["written_by"], serde_json::json!(["ana", "ben"]));

    let shown = env.json(&["pending", "show", "comparison", SLUG, "--format", "json"]);
    let actions: Vec<&str> = shown["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["added", "changed", "removed"], "{shown}");
    assert_eq!(shown["rows"][1]["fields"][0]["pending"], "Fixed typo.");
    assert_eq!(shown["rows"][1]["fields"][0]["live"], live_answer.as_str());

    // As it will be: the new FAQ first, the fix in the second.
    let will_be = env.json(&[
        "query",
        "--comparison",
        SLUG,
        "--pending",
        "--format",
        "json",
    ]);
    assert_eq!(will_be["faqs"][0]["question"], "Is it new?");
    assert_eq!(will_be["faqs"][1]["answer"], "Fixed typo.");
    assert_eq!(
        will_be["faqs"].as_array().unwrap().len(),
        live_questions.len()
    );

    let out = env.output(&["--author", "pia", "pending", "publish", "comparison", SLUG]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(written by ana, ben)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(answer(&env, 2), "Fixed typo.");
    assert_eq!(questions(&env)[0], "Is it new?");
    assert_eq!(env.count("SELECT count(*) FROM pending_versions"), 0);
    let history = env.json(&["history", "--format", "json", "--limit", "1"]);
    assert_eq!(history[0]["author"], "pia");
    assert_eq!(history[0]["written_by"], "ana, ben");
    let text = stdout(&env.output(&["history", "--limit", "1"]));
    assert!(text.contains("pia (written by ana, ben)"), "{text}");

    // Undone whole: live is as it was.
    let change = history[0]["change"].as_i64().unwrap().to_string();
    env.run_all(&[&["revert", &change]]);
    assert_eq!(answer(&env, 1), live_answer);
    assert_eq!(questions(&env), live_questions);
}

#[test]
fn a_field_changed_live_as_well_is_refused_by_name_and_settled_by_setting_it() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &[
            "edit",
            "faq",
            SLUG,
            "1",
            "--pending",
            "--set",
            "answer=Pending.",
        ],
        // A direct fix of another field merges; of the same field conflicts.
        &["edit", "faq", SLUG, "1", "--set", "question=Live question?"],
        &["edit", "faq", SLUG, "1", "--set", "answer=Live."],
    ]);
    let err = env.fails(&[
        "pending".as_ref(),
        "publish".as_ref(),
        "comparison".as_ref(),
        SLUG.as_ref(),
    ]);
    assert!(
        err.contains(&format!("faq {SLUG} 1: answer was changed live as well")),
        "{err}"
    );
    assert!(err.contains("pending show"), "{err}");
    assert_eq!(answer(&env, 1), "Live.", "nothing was written");
    let shown = stdout(&env.output(&["pending", "show", "comparison", SLUG]));
    assert!(
        shown.contains("live:    Live.") && shown.contains("pending: Pending."),
        "{shown}"
    );

    // Setting the pending text again, as it is, is a choice too.
    env.pending_answer("ana", 1, "Pending.");
    assert!(!stdout(&env.output(&["pending", "show", "comparison", SLUG])).contains("conflict"));
    env.pending_answer("ana", 1, "Merged.");
    env.run_all(&[&["pending", "publish", "comparison", SLUG]]);
    assert_eq!(answer(&env, 1), "Merged.");
    assert_eq!(questions(&env)[0], "Live question?");
}

#[test]
fn discarding_keeps_live_and_a_draft_or_a_part_is_refused() {
    let env = Env::new();
    env.import_seeds();
    let live = answer(&env, 1);
    env.run_all(&[
        &[
            "edit",
            "faq",
            SLUG,
            "1",
            "--pending",
            "--set",
            "answer=Never mind.",
        ],
        &["pending", "discard", "comparison", SLUG],
    ]);
    assert_eq!(answer(&env, 1), live);
    assert_eq!(env.count("SELECT count(*) FROM pending_versions"), 0);
    let err = env.fails(&[
        "pending".as_ref(),
        "discard".as_ref(),
        "comparison".as_ref(),
        SLUG.as_ref(),
    ]);
    assert!(err.contains("has no pending version"), "{err}");

    // A pending version is of a term or a comparison (exit 2: usage).
    let out = env.output(&["pending", "show", "faq", SLUG]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A draft is edited as it is.
    env.run_all(&[&["unpublish", SLUG]]);
    let err = env.fails(&[
        "edit".as_ref(),
        "faq".as_ref(),
        SLUG.as_ref(),
        "1".as_ref(),
        "--pending".as_ref(),
        "--set".as_ref(),
        "answer=x".as_ref(),
    ]);
    assert!(err.contains("is a draft"), "{err}");
    // Removing the entry itself is not a pending change.
    env.run_all(&[&["publish", SLUG]]);
    let err = env.fails(&[
        "remove".as_ref(),
        "comparison".as_ref(),
        SLUG.as_ref(),
        "--pending".as_ref(),
        "--yes".as_ref(),
    ]);
    assert!(err.contains("does not take it down"), "{err}");
}

#[test]
fn a_term_has_a_pending_version_of_its_senses_and_examples() {
    let env = Env::new();
    env.import_seeds();
    let senses = |env: &Env| {
        env.count("SELECT count(*) FROM senses AS s JOIN terms AS t ON t.id = s.term_id WHERE t.term = 'Producer'")
    };
    let before = senses(&env);
    env.run_all(&[
        &[
            "add-sense",
            "Producer",
            "--pending",
            "--definition",
            "A pending sense.",
            "--domain",
            "music",
        ],
        &[
            "add-example",
            "Producer",
            &(before + 1).to_string(),
            "--pending",
            "An example of it.",
        ],
        &[
            "edit",
            "term",
            "Producer",
            "--pending",
            "--set",
            "note=Pending note.",
        ],
    ]);
    assert_eq!(senses(&env), before);
    let will_be = env.json(&[
        "query",
        "--term",
        "producer",
        "--pending",
        "--format",
        "json",
    ]);
    let last = will_be["senses"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["definition"], "A pending sense.");
    assert_eq!(last["examples"][0], "An example of it.");
    assert_eq!(will_be["note"], "Pending note.");
    env.run_all(&[&["pending", "publish", "term", "Producer"]]);
    assert_eq!(senses(&env), before + 1);
    let live = env.json(&["query", "--term", "producer", "--format", "json"]);
    assert_eq!(live["note"], "Pending note.");
}

#[test]
fn a_pending_version_is_reviewed_and_approving_it_publishes_it() {
    let env = Env::new();
    env.import_seeds();
    // Published with no pending version: nothing to review.
    let err = env.fails(&["review".as_ref(), "ready".as_ref(), SLUG.as_ref()]);
    assert!(err.contains("has no pending version"), "{err}");
    env.run_all(&[
        &[
            "--author",
            "ana",
            "edit",
            "faq",
            SLUG,
            "1",
            "--pending",
            "--set",
            "answer=Reviewed fix.",
        ],
        &["--author", "ana", "review", "ready", SLUG],
    ]);
    let listed = stdout(&env.output(&["review", "list"]));
    assert!(
        listed.contains("its pending version, against live"),
        "{listed}"
    );
    assert!(listed.contains("Reviewed fix."), "{listed}");
    env.run_all(&[&["--author", "pia", "review", "approve", SLUG]]);
    assert_eq!(answer(&env, 1), "Reviewed fix.");
    assert_eq!(
        env.count("SELECT count(*) FROM reviews"),
        0,
        "the review ended"
    );
    assert_eq!(env.count("SELECT count(*) FROM pending_versions"), 0);
    // Discarding a version under review ends the review too (the schema's
    // trigger, whoever deletes it).
    env.run_all(&[
        &[
            "edit",
            "faq",
            SLUG,
            "2",
            "--pending",
            "--set",
            "answer=Another.",
        ],
        &["review", "ready", SLUG],
    ]);
    env.conn()
        .execute("DELETE FROM pending_versions", [])
        .unwrap();
    assert_eq!(env.count("SELECT count(*) FROM reviews"), 0);
}

#[test]
fn an_export_and_import_bring_pending_versions_back_whole() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &[
            "--author",
            "ana",
            "edit",
            "faq",
            SLUG,
            "1",
            "--pending",
            "--set",
            "answer=Exported fix.",
        ],
        &[
            "--author",
            "ben",
            "add-faq",
            SLUG,
            "--pending",
            "--question",
            "Round trip?",
            "--answer",
            "Whole.",
        ],
        &[
            "--author",
            "ben",
            "remove",
            "faq",
            SLUG,
            "4",
            "--pending",
            "--yes",
        ],
        &[
            "--author",
            "ana",
            "add-sense",
            "Producer",
            "--pending",
            "--definition",
            "A pending sense.",
        ],
        // A live change after it: the conflict's base must survive too.
        &["edit", "faq", SLUG, "1", "--set", "answer=Live meanwhile."],
        &["export", "out"],
    ]);
    let out = env.dir.path().join("out");
    let file = std::fs::read_to_string(out.join("pending_versions.csv")).unwrap();
    assert!(
        file.starts_with("kind,entry,started_by,started_at,updated_by,updated_at,revision,edits\n"),
        "{file}"
    );
    assert!(
        file.contains("Exported fix.") && file.contains("\"\"keys\"\""),
        "{file}"
    );
    // Readers' export leaves them out.
    env.run_all(&[&["export", "--published-only", "public"]]);
    let public =
        std::fs::read_to_string(env.dir.path().join("public/pending_versions.csv")).unwrap();
    assert_eq!(public.lines().count(), 1, "{public}");

    let copy = env.dir.path().join("copy.db");
    let import = env.cmd_at(&copy).arg("import").arg(&out).output().unwrap();
    assert!(import.status.success(), "{}", stderr(&import));
    let again = env.dir.path().join("again");
    let export = env
        .cmd_at(&copy)
        .arg("export")
        .arg(&again)
        .output()
        .unwrap();
    assert!(export.status.success(), "{}", stderr(&export));
    assert_eq!(
        std::fs::read_to_string(again.join("pending_versions.csv")).unwrap(),
        file,
        "byte-identical after a round trip"
    );
    // And it behaves the same: the conflict is still one.
    let shown = env
        .cmd_at(&copy)
        .args(["pending", "show", "comparison", SLUG])
        .output()
        .unwrap();
    assert!(stdout(&shown).contains("conflict:"), "{}", stdout(&shown));
}

#[test]
fn a_bad_pending_row_is_a_positioned_problem_and_nothing_is_written() {
    let env = Env::new();
    let seeds = env.seeds_copy();
    std::fs::write(
        seeds.join("pending_versions.csv"),
        "kind,entry,started_by,started_at,updated_by,updated_at,revision,edits\n\
         comparison,producer-vs-executive-producer,ana,2026-01-01T00:00:00Z,ana,2026-01-01T00:00:00Z,1,\"[{\"\"kind\"\":\"\"faq\"\",\"\"keys\"\":[\"\"producer-vs-executive-producer\"\",\"\"99\"\"],\"\"set\"\":{}}]\"\n",
    )
    .unwrap();
    let out = env.cmd().arg("import").arg(&seeds).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("pending_versions.csv:2:") && err.contains("no faq at position 99"),
        "{err}"
    );
    assert!(!env.db().exists() || env.count("SELECT count(*) FROM terms") == 0);
}

#[test]
fn check_reports_pending_edits_to_removed_rows_and_versions_of_removed_entries() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &[
            "--author",
            "ana",
            "edit",
            "faq",
            SLUG,
            "1",
            "--pending",
            "--set",
            "answer=Pending.",
        ],
        // Live, the FAQ the version changes goes.
        &["remove", "faq", SLUG, "1", "--yes"],
    ]);
    let out = env.output(&["check", "--format", "json"]);
    assert!(out.status.success(), "warnings only: {}", stderr(&out));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let w207 = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "W207")
        .unwrap_or_else(|| panic!("no W207 in {found}"));
    assert_eq!(w207["table"], "pending_versions");
    let message = w207["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("faq {SLUG} 1")) && message.contains("pending show"),
        "{message}"
    );
    let err = env.fails(&[
        "pending".as_ref(),
        "publish".as_ref(),
        "comparison".as_ref(),
        SLUG.as_ref(),
    ]);
    assert!(err.contains(&format!("faq {SLUG} 1")), "{err}");

    // The article itself goes: its pending version stays, named, until
    // someone discards it.
    env.run_all(&[&["remove", "comparison", SLUG, "--yes"]]);
    let text = stdout(&env.output(&["check"]));
    assert!(
        text.contains(&format!(
            "W206 pending_versions[1] comparison {SLUG}: is a pending version whose entry was removed (1 edit by ana)"
        )),
        "{text}"
    );
    assert!(!text.contains("W207"), "{text}");
    let listed = stdout(&env.output(&["pending"]));
    assert!(listed.contains("its entry was removed"), "{listed}");

    // Edits glossary cannot read (written in the shell) are an error.
    shell(&env)
        .execute(
            "UPDATE pending_versions SET edits = '[{\"kind\": \"faq\", \"id\": 3, \"set\": 7}]'",
            [],
        )
        .unwrap();
    let out = env.output(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("E114 pending_versions[1]"),
        "{}",
        stdout(&out)
    );
}

/// The README's query of pending edits in SQL reads what `--pending`
/// wrote: the row, the field and the pending value.
#[test]
fn the_readme_sql_reads_pending_edits() {
    let env = Env::new();
    env.import_seeds();
    env.pending_answer("editor", 2, "Read in SQL.");
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let start = readme
        .find("SELECT p.label, e.value ->> '$.label'")
        .expect("the README's query of pending edits");
    let sql = &readme[start..start + readme[start..].find(';').unwrap()];
    let conn = shell(&env);
    let row: (String, String, String, String) = conn
        .query_row(sql, [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!(
        row,
        (
            format!("comparison {SLUG}"),
            format!("faq {SLUG} 2"),
            "answer".into(),
            "Read in SQL.".into()
        )
    );
}
