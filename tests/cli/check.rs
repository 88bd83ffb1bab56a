//! `glossary check`, direct edits in SQL, and the revision history.

use predicates::prelude::*;

use crate::util::{shell, stderr, stdout, Env, SLUG};

#[test]
fn seeds_pass_with_two_warnings() {
    let env = Env::new();
    env.import_seeds();
    let out = env.cmd().arg("check").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "W201 senses[11] sense \"Producer\" 6: has no example\n\
         W201 senses[12] sense \"Producer\" 7: has no example\n\
         0 errors, 2 warnings\n"
    );
}

#[test]
fn orphans_left_by_the_shell_are_errors() {
    let env = Env::new();
    env.import_seeds();
    shell(&env)
        .execute("DELETE FROM terms WHERE term = 'Executive Producer'", [])
        .unwrap();
    let out = env
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 8); // 5 senses, 2 variants and 1 comparison
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "E101" && f["table"] == "comparisons" && f["severity"] == "error"));
    assert!(stderr(&out).contains("the database has 8 errors"));
}

#[test]
fn gaps_and_stale_keys_are_found_and_fixed() {
    let env = Env::new();
    env.import_seeds();
    let conn = shell(&env);
    conn.execute(
        "INSERT INTO faqs (comparison_id, position, question, answer) VALUES (1, 30, 'Late?', 'Yes.')",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE terms SET term = 'Prodüzent' WHERE term = 'Producer'",
        [],
    )
    .unwrap();
    let out = env.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("E103 faqs comparison producer-vs-executive-producer: positions should run 1 to 21 but run 1 to 30"), "{text}");
    assert!(text.contains("E107 terms[2] term \"Prodüzent\": lookup key is \"producer\" but should be \"produzent\""), "{text}");
    assert!(stderr(&out).contains("`glossary check --fix` repairs 2 of them"));
    let out = env.cmd().args(["check", "--fix"]).output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("fixed: renumbered faqs"));
    assert_eq!(
        env.count("SELECT position FROM faqs WHERE question = 'Late?'"),
        21
    );
    env.cmd()
        .args(["query", "--term", "produzent"])
        .assert()
        .success();
    // History shows the fix as a change of its own, the FAQ moving from
    // 30 to 21 (not through the transient range).
    let changes = env.json(&["history", "faq", SLUG, "21", "--format", "json"]);
    let fix = &changes[0];
    assert_eq!(fix["command"], "check --fix");
    let detail = env.json(&["history", &fix["change"].to_string(), "--format", "json"]);
    assert!(
        detail["moved"].to_string().contains("1 faq moved"),
        "{detail}"
    );
}

#[test]
fn direct_sql_keeps_the_database_consistent() {
    let env = Env::new();
    env.import_seeds();
    let conn = env.conn();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    // A term typed in without a lookup key is found by name.
    conn.execute("INSERT INTO terms (term) VALUES ('Director')", [])
        .unwrap();
    // Deleting a FAQ closes the gap it leaves.
    conn.execute("DELETE FROM faqs WHERE position = 5", [])
        .unwrap();
    drop(conn);
    env.cmd()
        .args(["query", "--term", "DIRECTOR"])
        .assert()
        .success();
    assert_eq!(env.count("SELECT max(position) FROM faqs"), 19);
    env.cmd().arg("check").assert().success();
}

#[test]
fn history_lists_changes_and_revert_undoes_one_whole() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args([
            "--author",
            "Ada",
            "edit",
            "faq",
            SLUG,
            "2",
            "--set",
            "answer=Sometimes.",
        ])
        .assert()
        .success();
    env.conn()
        .execute("UPDATE comparisons SET title = 'Changed in SQL'", [])
        .unwrap();
    let v = env.json(&["history", "--limit", "2", "--format", "json"]);
    assert_eq!(v[0]["source"], "sql");
    assert_eq!(v[0]["command"], "direct SQL edit");
    assert_eq!(v[0]["summary"], "~1 comparison");
    assert_eq!(v[1]["author"], "Ada");
    assert_eq!(
        v[1]["command"],
        format!("edit faq {SLUG} 2 --set \"answer=Sometimes.\"")
    );
    let edit = v[1]["change"].as_i64().unwrap();
    let detail = env.json(&["history", &edit.to_string(), "--format", "json"]);
    assert_eq!(detail["revisions"][0]["entry"], format!("faq {SLUG} 2"));
    assert_eq!(detail["revisions"][0]["changes"][0]["new"], "Sometimes.");

    // Undo the answer change.
    env.cmd()
        .args(["revert", &edit.to_string()])
        .assert()
        .success();
    assert_eq!(
        env.count("SELECT count(*) FROM faqs WHERE position = 2 AND answer LIKE 'Producers often have significant%'"),
        1
    );
    env.cmd().arg("check").assert().success();
    env.cmd()
        .args(["revert", "99999"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there is no change 99999"));
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
