//! Full-text search (`query --search`): what it finds, how it ranks, its
//! syntax and its errors, and the indexes imports keep.

use predicates::prelude::*;
use pretty_assertions::assert_eq;

use crate::util::{stderr, stdout, Env, SLUG};

fn search(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env
        .cmd()
        .args(["query", "--format", "json", "--search"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn search_finds_what_import_cli_and_sql_added() {
    let env = Env::new();
    env.import_seeds();
    let hits = search(&env, &["day-to-day"]);
    assert!(hits.as_array().unwrap().len() >= 3, "{hits}");
    assert!(
        hits[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("**day-to-day**"),
        "{hits}"
    );

    env.cmd()
        .args([
            "add-faq",
            SLUG,
            "--question",
            "Do zebras produce films?",
            "--answer",
            "Rarely.",
        ])
        .assert()
        .success();
    let hits = search(&env, &["zebras"]);
    assert_eq!(hits[0]["entry"], format!("faq {SLUG} 21"));

    env.conn()
        .execute(
            "UPDATE senses SET definition = 'A quokka keeper.' WHERE sense_number = 6",
            [],
        )
        .unwrap();
    let hits = search(&env, &["quokka"]);
    assert_eq!(hits[0]["entry"], "sense \"Producer\" 6");
    assert_eq!(hits[0]["term"], "Producer");
    assert_eq!(hits[0]["sense"], 6);
    // Changed away, no longer found; deleted, gone from the index too.
    env.conn()
        .execute(
            "DELETE FROM faqs WHERE question = 'Do zebras produce films?'",
            [],
        )
        .unwrap();
    assert_eq!(search(&env, &["zebras"]), serde_json::json!([]));
    env.cmd().arg("check").assert().success();
}

#[test]
fn search_ranks_the_best_hit_first() {
    let env = Env::new();
    let dir = env.write("in", "terms.csv", "term\nAlpha\nBeta\nGamma\n");
    env.write(
        "in",
        "senses.csv",
        "term,sense,definition\n\
         Alpha,1,\"A long definition about many things, among them once a budget, and plenty of other words to dilute it.\"\n\
         Beta,1,Budget budget budget.\n\
         Gamma,1,Nothing relevant here.\n",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    let hits = search(&env, &["budget"]);
    let entries: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["entry"].as_str().unwrap())
        .collect();
    assert_eq!(entries, ["sense \"Beta\" 1", "sense \"Alpha\" 1"]);
}

#[test]
fn search_syntax_prefix_raw_and_errors() {
    let env = Env::new();
    env.import_seeds();
    // Accents and case do not matter; a trailing * is a prefix.
    assert!(!search(&env, &["PRODÚC*"]).as_array().unwrap().is_empty());
    // Punctuation the user typed is just text.
    for text in ["producer's", "\"unbalanced", "(budget"] {
        env.cmd()
            .args(["query", "--search", text])
            .assert()
            .success();
    }
    let hits = search(&env, &["budget NOT music", "--raw"]);
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .all(|h| !h["snippet"].as_str().unwrap().contains("music")));
    env.cmd()
        .args(["query", "--search", "AND (", "--raw"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot search for \"AND (\": fts5: syntax error",
        ))
        .stderr(predicate::str::is_match("^error: [^\n]*\n$").unwrap());
    env.cmd()
        .args(["query", "--search=--- \"", "--format", "csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing to search for"));
    let out = env
        .cmd()
        .args([
            "query", "--search", "budget", "--limit", "2", "--format", "csv",
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with("kind,entry,term,sense,comparison,position,snippet,score\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3);
}

#[test]
fn an_import_indexes_what_it_inserts_and_changes() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args([
            "edit",
            "faq",
            SLUG,
            "2",
            "--set",
            "answer=A capybara answer.",
        ])
        .assert()
        .success();
    let dir = env.seeds_copy();
    crate::util::edit(
        &dir.join("faqs.csv"),
        "Producers often have significant creative input, especially in smaller projects.",
        "A wombat answer.",
    );
    crate::util::edit(
        &dir.join("faqs.csv"),
        "producer-vs-executive-producer,20,",
        "producer-vs-executive-producer,21,Is there a narwhal?,No.\nproducer-vs-executive-producer,20,",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    assert_eq!(
        search(&env, &["wombat"])[0]["entry"],
        format!("faq {SLUG} 2")
    );
    assert_eq!(
        search(&env, &["narwhal"])[0]["entry"],
        format!("faq {SLUG} 21")
    );
    let old = search(&env, &["capybara"]);
    assert_eq!(
        old,
        serde_json::json!([]),
        "the old answer is still indexed"
    );
    // The index matches the tables, and indexing is on again for edits.
    env.cmd().arg("check").assert().success();
    assert_eq!(env.count("SELECT count(*) FROM fts_deferred"), 0);
    env.cmd()
        .args(["edit", "faq", SLUG, "21", "--set", "answer=An okapi."])
        .assert()
        .success();
    assert_eq!(
        search(&env, &["okapi"])[0]["entry"],
        format!("faq {SLUG} 21")
    );
}

#[test]
fn and_not_in_a_raw_search_says_how_fts5_writes_it() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["query", "--search", "budget AND NOT music", "--raw"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("FTS5 writes \"a AND NOT b\" as \"a NOT b\""),
        "{}",
        stderr(&out)
    );
    let out = env
        .cmd()
        .args(["query", "--search", "budget NOT music", "--raw"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("budget"));
    assert!(!stdout(&out).to_lowercase().contains("music"));
}
