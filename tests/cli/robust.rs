//! Robustness: hostile input, killed imports, concurrent editors, schema
//! upgrades and backups. Each case drives the real binary on real files.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::util::{make_version_2, stderr, stdout, user_version, Env, SLUG};

/// Imports `dir` into a seeded database and checks it failed with
/// `message`, without a panic and without writing anything.
fn refused(env: &Env, dir: &Path, message: &str) {
    let before = env.db_bytes();
    let out = env.cmd().arg("import").arg(dir).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}: {}",
        dir.display(),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains(message),
        "expected {message}\nin {}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(
        env.db_bytes(),
        before,
        "{} changed the database",
        dir.display()
    );
}

#[test]
fn hostile_files_get_clear_errors() {
    let env = Env::new();
    env.import_seeds();

    let dir = env.write("nul", "terms.csv", "term,note\nNul,a\0b\n");
    refused(
        &env,
        &dir,
        "terms.csv:2: column \"note\" contains a NUL character",
    );

    let big = "x".repeat(5 << 20);
    let dir = env.write(
        "five-mb",
        "faqs.csv",
        &format!("comparison,position,question,answer\n{SLUG},21,Big?,\"{big}\"\n"),
    );
    refused(&env, &dir, "faqs.csv:2: this row is longer than 1 MiB");

    let header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let dir = env.write(
        "wide",
        "terms.csv",
        &format!("term,{}\nx\n", header.join(",")),
    );
    refused(&env, &dir, "terms.csv:1: unknown column \"c0\"");

    let dir = env.write("binary", "terms.csv", "");
    let noise: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(dir.join("terms.csv"), noise).unwrap();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let dir = env.write("notes", "notes.txt", "hello");
    refused(
        &env,
        &dir.join("notes.txt"),
        "notes.txt: not a file glossary imports",
    );

    let dir = env.dir.path().join("loop");
    fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(dir.join("faqs.csv"), dir.join("faqs.csv")).unwrap();
    refused(&env, &dir.join("faqs.csv"), "faqs.csv");

    let dir = env.dir.path().join("dangling");
    fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("/nonexistent/terms.csv", dir.join("terms.csv")).unwrap();
    refused(&env, &dir.join("terms.csv"), "terms.csv");
}

#[test]
fn a_200_mb_line_is_refused_at_the_cap_without_reading_it_all() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.dir.path().join("huge");
    fs::create_dir_all(&dir).unwrap();
    let mut f = fs::File::create(dir.join("terms.csv")).unwrap();
    f.write_all(b"term,note\nHuge,").unwrap();
    let chunk = vec![b'y'; 1 << 20];
    for _ in 0..200 {
        f.write_all(&chunk).unwrap();
    }
    drop(f);
    let started = Instant::now();
    refused(&env, &dir, "terms.csv:2: this row is longer than 1 MiB");
    // Reading 200 MB would take far longer than stopping at 1 MiB.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn hostile_text_is_stored_exactly() {
    let env = Env::new();
    env.import_seeds();
    let texts = [
        "'); DROP TABLE terms; --",
        "<img src=x onerror=alert(1)>",
        "bell \u{7} escape \u{1b}[31m red",
        "right-to-left \u{202e}txet",
        "combining e\u{301}\u{301}\u{301}",
        "=1+1",
        "+cmd",
        "@SUM(1)",
        "tab\tand\r\ncrlf",
    ];
    let mut csv = String::from("comparison,position,question,answer\n");
    for (i, t) in texts.iter().enumerate() {
        let quoted = format!("\"{}\"", t.replace('"', "\"\""));
        csv.push_str(&format!("{SLUG},{},Q{i}?,{quoted}\n", 21 + i));
    }
    let dir = env.write("hostile", "faqs.csv", &csv);
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for (i, t) in texts.iter().enumerate() {
        let stored: String = env
            .conn()
            .query_row(
                "SELECT answer FROM faqs WHERE question = ?1",
                [format!("Q{i}?")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(&stored, t);
    }
    assert_eq!(
        env.count("SELECT count(*) FROM terms"),
        2,
        "the SQL-looking text ran"
    );
}

/// A generated seed directory of `n` comparisons.
fn generated(env: &Env, n: u64) -> std::path::PathBuf {
    let dir = env.dir.path().join(format!("gen-{n}"));
    crate::generator::generate(n, &dir, 7).unwrap();
    dir
}

fn counts(env: &Env) -> Vec<i64> {
    glossary_core::kind::tables()
        .map(|t| env.count(&format!("SELECT count(*) FROM {t}")))
        .collect()
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_or_nothing() {
    let env = Env::new();
    env.import_seeds();
    let before = counts(&env);
    // Where comparisons and FAQs are in the counts (the registry's order).
    let at = |k: glossary_core::kind::Kind| {
        glossary_core::kind::Kind::ALL
            .iter()
            .position(|x| *x == k)
            .unwrap()
    };
    let (c, f) = (
        at(glossary_core::kind::Kind::Comparison),
        at(glossary_core::kind::Kind::Faq),
    );
    let dir = generated(&env, 300);
    let mut killed = 0;
    for delay_ms in [5u64, 40, 120, 250, 500, 900] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("glossary"))
            .arg("--db")
            .arg(env.db())
            .args(["import", "--quiet"])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
        let now = counts(&env);
        let ok: String = env
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        // All or nothing: as before, or with the whole import (the kill can
        // land just after the commit).
        let whole = now[c] == before[c] + 300 && now[f] == before[f] + 300 * 22;
        assert!(
            now == before || whole,
            "a killed import left part of its rows (after {delay_ms} ms): {now:?}"
        );
        if finished || whole {
            break;
        }
    }
    assert!(killed >= 2, "the import finished before it could be killed");
    env.cmd()
        .args(["import", "--quiet"])
        .arg(&dir)
        .assert()
        .success();
    let after = counts(&env);
    assert_eq!(after[c], before[c] + 300);
    assert_eq!(after[f], before[f] + 300 * 22);
    env.cmd()
        .arg("check")
        .assert()
        .code(predicate::in_iter([0, 1]));
    let out = env
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 0, "{v}");
}

