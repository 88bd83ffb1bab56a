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
    assert_eq!(numbers, ["55", "0", "0"]);
    // Not a terminal: one summary line on stderr, no progress bar.
    assert!(stderr(&out).starts_with("imported 55 rows from 7 files"));
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
    assert_eq!(env.db_bytes(), before, "the database file changed");
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE updated_at = created_at"),
        stamps_before
    );
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

/// One bad input: a change to the seeds, the `FILE:LINE: message` it must
/// produce, and the database left exactly as it was.
struct Case {
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    expect: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "unknown term, with a suggestion",
        file: "senses.csv",
        from: "Executive Producer,2,",
        to: "Executive Prodcer,2,",
        expect: "senses.csv:3: unknown term \"Executive Prodcer\" (did you mean \"Executive Producer\"?)",
    },
    Case {
        name: "sense is not a number",
        file: "senses.csv",
        from: "Producer,3,film",
        to: "Producer,three,film",
        expect: "senses.csv:9: sense must be a whole number (1, 2, 3...), got \"three\"",
    },
    Case {
        name: "sense zero",
        file: "examples.csv",
        from: "\nProducer,4,",
        to: "\nProducer,0,",
        expect: "examples.csv:10: sense must be a whole number from 1 to 1000000, got \"0\"",
    },
    Case {
        name: "huge position",
        file: "faqs.csv",
        from: "producer-vs-executive-producer,3,",
        to: "producer-vs-executive-producer,99999999999999999999999,",
        expect: "faqs.csv:4: position must be a whole number (1, 2, 3...), got \"99999999999999999999999\"",
    },
    Case {
        name: "empty definition",
        file: "senses.csv",
        from: "Producer,1,business,Someone who creates goods or services in a business.",
        to: "Producer,1,business,  ",
        expect: "senses.csv:7: definition cannot be empty",
    },
    Case {
        name: "wrong date",
        file: "comparisons.csv",
        from: "2023-12-02",
        to: "2023-02-30",
        expect: "comparisons.csv:2: published: \"2023-02-30\" is not a day of the calendar",
    },
    Case {
        name: "spreadsheet date",
        file: "comparisons.csv",
        from: "2023-12-02",
        to: "12/2/2023",
        expect: "comparisons.csv:2: published: \"12/2/2023\" is not a date in the form YYYY-MM-DD",
    },
    Case {
        name: "unknown column",
        file: "faqs.csv",
        from: "answer\n",
        to: "answr\n",
        expect: "faqs.csv:1: unknown column \"answr\" (did you mean \"answer\"?)",
    },
    Case {
        name: "missing required column",
        file: "differences.csv",
        from: "comparison,position,text",
        to: "comparison,text,note",
        expect: "differences.csv:1: missing required column \"position\"",
    },
    Case {
        name: "ragged row",
        file: "comparison_rows.csv",
        from: "4,Decision-Making Authority,Operational decisions,",
        to: "4,Decision-Making Authority,Operational, decisions,",
        expect: "comparison_rows.csv:5: this row has 6 fields but the header has 5",
    },
    Case {
        name: "unknown comparison",
        file: "faqs.csv",
        from: "producer-vs-executive-producer,7,",
        to: "producer-vs-exec-producer,7,",
        expect: "faqs.csv:8: unknown comparison \"producer-vs-exec-producer\" (did you mean \"producer-vs-executive-producer\"?)",
    },
    Case {
        name: "the same question twice",
        file: "faqs.csv",
        from: "producer-vs-executive-producer,2,Do producers work on creative aspects?",
        to: "producer-vs-executive-producer,2,What is a producer?",
        expect: "faqs.csv:3: producer-vs-executive-producer, FAQ \"What is a producer?\" appears on an earlier line",
    },
    Case {
        name: "two questions at one position",
        file: "faqs.csv",
        from: "producer-vs-executive-producer,2,",
        to: "producer-vs-executive-producer,1,",
        expect: "faqs.csv:3: position 1 is already taken by question \"What is a producer?\" on an earlier line",
    },
    Case {
        name: "a term compared with itself",
        file: "comparisons.csv",
        from: "Producer,Executive Producer,",
        to: "Producer,producer,",
        expect: "comparisons.csv:2: a comparison needs two different terms; left and right are both \"Producer\"",
    },
    Case {
        name: "bad slug",
        file: "comparisons.csv",
        from: "producer-vs-executive-producer,Producer",
        to: "Producer vs Executive Producer,Producer",
        expect: "comparisons.csv:2: comparison: \"Producer vs Executive Producer\" is not a valid slug (lowercase letters, digits and single hyphens); try \"producer-vs-executive-producer\"",
    },
    Case {
        name: "a gap in the positions",
        file: "faqs.csv",
        from: "producer-vs-executive-producer,20,",
        to: "producer-vs-executive-producer,22,",
        expect: "faqs.csv:21: the positions of \"producer-vs-executive-producer\" run up to 22 but there are 20 faqs: they must run 1, 2, 3... without gaps",
    },
    Case {
        name: "a gap in the sense numbers",
        file: "senses.csv",
        from: "Producer,7,",
        to: "Producer,9,",
        expect: "senses.csv:13: the sense numbers of term \"Producer\" run up to 9 but there are 8 senses",
    },
    Case {
        name: "unknown sense",
        file: "examples.csv",
        from: "Executive Producer,5,",
        to: "Executive Producer,9,",
        expect: "examples.csv:6: term \"Executive Producer\" has no sense 9 (it has senses 1–5)",
    },
];

