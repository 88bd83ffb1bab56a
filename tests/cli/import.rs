//! `glossary import`: the seeds, upserts, dry runs and every kind of bad input.

use std::collections::HashSet;
use std::fs;

use predicates::prelude::*;
use pretty_assertions::assert_eq;

use crate::util::{edit, fixture, seeds, stderr, stdout, Env};

/// Every text the database holds, from every table.
fn all_texts(env: &Env) -> HashSet<String> {
    let conn = env.conn();
    let mut texts = HashSet::new();
    for sql in [
        "SELECT term FROM terms",
        "SELECT definition FROM senses",
        "SELECT text FROM examples",
        "SELECT title FROM comparisons",
        "SELECT summary FROM comparisons",
        "SELECT text FROM differences",
        "SELECT aspect FROM comparison_rows",
        "SELECT left_value FROM comparison_rows",
        "SELECT right_value FROM comparison_rows",
        "SELECT question FROM faqs",
        "SELECT answer FROM faqs",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        for t in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            texts.insert(t.unwrap());
        }
    }
    texts
}

#[test]
fn seeds_import_whole_and_verbatim() {
    let env = Env::new();
    env.import_seeds();
    let page = fs::read_to_string(fixture("producer-vs-executive-producer.txt")).unwrap();
    let headings = [
        "Key Differences",
        "Comparison Chart",
        "Producer and Executive Producer Definitions",
        "Published on December 2, 2023",
        "Executive Producer",
    ];
    let texts = all_texts(&env);
    let mut checked = 0;
    for line in page.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        if headings.contains(&line) {
            continue;
        }
        assert!(texts.contains(line), "not in the database: {line:?}");
        checked += 1;
    }
    // 1 title + 1 summary + 5 paragraphs + 15 chart cells + 12 definitions
    // + 10 examples + 40 questions and answers.
    assert_eq!(checked, 84);
    assert_eq!(
        env.count("SELECT count(*) FROM comparisons WHERE published = '2023-12-02'"),
        1
    );
    let senses = |term: &str| {
        env.count(&format!(
            "SELECT count(*) FROM senses JOIN terms t ON t.id = term_id WHERE t.term = '{term}'"
        ))
    };
    assert_eq!(senses("Producer"), 7);
    assert_eq!(senses("Executive Producer"), 5);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM senses s JOIN terms t ON t.id = s.term_id
             WHERE t.term = 'Producer' AND NOT EXISTS (SELECT 1 FROM examples e WHERE e.sense_id = s.id)"
        ),
        2
    );
    // The curly apostrophe survives.
    assert_eq!(
        env.count("SELECT count(*) FROM faqs WHERE question LIKE 'What’s a common misconception%'"),
        2
    );
}

#[test]
fn seeds_keep_the_page_order() {
    let env = Env::new();
    env.import_seeds();
    let conn = env.conn();
    let questions: Vec<String> = conn
        .prepare("SELECT question FROM faqs ORDER BY position")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let page = fs::read_to_string(fixture("producer-vs-executive-producer.txt")).unwrap();
    let on_page: Vec<&str> = page
        .lines()
        .filter(|l| questions.iter().any(|q| q == l))
        .collect();
    assert_eq!(questions.len(), 20);
    assert_eq!(on_page, questions);
    let first_definition: String = conn
        .query_row(
            "SELECT definition FROM senses s JOIN terms t ON t.id = s.term_id
             WHERE t.term = 'Executive Producer' AND sense_number = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        first_definition,
        "A top executive in charge of the production of a film, TV show, or music album."
    );
}

#[test]
fn import_reports_counts_per_file() {
    let env = Env::new();
    let out = env.cmd().arg("import").arg(seeds()).output().unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("faqs.csv"), "{text}");
    let total = text
        .lines()
        .find(|l| l.trim_start().starts_with("total"))
        .unwrap();
    let numbers: Vec<&str> = total.split_whitespace().skip(1).collect();
    assert_eq!(numbers, ["58", "0", "0"]);
    // Not a terminal: one summary line on stderr, no progress bar.
    assert!(stderr(&out).starts_with("imported 58 rows from 8 files"));
}

#[test]
fn reimport_changes_nothing_at_all() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    let stamps_before = env.count("SELECT count(*) FROM terms WHERE updated_at = created_at");
    let out = env
        .cmd()
        .args(["import", "--format", "json"])
        .arg(seeds())
        .output()
        .unwrap();
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for f in report["files"].as_array().unwrap() {
        assert_eq!(f["inserted"], 0, "{f}");
        assert_eq!(f["updated"], 0, "{f}");
    }
    // Nothing changed: no change to revert.
    assert_eq!(report["change"], serde_json::Value::Null);
    assert_eq!(env.db_bytes(), before, "the database file changed");
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE updated_at = created_at"),
        stamps_before
    );
}

