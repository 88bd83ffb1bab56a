//! What glossary says: every name it prints is a name it takes back,
//! messages say what happened once and where to go, reports read as a
//! person would write them.

use crate::util::{stderr, stdout, Env, SLUG};

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
fn messages_say_what_happened_once_and_where_to_go() {
    let env = Env::new();
    env.import_seeds();
    // A missing path: said once.
    let out = env.output(&["import", "/nonexistent-glossary-dir"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert_eq!(
        said.matches("No such file or directory").count(),
        1,
        "{said}"
    );
    // A folder given as the database: said to be a folder.
    let folder = env.dir.path().join("afolder");
    std::fs::create_dir_all(&folder).unwrap();
    let out = env
        .cmd_at(&folder)
        .args(["query", "--term", "producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.matches("it is a folder, not a database file").count() == 1,
        "{said}"
    );
    // `query producer` says how to ask for a term.
    let out = env.output(&["query", "producer"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("glossary query --term producer"),
        "{}",
        stderr(&out)
    );
    // A semicolon-separated file says it looks so.
    let dir = env.write(
        "semi",
        "terms.csv",
        "term;part_of_speech;note\nGaffer;noun;\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("looks semicolon-separated"),
        "{}",
        stderr(&out)
    );
    // remove names the articles that go, published first.
    env.run_all(&[
        &["add-term", "Director"],
        &[
            "add-comparison",
            "--left",
            "Producer",
            "--right",
            "Director",
        ],
    ]);
    let out = env.output(&["remove", "term", "Producer"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("(published: producer-vs-executive-producer; drafts: producer-vs-director)"),
        "{}",
        stderr(&out)
    );
    // An empty history says whose.
    let out = env.output(&["history", "--author", "bob"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "no changes by bob\n");
}

#[test]
fn reports_read_as_a_person_would_write_them() {
    let env = Env::new();
    env.import_seeds();
    // Numbers as numbers, text in quotes.
    let out = env.output(&["edit", "faq", SLUG, "5", "--set", "position=1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("position: 5 → 1"), "{}", stdout(&out));
    // After a move or a rename, the entry by the name it has now.
    assert!(
        stdout(&out).contains(&format!("updated faq {SLUG} 1")),
        "{}",
        stdout(&out)
    );
    let out = env.output(&[
        "edit",
        "term",
        "Executive Producer",
        "--set",
        "term=Showrunner",
    ]);
    assert!(
        stdout(&out).contains("updated term \"Showrunner\""),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("term: \"Executive Producer\" → \"Showrunner\""),
        "{}",
        stdout(&out)
    );
    // Markdown search snippets: bold once, not escaped twice.
    let out = env.output(&["query", "--search", "side", "--format", "markdown"]);
    assert!(
        stdout(&out).contains("**side**") && !stdout(&out).contains("\\*\\*"),
        "{}",
        stdout(&out)
    );
    // A dry run checks against the database and says it wrote nothing.
    // (Without the variants: Executive Producer's went with its rename
    // to Showrunner, and the seeds would give them to a new term.)
    let seeds = env.seeds_copy();
    std::fs::remove_file(seeds.join("variants.csv")).unwrap();
    let out = env
        .cmd()
        .args(["import", "--dry-run"])
        .arg(&seeds)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("against")
            && said.contains("nothing was written")
            && !said.contains(" into "),
        "{said}"
    );
    // query --help says which formats each mode takes.
    let out = env.output(&["query", "--help"]);
    assert!(
        stdout(&out).contains("csv too with --search"),
        "{}",
        stdout(&out)
    );
}
