//! Regressions found by using glossary as a new editor would (each test is
//! named after the bug it pins; they failed before their fix).

use std::fs;
use std::path::Path;

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

/// The new article of the issue: Director (a draft term, one sense) vs.
/// the seeded Producer, with a summary, a date and one key difference.
fn director_vs_producer(env: &Env) {
    env.import_seeds();
    for args in [
        &["add-term", "Director", "--part-of-speech", "noun"][..],
        &[
            "add-sense",
            "Director",
            "--definition",
            "A person who directs a film.",
        ],
        &[
            "add-comparison",
            "--left",
            "Director",
            "--right",
            "Producer",
            "--summary",
            "A director directs; a producer produces.",
            "--published",
            "2024-03-10",
        ],
        &[
            "add-difference",
            "director-vs-producer",
            "Directors direct.",
        ],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
}

fn status_of(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn publishing_an_article_whose_term_is_a_draft_is_refused() {
    let env = Env::new();
    director_vs_producer(&env);
    let out = env
        .cmd()
        .args(["publish", "director-vs-producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("its term \"Director\" is a draft"), "{err}");
    assert!(err.contains("glossary publish --term Director"), "{err}");
    assert!(err.contains("--with-terms"), "{err}");
    let comparison = "SELECT status FROM comparisons WHERE slug = 'director-vs-producer'";
    assert_eq!(status_of(&env, comparison), "draft");
    // `edit --set status=published` follows the same rule.
    let out = env
        .cmd()
        .args([
            "edit",
            "comparison",
            "director-vs-producer",
            "--set",
            "status=published",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("its term \"Director\" is a draft"));
    assert_eq!(status_of(&env, comparison), "draft");

    // --with-terms publishes the term in the same change.
    let out = env
        .cmd()
        .args(["publish", "director-vs-producer", "--with-terms"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(status_of(&env, comparison), "published");
    assert_eq!(
        status_of(&env, "SELECT status FROM terms WHERE term = 'Director'"),
        "published"
    );
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    assert!(site.join("compare/director-vs-producer.html").exists());
    assert!(site.join("terms/director.html").exists());

    // Taking the term down under a published article is refused too...
    let out = env
        .cmd()
        .args(["unpublish", "--term", "director"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the published comparison director-vs-producer shows it"),
        "{err}"
    );
    assert!(err.contains("--with-comparisons"), "{err}");
    // ... unless the articles go with it.
    env.cmd()
        .args(["unpublish", "--term", "director", "--with-comparisons"])
        .assert()
        .success();
    assert_eq!(status_of(&env, comparison), "draft");
}

#[test]
fn a_published_article_with_a_draft_term_is_hidden_everywhere() {
    let env = Env::new();
    director_vs_producer(&env);
    env.cmd()
        .args(["publish", "director-vs-producer", "--with-terms"])
        .assert()
        .success();
    // Someone sets the term back to draft in the sqlite3 shell.
    env.conn()
        .execute(
            "UPDATE terms SET status = 'draft' WHERE term = 'Director'",
            [],
        )
        .unwrap();

    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    assert!(!site.join("compare/director-vs-producer.html").exists());
    assert!(!site.join("terms/director.html").exists());
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!index.contains("Director"), "{index}");

    let out = env
        .cmd()
        .args(["render", "director-vs-producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("its term \"Director\" is a draft"),
        "{}",
        stderr(&out)
    );

    let export = env.dir.path().join("export");
    env.cmd()
        .args(["export", "--published-only"])
        .arg(&export)
        .assert()
        .success();
    let comparisons = fs::read_to_string(export.join("comparisons.csv")).unwrap();
    assert!(!comparisons.contains("director-vs-producer"));

    let v = env.json(&[
        "query",
        "--comparison",
        "director-vs-producer",
        "--format",
        "json",
    ]);
    assert_eq!(v["status"], "published");
    assert_eq!(v["public"], false);
    assert_eq!(v["draft_terms"][0], "Director");
    let out = env
        .cmd()
        .args(["query", "--comparison", "director-vs-producer"])
        .output()
        .unwrap();
    assert!(
        stdout(&out)
            .replace('\n', " ")
            .contains("not public: its term \"Director\" is a draft"),
        "{}",
        stdout(&out)
    );

    let out = env.cmd().arg("check").output().unwrap();
    assert!(out.status.success(), "a warning does not fail check");
    assert!(stdout(&out).contains("W204"), "{}", stdout(&out));
}

#[test]
fn publishing_an_empty_article_needs_force() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args([
            "add-comparison",
            "--left",
            "Executive Producer",
            "--right",
            "Producer",
        ])
        .assert()
        .success();
    let out = env
        .cmd()
        .args(["publish", "executive-producer-vs-producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for reason in [
        "it has no summary",
        "it has no published date",
        "it has no key differences, chart rows or FAQs",
        "--force",
    ] {
        assert!(err.contains(reason), "{reason}: {err}");
    }
    env.cmd()
        .args(["publish", "executive-producer-vs-producer", "--force"])
        .assert()
        .success();
    assert_eq!(
        status_of(
            &env,
            "SELECT status FROM comparisons WHERE slug = 'executive-producer-vs-producer'"
        ),
        "published"
    );
}

#[test]
fn drafts_read_as_drafts() {
    let env = Env::new();
    director_vs_producer(&env);
    let out = env
        .cmd()
        .args(["query", "--comparison", "director-vs-producer"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("director-vs-producer · draft · dated 2024-03-10"),
        "{text}"
    );
    assert!(!text.contains("published"), "{text}");
    let out = env
        .cmd()
        .args(["query", "--term", "director"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).starts_with("Director (noun) · draft\n"),
        "{}",
        stdout(&out)
    );
    let v = env.json(&["query", "--term", "director", "--format", "json"]);
    assert_eq!(v["status"], "draft");
    assert_eq!(v["comparisons"][0]["status"], "draft");
    let v = env.json(&[
        "query",
        "--comparison",
        "director-vs-producer",
        "--format",
        "json",
    ]);
    assert_eq!(v["status"], "draft");
    assert_eq!(v["public"], false);
}

#[test]
fn the_site_holds_exactly_what_is_published_after_a_rebuild() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.write(
        "more",
        "terms.csv",
        "term,status\nDirector,published\nWriter,published\n",
    );
    env.write(
        "more",
        "senses.csv",
        "term,sense,definition\nDirector,1,Directs.\nWriter,1,Writes.\n",
    );
    env.write(
        "more",
        "comparisons.csv",
        "comparison,left,right,summary,published,status\n\
         director-vs-producer,Director,Producer,S.,2024-01-01,published\n\
         director-vs-writer,Director,Writer,S.,2024-01-02,published\n\
         producer-vs-writer,Producer,Writer,S.,2024-01-03,published\n",
    );
    env.write(
        "more",
        "differences.csv",
        "comparison,position,text\n\
         director-vs-producer,1,D.\ndirector-vs-writer,1,D.\nproducer-vs-writer,1,D.\n",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    let site = env.dir.path().join("site");
    fs::create_dir_all(site.join("compare")).unwrap();
    fs::write(site.join("notes.txt"), "mine").unwrap();
    fs::write(site.join("compare/extra.html"), "mine too").unwrap();
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    for page in [
        "compare/director-vs-producer.html",
        "compare/director-vs-writer.html",
        "compare/producer-vs-writer.html",
        "terms/writer.html",
    ] {
        assert!(site.join(page).exists(), "{page}");
    }

    for args in [
        &["unpublish", "director-vs-producer"][..],
        &[
            "edit",
            "comparison",
            "director-vs-writer",
            "--set",
            "slug=director-and-writer",
        ],
        &["remove", "comparison", "producer-vs-writer", "--yes"],
        &["edit", "term", "Writer", "--set", "term=Screenwriter"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let out = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("deleted 5 files no longer published"),
        "{}",
        stdout(&out)
    );
    for gone in [
        "compare/director-vs-producer.html",
        "compare/director-vs-writer.html",
        "compare/producer-vs-writer.html",
        "terms/writer.html",
        // Writer was the only term under W.
        "terms-w.html",
    ] {
        assert!(!site.join(gone).exists(), "{gone} is still on the site");
    }
    for there in [
        "compare/director-and-writer.html",
        "compare/producer-vs-executive-producer.html",
        "terms/screenwriter.html",
        "index.html",
    ] {
        assert!(site.join(there).exists(), "{there}");
    }
    // The user's own files are left alone.
    assert_eq!(fs::read_to_string(site.join("notes.txt")).unwrap(), "mine");
    assert!(site.join("compare/extra.html").exists());
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!index.contains("director-vs-producer"), "{index}");
}

#[test]
fn only_init_and_import_create_a_database() {
    let env = Env::new();
    let typo = env.dir.path().join("m.db");
    for args in [
        &["add-term", "Y"][..],
        &["add-sense", "Y", "--definition", "d"],
        &["add-comparison", "--left", "A", "--right", "B"],
        &["add-faq", "a-vs-b", "--question", "Q", "--answer", "A"],
        &["edit", "term", "Y", "--set", "note=n"],
        &["remove", "term", "Y", "--yes"],
        &["publish", "a-vs-b"],
        &["unpublish", "--term", "Y"],
        &["check", "--fix"],
        &["history"],
        &["revert", "1"],
        &["query", "--term", "Y"],
        &["export", "out"],
        &["render", "--all", "--out", "site"],
        &["stats"],
    ] {
        let out = env.cmd_at(&typo).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("no glossary database at"), "{args:?}: {err}");
        assert!(err.contains("glossary init"), "{args:?}: {err}");
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
    let out = env.cmd_at(&typo).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("created the glossary database"));
    assert!(typo.exists());
    // Again: nothing to do, and said so.
    let out = env.cmd_at(&typo).arg("init").output().unwrap();
    assert!(out.status.success());
    assert!(stdout(&out).contains("is already a glossary database"));
    env.cmd_at(&typo).args(["add-term", "Y"]).assert().success();
}

#[test]
fn backup_of_a_missing_database_says_there_is_none() {
    let env = Env::new();
    let out = env.cmd().args(["backup", "copy.db"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no glossary database at"), "{err}");
    assert!(!err.contains("cannot be the database itself"), "{err}");
    assert!(!env.db().exists());
    assert!(!env.dir.path().join("copy.db").exists());
}

/// The entry names in `text`: search's unindented lines, a change's
/// (`history N`) after added/removed/changed, check's between the table
/// and the colon.
fn names_printed(command: &str, text: &str) -> Vec<String> {
    if command == "history" {
        return text
            .lines()
            .filter_map(|l| {
                ["  added ", "  removed ", "  changed "]
                    .iter()
                    .find_map(|p| l.strip_prefix(p))
                    .map(str::to_string)
            })
            .collect();
    }
    text.lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .filter_map(|l| match command {
            "search" => Some(l.to_string()),
            "check" => l
                .split_once("] ")
                .and_then(|(_, rest)| rest.rsplit_once(": "))
                .map(|(name, _)| name.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_name_glossary_prints_is_accepted_by_edit_and_history() {
    let env = Env::new();
    env.import_seeds();
    // A term whose name needs quoting, with a chart row naming it.
    env.cmd()
        .args(["add-term", "Rock \"n\" Roll"])
        .assert()
        .success();
    let mut names = Vec::new();
    for word in ["hands-on", "budget", "funding", "creative", "day-to-day"] {
        let out = env
            .cmd()
            .args(["query", "--search", word, "--limit", "50"])
            .output()
            .unwrap();
        names.extend(names_printed("search", &stdout(&out)));
    }
    // Every change, in full. (Entries removed since are named by what they
    // were; those are not looked up.)
    let changes = env.json(&["history", "--format", "json"]);
    for c in changes.as_array().unwrap() {
        let out = env
            .cmd()
            .args(["history", &c["change"].to_string()])
            .output()
            .unwrap();
        names.extend(names_printed("history", &stdout(&out)));
    }
    let out = env.cmd().arg("check").output().unwrap();
    names.extend(names_printed("check", &stdout(&out)));
    names.sort();
    names.dedup();
    for kind in [
        "row ",
        "faq ",
        "sense ",
        "example ",
        "difference ",
        "term ",
        "comparison ",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(kind)),
            "no {kind}name in {names:?}"
        );
    }
    assert!(names.iter().any(|n| n.contains("Rock")), "{names:?}");
    for name in &names {
        let words = shlex::split(name).unwrap_or_else(|| panic!("{name} does not split"));
        let out = env.cmd().arg("history").args(&words).output().unwrap();
        assert!(out.status.success(), "history {name}: {}", stderr(&out));
        assert!(!stdout(&out).is_empty(), "history {name} lists nothing");
    }
    // Search names a chart row by its aspect; edit takes it as printed, any
    // case, and by position too.
    let row = names.iter().find(|n| n.starts_with("row ")).unwrap();
    let mut words = shlex::split(row).unwrap();
    let out = env
        .cmd()
        .arg("edit")
        .args(&words)
        .args(["--set", "left=Changed"])
        .output()
        .unwrap();
    assert!(out.status.success(), "edit {row}: {}", stderr(&out));
    let aspect = words.pop().unwrap();
    words.push(aspect.to_uppercase());
    let out = env
        .cmd()
        .arg("edit")
        .args(&words)
        .args(["--set", "right=R"])
        .output()
        .unwrap();
    assert!(out.status.success(), "edit in capitals: {}", stderr(&out));
    assert!(
        stdout(&out).contains(row.as_str()),
        "the stored name: {}",
        stdout(&out)
    );
    let out = env
        .cmd()
        .args(["edit", "row", SLUG, "5", "--set", "right=R5"])
        .output()
        .unwrap();
    assert!(out.status.success(), "a row by position: {}", stderr(&out));
    assert_eq!(
        env.count("SELECT count(*) FROM comparison_rows WHERE position = 5 AND right_value = 'R5'"),
        1
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

#[test]
fn read_only_commands_work_while_another_program_writes() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.seeds_copy();
    crate::util::edit(
        &dir.join("differences.csv"),
        "day-to-day management",
        "daily management",
    );
    // Another program holds the write lock, with an uncommitted change.
    let writer = env.conn();
    writer
        .execute_batch(
            "BEGIN IMMEDIATE; UPDATE terms SET note = 'uncommitted' WHERE term = 'Producer';",
        )
        .unwrap();
    let started = std::time::Instant::now();
    let out = env.cmd().arg("check").output().unwrap();
    assert!(out.status.success(), "check: {}", stderr(&out));
    assert!(stdout(&out).contains("0 errors"), "{}", stdout(&out));
    let out = env
        .cmd()
        .args(["import", "--dry-run"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "import --dry-run: {}", stderr(&out));
    assert!(
        stdout(&out).contains("dry run: nothing was written") || stderr(&out).contains("dry run")
    );
    // Neither waited out the busy timeout (5 s) before answering.
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    // A write still waits, then says busy (exit 3).
    let out = env
        .cmd()
        .env("GLOSSARY_BUSY_TIMEOUT", "100")
        .args(["add-term", "Gaffer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    writer.execute_batch("ROLLBACK").unwrap();
    // No snapshot is left beside the database.
    let leftovers: Vec<_> = fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("snapshot"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_busy_timeout_that_is_not_a_number_is_a_usage_error() {
    let env = Env::new();
    env.import_seeds();
    for value in ["abc", "-5", "1.5s"] {
        let out = env
            .cmd()
            .env("GLOSSARY_BUSY_TIMEOUT", value)
            .args(["query", "--term", "producer"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{value}");
        assert!(
            stderr(&out).contains("GLOSSARY_BUSY_TIMEOUT must be a whole number"),
            "{}",
            stderr(&out)
        );
    }
}

/// `glossary ARGS` started on a pseudo-terminal (util-linux `script`),
/// returned once it shows `prompt`, with its stdin to answer on and its
/// output so far.
fn waiting_at_prompt(
    env: &Env,
    args: &str,
    prompt: &str,
) -> (
    std::process::Child,
    std::sync::Arc<std::sync::Mutex<String>>,
) {
    use std::io::Read;
    let bin = assert_cmd::cargo::cargo_bin("glossary");
    let command = format!("{} --db {} {args}", bin.display(), env.db().display());
    let mut child = std::process::Command::new("timeout")
        .args(["60", "script", "-qec", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .current_dir(env.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut pipe = child.stdout.take().unwrap();
    let sink = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let started = std::time::Instant::now();
    while !seen.lock().unwrap().contains(prompt) {
        assert!(
            started.elapsed().as_secs() < 20,
            "no prompt: {}",
            seen.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    (child, seen)
}

fn answer(mut child: std::process::Child, seen: &std::sync::Mutex<String>, text: &str) -> String {
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    child.wait().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    seen.lock().unwrap().clone()
}

#[test]
fn remove_asks_before_it_takes_the_write_lock() {
    let env = Env::new();
    env.import_seeds();
    let (child, seen) = waiting_at_prompt(&env, &format!("remove faq {SLUG} 20"), "[y/N]");
    // The question shows what will go, not just its key.
    let question = "Remove faq producer-vs-executive-producer 20 (\"What’s a common misconception about producers?\")? [y/N]";
    assert!(
        seen.lock().unwrap().contains(question),
        "{}",
        seen.lock().unwrap()
    );
    // While the person reads, others write.
    let out = env
        .cmd()
        .env("GLOSSARY_BUSY_TIMEOUT", "200")
        .args(["add-term", "Gaffer"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "blocked by a question: {}",
        stderr(&out)
    );
    let text = answer(child, &seen, "y\n");
    assert!(
        text.contains("removed faq producer-vs-executive-producer 20"),
        "{text}"
    );
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 19);

    // Someone changes the entry while the question is open: nothing goes.
    let (child, seen) = waiting_at_prompt(&env, &format!("remove faq {SLUG} 19"), "[y/N]");
    env.cmd()
        .args(["edit", "faq", SLUG, "19", "--set", "position=1"])
        .assert()
        .success();
    let text = answer(child, &seen, "y\n");
    assert!(text.contains("changed while you were asked"), "{text}");
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 19);
}

#[test]
fn a_page_rendered_alone_stands_on_its_own() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["render", SLUG, "--format", "html"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(
        !page.contains("href="),
        "a link that does not resolve on its own"
    );
    assert!(!page.contains("src="));
    assert!(!page.contains("../"));
    assert!(page.contains("<style>"), "no style");
    assert!(
        page.contains("border-collapse"),
        "the chart's style is inline"
    );
    assert!(page.contains("Producer"));
    // The same article in a site links its terms and the shared style.
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    let in_site = fs::read_to_string(site.join("compare").join(format!("{SLUG}.html"))).unwrap();
    assert!(in_site.contains("href=\"../style.css\""));
    assert!(in_site.contains("href=\"../terms/producer.html\""));
    assert!(site.join("terms/producer.html").exists());
}

/// An $EDITOR that runs `script` on the file it is given ($f).
fn editor_script(env: &Env, name: &str, script: &str) -> String {
    let path = env.dir.path().join(name);
    fs::write(&path, format!("#!/bin/sh\nf=\"$1\"\n{script}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

/// The files glossary left in `tmp`.
fn left_in(tmp: &Path) -> Vec<std::path::PathBuf> {
    fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

/// The kept file's path from a message "...kept in PATH; apply it...".
fn kept_path(err: &str) -> std::path::PathBuf {
    let rest = err
        .split("kept in ")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    std::path::PathBuf::from(rest.split(';').next().unwrap().trim())
}

#[test]
fn the_editor_leaves_a_file_only_when_it_holds_what_was_typed() {
    let env = Env::new();
    env.import_seeds();
    let tmp = env.dir.path().join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let run = |editor: &str, args: &[&str]| {
        env.cmd()
            .env("TMPDIR", &tmp)
            .env("EDITOR", editor)
            .env_remove("VISUAL")
            .args(args)
            .output()
            .unwrap()
    };
    let faq2 = ["edit", "faq", SLUG, "2"];
    // An editor that fails at once, or is not there: nothing typed, no file.
    for editor in ["false", "/nonexistent/editor"] {
        let out = run(editor, &faq2);
        assert_eq!(out.status.code(), Some(1), "{editor}");
        assert!(stderr(&out).contains("editor"), "{}", stderr(&out));
        assert!(
            left_in(&tmp).is_empty(),
            "{editor} left {:?}",
            left_in(&tmp)
        );
    }
    // An editor that saved a change, then failed: the text is kept...
    let crashy = editor_script(
        &env,
        "crashy",
        "sed -i 's/^answer = .*/answer = \"Typed, then the editor crashed.\"/' \"$f\"; exit 1",
    );
    let out = run(&crashy, &faq2);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let kept = kept_path(&err);
    assert!(kept.starts_with(&tmp), "{err}");
    assert!(
        err.contains(&format!("glossary edit faq {SLUG} 2 --file ")),
        "{err}"
    );
    assert_eq!(left_in(&tmp), vec![kept.clone()]);
    // ... someone else changes the question meanwhile ...
    env.cmd()
        .args([
            "edit",
            "faq",
            SLUG,
            "2",
            "--set",
            "question=Changed by another?",
        ])
        .assert()
        .success();
    // ... and the kept file applies what was typed, and only that.
    let out = env
        .cmd()
        .args(["edit", "faq", SLUG, "2", "--file"])
        .arg(&kept)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        env.count(
            "SELECT count(*) FROM faqs WHERE position = 2 AND question = 'Changed by another?' \
             AND answer = 'Typed, then the editor crashed.'"
        ),
        1
    );

    // Off a terminal, a document that cannot be applied is kept too.
    fs::remove_file(&kept).unwrap();
    let typo = editor_script(&env, "typo", "echo 'answr = \"typo\"' >> \"$f\"");
    let out = run(&typo, &["edit", "faq", SLUG, "3"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("unknown field \"answr\""), "{err}");
    let kept = kept_path(&err);
    let fixed = fs::read_to_string(&kept)
        .unwrap()
        .replace("answr = \"typo\"", "")
        .replace("answer = \"", "answer = \"Fixed: ");
    fs::write(&kept, fixed).unwrap();
    let out = env
        .cmd()
        .args(["edit", "faq", SLUG, "3", "--file"])
        .arg(&kept)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        env.count("SELECT count(*) FROM faqs WHERE position = 3 AND answer LIKE 'Fixed: %'"),
        1
    );
    // A file that is not there is a clear error.
    let out = env
        .cmd()
        .args(["edit", "faq", SLUG, "3", "--file", "missing.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
}

#[test]
fn a_pipe_in_a_markdown_chart_cell_stays_in_its_cell() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args([
            "add-row", SLUG, "--aspect", "Pipes", "--left", "A | B", "--right", "C",
        ])
        .assert()
        .success();
    let out = env
        .cmd()
        .args(["render", SLUG, "--format", "markdown"])
        .output()
        .unwrap();
    let page = stdout(&out);
    let line = page.lines().find(|l| l.contains("Pipes")).unwrap();
    assert!(line.contains("A \\| B"), "{line}");
    assert!(
        !line.contains("\\\\|"),
        "an escaped backslash breaks the cell: {line}"
    );
    // Four cell borders: | aspect | left | right |
    assert_eq!(line.matches(" | ").count() + 2, 4, "{line}");
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