/// An import touches the owners of what it changed once, as it commits
/// (the V13 migration), not row by row: the same `updated_at` the
/// triggers keep for every other write.
#[test]
fn an_import_touches_the_terms_and_comparisons_it_changed_and_no_others() {
    let env = Env::new();
    env.import_seeds();
    let old = "2000-01-01T00:00:00Z";
    let stamp = |sql: &str| -> String { env.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    let reset = || {
        env.conn()
            .execute_batch(&format!(
                "UPDATE terms SET updated_at = '{old}'; UPDATE comparisons SET updated_at = '{old}';"
            ))
            .unwrap();
    };
    let producer = "SELECT updated_at FROM terms WHERE term = 'Producer'";
    let executive = "SELECT updated_at FROM terms WHERE term = 'Executive Producer'";
    let comparison = "SELECT updated_at FROM comparisons";
    reset();
    // A sense of Producer and a FAQ changed (updates).
    let dir = env.seeds_copy();
    edit(
        &dir.join("senses.csv"),
        "Someone who creates goods or services in a business.",
        "Someone who makes goods or services in a business.",
    );
    edit(
        &dir.join("faqs.csv"),
        "Producers often have significant creative input, especially in smaller projects.",
        "Producers often shape the creative work.",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    assert_ne!(stamp(producer), old);
    assert_eq!(
        stamp(executive),
        old,
        "a term the import did not change was touched"
    );
    assert_ne!(stamp(comparison), old);
    // An example added to Executive Producer (an insert, two levels down).
    reset();
    let examples = fs::read_to_string(dir.join("examples.csv")).unwrap();
    fs::write(
        dir.join("examples.csv"),
        examples + "Executive Producer,1,The executive producer found the money.\n",
    )
    .unwrap();
    env.cmd().arg("import").arg(&dir).assert().success();
    assert_ne!(stamp(executive), old);
    assert_eq!(stamp(producer), old);
    assert_eq!(stamp(comparison), old);
    // And the marker that held the triggers back is gone.
    assert_eq!(env.count("SELECT count(*) FROM fts_deferred"), 0);
}

#[test]
fn changed_values_update_and_absent_rows_stay() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.seeds_copy();
    edit(
        &dir.join("faqs.csv"),
        "Producers often have significant creative input, especially in smaller projects.",
        "Producers often shape the creative work.",
    );
    // Only the header and one row are left in differences.csv.
    let diffs = fs::read_to_string(dir.join("differences.csv")).unwrap();
    let kept: Vec<&str> = diffs.lines().take(2).collect();
    fs::write(dir.join("differences.csv"), kept.join("\n") + "\n").unwrap();
    let out = env
        .cmd()
        .args(["import", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The change it was filed as, for `revert`.
    assert_eq!(
        report["change"].as_i64(),
        Some(env.count("SELECT max(id) FROM changes"))
    );
    let faqs = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["table"] == "faqs")
        .unwrap();
    assert_eq!(faqs["updated"], 1);
    assert_eq!(faqs["unchanged"], 19);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM faqs WHERE answer = 'Producers often shape the creative work.'"
        ),
        1
    );
    assert_eq!(env.count("SELECT count(*) FROM differences"), 5);
}

#[test]
fn dry_run_lists_changes_and_writes_nothing() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.seeds_copy();
    edit(
        &dir.join("senses.csv"),
        "Producer,1,business,",
        "Producer,1,commerce,",
    );
    edit(
        &dir.join("faqs.csv"),
        "producer-vs-executive-producer,20,",
        "producer-vs-executive-producer,21,Who pays the producer?,The studio.\nproducer-vs-executive-producer,20,",
    );
    let before = env.db_bytes();
    let out = env
        .cmd()
        .args(["import", "--dry-run"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "senses.csv:7: update Producer, sense 1\n    domain: \"business\" → \"commerce\""
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "faqs.csv:21: create producer-vs-executive-producer, FAQ \"Who pays the producer?\""
        ),
        "{text}"
    );
    assert!(text.contains("would be inserted"), "{text}");
    assert!(text.contains("dry run: nothing was written"), "{text}");
    assert_eq!(env.db_bytes(), before);
}

#[test]
fn header_with_bom_any_order_and_case() {
    let env = Env::new();
    let dir = env.write(
        "in",
        "terms.csv",
        "\u{feff}Note,TERM\nA word for a thing,Widget\n",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    assert_eq!(
        env.count(
            "SELECT count(*) FROM terms WHERE term = 'Widget' AND note = 'A word for a thing'"
        ),
        1
    );
}

#[test]
fn absent_column_keeps_values_and_empty_cell_clears_them() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.write("a", "terms.csv", "term\nProducer\n");
    env.cmd().arg("import").arg(&dir).assert().success();
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE part_of_speech = 'noun'"),
        2
    );
    let dir = env.write("b", "terms.csv", "term,part_of_speech\nProducer,\n");
    env.cmd().arg("import").arg(&dir).assert().success();
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE part_of_speech IS NULL AND term = 'Producer'"),
        1
    );
}

#[test]
fn faqs_can_be_reordered_by_the_csv() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.write(
        "swap",
        "faqs.csv",
        "comparison,position,question,answer\n\
         producer-vs-executive-producer,2,What is a producer?,\"A producer is someone who manages the practical aspects of film, television, or music production, including logistics, crew, and budget.\"\n\
         producer-vs-executive-producer,1,Do producers work on creative aspects?,\"Producers often have significant creative input, especially in smaller projects.\"\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let first: String = env
        .conn()
        .query_row("SELECT question FROM faqs WHERE position = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(first, "Do producers work on creative aspects?");
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 20);
    assert_eq!(env.count("SELECT max(position) FROM faqs"), 20);
}

#[test]
fn accented_terms_are_one_term_in_any_case() {
    let env = Env::new();
    let dir = env.write("in", "terms.csv", "term\nPère\n");
    env.write(
        "in",
        "senses.csv",
        "term,sense,definition\nPERE,1,A father.\npère,2,A priest.\n",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM terms"), 1);
    assert_eq!(env.count("SELECT count(*) FROM senses"), 2);
    let dup = env.write("dup", "terms.csv", "term\nPÈRE\n");
    env.cmd().arg("import").arg(&dup).assert().success();
    // The same term, renamed to the new spelling rather than added.
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term = 'PÈRE'"),
        1
    );
    assert_eq!(env.count("SELECT count(*) FROM terms"), 1);
}

#[test]
fn a_single_file_can_be_imported() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.seeds_copy();
    env.cmd()
        .arg("import")
        .arg(dir.join("faqs.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("faqs.csv"));
}
