//! Variants of a term ("EP" for Executive Producer, "producers" for
//! Producer): added, edited, removed and undone as any entry; found by
//! `query --term`; suggested; one key space with terms, kept by the
//! schema whoever writes; imported and exported; linked on the site.

use std::ffi::OsStr;

use crate::util::{shell, stderr, stdout, Env, SLUG};

fn os<'a>(args: &[&'a str]) -> Vec<&'a OsStr> {
    args.iter().map(|a| OsStr::new(*a)).collect()
}

#[test]
fn a_variant_finds_its_term_and_says_so() {
    let env = Env::new();
    env.import_seeds();
    let out = env.output(&["query", "--term", "ep"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("\"EP\" is a variant (abbreviation) of\nExecutive Producer"),
        "{text}"
    );
    assert!(
        text.contains("Also: EP (abbreviation), executive producers (plural)"),
        "{text}"
    );

    let json = env.json(&["query", "--term", "EXECUTIVE PRODUCERS", "--format", "json"]);
    assert_eq!(json["term"], "Executive Producer");
    assert_eq!(json["found_by_variant"]["variant"], "executive producers");
    assert_eq!(json["found_by_variant"]["type"], "plural");
    assert_eq!(json["variants"][0]["variant"], "EP");
    // Asked by its own name, the term says nothing of variants.
    let json = env.json(&["query", "--term", "producer", "--format", "json"]);
    assert!(json.get("found_by_variant").is_none(), "{json}");
    assert_eq!(json["variants"][0]["variant"], "producers");

    // A typo is suggested the variant it is closest to.
    let err = env.fails(&os(&["query", "--term", "EPP"]));
    assert!(
        err.contains("unknown term \"EPP\" (did you mean \"EP\"?)"),
        "{err}"
    );
    // Where a term is needed, a variant says whose it is.
    let err = env.fails(&os(&["add-sense", "EP", "--definition", "x"]));
    assert!(
        err.contains("\"EP\" is not a term but a variant (abbreviation) of \"Executive Producer\""),
        "{err}"
    );
}

#[test]
fn search_finds_a_term_by_its_variant_first() {
    let env = Env::new();
    env.import_seeds();
    // "EP" is in no definition; its term comes first, by the variant.
    let hits = env.json(&["query", "--format", "json", "--search", "ep"]);
    assert_eq!(hits[0]["kind"], "term", "{hits}");
    assert_eq!(hits[0]["entry"], "term \"Executive Producer\"");
    assert_eq!(hits[0]["term"], "Executive Producer");
    let snippet = hits[0]["snippet"].as_str().unwrap();
    assert!(
        snippet.starts_with("**EP** (abbreviation of Executive Producer): "),
        "{snippet}"
    );
    // Ranked before every text hit, as bm25 ranks: lower is better.
    let scores: Vec<f64> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "{scores:?}");

    // By its own name, a term comes first too, before the definitions
    // that use the word; the limit counts it.
    let hits = env.json(&[
        "query", "--format", "json", "--search", "Producer", "--limit", "3",
    ]);
    assert_eq!(hits[0]["entry"], "term \"Producer\"", "{hits}");
    assert!(hits[1]["kind"] != "term", "{hits}");
    assert_eq!(hits.as_array().unwrap().len(), 3);
    // A variant renamed away is no longer found by its old name.
    env.run_all(&[&[
        "edit",
        "variant",
        "Executive Producer",
        "EP",
        "--set",
        "variant=E.P.",
    ]]);
    let hits = env.json(&["query", "--format", "json", "--search", "ep"]);
    assert!(
        hits.as_array().unwrap().iter().all(|h| h["kind"] != "term"),
        "{hits}"
    );
    // --raw is FTS5's syntax over the texts: names are not asked.
    let hits = env.json(&["query", "--format", "json", "--search", "producer", "--raw"]);
    assert!(hits[0]["kind"] != "term", "{hits}");
}

