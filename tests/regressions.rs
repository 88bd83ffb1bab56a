//! Regressions found by using glossary as a new editor would (each test is
//! named after the bug it pins; they failed before their fix).

use std::fs;

use crate::util::{stderr, stdout, Env};

const SLUG: &str = "producer-vs-executive-producer";

/// The lines a text editor shows: `\n`, `\r\n` and a lone `\r` each end one.
fn editor_lines(text: &str) -> usize {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .count()
}

/// A faqs.csv of `rows` new FAQs (positions 21...), each ended by the line
/// end `ends(i)`, where the rows at `bad` name a misspelt slug; the second
/// row's question spans three lines (`\r\n` and a lone `\r` inside quotes).
/// Returns the text and the line each bad row starts on, counted here the
/// way an editor counts.
fn faqs_file(
    rows: usize,
    bad: &[usize],
    ends: impl Fn(usize) -> &'static str,
) -> (String, Vec<u64>) {
    let mut text = format!("comparison,position,question,answer{}", ends(0));
    let mut lines = Vec::new();
    for i in 0..rows {
        let slug = if bad.contains(&i) {
            "producer-vs-executive-prodcer"
        } else {
            SLUG
        };
        if bad.contains(&i) {
            lines.push(editor_lines(&text) as u64 + 1);
        }
        let question = if i == 1 {
            "\"A question\r\nover\rthree lines?\"".to_string()
        } else {
            format!("Question {i}?")
        };
        text.push_str(&format!(
            "{slug},{},{question},Answer {i}.{}",
            21 + i,
            ends(i + 1)
        ));
    }
    (text, lines)
}

#[test]
fn crlf_lf_and_mixed_files_report_the_line_an_editor_shows() {
    let env = Env::new();
    env.import_seeds();
    let endings: [(&str, fn(usize) -> &'static str); 3] = [
        ("LF", |_| "\n"),
        ("CRLF", |_| "\r\n"),
        ("mixed", |i| ["\n", "\r\n"][i % 2]),
    ];
    for (name, ends) in endings {
        // Errors on the first, a middle and the last line.
        let (text, lines) = faqs_file(9, &[0, 4, 8], ends);
        let dir = env.write(name, "faqs.csv", &text);
        let out = env
            .cmd()
            .arg("import")
            .arg(dir.join("faqs.csv"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = stderr(&out);
        let reported: Vec<u64> = err
            .lines()
            .filter(|l| l.contains("unknown comparison"))
            .map(|l| l.split(':').nth(1).unwrap().parse().unwrap())
            .collect();
        assert_eq!(reported, lines, "{name} line ends:\n{err}");
        assert_eq!(lines[0], 2, "the first data row is line 2");

        // A dry run names the lines of the rows it would create.
        let (text, _) = faqs_file(3, &[], ends);
        let dir = env.write(&format!("{name}-ok"), "faqs.csv", &text);
        let out = env
            .cmd()
            .args(["import", "--dry-run"])
            .arg(dir.join("faqs.csv"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let listed: Vec<u64> = stdout(&out)
            .lines()
            .filter(|l| l.contains(": create "))
            .map(|l| l.split(':').nth(1).unwrap().parse().unwrap())
            .collect();
        // Row 1 is line 2, row 2 spans lines 3-5, row 3 is line 6.
        assert_eq!(listed, vec![2, 3, 6], "{name}");
    }
}

#[test]
fn a_refused_row_is_not_reported_again_as_a_gap() {
    let env = Env::new();
    env.import_seeds();
    let (text, lines) = faqs_file(5, &[2], |_| "\n");
    let dir = env.write("in", "faqs.csv", &text);
    let out = env
        .cmd()
        .arg("import")
        .arg(dir.join("faqs.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("faqs.csv:{}: unknown comparison", lines[0])),
        "{err}"
    );
    assert!(
        !err.contains("run up to"),
        "an invented gap problem:\n{err}"
    );
    assert!(err.contains("import failed with 1 problem;"), "{err}");
    // A real gap, with no refused row, is still reported.
    let text = format!("comparison,position,question,answer\n{SLUG},22,Q?,A.\n");
    let dir = env.write("gap", "faqs.csv", &text);
    let out = env
        .cmd()
        .arg("import")
        .arg(dir.join("faqs.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("faqs.csv:2: the positions of"),
        "{}",
        stderr(&out)
    );
    let _ = fs::remove_dir_all(dir);
}
