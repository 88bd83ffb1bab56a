//! `export`: the CSV files import reads, byte for byte; spreadsheet-safe
//! cells; documents for other site generators; what a check refuses.

use std::fs;

use pretty_assertions::assert_eq;

use crate::util::{seeds, shell, stderr, stdout, Env, SLUG};

#[test]
fn export_of_the_seeds_is_the_seeds_byte_for_byte() {
    let env = Env::new();
    env.import_seeds();
    let out_dir = env.dir.path().join("out");
    env.cmd().arg("export").arg(&out_dir).assert().success();
    for entry in fs::read_dir(seeds()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        assert_eq!(
            fs::read_to_string(out_dir.join(name)).unwrap(),
            fs::read_to_string(&path).unwrap(),
            "{}",
            path.display()
        );
    }
    assert!(fs::read_dir(&out_dir).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));
}

/// A database whose every text field holds something awkward.
pub(crate) fn awkward_database(env: &Env) {
    env.import_seeds();
    for (i, text) in AWKWARD.iter().enumerate() {
        env.cmd()
            .args([
                "add-faq",
                SLUG,
                "--question",
                &format!("Q{i} {text}"),
                "--answer",
                text,
            ])
            .assert()
            .success();
        env.cmd()
            .args([
                "add-sense",
                "Producer",
                "--definition",
                text,
                "--domain",
                "odd, \"domain\"",
                "--example",
                &format!("{text}!"),
            ])
            .assert()
            .success();
    }
    env.cmd()
        .args([
            "edit",
            "term",
            "Producer",
            "--set",
            "note=<b>bold</b>\n=note",
        ])
        .assert()
        .success();
    env.cmd()
        .args([
            "edit",
            "comparison",
            SLUG,
            "--set",
            "title=<script>alert(1)</script> vs \"Quotes\"",
        ])
        .assert()
        .success();
}

#[test]
fn export_then_import_into_an_empty_database_reproduces_awkward_text() {
    let env = Env::new();
    awkward_database(&env);
    let first = env.dir.path().join("first");
    env.cmd().arg("export").arg(&first).assert().success();

    let copy = Env::new();
    copy.cmd().arg("import").arg(&first).assert().success();
    let second = copy.dir.path().join("second");
    copy.cmd().arg("export").arg(&second).assert().success();
    for entry in fs::read_dir(&first).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(
            fs::read(second.join(path.file_name().unwrap())).unwrap(),
            fs::read(&path).unwrap(),
            "{}",
            path.display()
        );
    }
    assert_eq!(
        copy.count("SELECT count(*) FROM faqs WHERE answer = '  leading and trailing spaces  '"),
        1
    );
    assert_eq!(
        copy.count("SELECT count(*) FROM faqs WHERE answer = '=SUM(A1:A2)'"),
        1
    );
}

#[test]
fn spreadsheet_safe_export_guards_formulas_and_published_only_leaves_drafts_out() {
    let env = Env::new();
    awkward_database(&env);
    env.cmd().args(["add-term", "Director"]).assert().success();
    let safe = env.dir.path().join("safe");
    env.cmd()
        .args(["export", "--spreadsheet-safe"])
        .arg(&safe)
        .assert()
        .success();
    let faqs = fs::read_to_string(safe.join("faqs.csv")).unwrap();
    // Every cell quoted (a ';' is no separator then), formulas guarded.
    assert!(faqs.contains(",\"'=SUM(A1:A2)\"\n"), "{faqs}");
    assert!(faqs.contains(",\"'@mention\"\n"), "{faqs}");
    assert!(
        !faqs.contains(",=SUM") && !faqs.contains(",\"=SUM"),
        "{faqs}"
    );

    let public = env.dir.path().join("public");
    env.cmd()
        .args(["export", "--published-only"])
        .arg(&public)
        .assert()
        .success();
    let terms = fs::read_to_string(public.join("terms.csv")).unwrap();
    assert!(!terms.contains("Director"), "{terms}");
    env.cmd().args(["unpublish", SLUG]).assert().success();
    env.cmd()
        .args(["export", "--published-only"])
        .arg(&public)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(public.join("faqs.csv")).unwrap(),
        "comparison,position,question,answer\n"
    );
}

