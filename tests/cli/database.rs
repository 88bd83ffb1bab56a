//! The database file: where it is, versions, foreign files, locks, and the
//! rules the schema enforces on direct edits.

use std::fs;

use predicates::prelude::*;

use crate::util::{seeds, stderr, stdout, Env};

#[test]
fn db_path_comes_from_env_then_default() {
    let env = Env::new();
    let mut cmd = assert_cmd::Command::cargo_bin("glossary").unwrap();
    cmd.current_dir(env.dir.path())
        .env("GLOSSARY_DB", "from-env.db")
        .arg("import")
        .arg(seeds())
        .assert()
        .success();
    assert!(env.dir.path().join("from-env.db").exists());
    let mut cmd = assert_cmd::Command::cargo_bin("glossary").unwrap();
    cmd.current_dir(env.dir.path())
        .env_remove("GLOSSARY_DB")
        .arg("import")
        .arg(seeds())
        .assert()
        .success();
    assert!(env.dir.path().join("glossary.db").exists());
}

#[test]
fn a_database_from_a_newer_glossary_is_refused_untouched() {
    let env = Env::new();
    env.import_seeds();
    env.conn().pragma_update(None, "user_version", 999).unwrap();
    let before = env.db_bytes();
    env.cmd()
        .args(["query", "--term", "producer"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "was written by a newer version of glossary (schema version 999",
        ));
    env.cmd().arg("import").arg(seeds()).assert().code(1);
    assert_eq!(env.db_bytes(), before);
}