#[test]
fn every_bad_input_names_file_and_line_and_writes_nothing() {
    for case in CASES {
        let env = Env::new();
        env.import_seeds();
        let before = env.db_bytes();
        let dir = env.seeds_copy();
        edit(&dir.join(case.file), case.from, case.to);
        let out = env.cmd().arg("import").arg(&dir).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", case.name);
        let expected = format!("{}/{}", dir.display(), case.expect);
        assert!(
            err.contains(&expected),
            "{}:\nexpected {expected}\nin {err}",
            case.name
        );
        assert!(err.contains("nothing was written"), "{}: {err}", case.name);
        assert_eq!(
            env.db_bytes(),
            before,
            "{}: the database changed",
            case.name
        );
    }
}

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
fn all_problems_are_reported_at_once_up_to_a_cap() {
    let env = Env::new();
    let mut csv = String::from("term,sense,definition\n");
    for i in 0..120 {
        csv.push_str(&format!("Nonexistent{i},1,A thing.\n"));
    }
    let dir = env.write("in", "senses.csv", &csv);
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let reported = err.lines().filter(|l| l.contains("senses.csv:")).count();
    assert_eq!(reported, 50, "{err}");
    assert!(err.contains("more than 50 problems"), "{err}");
}

#[test]
fn a_misnamed_file_is_an_error_not_skipped() {
    let env = Env::new();
    let dir = env.write("in", "sense.csv", "term,sense,definition\n");
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("sense.csv: not a file glossary imports (did you mean \"senses.csv\"?)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_empty_file_needs_a_header() {
    let env = Env::new();
    let dir = env.write("in", "terms.csv", "");
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("terms.csv:1: the file is empty; it needs a header row"));
}

#[test]
fn a_missing_path_and_an_empty_directory_are_errors() {
    let env = Env::new();
    env.cmd()
        .args(["import", "no-such-dir"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no-such-dir"));
    let empty = env.dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    env.cmd()
        .arg("import")
        .arg(&empty)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no CSV files here"));
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
fn a_failed_first_import_leaves_no_database_behind() {
    let env = Env::new();
    let dir = env.write(
        "in",
        "senses.csv",
        "term,sense,definition\nNobody,1,A thing.\n",
    );
    env.cmd().arg("import").arg(&dir).assert().code(1);
    assert!(!env.db().exists());
}

#[test]
fn a_dry_run_on_a_new_database_creates_nothing() {
    let env = Env::new();
    env.cmd()
        .args(["import", "--dry-run"])
        .arg(seeds())
        .assert()
        .success()
        .stdout(predicate::str::contains("terms.csv:3: create Producer"));
    assert!(!env.db().exists());
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

#[test]
fn duplicates_are_caught_in_a_first_import_too() {
    // The tables are empty, so the importer skips its look-ups: the same
    // key twice must still be refused.
    let env = Env::new();
    let dir = env.write("in", "terms.csv", "term\nProducer\nPRODUCER\n");
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("terms.csv:3: term \"PRODUCER\" appears on an earlier line"),
        "{}",
        stderr(&out)
    );
    let dir = env.write(
        "in2",
        "faqs.csv",
        "comparison,position,question,answer\nx-vs-y,1,Q?,A.\nx-vs-y,1,R?,B.\n",
    );
    env.write("in2", "terms.csv", "term\nX\nY\n");
    env.write(
        "in2",
        "comparisons.csv",
        "comparison,left,right\nx-vs-y,X,Y\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "faqs.csv:3: position 1 is already taken by question \"Q?\" on an earlier line"
        ),
        "{}",
        stderr(&out)
    );
}