#[test]
fn a_name_leads_to_one_term_whoever_writes() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    for (args, said) in [
        (
            vec!["add-variant", "Producer", "ep", "--type", "abbreviation"],
            "\"ep\" is a variant of \"Executive Producer\" already",
        ),
        (
            vec![
                "add-variant",
                "Executive Producer",
                "PRODUCER",
                "--type",
                "spelling",
            ],
            "\"PRODUCER\" is the term \"Producer\" already",
        ),
        (
            vec!["add-term", "Ep"],
            "\"EP\" is a variant of \"Executive Producer\" already: remove the variant first",
        ),
        (
            vec!["add-variant", "Producr", "prods", "--type", "form"],
            "did you mean \"Producer\"?",
        ),
        (
            vec!["edit", "term", "Producer", "--set", "term=EP"],
            "variant",
        ),
        (
            vec![
                "edit",
                "variant",
                "Producer",
                "producers",
                "--set",
                "variant=EP",
            ],
            "\"EP\" is a variant of \"Executive Producer\" already",
        ),
        (
            vec![
                "edit",
                "variant",
                "Producer",
                "producers",
                "--set",
                "type=plurals",
            ],
            "\"plurals\" is not a variant type (did you mean \"plural\"?)",
        ),
    ] {
        let err = env.fails(&os(&args));
        assert!(err.contains(said), "{args:?}: {err}");
    }
    // A type outside the list is clap's (exit 2, the values listed).
    let out = env.output(&["add-variant", "Producer", "prods", "--type", "plurl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("plural, abbreviation, spelling, form"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.db_bytes(), before, "nothing refused was written");

    // The sqlite3 shell: the schema keeps one key space both ways.
    let conn = shell(&env);
    let err = conn
        .execute(
            "INSERT INTO variants (term_id, position, variant, type)
             SELECT id, 9, 'Producer', 'spelling' FROM terms WHERE term = 'Executive Producer'",
            [],
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("a term is written so"), "{err}");
    let err = conn
        .execute("INSERT INTO terms (term) VALUES ('ep')", [])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a variant of another term is written so"),
        "{err}"
    );
    let err = conn
        .execute(
            "UPDATE variants SET type = 'acronym' WHERE variant = 'EP'",
            [],
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("CHECK"), "{err}");
    // A row written by hand gets its key, and is found by it.
    conn.execute(
        "INSERT INTO variants (term_id, position, variant, type)
         SELECT id, 2, 'Prod', 'abbreviation' FROM terms WHERE term = 'Producer'",
        [],
    )
    .unwrap();
    let json = env.json(&["query", "--term", "PROD", "--format", "json"]);
    assert_eq!(json["term"], "Producer");
}

#[test]
fn variants_are_edited_moved_removed_and_undone_whole() {
    let env = Env::new();
    env.import_seeds();
    let exported = |name: &str| {
        let dir = env.dir.path().join(name);
        env.run_all(&[&["export", dir.to_str().unwrap()]]);
        std::fs::read_to_string(dir.join("variants.csv")).unwrap()
    };
    let start = exported("start");
    env.run_all(&[
        &[
            "add-variant",
            "Executive Producer",
            "E.P.",
            "--type",
            "abbreviation",
            "--position",
            "1",
        ],
        &[
            "edit",
            "variant",
            "Executive Producer",
            "e.p.",
            "--set",
            "variant=Exec. Producer",
        ],
        &[
            "edit",
            "variant",
            "Executive Producer",
            "Exec. Producer",
            "--set",
            "position=3",
        ],
        &[
            "edit",
            "variant",
            "Executive Producer",
            "ep",
            "--set",
            "type=spelling",
        ],
    ]);
    let edited = exported("edited");
    assert_eq!(
        edited,
        "term,variant,type\nExecutive Producer,EP,spelling\nExecutive Producer,executive producers,plural\n\
         Executive Producer,Exec. Producer,abbreviation\nProducer,producers,plural\n"
    );
    let history = stdout(&env.output(&["history"]));
    assert!(
        history.contains("add-variant \"Executive Producer\" E.P."),
        "{history}"
    );
    assert!(history.contains("~1 variant"), "{history}");

    // Removing the term takes its variants; the revert puts them back.
    env.run_all(&[&["remove", "term", "Executive Producer", "--yes"]]);
    assert_eq!(env.count("SELECT count(*) FROM variants"), 1);
    let newest = env.json(&["history", "--format", "json", "--limit", "1"]);
    let id = newest[0]["change"].as_i64().unwrap().to_string();
    env.run_all(&[&["revert", &id]]);
    assert_eq!(exported("restored"), edited);
    // And each change undone in turn, newest first, brings back the start.
    let json = env.json(&["history", "--format", "json", "--limit", "20"]);
    let ours: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            let command = c["command"].as_str().unwrap_or_default();
            command.starts_with("add-variant") || command.starts_with("edit variant")
        })
        .map(|c| c["change"].as_i64().unwrap().to_string())
        .collect();
    assert_eq!(ours.len(), 4, "{json}");
    for id in &ours {
        env.run_all(&[&["revert", id]]);
    }
    assert_eq!(exported("undone"), start);
}

