//! The conventions of the command line: usage mistakes exit 2 (whether
//! clap or glossary finds them), `--help` lists exactly the formats a
//! command can produce, `-q` silences, `-v` says more, and every write
//! can report what it did as JSON.

use crate::util::{stderr, stdout, Env, SLUG};

#[test]
fn usage_mistakes_exit_2_with_the_rule() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    for (args, says) in [
        (
            &["edit", "faq", SLUG, "3", "--set", "answer"][..],
            "expected FIELD=VALUE",
        ),
        (
            &["add-faq", SLUG, "--question", "Q?"],
            "--answer is required when not on a terminal",
        ),
        (
            &[
                "add-faq",
                SLUG,
                "--question",
                "Q?",
                "--answer",
                "A",
                "--position",
                "0",
            ],
            "the position must be a whole number from 1",
        ),
        (
            &["add-difference", SLUG, "text", "--position", "two"],
            "the position must be a whole number",
        ),
        (
            &["add-example", "Producer", "x", "An example."],
            "the sense number must be a whole number",
        ),
        (
            &[
                "add-comparison",
                "--left",
                "Producer",
                "--right",
                "Executive Producer",
                "--published",
                "2023-02-30",
            ],
            "is not a day of the calendar",
        ),
        (
            &["list", "comparisons", "--status", "live"],
            "status must be draft or published",
        ),
        (
            &["stats", "--format", "csv"],
            "[possible values: text, json]",
        ),
        (
            &["check", "--format", "markdown"],
            "[possible values: text, json]",
        ),
        (&["render", "--all"], "--out"),
        (&["render"], "required"),
        (
            &["query", "--term", "producer", "--format", "csv"],
            "--format csv is not available for --term",
        ),
        (
            &["history", "faq", SLUG],
            "a FAQ is named by SLUG POSITION (1 given)",
        ),
        (
            &["history", "fqa", SLUG, "3"],
            "\"fqa\" is neither a change's number nor a kind of entry",
        ),
        (&["edit", "faq", SLUG], "a FAQ is named by SLUG POSITION"),
        (&["--quiet", "--verbose", "stats"], "cannot be used with"),
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(says),
            "{args:?}: expected {says:?} in\n{}",
            stderr(&out)
        );
        assert_eq!(stdout(&out), "", "{args:?}");
    }
    assert_eq!(env.db_bytes(), before, "a usage mistake wrote something");
}

#[test]
fn help_lists_exactly_the_formats_a_command_produces() {
    let env = Env::new();
    for (command, formats) in [
        ("stats", "[possible values: text, json]"),
        ("check", "[possible values: text, json]"),
        ("import", "[possible values: text, json]"),
        ("add-faq", "[possible values: text, json]"),
        ("history", "[possible values: text, json, jsonl]"),
        (
            "list",
            "[possible values: text, json, jsonl, csv, markdown]",
        ),
    ] {
        let out = env.cmd().args([command, "--help"]).output().unwrap();
        assert!(out.status.success());
        // Help is wrapped to the terminal: compare with the lines joined.
        let help = stdout(&out)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(help.contains(formats), "{command}: {help}");
    }
}

#[test]
fn quiet_silences_every_command_and_verbose_says_more() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["-q", "import"])
        .arg(crate::util::seeds())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout(&out), "", "import -q printed its table");
    assert_eq!(stderr(&out), "");
    for args in [
        &["-q", "add-term", "Gaffer"][..],
        &[
            "add-sense",
            "Gaffer",
            "--definition",
            "The chief electrician.",
            "-q",
        ],
        &["-q", "edit", "term", "Gaffer", "--set", "note=n"],
        &["-q", "publish", "--term", "Gaffer"],
        &["-q", "export", "out"],
        &["-q", "render", "--all", "--out", "site"],
        &["-q", "backup", "copy.db"],
        &["-q", "remove", "term", "Gaffer", "--yes"],
        &["-q", "check", "--fix"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
        assert_eq!(stderr(&out), "", "{args:?}");
    }
    // Data asked for is still printed.
    let out = env
        .cmd()
        .args(["-q", "query", "--term", "producer"])
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with("Producer"));
    // -v lists each row an import writes.
    let dir = env.seeds_copy();
    crate::util::edit(
        &dir.join("differences.csv"),
        "day-to-day management",
        "daily management",
    );
    let out = env.cmd().args(["import", "-v"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("differences.csv:2: update"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn every_write_reports_as_json_with_the_entry_and_its_number() {
    let env = Env::new();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = env
            .cmd()
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&out)))
    };
    let v = json(&["init"]);
    assert_eq!(v["created"], true);
    env.cmd()
        .arg("import")
        .arg(crate::util::seeds())
        .assert()
        .success();
    let v = json(&["add-term", "Director"]);
    assert_eq!(v["added"], "term");
    assert_eq!(v["entry"], "term \"Director\"");
    let v = json(&["add-sense", "director", "--definition", "Directs."]);
    assert_eq!(v["entry"], "sense \"Director\" 1");
    assert_eq!(v["sense"], 1);
    let v = json(&["add-example", "Director", "1", "She directs."]);
    assert_eq!(v["position"], 1);
    let v = json(&[
        "add-faq",
        SLUG,
        "--question",
        "Q?",
        "--answer",
        "A.",
        "--position",
        "2",
    ]);
    assert_eq!(v["entry"], format!("faq {SLUG} 2"));
    assert_eq!(v["position"], 2);
    let v = json(&[
        "add-row", SLUG, "--aspect", "Pay", "--left", "L", "--right", "R",
    ]);
    assert_eq!(v["entry"], format!("row {SLUG} \"Pay\""));
    assert_eq!(v["position"], 6);
    let v = json(&["edit", "faq", SLUG, "2", "--set", "answer=B."]);
    assert_eq!(v["changes"][0]["field"], "answer");
    assert_eq!(v["changes"][0]["old"], "A.");
    assert_eq!(v["changes"][0]["new"], "B.");
    let v = json(&["unpublish", SLUG]);
    assert_eq!(v["status"], "draft");
    assert_eq!(v["changed"], true);
    let v = json(&["remove", "faq", SLUG, "2", "--yes"]);
    assert_eq!(v["removed"], "faq");
    let v = json(&["remove", "term", "Director", "--yes"]);
    assert_eq!(v["with"]["senses"], 1);
    let v = json(&["export", "out"]);
    // A file per kind, the site's settings, the redirects and the pending
    // versions.
    assert_eq!(
        v["files"].as_array().unwrap().len(),
        glossary_core::kind::Kind::ALL.len() + 3
    );
    let v = json(&["backup", "copy.db"]);
    assert!(v["backup"].as_str().unwrap().ends_with("copy.db"));
}