#[test]
fn articles_and_terms_export_as_documents_for_other_site_generators() {
    let env = Env::new();
    env.import_seeds();
    env.cmd().args(["add-term", "Director"]).assert().success();
    let dir = env.dir.path().join("content");
    let out = env
        .cmd()
        .args(["export"])
        .arg(&dir)
        .args(["--as", "markdown"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("wrote 1 article and 2 terms to {}\n", dir.display())
    );
    let md = fs::read_to_string(dir.join("comparisons/producer-vs-executive-producer.md")).unwrap();
    assert!(md.starts_with("---\ntitle: \"Producer vs. Executive Producer: What's the Difference?\"\nslug: \"producer-vs-executive-producer\"\ndate: \"2023-12-02\"\n"));
    assert!(md.contains("chart:\n- aspect: \"Role in Production\"\n  left: \"Manages daily operations\"\n  right: \"Oversees project vision\"\n"));
    assert!(
        md.contains("\n---\n\n*Published on December 2, 2023*"),
        "the body follows the front matter"
    );
    assert!(
        !md.contains("\n# Producer vs."),
        "the title is in the front matter only"
    );
    assert!(
        !dir.join("terms/director.md").exists(),
        "a draft term is exported"
    );
    // TOML front matter, read back by a TOML parser.
    let toml_dir = env.dir.path().join("toml");
    env.cmd()
        .arg("export")
        .arg(&toml_dir)
        .args(["--as", "markdown", "--front-matter", "toml"])
        .assert()
        .success();
    let text =
        fs::read_to_string(toml_dir.join("comparisons/producer-vs-executive-producer.md")).unwrap();
    let front = text
        .strip_prefix("+++\n")
        .unwrap()
        .split("+++\n")
        .next()
        .unwrap();
    let fields: toml::Value = toml::from_str(front).unwrap();
    assert_eq!(fields["faqs"].as_array().unwrap().len(), 20);
    assert_eq!(fields["terms"][1].as_str(), Some("Executive Producer"));
    // JSON documents, whole entries.
    let json_dir = env.dir.path().join("json");
    env.cmd()
        .arg("export")
        .arg(&json_dir)
        .args(["--as", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(json_dir.join("comparisons/producer-vs-executive-producer.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        doc["title"],
        "Producer vs. Executive Producer: What's the Difference?"
    );
    assert_eq!(doc["left_senses"].as_array().unwrap().len(), 7);
    let term: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(json_dir.join("terms/producer.json")).unwrap())
            .unwrap();
    assert_eq!(term["senses"][4]["domain"], "ecology");
    // Again: nothing rewritten. Unpublished: its document goes; a file of
    // the user's stays.
    fs::write(dir.join("comparisons/_index.md"), "mine").unwrap();
    let again = env
        .cmd()
        .arg("export")
        .arg(&dir)
        .args(["--as", "markdown"])
        .output()
        .unwrap();
    assert!(
        stdout(&again).contains("(3 of 3 files unchanged)"),
        "{}",
        stdout(&again)
    );
    env.cmd()
        .args(["unpublish", "producer-vs-executive-producer"])
        .assert()
        .success();
    let after = env
        .cmd()
        .arg("export")
        .arg(&dir)
        .args(["--as", "markdown"])
        .output()
        .unwrap();
    assert!(
        stdout(&after).contains("deleted 1 file no longer published"),
        "{}",
        stdout(&after)
    );
    assert!(!dir
        .join("comparisons/producer-vs-executive-producer.md")
        .exists());
    assert_eq!(
        fs::read_to_string(dir.join("comparisons/_index.md")).unwrap(),
        "mine"
    );
    // CSV-only options with documents: a usage error.
    let out = env
        .cmd()
        .arg("export")
        .arg(&dir)
        .args(["--as", "json", "--spreadsheet-safe"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_export_of_a_database_check_rejects_is_refused_unless_forced() {
    let env = Env::new();
    env.import_seeds();
    shell(&env)
        .execute("DELETE FROM terms WHERE term = 'Executive Producer'", [])
        .unwrap();
    let out = env.output(&["export", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("cannot export this database") || said.contains("export this database"),
        "{said}"
    );
    assert!(
        said.contains("E101") && said.contains("check --fix") && said.contains("--force"),
        "{said}"
    );
    assert!(
        !env.dir.path().join("out/terms.csv").exists(),
        "files were written"
    );
    let out = env.output(&["export", "--force", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("left out: 8 orphans"),
        "{}",
        stderr(&out)
    );
    assert!(env.dir.path().join("out/terms.csv").exists());
}

#[test]
fn an_export_keeps_the_site_settings_and_an_import_brings_them_back() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &["site", "set", "title", "Film Words"],
        &["site", "set", "base_url", "https://example.org/words"],
        &["site", "set", "publisher", "Example Press"],
        &["export", "out"],
    ]);
    let site = std::fs::read_to_string(env.dir.path().join("out/site.csv")).unwrap();
    assert_eq!(
        site,
        "key,value\ntitle,Film Words\nbase_url,https://example.org/words/\npublisher,Example Press\n"
    );
    let fresh = env.dir.path().join("fresh.db");
    let out = env
        .cmd_at(&fresh)
        .arg("import")
        .arg(env.dir.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env
        .cmd_at(&fresh)
        .args(["site", "--format", "json"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("Film Words") && text.contains("https://example.org/words/"),
        "{text}"
    );
    // A bad value is a problem with its line, and nothing is written.
    std::fs::write(
        env.dir.path().join("out/site.csv"),
        "key,value\ntitle,Other\nbase_url,not a url\nlanguag,en\n",
    )
    .unwrap();
    let out = env
        .cmd_at(&fresh)
        .arg("import")
        .arg(env.dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("site.csv:3: base_url: must be an http"),
        "{said}"
    );
    assert!(
        said.contains("site.csv:4: there is no site setting \"languag\""),
        "{said}"
    );
    let out = env
        .cmd_at(&fresh)
        .args(["site", "--format", "json"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("Film Words"), "{}", stdout(&out));
}

pub(crate) const AWKWARD: &[&str] = &[
    "He said \"cut\", then left.",
    "two\nlines, and a comma",
    "emoji 🎬 and accents: café, naïve, Père",
    "=SUM(A1:A2)",
    "+1 is not a formula",
    "@mention",
    "<script>alert('x')</script> & more",
    "  leading and trailing spaces  ",
    "right-to-left: שלום",
];
