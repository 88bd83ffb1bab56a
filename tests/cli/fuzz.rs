//! Property tests of the CSV import path (the stand-in for cargo-fuzz,
//! which needs a nightly toolchain this project does not have): whatever
//! bytes arrive in whatever file, import never panics, and it either
//! succeeds leaving a database that `check` passes, or changes nothing.
//!
//! Cases that ever failed are kept by proptest in
//! `tests/proptest-regressions/fuzz.txt` and replayed first on every run.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

use glossary_core::import;
use glossary_core::import::{Options, Quiet};
use glossary_core::kind::Kind;

use crate::util::seeds;

/// A fingerprint of the content: the export, file by file.
fn content(conn: &rusqlite::Connection, dir: &Path) -> Vec<Vec<u8>> {
    glossary_core::export::export(conn, dir, glossary_core::export::Options::default(), |_| {})
        .unwrap();
    Kind::ALL
        .iter()
        .map(|k| fs::read(dir.join(k.file_name())).unwrap())
        .collect()
}

/// Fields that mean something to the importer, and some that mean trouble.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Producer".to_string()),
        Just("producer".to_string()),
        Just("Executive Producer".to_string()),
        Just("producer-vs-executive-producer".to_string()),
        Just("1".to_string()),
        Just("2".to_string()),
        Just("21".to_string()),
        Just("0".to_string()),
        Just("-3".to_string()),
        Just("99999999999999999999".to_string()),
        Just("2023-12-02".to_string()),
        Just("2023-02-30".to_string()),
        Just("published".to_string()),
        Just("draft".to_string()),
        Just(String::new()),
        Just("   ".to_string()),
        Just("What is a producer?".to_string()),
        Just("\"".to_string()),
        "[a-zA-Z0-9 ,.'\"\\n\\r\\t=+@<>&;é🎬\\u{0}-]{0,40}",
    ]
}

fn header() -> impl Strategy<Value = Vec<String>> {
    let names = prop_oneof![
        Just("term"),
        Just("sense"),
        Just("domain"),
        Just("definition"),
        Just("example"),
        Just("part_of_speech"),
        Just("note"),
        Just("status"),
        Just("comparison"),
        Just("left"),
        Just("right"),
        Just("title"),
        Just("summary"),
        Just("published"),
        Just("position"),
        Just("text"),
        Just("aspect"),
        Just("question"),
        Just("answer"),
        Just("bogus"),
        Just(""),
    ];
    prop::collection::vec(names.prop_map(str::to_string), 1..7)
}

/// A cell for `column`: mostly a value that fits it (so rows reach the
/// database), sometimes the random text.
fn fit(column: &str, pick: u8, text: String) -> String {
    let choose = |options: &[&str]| -> String {
        let i = usize::from(pick) % (options.len() + 1);
        options.get(i).map_or(text.clone(), |o| o.to_string())
    };
    match column {
        "term" | "left" | "right" => choose(&[
            "Producer",
            "Executive Producer",
            "Director",
            "producer",
            "Père",
        ]),
        "sense" | "position" => {
            if pick > 230 {
                text
            } else {
                (1 + pick % 24).to_string()
            }
        }
        "comparison" => choose(&["producer-vs-executive-producer", "director-vs-producer"]),
        "published" => choose(&["2023-12-02", "", "2024-02-29"]),
        "status" => choose(&["published", "draft", ""]),
        _ => {
            if pick % 7 == 0 {
                String::new()
            } else {
                text
            }
        }
    }
}

fn csv_text(header: Vec<String>, rows: Vec<Vec<String>>, raw: bool) -> Vec<u8> {
    if raw {
        // Fields joined without quoting: ragged rows, stray quotes, anything.
        let mut s = header.join(",");
        for r in rows {
            s.push('\n');
            s.push_str(&r.join(","));
        }
        return s.into_bytes();
    }
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for r in rows {
        w.write_record(&r).unwrap();
    }
    w.into_inner().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct("tests/proptest-regressions/fuzz.txt"))),
        .. ProptestConfig::default()
    })]

    #[test]
    fn import_never_panics_and_is_all_or_nothing(
        files in prop::collection::vec(
            (
                0usize..Kind::ALL.len(),
                header(),
                prop::collection::vec(prop::collection::vec((any::<u8>(), field()), 0..7), 0..8),
                any::<bool>(),
                any::<bool>(),
            ),
            1..4,
        ),
        garbage in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut conn = glossary_core::db::open(&tmp.path().join("fuzz.db"), glossary_core::db::Mode::Create).unwrap();
        import::import(&mut conn, &glossary_core::change::Actor::default(), &[seeds()], Options::default(), &mut Quiet).unwrap();
        let before = content(&conn, &tmp.path().join("before"));

        let input = tmp.path().join("input");
        fs::create_dir_all(&input).unwrap();
        let mut outcomes = String::new();
        for (kind, header, rows, raw, with_garbage) in files {
            // Half the files get the kind's own columns, so rows get past
            // the header and into the checks and the database.
            let header = if with_garbage && !raw {
                header
            } else {
                Kind::ALL[kind].columns().iter().map(|c| c.name.to_string()).collect()
            };
            outcomes.push_str(&header.join(","));
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .enumerate()
                        .map(|(i, (pick, text))| fit(header.get(i).map_or("", String::as_str), pick, text))
                        .collect()
                })
                .collect();
            let mut bytes = csv_text(header, rows, raw);
            if with_garbage && raw {
                bytes.extend_from_slice(&garbage);
            }
            fs::write(input.join(Kind::ALL[kind].file_name()), bytes).unwrap();
        }
        let _ = outcomes;
        match import::import(&mut conn, &glossary_core::change::Actor::default(), &[input], Options::default(), &mut Quiet) {
            Ok(report) => {
                if std::env::var_os("FUZZ_VERBOSE").is_some() {
                    eprintln!("ok: {:?}", report.files.iter().map(|f| (f.table, f.counts.inserted, f.counts.updated)).collect::<Vec<_>>());
                }
                let findings = glossary_core::check::run(&conn).unwrap();
                let errors: Vec<String> = findings
                    .iter()
                    .filter(|f| f.severity == glossary_core::check::Severity::Error)
                    .map(|f| f.to_string())
                    .collect();
                prop_assert!(errors.is_empty(), "a successful import left errors: {errors:?}");
            }
            Err(glossary_core::Error::Import { problems, .. }) => {
                prop_assert!(!problems.is_empty());
                prop_assert!(problems.iter().all(|p| !p.message.is_empty()));
                let after = content(&conn, &tmp.path().join("after"));
                prop_assert_eq!(after, before, "a failed import changed the content");
            }
            Err(other) => prop_assert!(false, "unexpected error kind: {other}"),
        }
    }
}
