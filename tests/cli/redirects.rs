//! Renamed entries keep their old addresses (migration V14): the rename
//! leaves a redirect whoever makes it, the site writes a page at the old
//! address and `_redirects`, and `glossary redirect` lists, adds and
//! removes them.

use std::fs;

use pretty_assertions::assert_eq;

use crate::util::{stderr, stdout, Env, SLUG};

fn redirects(env: &Env) -> Vec<(String, String, String)> {
    env.json(&["redirect", "list", "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["old"].as_str().unwrap().to_string(),
                r["to"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn rename(env: &Env, from: &str, to: &str) {
    let out = env.output(&["edit", "comparison", from, "--set", &format!("slug={to}")]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn r(kind: &str, old: &str, to: &str) -> (String, String, String) {
    (kind.into(), old.into(), to.into())
}

#[test]
fn a_renamed_article_keeps_its_old_address_through_every_rename() {
    let env = Env::new();
    env.import_seeds();
    assert_eq!(redirects(&env), []);
    rename(&env, SLUG, "producer-vs-ep");
    assert_eq!(redirects(&env), [r("comparison", SLUG, "producer-vs-ep")]);
    // A chain needs no collapsing: both old names send readers to the
    // entry, wherever it is now.
    rename(&env, "producer-vs-ep", "producer-or-executive-producer");
    assert_eq!(
        redirects(&env),
        [
            r(
                "comparison",
                "producer-vs-ep",
                "producer-or-executive-producer"
            ),
            r("comparison", SLUG, "producer-or-executive-producer"),
        ]
    );
    env.cmd()
        .args(["site", "set", "base_url", "https://glossary.example/"])
        .assert()
        .success();
    let site = env.dir.path().join("site");
    let out = env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The sitemap lists current addresses only.
    let sitemap = fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("compare/producer-or-executive-producer.html"));
    assert!(
        !sitemap.contains(SLUG) && !sitemap.contains("producer-vs-ep"),
        "{sitemap}"
    );
    assert!(
        stdout(&out).contains("2 redirects from old addresses"),
        "{}",
        stdout(&out)
    );
    let old = fs::read_to_string(site.join(format!("compare/{SLUG}.html"))).unwrap();
    assert!(old.contains(
        "<meta http-equiv=\"refresh\" content=\"0; url=producer-or-executive-producer.html\">"
    ));
    assert!(old.contains(
        "<link rel=\"canonical\" href=\"https://glossary.example/compare/producer-or-executive-producer.html\">"
    ), "{old}");
    assert!(
        old.contains("<a href=\"producer-or-executive-producer.html\">"),
        "{old}"
    );
    assert!(old.contains("<meta name=\"robots\" content=\"noindex\">"));
    let list = fs::read_to_string(site.join("_redirects")).unwrap();
    assert!(list.contains(&format!(
        "/compare/{SLUG}.html /compare/producer-or-executive-producer.html 301\n"
    )));
    assert!(list.contains(&format!(
        "/compare/{SLUG} /compare/producer-or-executive-producer 301\n"
    )));
    assert!(site
        .join("compare/producer-or-executive-producer.html")
        .exists());
    // Back to the first name: that address is a page again, not a redirect,
    // and the other old name sends readers to it.
    rename(&env, "producer-or-executive-producer", SLUG);
    assert_eq!(
        redirects(&env),
        [
            r("comparison", "producer-or-executive-producer", SLUG),
            r("comparison", "producer-vs-ep", SLUG),
        ]
    );
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    let page = fs::read_to_string(site.join(format!("compare/{SLUG}.html"))).unwrap();
    assert!(!page.contains("http-equiv"), "the live page is a redirect");
    assert!(fs::read_to_string(site.join("compare/producer-vs-ep.html"))
        .unwrap()
        .contains(&format!("url={SLUG}.html")));
}

#[test]
fn a_rename_in_the_sqlite3_shell_leaves_a_redirect_too_and_drafts_leave_none() {
    let env = Env::new();
    env.import_seeds();
    let conn = env.conn();
    conn.execute(
        "UPDATE comparisons SET slug = 'p-vs-ep' WHERE slug = ?1",
        [SLUG],
    )
    .unwrap();
    conn.execute(
        "UPDATE terms SET term = 'Producers', lookup_key = 'producers' WHERE term = 'Producer'",
        [],
    )
    .unwrap();
    assert_eq!(
        redirects(&env),
        [
            r("comparison", SLUG, "p-vs-ep"),
            r("term", "producer", "Producers")
        ]
    );
    // A draft was never on the site: renaming it leaves nothing.
    env.cmd().args(["add-term", "Director"]).assert().success();
    env.cmd()
        .args(["edit", "term", "Director", "--set", "term=Film Director"])
        .assert()
        .success();
    assert_eq!(redirects(&env).len(), 2);
    // The term's old page sends readers to its new one.
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    let old = fs::read_to_string(site.join("terms/producer.html")).unwrap();
    assert!(old.contains("url=producers.html"), "{old}");
    // A new term with the old name takes its address back.
    env.cmd().args(["add-term", "Producer"]).assert().success();
    assert_eq!(redirects(&env), [r("comparison", SLUG, "p-vs-ep")]);
}

#[test]
fn redirects_are_added_and_removed_by_hand_with_clear_refusals() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["redirect", "add", "comparison", "producer-vs-exec", SLUG])
        .assert()
        .success()
        .stdout(format!(
            "\"producer-vs-exec\" now sends readers to comparison {SLUG}\n"
        ));
    assert_eq!(redirects(&env), [r("comparison", "producer-vs-exec", SLUG)]);
    // An unknown target, with the closest name.
    let out = env.output(&[
        "redirect",
        "add",
        "comparison",
        "old-one",
        "producer-vs-executive-prod",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("did you mean \"{SLUG}\"")),
        "{}",
        stderr(&out)
    );
    // A redirect never hides a page.
    let out = env.output(&["redirect", "add", "term", "Producer", "Executive Producer"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("has that name now"),
        "{}",
        stderr(&out)
    );
    // An old slug must be a slug.
    let out = env.output(&["redirect", "add", "comparison", "Not A Slug", SLUG]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("\"not-a-slug\""), "{}", stderr(&out));
    // Only comparisons and terms have addresses.
    let out = env.output(&["redirect", "add", "faq", "x", SLUG]);
    assert_eq!(out.status.code(), Some(2));
    // Removing one that is not there names the ones that are.
    let out = env.output(&["redirect", "remove", "comparison", "producer-vs-exek"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("producer-vs-exec"),
        "{}",
        stderr(&out)
    );
    env.cmd()
        .args(["redirect", "remove", "comparison", "producer-vs-exec"])
        .assert()
        .success();
    assert_eq!(redirects(&env), []);
    env.cmd()
        .args(["redirect", "list"])
        .assert()
        .success()
        .stdout("no redirects: nothing published has been renamed\n");
}

#[test]
fn redirects_go_out_with_an_export_and_come_back_with_an_import() {
    let env = Env::new();
    env.import_seeds();
    rename(&env, SLUG, "producer-vs-ep");
    env.cmd()
        .args(["edit", "term", "Producer", "--set", "term=Producers"])
        .assert()
        .success();
    let out = env.dir.path().join("out");
    env.cmd().arg("export").arg(&out).assert().success();
    assert_eq!(
        fs::read_to_string(out.join("redirects.csv")).unwrap(),
        format!("kind,old,target\ncomparison,{SLUG},producer-vs-ep\nterm,producer,Producers\n")
    );
    // Into a new database: the same redirects, and the same export.
    let other = env.dir.path().join("other.db");
    let imported = env.cmd_at(&other).arg("import").arg(&out).output().unwrap();
    assert!(imported.status.success(), "{}", stderr(&imported));
    let again = env.dir.path().join("again");
    env.cmd_at(&other)
        .arg("export")
        .arg(&again)
        .assert()
        .success();
    for file in ["redirects.csv", "comparisons.csv", "terms.csv"] {
        assert_eq!(
            fs::read(out.join(file)).unwrap(),
            fs::read(again.join(file)).unwrap(),
            "{file}"
        );
    }
    // Importing it again changes nothing.
    let report = env
        .cmd_at(&other)
        .args(["import", "--format", "json"])
        .arg(&out)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let redirects = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["table"] == "redirects")
        .unwrap()
        .clone();
    assert_eq!(redirects["unchanged"], 2, "{redirects}");
}

#[test]
fn a_bad_redirects_file_is_refused_with_its_lines_and_nothing_is_written() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.dir.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("redirects.csv"),
        format!(
            "kind,old,target\ncomparison,old-one,{SLUG}\ncomparison,old-two,producer-vs-executive-prodcer\nfaq,x,{SLUG}\nterm,Producer,Executive Producer\n"
        ),
    )
    .unwrap();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("redirects.csv:3: ") && said.contains(&format!("did you mean \"{SLUG}\"")),
        "{said}"
    );
    assert!(
        said.contains("redirects.csv:4: ") && said.contains("must be comparison or term"),
        "{said}"
    );
    assert!(
        said.contains("redirects.csv:5: ") && said.contains("has that name now"),
        "{said}"
    );
    assert_eq!(redirects(&env), [], "a refused import wrote a redirect");
    // A misspelt name is not skipped in silence.
    fs::rename(dir.join("redirects.csv"), dir.join("redirect.csv")).unwrap();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("did you mean \"redirects.csv\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_large_redirects_file_with_a_byte_order_mark_is_read_whole() {
    let env = Env::new();
    env.import_seeds();
    // 20,000 redirects, over a megabyte, as a spreadsheet saves it.
    let mut text = String::from("\u{feff}kind,old,target\r\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "comparison,an-old-name-of-the-article-{i:05},{SLUG}\r\n"
        ));
    }
    assert!(text.len() > 1 << 20);
    let dir = env.dir.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("redirects.csv"), text).unwrap();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(env.count("SELECT count(*) FROM redirects"), 20_000);
}
