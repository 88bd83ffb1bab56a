//! `glossary query`: text and JSON output, not-found suggestions.

use predicates::prelude::*;
use pretty_assertions::assert_eq;
use serde_json::json;

use crate::util::{stderr, stdout, Env, SLUG};

#[test]
fn list_and_stats_in_every_format() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["list", "terms", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "term,part_of_speech,status,senses,examples,comparisons\n\
         Executive Producer,noun,published,5,5,1\n\
         Producer,noun,published,7,5,1\n"
    );
    let out = env
        .cmd()
        .args(["list", "comparisons", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["faqs"], 20);
    assert_eq!(v[0]["rows"], 5);
    let out = env
        .cmd()
        .args([
            "list",
            "faqs",
            "--comparison",
            SLUG,
            "--limit",
            "2",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[1]["question"],
        "Do producers work on creative aspects?"
    );
    let out = env
        .cmd()
        .args(["list", "terms", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with(
        "| term | part_of_speech | status | senses | examples | comparisons |\n|---|"
    ));
    env.cmd()
        .args(["list", "terms", "--status", "draft"])
        .assert()
        .success()
        .stdout("(none)\n");
    let out = env
        .cmd()
        .args(["stats", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let faqs = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t[0] == "faqs")
        .cloned();
    assert_eq!(faqs, Some(serde_json::json!(["faqs", 20])));
    assert_eq!(v["schema_version"], glossary_core::db::latest_version());
    env.cmd()
        .args(["stats", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("[possible values: text, json]"));
}

#[test]
fn query_markdown_and_jsonl() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["query", "--term", "producer", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(
        stdout(&out)
            .starts_with("# Producer\n\n*noun*\n\nAlso: producers (plural)\n\n1. *(business)*"),
        "{}",
        stdout(&out)
    );
    let out = env
        .cmd()
        .args(["query", "--comparison", SLUG, "--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out).lines().count(), 1);
    env.cmd()
        .args(["query", "--term", "producer", "--format", "csv"])
        .assert()
        .code(2);
}

#[test]
fn term_as_json_has_senses_examples_comparisons_and_faqs() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["query", "--term", "PRODUCER", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["term"], "Producer");
    assert_eq!(v["part_of_speech"], "noun");
    let senses = v["senses"].as_array().unwrap();
    assert_eq!(senses.len(), 7);
    assert_eq!(
        senses[0],
        json!({
            "sense": 1,
            "domain": "business",
            "definition": "Someone who creates goods or services in a business.",
            "examples": ["As a producer of handmade jewelry, she attends many craft fairs."]
        })
    );
    assert_eq!(senses[5]["domain"], serde_json::Value::Null);
    assert_eq!(senses[5]["examples"], json!([]));
    assert_eq!(
        v["comparisons"],
        json!([{
            "comparison": "producer-vs-executive-producer",
            "title": "Producer vs. Executive Producer: What's the Difference?",
            "summary": "A producer manages the day-to-day operations of a project, while an executive producer oversees the project's overall vision and financing.",
            "published": "2023-12-02",
            "left": "Producer",
            "right": "Executive Producer",
            "status": "published"
        }])
    );
    let faqs = v["faqs"].as_array().unwrap();
    assert_eq!(faqs.len(), 20);
    assert_eq!(faqs[0]["question"], "What is a producer?");
    assert_eq!(faqs[0]["comparison"], "producer-vs-executive-producer");
}

#[test]
fn comparison_as_json_is_the_whole_article_in_order() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args([
            "query",
            "--comparison",
            "producer-vs-executive-producer",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "comparison",
            "title",
            "summary",
            "published",
            "left",
            "right",
            "status",
            "public",
            "differences",
            "rows",
            "faqs"
        ]
    );
    assert_eq!(v["published"], "2023-12-02");
    assert_eq!(v["differences"].as_array().unwrap().len(), 5);
    assert_eq!(v["differences"][0]["position"], 1);
    assert!(v["differences"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("A producer is directly involved"));
    assert_eq!(
        v["rows"][2],
        json!({"position": 3, "aspect": "Financial Responsibility", "left": "Manages budget details", "right": "Secures funding, major financial decisions"})
    );
    assert_eq!(v["faqs"].as_array().unwrap().len(), 20);
    assert_eq!(
        v["faqs"][19],
        json!({"position": 20, "question": "What’s a common misconception about producers?", "answer": "That their role is only financial; producers often play a key creative role as well."})
    );
}

#[test]
fn term_as_text_reads_like_a_dictionary_entry() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["query", "--term", "executive producer"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with("Executive Producer (noun) · published\n"),
        "{text}"
    );
    assert!(
        text.contains("  1. [entertainment] A top executive in charge of the production of a film, TV\n     show, or music album.\n     • The executive producer ensured the film received adequate funding.\n"),
        "{text}"
    );
    assert!(text.contains("FAQs (producer-vs-executive-producer)"));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // Not a terminal: no escape codes.
    assert!(!text.contains('\x1b'));
}

#[test]
fn comparison_as_text_has_the_chart_as_a_table() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["query", "--comparison", "Producer vs. Executive Producer"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Producer vs. Executive Producer: What's the Difference?\n"));
    assert!(text.contains("producer-vs-executive-producer · published · dated 2023-12-02"));
    let chart_line = text
        .lines()
        .find(|l| l.contains("Role in Production"))
        .unwrap();
    assert!(
        chart_line.contains("Manages daily operations"),
        "{chart_line}"
    );
    assert!(
        chart_line.contains("Oversees project vision"),
        "{chart_line}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn colour_only_when_forced_and_never_with_no_color() {
    let env = Env::new();
    env.import_seeds();
    let forced = env
        .cmd()
        .env("CLICOLOR_FORCE", "1")
        .args(["query", "--term", "producer"])
        .output()
        .unwrap();
    assert!(stdout(&forced).contains('\x1b'));
    let no_color = env
        .cmd()
        .env("NO_COLOR", "1")
        .args(["query", "--term", "producer"])
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\x1b'));
}

#[test]
fn unknown_term_fails_with_suggestions() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["query", "--term", "prodcer"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "unknown term \"prodcer\" (did you mean \"Producer\"?)",
        ));
    env.cmd()
        .args(["query", "--comparison", "producer-vs-director"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unknown comparison \"producer-vs-director\"",
        ));
}

#[test]
fn query_needs_a_term_or_a_comparison() {
    let env = Env::new();
    env.import_seeds();
    env.cmd().arg("query").assert().code(2);
}

#[test]
fn query_on_a_missing_database_says_how_to_make_one() {
    let env = Env::new();
    env.cmd()
        .args(["query", "--term", "producer"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no glossary database at"))
        .stderr(predicate::str::contains("glossary import DIR"));
    assert!(!env.db().exists());
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = Env::new();
    env.import_seeds();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("glossary"))
        .arg("--db")
        .arg(env.db())
        .args(["query", "--term", "producer"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}
