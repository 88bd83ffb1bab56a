//! Imports that are refused: every problem with its file and line (as an
//! editor's window shows it), in one run, and nothing written.

use std::fs;

use predicates::prelude::*;
use pretty_assertions::assert_eq;

use crate::import_lines::faqs_file;
use crate::util::{edit, seeds, stderr, Env, SLUG};

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

#[test]
fn a_refused_row_is_not_reported_again_as_a_gap() {
    let env = Env::new();
    env.import_seeds();
    let (text, lines) = faqs_file(5, &[2], |_| "\n");
    let dir = env.write("in", "faqs.csv", &text);
    let err = env.fails(&["import".as_ref(), dir.join("faqs.csv").as_ref()]);
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

#[test]
fn one_rule_reads_the_same_from_an_import_row_and_a_command() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.write(
        "in",
        "examples.csv",
        "term,sense,example\nProdcer,1,An example.\nProducer,9,Another.\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    let import = stderr(&out);
    for (args, same) in [
        (
            &["add-example", "Prodcer", "1", "An example."][..],
            "unknown term \"Prodcer\" (did you mean \"Producer\"?)",
        ),
        (
            &["add-example", "Producer", "9", "Another."],
            "term \"Producer\" has no sense 9 (it has senses 1–7)",
        ),
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(same), "{args:?}: {}", stderr(&out));
        assert!(import.contains(same), "import: {import}");
    }
}

#[test]
fn a_row_that_depends_on_a_refused_row_says_so_and_every_problem_comes_in_one_run() {
    let env = Env::new();
    let seeds = env.seeds_copy();
    let append = |file: &str, text: &str| {
        let path = seeds.join(file);
        let mut all = std::fs::read_to_string(&path).unwrap();
        all.push_str(text);
        std::fs::write(path, all).unwrap();
    };
    append("terms.csv", "Effect,noun,,publishd,\nAffect,verb,,,\n");
    append(
        "senses.csv",
        "Effect,1,,A result.\nAffect,1,,To act on.\nAffect,2,,\n",
    );
    append(
        "examples.csv",
        "Effect,1,The effect was striking.\nAffect,2,It affected her.\n",
    );
    // A second article (refused with its term).
    append(
        "comparisons.csv",
        "affect-vs-effect,Affect,Effect,,One acts; one results.,2024-01-02,draft\n",
    );
    let faqs = std::fs::read_to_string(seeds.join("faqs.csv")).unwrap();
    let faqs = faqs.replace(
        "producer-vs-executive-producer,9,",
        "producer-vs-executive-producer,10,",
    );
    let faqs: Vec<&str> = faqs
        .lines()
        .filter(|l| !l.starts_with("producer-vs-executive-producer,5,"))
        .collect();
    let faqs = faqs.join("\n") + "\n";
    std::fs::write(seeds.join("faqs.csv"), faqs).unwrap();
    let out = env.cmd().arg("import").arg(&seeds).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(said.contains("terms.csv:4: status"), "{said}");
    assert!(
        said.contains("senses.csv:14: term \"Effect\" was refused at")
            && said.contains("terms.csv:4, so this row cannot be applied either"),
        "{said}"
    );
    assert!(
        said.contains("senses.csv:16: the definition cannot be empty")
            || said.contains("senses.csv:16: definition"),
        "{said}"
    );
    assert!(
        said.contains("sense 2 of \"Affect\" was refused at") && !said.contains("has no sense 2"),
        "{said}"
    );
    // In the seeded article, FAQ 10 clashes and 5 is missing: both are
    // said in one run (the clash's own gap is not said twice).
    assert!(
        said.contains(
            "the positions of \"producer-vs-executive-producer\" run up to 20 but there are 18"
        ),
        "{said}"
    );
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