#[test]
fn someone_elses_database_is_refused() {
    let env = Env::new();
    env.conn()
        .execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        .unwrap();
    env.cmd()
        .arg("import")
        .arg(seeds())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a glossary database"));
    assert_eq!(
        env.count("SELECT count(*) FROM sqlite_schema WHERE name = 'terms'"),
        0
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let env = Env::new();
    std::fs::write(env.db(), "term,sense\nthis is a CSV file, not a database\n").unwrap();
    env.cmd()
        .args(["query", "--term", "producer"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not an SQLite database"));
}

#[test]
fn a_locked_database_gives_busy_and_its_own_exit_code() {
    let env = Env::new();
    env.import_seeds();
    let conn = env.conn();
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO terms (term) VALUES ('Lock holder');")
        .unwrap();
    let out = env
        .cmd()
        .env("GLOSSARY_BUSY_TIMEOUT", "200")
        .arg("import")
        .arg(seeds())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the database is busy"),
        "{}",
        stderr(&out)
    );
    // Readers are not blocked by the writer (WAL).
    env.cmd()
        .env("GLOSSARY_BUSY_TIMEOUT", "200")
        .args(["query", "--term", "producer"])
        .assert()
        .success();
    conn.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn the_schema_refuses_bad_rows_written_directly() {
    let env = Env::new();
    env.import_seeds();
    let conn = env.conn();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    for bad in [
        "INSERT INTO terms (term) VALUES ('')",
        "INSERT INTO terms (term) VALUES ('PRODUCER')",
        "INSERT INTO senses (term_id, sense_number, definition) VALUES (1, 0, 'x')",
        "INSERT INTO senses (term_id, sense_number, definition) VALUES (1, 1, 'duplicate number')",
        "INSERT INTO senses (term_id, sense_number, definition) VALUES (999, 1, 'no such term')",
        "UPDATE comparisons SET published = '2023-02-30'",
        "UPDATE comparisons SET published = '2 December 2023'",
        "UPDATE comparisons SET slug = 'Not A Slug'",
        "UPDATE comparisons SET right_term_id = left_term_id",
        "UPDATE faqs SET answer = '   ' WHERE position = 1",
        "UPDATE faqs SET position = 2 WHERE position = 1",
    ] {
        assert!(conn.execute(bad, []).is_err(), "accepted: {bad}");
    }
    // Deleting a term takes its senses, examples and comparisons with it.
    conn.execute("DELETE FROM terms WHERE term = 'Producer'", [])
        .unwrap();
    assert_eq!(env.count("SELECT count(*) FROM comparisons"), 0);
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 0);
    assert_eq!(env.count("SELECT count(*) FROM senses"), 5);
}

#[test]
fn help_has_examples() {
    let env = Env::new();
    for sub in [&["--help"][..], &["import", "--help"], &["query", "--help"]] {
        env.cmd()
            .args(sub)
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn the_readme_sql_examples_work_and_pass_check() {
    let env = Env::new();
    env.import_seeds();
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let sql = readme
        .split("-- sqlite3 glossary.db\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README's SQL example");
    env.conn().execute_batch(sql).unwrap();
    env.cmd().arg("check").assert().success();
    env.cmd()
        .args(["query", "--term", "director"])
        .assert()
        .success();
    assert_eq!(
        env.count("SELECT position FROM faqs WHERE question = 'What is a producer?'"),
        2
    );
    // What was typed in the shell is history too, filed under changes of
    // its own (one per statement; statements run within the same
    // millisecond, as a script runs them, may share one).
    let changes = env.json(&["history", "--limit", "20", "--format", "json"]);
    let sql: Vec<&serde_json::Value> = changes
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"] == "sql")
        .collect();
    assert!(!sql.is_empty(), "{changes}");
    assert!(
        sql.iter()
            .any(|c| c["summary"].as_str().unwrap().contains("+1 faq")),
        "{changes}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM revisions WHERE change_id IS NULL"),
        0
    );
}

#[test]
fn only_init_and_import_create_a_database() {
    let env = Env::new();
    let typo = env.dir.path().join("m.db");
    for args in [
        &["add-term", "Y"][..],
        &["add-sense", "Y", "--definition", "d"],
        &["add-comparison", "--left", "A", "--right", "B"],
        &["add-faq", "a-vs-b", "--question", "Q", "--answer", "A"],
        &["edit", "term", "Y", "--set", "note=n"],
        &["remove", "term", "Y", "--yes"],
        &["publish", "a-vs-b"],
        &["unpublish", "--term", "Y"],
        &["check", "--fix"],
        &["history"],
        &["revert", "1"],
        &["query", "--term", "Y"],
        &["export", "out"],
        &["render", "--all", "--out", "site"],
        &["stats"],
    ] {
        let out = env.cmd_at(&typo).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("no glossary database at"), "{args:?}: {err}");
        assert!(err.contains("glossary init"), "{args:?}: {err}");
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
    let out = env.cmd_at(&typo).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("created the glossary database"));
    assert!(typo.exists());
    // Again: nothing to do, and said so.
    let out = env.cmd_at(&typo).arg("init").output().unwrap();
    assert!(out.status.success());
    assert!(stdout(&out).contains("is already a glossary database"));
    env.cmd_at(&typo).args(["add-term", "Y"]).assert().success();
}

#[test]
fn backup_of_a_missing_database_says_there_is_none() {
    let env = Env::new();
    let out = env.cmd().args(["backup", "copy.db"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no glossary database at"), "{err}");
    assert!(!err.contains("cannot be the database itself"), "{err}");
    assert!(!env.db().exists());
    assert!(!env.dir.path().join("copy.db").exists());
}

#[test]
fn read_only_commands_work_while_another_program_writes() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.seeds_copy();
    crate::util::edit(
        &dir.join("differences.csv"),
        "day-to-day management",
        "daily management",
    );
    // Another program holds the write lock, with an uncommitted change.
    let writer = env.conn();
    writer
        .execute_batch(
            "BEGIN IMMEDIATE; UPDATE terms SET note = 'uncommitted' WHERE term = 'Producer';",
        )
        .unwrap();
    let started = std::time::Instant::now();
    let out = env.cmd().arg("check").output().unwrap();
    assert!(out.status.success(), "check: {}", stderr(&out));
    assert!(stdout(&out).contains("0 errors"), "{}", stdout(&out));
    let out = env
        .cmd()
        .args(["import", "--dry-run"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "import --dry-run: {}", stderr(&out));
    assert!(
        stdout(&out).contains("dry run: nothing was written") || stderr(&out).contains("dry run")
    );
    // Neither waited out the busy timeout (5 s) before answering.
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    // A write still waits, then says busy (exit 3).
    let out = env
        .cmd()
        .env("GLOSSARY_BUSY_TIMEOUT", "100")
        .args(["add-term", "Gaffer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    writer.execute_batch("ROLLBACK").unwrap();
    // No snapshot is left beside the database.
    let leftovers: Vec<_> = fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("snapshot"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_busy_timeout_that_is_not_a_number_is_a_usage_error() {
    let env = Env::new();
    env.import_seeds();
    for value in ["abc", "-5", "1.5s"] {
        let out = env
            .cmd()
            .env("GLOSSARY_BUSY_TIMEOUT", value)
            .args(["query", "--term", "producer"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{value}");
        assert!(
            stderr(&out).contains("GLOSSARY_BUSY_TIMEOUT must be a whole number"),
            "{}",
            stderr(&out)
        );
    }
}
