//! Shared set-up: a temp dir with a database path, the seeds, and a way to
//! run the binary and to look at the database's rows afterwards.
//!
//! Both test binaries (`cli` and `web`) include this file, and each uses
//! part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::Connection;
use tempfile::TempDir;

/// The password of the accounts tests add.
pub const PASSWORD: &str = "correct horse battery";

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("glossary.db")
    }

    /// `glossary --db <temp db>`, with an environment that does not depend
    /// on the developer's shell.
    pub fn cmd(&self) -> Command {
        self.cmd_at(&self.db())
    }

    /// [`Env::cmd`] on another database file.
    pub fn cmd_at(&self, db: &Path) -> Command {
        let mut cmd = Command::cargo_bin("glossary").expect("binary");
        cmd.current_dir(self.dir.path())
            .env_remove("GLOSSARY_DB")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("NO_COLOR")
            .env("COLUMNS", "80")
            .arg("--db")
            .arg(db);
        cmd
    }

    /// Runs `glossary ARGS` on this test's database: its output, whatever
    /// its exit status.
    pub fn output(&self, args: &[&str]) -> std::process::Output {
        self.cmd().args(args).output().unwrap()
    }

    /// `glossary --author WHO edit faq SLUG POSITION --pending --set
    /// answer=ANSWER` on the seeds' article, which must succeed.
    pub fn pending_answer(&self, who: &str, position: i64, answer: &str) {
        self.run_all(&[&[
            "--author",
            who,
            "edit",
            "faq",
            SLUG,
            &position.to_string(),
            "--pending",
            "--set",
            &format!("answer={answer}"),
        ]]);
    }

    /// Runs each of `commands` (the arguments after `glossary --db ...`),
    /// which must all succeed.
    pub fn run_all(&self, commands: &[&[&str]]) {
        for args in commands {
            let out = self.output(args);
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        }
    }

    /// Adds the term `name` (published if `publish`) with a sense for each
    /// of `definitions`: the setting most tests of the site start from.
    pub fn add_term(&self, name: &str, publish: bool, definitions: &[&str]) {
        let mut add = vec!["add-term", name];
        if publish {
            add.push("--publish");
        }
        self.run_all(&[&add]);
        for d in definitions {
            self.run_all(&[&["add-sense", name, "--definition", d]]);
        }
    }

    /// Adds the account `name` with `role` and the password [`PASSWORD`].
    pub fn add_user(&self, name: &str, role: &str) {
        let out = self
            .cmd()
            .args(["user", "add", name, "--role", role])
            .write_stdin(format!("{PASSWORD}\n"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }

    /// The seeds, a draft term (Director) and a draft article
    /// (`producer-vs-director`, dated, nothing else in it yet), and three
    /// accounts: ana (editor), pia (publisher), ada (admin).
    pub fn team(&self) {
        self.import_seeds();
        self.run_all(&[
            &["add-term", "Director"],
            &[
                "add-comparison",
                "--left",
                "Producer",
                "--right",
                "Director",
                "--published",
                "2026-11-01",
            ],
        ]);
        for (name, role) in [("ana", "editor"), ("pia", "publisher"), ("ada", "admin")] {
            self.add_user(name, role);
        }
    }

    /// A copy of the project's seeds in this test's dir, to edit.
    pub fn seeds_copy(&self) -> PathBuf {
        let dst = self.dir.path().join("seeds");
        fs::create_dir_all(&dst).unwrap();
        for entry in fs::read_dir(seeds()).unwrap() {
            let path = entry.unwrap().path();
            fs::copy(&path, dst.join(path.file_name().unwrap())).unwrap();
        }
        dst
    }

    /// Writes `name` in `dir` (created if needed) with `content`.
    pub fn write(&self, dir: &str, name: &str, content: &str) -> PathBuf {
        let d = self.dir.path().join(dir);
        fs::create_dir_all(&d).unwrap();
        let p = d.join(name);
        fs::write(&p, content).unwrap();
        d
    }

    /// Runs `glossary ARGS`, which must succeed, and parses its JSON output.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&out)))
    }

    /// Runs `glossary ARGS`, which must fail with exit status 1 (an error,
    /// not a usage mistake), and returns what it said on stderr.
    pub fn fails(&self, args: &[&std::ffi::OsStr]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        stderr(&out)
    }

    pub fn import_seeds(&self) {
        self.cmd().arg("import").arg(seeds()).assert().success();
    }

    pub fn conn(&self) -> Connection {
        Connection::open(self.db()).expect("open db")
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn db_bytes(&self) -> Vec<u8> {
        fs::read(self.db()).expect("db file")
    }
}

/// A connection to `env`'s database like the sqlite3 shell's: foreign
/// keys off.
pub fn shell(env: &Env) -> Connection {
    let conn = env.conn();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn
}

pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Replaces the first `from` in a file by `to`, failing loudly if absent, so
/// a test cannot pass because its edit silently missed.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Turns a current database back into one at schema version 2, as an
/// older glossary left it: no search indexes (V3), deferred indexing
/// (V4), public views (V5) nor changes (V6), version 2 in both places.
pub(crate) fn make_version_2(env: &Env) {
    let conn = env.conn();
    for t in [
        "senses",
        "examples",
        "comparisons",
        "differences",
        "comparison_rows",
        "faqs",
    ] {
        conn.execute_batch(&format!(
            "DROP TRIGGER {t}_fts_insert; DROP TRIGGER {t}_fts_delete; DROP TRIGGER {t}_fts_update; DROP TABLE {t}_fts;"
        ))
        .unwrap();
    }
    conn.execute_batch(UNDO_V14_TO_V21).unwrap();
    // V6 redefined V2's history and gap triggers, V13 its touch triggers:
    // put V2's back.
    let v2 = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/core/migrations/V2__status_history_positions.sql"),
    )
    .unwrap();
    for block in v2.split("CREATE TRIGGER ").skip(1) {
        let name = block.split_whitespace().next().unwrap();
        if name.contains("_history_") || name.ends_with("_close_gap") || name.contains("_touch_") {
            let body = &block[..block.find("END;").unwrap() + 4];
            conn.execute_batch(&format!("DROP TRIGGER {name}; CREATE TRIGGER {body}"))
                .unwrap();
        }
    }
    conn.execute_batch(
        "DROP TRIGGER comparisons_published_ends_review; DROP TRIGGER terms_published_ends_review; DROP TABLE reviews; DROP TABLE sessions; DROP TABLE users; DROP TABLE site_settings; DROP INDEX terms_drafts; DROP INDEX comparisons_drafts; DROP INDEX revisions_by_parent;
         DROP TABLE fts_deferred;
         DROP VIEW public_comparisons; DROP VIEW public_terms;
         DROP TRIGGER revisions_in_a_change; DROP INDEX revisions_by_change;
         ALTER TABLE revisions DROP COLUMN change_id;
         DROP TABLE current_change; DROP TABLE change_ranges; DROP TABLE changes;
         DELETE FROM refinery_schema_history WHERE version >= 3;
         PRAGMA user_version = 2;",
    )
    .unwrap();
}

