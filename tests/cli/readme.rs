//! The README's examples run: every `glossary` line of its `sh` blocks, in
//! order, as one session on a database of the seeds (with `$EDITOR` a
//! program that saves nothing), and every `$ glossary ...` transcript
//! prints what the README shows, on a freshly seeded database. Inline code
//! in prose is syntax (`glossary import PATH...`), not examples, and the
//! SQL block is run by `database::the_readme_sql_examples_work_and_pass_check`.

use std::fs;
use std::path::Path;

use crate::util::{seeds, stderr, stdout, Env};

fn readme() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced blocks of the README: (info string, lines), each line less
/// the indentation of its fence (blocks in list items are indented).
fn blocks(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize, Vec<String>)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            match current.take() {
                Some((info, _, lines)) => out.push((info, lines)),
                None => {
                    let indent = line.len() - trimmed.len();
                    current = Some((info.trim().to_string(), indent, Vec::new()));
                }
            }
        } else if let Some((_, indent, lines)) = current.as_mut() {
            let cut = line.len().min(*indent);
            lines.push(line[cut..].to_string());
        }
    }
    out
}

/// A command line as a shell would split it, without its `# comment` or
/// a redirection of its output (the test reads the output itself).
fn words(line: &str) -> Vec<String> {
    let words = shlex::split(line).unwrap_or_else(|| panic!("cannot split {line:?}"));
    words
        .into_iter()
        .take_while(|w| !w.starts_with('#') && w != ">" && w != "|")
        .collect()
}

/// `glossary` in the test's dir with ./glossary.db, as the README's reader
/// runs it (no --db).
fn glossary(env: &Env, args: &[String]) -> std::process::Output {
    assert_eq!(args[0], "glossary");
    let mut cmd = assert_cmd::Command::cargo_bin("glossary").unwrap();
    cmd.current_dir(env.dir.path())
        .env_remove("GLOSSARY_DB")
        .env_remove("VISUAL")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("EDITOR", "true")
        .env("COLUMNS", "80")
        .args(&args[1..]);
    cmd.output().unwrap()
}

#[test]
fn every_example_command_in_the_readme_runs() {
    let env = Env::new();
    env.seeds_copy();
    let mut ran = 0;
    for (info, lines) in blocks(&readme()) {
        if info != "sh" {
            continue;
        }
        for line in lines.iter().filter(|l| l.starts_with("glossary ")) {
            let out = glossary(&env, &words(line));
            assert!(
                out.status.success(),
                "README example failed: {line}\n{}{}",
                stdout(&out),
                stderr(&out)
            );
            ran += 1;
        }
    }
    assert!(ran >= 25, "only {ran} examples found");
}

#[test]
fn readme_transcripts_print_what_they_show() {
    let mut checked = 0;
    for (_, lines) in blocks(&readme()) {
        let mut i = 0;
        while i < lines.len() {
            let Some(command) = lines[i].strip_prefix("$ ") else {
                i += 1;
                continue;
            };
            let mut expected = String::new();
            i += 1;
            while i < lines.len() && !lines[i].starts_with("$ ") {
                expected.push_str(&lines[i]);
                expected.push('\n');
                i += 1;
            }
            let env = Env::new();
            env.cmd_at(&env.dir.path().join("glossary.db"))
                .arg("import")
                .arg(seeds())
                .assert()
                .success();
            let out = glossary(&env, &words(command));
            assert!(out.status.success(), "{command}: {}", stderr(&out));
            pretty_assertions::assert_eq!(stdout(&out), expected, "{command}");
            checked += 1;
        }
    }
    assert!(checked >= 1, "no transcript found");
}
