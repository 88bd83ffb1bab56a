//! The command line's corners that an adversarial test and a new editor
//! found (#19): exports that passed for good ones, exit statuses that did
//! not tell the truth, and messages that did not say what a person needed.

use rusqlite::Connection;

use crate::util::{stderr, stdout, Env};

const SLUG: &str = "producer-vs-executive-producer";

/// A connection like the sqlite3 shell's: foreign keys off.
fn shell(env: &Env) -> Connection {
    let conn = env.conn();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn
}

#[test]
fn an_export_of_a_database_check_rejects_is_refused_unless_forced() {
    let env = Env::new();
    env.import_seeds();
    shell(&env)
        .execute("DELETE FROM terms WHERE term = 'Executive Producer'", [])
        .unwrap();
    let out = env.output(&["export", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("cannot export this database") || said.contains("export this database"),
        "{said}"
    );
    assert!(
        said.contains("E101") && said.contains("check --fix") && said.contains("--force"),
        "{said}"
    );
    assert!(
        !env.dir.path().join("out/terms.csv").exists(),
        "files were written"
    );
    let out = env.output(&["export", "--force", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("left out: 6 orphans"),
        "{}",
        stderr(&out)
    );
    assert!(env.dir.path().join("out/terms.csv").exists());
}

#[test]
fn check_names_orphans_by_what_they_say_and_fix_leaves_their_positions() {
    let env = Env::new();
    env.import_seeds();
    let conn = shell(&env);
    conn.execute_batch(
        "INSERT INTO comparisons (slug, left_term_id, right_term_id) VALUES ('gone-vs-soon', 1, 2);
         INSERT INTO faqs (comparison_id, position, question, answer)
           VALUES ((SELECT id FROM comparisons WHERE slug = 'gone-vs-soon'), 3, 'Where did the article go?', 'Deleted in the shell.');
         DELETE FROM comparisons WHERE slug = 'gone-vs-soon';",
    )
    .unwrap();
    let out = env.output(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("faq \"Where did the article go?\""), "{text}");
    let out = env.output(&["check", "--fix"]);
    assert!(
        !stdout(&out).contains("renumbered faqs") && !stderr(&out).contains("renumbered faqs"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(
        env.count("SELECT position FROM faqs WHERE question = 'Where did the article go?'"),
        3
    );
}