/// Undoes migrations V14 (redirects), V15 and V17 (schedules), V16
/// (pending versions; its columns go with the tables of changes, which
/// every such test drops), V19 (variants; the triggers naming the
/// history's tables go with them too), V20 (relations) and V21 (a term's
/// `autolink`: its history triggers are left as placeholders under their
/// names, which the older schema's own replace), for a test that goes back
/// to an older schema.
pub const UNDO_V14_TO_V21: &str = "
    DROP TRIGGER terms_history_update; DROP TRIGGER terms_history_delete;
    CREATE TRIGGER terms_history_update AFTER UPDATE ON terms BEGIN SELECT 1; END;
    CREATE TRIGGER terms_history_delete BEFORE DELETE ON terms BEGIN SELECT 1; END;
    ALTER TABLE terms DROP COLUMN autolink;
    DROP TABLE relations;
    DROP TABLE variants;
    DROP TRIGGER terms_key_is_not_a_variant; DROP TRIGGER terms_key_stays_not_a_variant;
    DROP TRIGGER revisions_name_content;
    DROP TABLE pending_versions;
    DROP TABLE schedules;
    DROP TRIGGER comparisons_rename_leaves_redirect; DROP TRIGGER comparisons_insert_ends_redirect;
    DROP TRIGGER terms_rename_leaves_redirect; DROP TRIGGER terms_insert_ends_redirect;
    DROP TABLE redirects;";

/// The status of the seeds' comparison.
pub fn seed_status(env: &Env) -> String {
    env.conn()
        .query_row(
            "SELECT status FROM comparisons WHERE slug = ?1",
            [SLUG],
            |r| r.get(0),
        )
        .unwrap()
}

pub const SLUG: &str = "producer-vs-executive-producer";
pub const DRAFT: &str = "producer-vs-director";
pub const ARTICLE: &str = "/compare/producer-vs-executive-producer";

pub fn user_version(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}