#[test]
fn concurrent_import_edits_readers_and_a_shell_lock() {
    let env = Env::new();
    env.import_seeds();
    let dir = generated(&env, 150);
    let bin = assert_cmd::cargo::cargo_bin("glossary");
    let db = env.db();

    std::thread::scope(|s| {
        let importer = s.spawn(|| {
            let mut codes = Vec::new();
            for _ in 0..3 {
                let st = Command::new(&bin)
                    .arg("--db")
                    .arg(&db)
                    .args(["import", "--quiet"])
                    .arg(&dir)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .unwrap();
                codes.push(st.code());
            }
            codes
        });
        let writer = s.spawn(|| {
            let mut added = Vec::new();
            let mut codes = Vec::new();
            for i in 0..25 {
                let q = format!("Concurrent question {i}?");
                let out = Command::new(&bin)
                    .arg("--db")
                    .arg(&db)
                    .args(["add-faq", SLUG, "--question", &q, "--answer", "Yes."])
                    .output()
                    .unwrap();
                codes.push(out.status.code());
                if out.status.success() {
                    added.push(q);
                } else {
                    assert!(
                        String::from_utf8_lossy(&out.stderr).contains("database is busy"),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            }
            (added, codes)
        });
        let reader = s.spawn(|| {
            let mut codes = Vec::new();
            for _ in 0..25 {
                let out = Command::new(&bin)
                    .arg("--db")
                    .arg(&db)
                    .args(["query", "--term", "producer", "--format", "json"])
                    .env("GLOSSARY_BUSY_TIMEOUT", "200")
                    .output()
                    .unwrap();
                codes.push(out.status.code());
            }
            codes
        });
        let shell = s.spawn(|| {
            // Like a sqlite3 shell user holding a write transaction a moment.
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.busy_timeout(Duration::from_secs(10)).unwrap();
            for _ in 0..3 {
                conn.execute_batch("BEGIN IMMEDIATE; UPDATE terms SET note = note WHERE 0;")
                    .unwrap();
                std::thread::sleep(Duration::from_millis(300));
                conn.execute_batch("COMMIT").unwrap();
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let imports = importer.join().unwrap();
        let (added, writes) = writer.join().unwrap();
        let reads = reader.join().unwrap();
        shell.join().unwrap();
        assert!(
            imports.iter().all(|c| *c == Some(0) || *c == Some(3)),
            "{imports:?}"
        );
        assert!(
            writes.iter().all(|c| *c == Some(0) || *c == Some(3)),
            "{writes:?}"
        );
        assert!(
            reads.iter().all(|c| *c == Some(0)),
            "a reader was blocked: {reads:?}"
        );
        for q in &added {
            assert_eq!(
                env.count(&format!("SELECT count(*) FROM faqs WHERE question = '{q}'")),
                1,
                "{q} was reported added but is missing"
            );
        }
    });
    let ok: String = env
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let out = env
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 0, "{v}");
}

#[test]
fn an_old_database_is_upgraded_in_place_after_a_copy() {
    let env = Env::new();
    env.import_seeds();
    make_version_2(&env);
    let out = env
        .cmd()
        .args(["query", "--search", "day-to-day"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("faq producer-vs-executive-producer 6"),
        "the rebuilt index misses old content"
    );
    assert!(
        stderr(&out).contains(&format!(
            "from schema version 2 to {}; a copy of the old file is at",
            glossary_core::db::latest_version()
        )),
        "{}",
        stderr(&out)
    );
    let copy = env.dir.path().join("glossary.db.v2.bak");
    let old = rusqlite::Connection::open(&copy).unwrap();
    assert_eq!(user_version(&old), 2);
}

#[test]
fn a_failed_upgrade_leaves_the_database_as_it_was() {
    let env = Env::new();
    env.import_seeds();
    make_version_2(&env);
    // Something of the user's in the way of version 3.
    env.conn()
        .execute_batch("CREATE TABLE faqs_fts (x)")
        .unwrap();
    let before = env.db_bytes();
    let out = env
        .cmd()
        .args(["query", "--term", "producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("could not update the database schema"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.db_bytes(), before);
    assert_eq!(user_version(&env.conn()), 2);
}

#[test]
fn backup_writes_a_consistent_copy() {
    let env = Env::new();
    env.import_seeds();
    let copy = env.dir.path().join("copy.db");
    env.cmd()
        .arg("backup")
        .arg(&copy)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("backed up"));
    env.cmd()
        .arg("backup")
        .arg(&copy)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("exists; pass --force"));
    let out = Command::new(assert_cmd::cargo::cargo_bin("glossary"))
        .arg("--db")
        .arg(&copy)
        .args(["query", "--term", "producer", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!env.dir.path().join("copy.db-wal").exists());
    // While a writer holds the database, the backup still completes.
    let conn = env.conn();
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO terms (term) VALUES ('Uncommitted');")
        .unwrap();
    env.cmd()
        .arg("backup")
        .arg("--force")
        .arg(&copy)
        .assert()
        .success();
    conn.execute_batch("ROLLBACK").unwrap();
    let c = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM terms WHERE term = 'Uncommitted'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
}

/// A directory with `n` terms of 10 senses each.
fn big_import(env: &Env, n: usize) -> std::path::PathBuf {
    use std::fmt::Write;
    let mut terms = String::from("term,part_of_speech,note\n");
    let mut senses = String::from("term,sense,domain,definition\n");
    for i in 0..n {
        writeln!(terms, "Term {i},noun,").unwrap();
        for s in 1..=10 {
            writeln!(
                senses,
                "Term {i},{s},,Sense {s} of term {i}: something to read."
            )
            .unwrap();
        }
    }
    let dir = env.dir.path().join("big");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("terms.csv"), terms).unwrap();
    std::fs::write(dir.join("senses.csv"), senses).unwrap();
    dir
}

#[test]
fn ctrl_c_during_an_import_says_what_was_written_and_the_status_agrees() {
    let env = Env::new();
    env.run_all(&[&["init"]]);
    // Big enough that an interrupt lands in it (the steps scale with it).
    let dir = big_import(&env, 2_000);
    let pristine = env.dir.path().join("pristine.db");
    std::fs::copy(env.db(), &pristine).unwrap();
    // How long the whole import takes here, to interrupt it all along.
    let started = std::time::Instant::now();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let whole = started.elapsed();
    let mut seen = std::collections::BTreeSet::new();
    for step in 1..=12u32 {
        std::fs::copy(&pristine, env.db()).unwrap();
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("glossary"))
            .arg("--db")
            .arg(env.db())
            .arg("import")
            .arg(&dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * step / 10);
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let senses = env.count("SELECT count(*) FROM senses");
        let said = stderr(&out);
        match out.status.code() {
            Some(130) => {
                assert_eq!(senses, 0, "exit 130 with rows written: {said}");
                assert!(said.contains("interrupted: nothing was written"), "{said}");
                seen.insert(130);
            }
            Some(0) => {
                assert_eq!(senses, 20_000, "exit 0 with a partial import: {said}");
                seen.insert(0);
            }
            other => panic!("exit {other:?} ({:?}): {said}", out.status),
        }
    }
    assert!(
        seen.contains(&130),
        "no interrupt landed during the import: {seen:?}"
    );
}