#[test]
fn variants_csv_imports_all_or_nothing_with_positioned_problems() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    let dir = env.write(
        "bad",
        "variants.csv",
        "term,variant,type\n\
         Producer,prods,abbreviation\n\
         Prodcer,producing,form\n\
         Producer,Executive Producer,spelling\n\
         Producer,EP,abbreviation\n\
         Producer,produce,verb\n\
         Producer,prods,abbreviation\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for said in [
        "variants.csv:3: unknown term \"Prodcer\" (did you mean \"Producer\"?)",
        "variants.csv:4: \"Executive Producer\" is the term \"Executive Producer\"",
        "variants.csv:5: \"EP\" is a variant of \"Executive Producer\" already",
        "variants.csv:6: type: \"verb\" is not a variant type",
        "variants.csv:7: variant \"prods\" appears on an earlier line",
    ] {
        assert!(err.contains(said), "{said}\n{err}");
    }
    assert_eq!(env.db_bytes(), before, "nothing written");

    // A good file adds, and importing it again changes nothing.
    let dir = env.write(
        "good",
        "variants.csv",
        "term,variant,type\nProducer,prods,abbreviation\nProducer,producers,form\n",
    );
    let json = env.json(&["import", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(json["files"][0]["inserted"], 1, "{json}");
    assert_eq!(json["files"][0]["updated"], 1, "{json}");
    let json = env.json(&["import", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(json["files"][0]["unchanged"], 2, "{json}");
}

#[test]
fn the_site_links_a_variant_to_its_term_and_names_the_variants() {
    let env = Env::new();
    env.import_seeds();
    env.add_term("Director", true, &["The person who directs a film."]);
    env.run_all(&[
        &["add-variant", "Director", "directors", "--type", "plural"],
        &["add-variant", "Director", "Dir.", "--type", "abbreviation"],
        &[
            "edit",
            "faq",
            SLUG,
            "2",
            "--set",
            "answer=Yes: the directors report to them.",
        ],
    ]);
    let site = env.dir.path().join("site");
    let render = || {
        let out = env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    render();
    let article = std::fs::read_to_string(site.join(format!("compare/{SLUG}.html"))).unwrap();
    assert!(
        article.contains("<a href=\"../terms/director.html\""),
        "the plural links to Director"
    );
    assert!(
        article.contains(">directors</a>"),
        "the text stays as written"
    );
    let term = std::fs::read_to_string(site.join("terms/director.html")).unwrap();
    assert!(term.contains("Also written: <b>directors</b>"), "{term}");
    assert!(
        term.contains("\"alternateName\":[\"directors\",\"Dir.\"]"),
        "{term}"
    );

    // A variant removed: the pages that linked by it are built again.
    env.run_all(&[&["remove", "variant", "Director", "directors", "--yes"]]);
    let report = render();
    assert!(report.contains("wrote 1 comparison page"), "{report}");
    let article = std::fs::read_to_string(site.join(format!("compare/{SLUG}.html"))).unwrap();
    assert!(!article.contains(">directors</a>"), "no link by it left");
    // And one added to a published term: the pages that name it are.
    env.run_all(&[&["add-variant", "Director", "directors", "--type", "plural"]]);
    render();
    let article = std::fs::read_to_string(site.join(format!("compare/{SLUG}.html"))).unwrap();
    assert!(article.contains(">directors</a>"), "linked again");
}

#[test]
fn a_variant_can_wait_in_a_pending_version() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[&[
        "add-variant",
        "Producer",
        "prod.",
        "--type",
        "abbreviation",
        "--pending",
    ]]);
    let live = env.json(&["query", "--term", "producer", "--format", "json"]);
    assert_eq!(live["variants"].as_array().unwrap().len(), 1, "{live}");
    let pending = env.json(&[
        "query",
        "--term",
        "producer",
        "--pending",
        "--format",
        "json",
    ]);
    assert_eq!(pending["variants"][1]["variant"], "prod.", "{pending}");
    env.run_all(&[&["pending", "publish", "term", "Producer"]]);
    let live = env.json(&["query", "--term", "prod.", "--format", "json"]);
    assert_eq!(live["term"], "Producer");
}
