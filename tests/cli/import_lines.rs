//! Where an import's problems are: the line an editor's window shows
//! (CRLF, LF, a lone CR, lines inside quoted fields), invalid UTF-8, a
//! quote never closed, positions taken from rows left behind.

use std::fs;

use pretty_assertions::assert_eq;

use crate::util::{edit, stderr, stdout, Env, SLUG};

#[test]
fn line_numbers_count_lines_inside_quoted_fields() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.seeds_copy();
    let path = dir.join("differences.csv");
    edit(
        &path,
        "producer-vs-executive-producer,1,\"A producer is",
        "producer-vs-executive-producer,1,\"First line\nsecond line\nA producer is",
    );
    edit(
        &path,
        "producer-vs-executive-producer,3,",
        "producer-vs-executive-prodcer,3,",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("differences.csv:6: unknown comparison \"producer-vs-executive-prodcer\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let env = Env::new();
    let dir = env.write("in", "terms.csv", "");
    fs::write(
        dir.join("terms.csv"),
        b"term,note\nGood,fine\nBad,caf\xe9\n",
    )
    .unwrap();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("terms.csv:3: text in column \"note\" is not valid UTF-8"),
        "{}",
        stderr(&out)
    );
    assert!(!env.db().exists());
}

#[test]
fn a_position_taken_from_a_row_not_in_the_file_is_an_error() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    let dir = env.write(
        "in",
        "faqs.csv",
        "comparison,position,question,answer\nproducer-vs-executive-producer,1,Who pays?,The studio.\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "faqs.csv:2: position 1 of \"producer-vs-executive-producer\" belongs to question \"What is a producer?\""
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.db_bytes(), before);
}

#[test]
fn a_quote_never_closed_is_reported_where_it_opens() {
    let env = Env::new();
    // In the last column: the record swallows the rest of the file.
    let dir = env.write(
        "last",
        "terms.csv",
        "term,note\nProducer,\"A note that never ends\nDirector,ok\nWriter,ok\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("terms.csv:2: a quoted value on this line is never closed"),
        "{}",
        stderr(&out)
    );
    // In a middle column: the row comes out short.
    let dir = env.write(
        "middle",
        "terms.csv",
        "term,part_of_speech,note\nProducer,\"noun,x\nDirector,noun,ok\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "terms.csv:2: this row has 2 fields but the header has 3 (a quote that is never closed"
        ),
        "{}",
        stderr(&out)
    );
    // A closed multi-line value at the end is fine.
    let dir = env.write("ok", "terms.csv", "term,note\nProducer,\"two\nlines\"\n");
    env.cmd().arg("import").arg(&dir).assert().success();
}

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
pub(crate) fn faqs_file(
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
    type LineEnds = fn(usize) -> &'static str;
    let endings: [(&str, LineEnds); 3] = [
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
fn a_position_taken_from_a_row_left_behind_is_reported_once() {
    let env = Env::new();
    env.import_seeds();
    let text = format!("comparison,position,question,answer\n{SLUG},1,A new first question?,A.\n");
    let dir = env.write("in", "faqs.csv", &text);
    let err = env.fails(&["import".as_ref(), dir.join("faqs.csv").as_ref()]);
    assert!(
        err.contains("which this import does not move elsewhere"),
        "{err}"
    );
    assert!(
        !err.contains("run up to"),
        "an invented gap problem:\n{err}"
    );
    assert!(err.contains("import failed with 1 problem;"), "{err}");
}