#[test]
fn completions_and_manual_pages_come_from_the_same_definitions() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        // fish writes options without their dashes (`-l dry-run`).
        for word in ["add-faq", "dry-run", "with-terms"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script is valid bash.
    let out = env.cmd().args(["completions", "bash"]).output().unwrap();
    let path = env.dir.path().join("glossary.bash");
    std::fs::write(&path, &out.stdout).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let out = env.cmd().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = env.cmd().arg("man").output().unwrap();
    assert!(out.status.success());
    assert!(stdout(&out).starts_with(".ie"), "roff");
    assert!(stdout(&out).contains(".SH NAME"));
    let dir = env.dir.path().join("man1");
    env.cmd()
        .arg("man")
        .arg("--out")
        .arg(&dir)
        .assert()
        .success();
    for page in [
        "glossary.1",
        "glossary-import.1",
        "glossary-add-faq.1",
        "glossary-publish.1",
    ] {
        let text = std::fs::read_to_string(dir.join(page)).unwrap();
        assert!(text.contains(".SH SYNOPSIS"), "{page}");
    }
    // Neither needs (nor creates) a database.
    assert!(!env.db().exists());
}

#[test]
fn every_kind_can_be_listed_with_the_numbers_edit_takes() {
    let env = Env::new();
    env.import_seeds();
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = env
            .cmd()
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let senses = json(&["list", "senses", "--term", "executive producer"]);
    assert_eq!(senses.len(), 5);
    assert_eq!(senses[0]["term"], "Executive Producer");
    assert_eq!(senses[4]["sense"], 5);
    assert_eq!(json(&["list", "senses", "producer"]).len(), 7);
    assert_eq!(json(&["list", "examples", "Producer"]).len(), 5);
    let rows = json(&["list", "rows", SLUG]);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[2]["aspect"], "Financial Responsibility");
    assert_eq!(rows[2]["position"], 3);
    let differences = json(&["list", "differences", SLUG]);
    assert_eq!(differences.len(), 5);
    assert_eq!(json(&["list", "faqs", SLUG]).len(), 20);
    assert_eq!(
        json(&["list", "comparisons", "--term", "producer"]).len(),
        1
    );
    // A parent that is not there is an error with a suggestion.
    let out = env
        .cmd()
        .args(["list", "rows", "producer-vs-executive-prodcer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean \"producer-vs-executive-producer\""),
        "{}",
        stderr(&out)
    );

    // Text: one line per entry; slugs and headers whole, prose cut with …,
    // and no line wider than the terminal when the names fit.
    for width in ["100", "72"] {
        let out = env
            .cmd()
            .env("COLUMNS", width)
            .args(["list", "faqs", SLUG])
            .output()
            .unwrap();
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 21, "{text}");
        assert!(lines[0].starts_with("comparison  "), "{text}");
        assert!(
            lines[0].contains("question") && lines[0].contains("answer"),
            "{text}"
        );
        for line in &lines[1..] {
            assert!(line.starts_with(SLUG), "a slug was cut: {line}");
            assert!(line.chars().count() <= width.parse().unwrap(), "{line}");
        }
        assert!(text.contains('…'), "long answers are cut: {text}");
    }
}
