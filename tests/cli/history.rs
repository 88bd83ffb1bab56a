//! History by change: who did what, and undo that brings everything back.

use std::fs;
use std::path::Path;

use crate::util::{stderr, Env, SLUG};

/// The export of the database, file by file.
pub(crate) fn export(env: &Env, name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = env.dir.path().join(name);
    env.cmd()
        .arg("-q")
        .arg("export")
        .arg(&dir)
        .assert()
        .success();
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The number of the newest change.
pub(crate) fn last_change(env: &Env) -> String {
    env.json(&["history", "--limit", "1", "--format", "json"])[0]["change"].to_string()
}

#[test]
fn one_command_is_one_change_and_reverts_whole() {
    let env = Env::new();
    env.import_seeds();
    let before = export(&env, "before");
    env.cmd()
        .args([
            "edit",
            "comparison",
            SLUG,
            "--set",
            "title=T2",
            "--set",
            "summary=S2",
        ])
        .assert()
        .success();
    let v = env.json(&["history", "--limit", "1", "--format", "json"]);
    assert_eq!(v[0]["summary"], "~1 comparison");
    env.cmd()
        .args(["revert", &last_change(&env)])
        .assert()
        .success();
    assert_eq!(export(&env, "after"), before);

    // Removing FAQ 3 of 20 is one change: the 17 that moved up are summed up.
    env.cmd()
        .args(["remove", "faq", SLUG, "3", "--yes"])
        .assert()
        .success();
    let v = env.json(&["history", "--limit", "1", "--format", "json"]);
    assert_eq!(v[0]["summary"], "−1 faq, 17 faqs moved");
    let detail = env.json(&["history", &last_change(&env), "--format", "json"]);
    assert_eq!(detail["revisions"].as_array().unwrap().len(), 1, "{detail}");
    // A removal shows the values removed.
    let removed = &detail["revisions"][0]["changes"];
    assert!(
        removed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "question" && c["old"] == "What does an executive producer do?"),
        "{detail}"
    );
    assert_eq!(detail["moved"][0], "17 faqs moved");

    // Revert of a revert redoes.
    let removal = last_change(&env);
    env.cmd().args(["revert", &removal]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 20);
    env.cmd()
        .args(["revert", &last_change(&env)])
        .assert()
        .success();
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 19);
}

#[test]
fn authors_come_from_the_flag_the_environment_git_or_the_login() {
    let env = Env::new();
    env.import_seeds();
    let home = env.dir.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let gitconfig = home.join("gitconfig");
    fs::write(&gitconfig, "[user]\n\tname = Grace from git\n").unwrap();
    let author_of = |cmd: &mut assert_cmd::Command| -> String {
        cmd.env("HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("USER", "ada-login")
            .args(["add-term", &format!("T{}", rand_suffix())])
            .assert()
            .success();
        env.json(&["history", "--limit", "1", "--format", "json"])[0]["author"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        author_of(
            env.cmd()
                .env("GIT_CONFIG_GLOBAL", &gitconfig)
                .arg("--author")
                .arg("Flag")
        ),
        "Flag"
    );
    assert_eq!(
        author_of(
            env.cmd()
                .env("GIT_CONFIG_GLOBAL", &gitconfig)
                .env("GLOSSARY_AUTHOR", "Env")
        ),
        "Env"
    );
    assert_eq!(
        author_of(
            env.cmd()
                .env("GIT_CONFIG_GLOBAL", &gitconfig)
                .env_remove("GLOSSARY_AUTHOR")
        ),
        "Grace from git"
    );
    assert_eq!(
        author_of(
            env.cmd()
                .env("GIT_CONFIG_GLOBAL", Path::new("/dev/null"))
                .env_remove("GLOSSARY_AUTHOR")
        ),
        "ada-login"
    );
    // history --author lists theirs.
    let v = env.json(&["--author", "Flag", "history", "--format", "json"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

#[test]
fn one_sql_statement_is_one_change() {
    let env = Env::new();
    env.import_seeds();
    env.conn()
        .execute("UPDATE faqs SET answer = answer || ' (checked)'", [])
        .unwrap();
    let v = env.json(&["history", "--limit", "2", "--format", "json"]);
    assert_eq!(v[0]["source"], "sql");
    assert_eq!(v[0]["summary"], "~20 faqs");
    assert_eq!(
        v[1]["command"].as_str().unwrap().split(' ').next(),
        Some("import")
    );
    let before = env.count("SELECT count(*) FROM faqs WHERE answer LIKE '% (checked)'");
    assert_eq!(before, 20);
    env.cmd()
        .args(["revert", &last_change(&env)])
        .assert()
        .success();
    assert_eq!(
        env.count("SELECT count(*) FROM faqs WHERE answer LIKE '% (checked)'"),
        0
    );
}

#[test]
fn revisions_from_before_changes_are_migrated_readable_and_revertable() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["edit", "faq", SLUG, "2", "--set", "answer=Edited before."])
        .assert()
        .success();
    // Back to schema version 5, as the previous glossary left it: the
    // revisions without changes.
    env.conn()
        .execute_batch(crate::util::UNDO_V14_TO_V21)
        .unwrap();
    env.conn()
        .execute_batch(
            "DROP TRIGGER comparisons_published_ends_review; DROP TRIGGER terms_published_ends_review; DROP TABLE reviews; DROP TABLE sessions; DROP TABLE users; DROP TABLE site_settings; DROP INDEX terms_drafts; DROP INDEX comparisons_drafts; DROP INDEX revisions_by_parent;
             DROP TRIGGER revisions_in_a_change; DROP INDEX revisions_by_change;
             ALTER TABLE revisions DROP COLUMN change_id;
             DROP TABLE current_change; DROP TABLE change_ranges; DROP TABLE changes;
             DELETE FROM refinery_schema_history WHERE version >= 6;
             PRAGMA user_version = 5;",
        )
        .unwrap();
    let revisions = env.count("SELECT count(*) FROM revisions");
    let out = env
        .cmd()
        .args(["history", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("from schema version 5 to"),
        "{}",
        stderr(&out)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = v.as_array().unwrap();
    assert!(!changes.is_empty(), "{v}");
    assert!(changes.iter().all(|c| c["source"] == "upgrade"), "{v}");
    assert_eq!(
        env.count("SELECT count(*) FROM revisions"),
        revisions,
        "nothing lost"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM revisions WHERE change_id IS NULL"),
        0
    );
    // The edit, grouped as its own change, reverts.
    assert_eq!(changes[0]["summary"], "~1 faq");
    env.cmd()
        .args(["revert", &changes[0]["change"].to_string()])
        .assert()
        .success();
    assert_eq!(
        env.count(
            "SELECT count(*) FROM faqs WHERE position = 2 AND answer LIKE 'Producers often%'"
        ),
        1
    );
}

mod property {
    //! A random sequence of commands, some of which fail, then every change
    //! reverted newest first: the database is back to its first export.
    use proptest::prelude::*;

    use super::{export, last_change, SLUG};
    use crate::util::stderr;
    use crate::util::Env;

    /// One command, from small random numbers: the kinds of change an
    /// editor makes (adds and removals that move neighbours, moves, edits,
    /// renames, publishing), aimed at the seeded article and terms.
    fn command(pick: u8, a: u8, b: u8) -> Vec<String> {
        let (a, b) = (u32::from(a % 22) + 1, u32::from(b % 22) + 1);
        let words: Vec<String> = match pick % 10 {
            0 => format!("add-faq {SLUG} --question Q{a}-{b}? --answer A{a}. --position {a}")
                .split(' ')
                .map(str::to_string)
                .collect(),
            1 => vec![
                "remove".into(),
                "faq".into(),
                SLUG.into(),
                a.to_string(),
                "--yes".into(),
            ],
            2 => vec![
                "edit".into(),
                "faq".into(),
                SLUG.into(),
                a.to_string(),
                "--set".into(),
                format!("position={b}"),
            ],
            3 => vec![
                "edit".into(),
                "faq".into(),
                SLUG.into(),
                a.to_string(),
                "--set".into(),
                format!("answer=Edited {b}."),
            ],
            4 => vec![
                "add-sense".into(),
                "Producer".into(),
                "--definition".into(),
                format!("Sense {a}."),
                "--example".into(),
                format!("Example {b}."),
            ],
            5 => vec![
                "remove".into(),
                "sense".into(),
                "Producer".into(),
                (a % 8).to_string(),
                "--yes".into(),
            ],
            6 => vec![
                "edit".into(),
                "sense".into(),
                "Executive Producer".into(),
                (a % 6).to_string(),
                "--set".into(),
                format!("sense={}", b % 6),
            ],
            7 => vec![
                "add-difference".into(),
                SLUG.into(),
                format!("Paragraph {a}."),
                "--position".into(),
                (b % 7).to_string(),
            ],
            8 => vec![
                "edit".into(),
                "term".into(),
                "Producer".into(),
                "--set".into(),
                format!("note=Note {a}"),
            ],
            _ => vec!["unpublish".into(), SLUG.into()],
        };
        words
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
            failure_persistence: None,
            .. ProptestConfig::default()
        })]

        #[test]
        fn reverting_every_change_newest_first_returns_to_the_start(
            commands in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 1..12)
        ) {
            let env = Env::new();
            env.import_seeds();
            let start = export(&env, "start");
            let first = last_change(&env).parse::<i64>().unwrap();
            for (pick, a, b) in commands {
                // Some fail (a position past the end, a sense 0): they must
                // leave no change behind.
                env.cmd().args(command(pick, a, b)).output().unwrap();
            }
            let last = last_change(&env).parse::<i64>().unwrap();
            for change in (first + 1..=last).rev() {
                let out = env.cmd().args(["revert", &change.to_string()]).output().unwrap();
                prop_assert!(out.status.success(), "revert {}: {}", change, stderr(&out));
            }
            prop_assert_eq!(export(&env, "end"), start);
            let out = env.cmd().arg("check").output().unwrap();
            prop_assert!(out.status.success(), "{}", crate::util::stdout(&out));
        }
    }
}

#[test]
fn a_change_marker_left_by_hand_is_found_and_cleared() {
    let env = Env::new();
    env.import_seeds();
    env.conn()
        .execute("INSERT INTO current_change (change_id) VALUES (999)", [])
        .unwrap();
    let out = env.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        crate::util::stdout(&out).contains("E113"),
        "{}",
        crate::util::stdout(&out)
    );
    env.cmd().args(["check", "--fix"]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM current_change"), 0);
    // And writes are filed under their own change again.
    env.cmd()
        .args(["--author", "Ada", "add-term", "Gaffer"])
        .assert()
        .success();
    let v = env.json(&["history", "--limit", "1", "--format", "json"]);
    assert_eq!(v[0]["author"], "Ada");
    assert_eq!(v[0]["summary"], "+1 term");
}

#[test]
fn an_entrys_history_lists_each_change_once_with_its_parts_and_examples() {
    let env = Env::new();
    env.import_seeds();
    let slug = "producer-vs-executive-producer";
    env.cmd()
        .args(["edit", "faq", slug, "1", "--set", "answer=Changed once."])
        .assert()
        .success();
    let changes = |args: &[&str]| -> Vec<i64> {
        let v = env.json(&[&["history"], args, &["--format", "json"]].concat());
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["change"].as_i64().unwrap())
            .collect()
    };
    // The import (a range) and the edit (a revision of a part), once each.
    assert_eq!(changes(&["comparison", slug]), [2, 1]);
    // A term's history has its examples' changes too.
    env.cmd()
        .args([
            "edit",
            "example",
            "Producer",
            "1",
            "1",
            "--set",
            "text=A changed example.",
        ])
        .assert()
        .success();
    assert_eq!(changes(&["term", "Producer"]), [3, 1]);
}
