//! Search, listings, export and rendering.

use std::fs;

use predicates::prelude::*;
use pretty_assertions::assert_eq;

use crate::util::{seeds, stderr, stdout, Env};

const SLUG: &str = "producer-vs-executive-producer";

fn search(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env
        .cmd()
        .args(["query", "--format", "json", "--search"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn search_finds_what_import_cli_and_sql_added() {
    let env = Env::new();
    env.import_seeds();
    let hits = search(&env, &["day-to-day"]);
    assert!(hits.as_array().unwrap().len() >= 3, "{hits}");
    assert!(
        hits[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("**day-to-day**"),
        "{hits}"
    );

    env.cmd()
        .args([
            "add-faq",
            SLUG,
            "--question",
            "Do zebras produce films?",
            "--answer",
            "Rarely.",
        ])
        .assert()
        .success();
    let hits = search(&env, &["zebras"]);
    assert_eq!(hits[0]["entry"], format!("faq {SLUG} 21"));

    env.conn()
        .execute(
            "UPDATE senses SET definition = 'A quokka keeper.' WHERE sense_number = 6",
            [],
        )
        .unwrap();
    let hits = search(&env, &["quokka"]);
    assert_eq!(hits[0]["entry"], "sense \"Producer\" 6");
    assert_eq!(hits[0]["term"], "Producer");
    assert_eq!(hits[0]["sense"], 6);
    // Changed away, no longer found; deleted, gone from the index too.
    env.conn()
        .execute(
            "DELETE FROM faqs WHERE question = 'Do zebras produce films?'",
            [],
        )
        .unwrap();
    assert_eq!(search(&env, &["zebras"]), serde_json::json!([]));
    env.cmd().arg("check").assert().success();
}

#[test]
fn search_ranks_the_best_hit_first() {
    let env = Env::new();
    let dir = env.write("in", "terms.csv", "term\nAlpha\nBeta\nGamma\n");
    env.write(
        "in",
        "senses.csv",
        "term,sense,definition\n\
         Alpha,1,\"A long definition about many things, among them once a budget, and plenty of other words to dilute it.\"\n\
         Beta,1,Budget budget budget.\n\
         Gamma,1,Nothing relevant here.\n",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    let hits = search(&env, &["budget"]);
    let entries: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["entry"].as_str().unwrap())
        .collect();
    assert_eq!(entries, ["sense \"Beta\" 1", "sense \"Alpha\" 1"]);
}

#[test]
fn search_syntax_prefix_raw_and_errors() {
    let env = Env::new();
    env.import_seeds();
    // Accents and case do not matter; a trailing * is a prefix.
    assert!(!search(&env, &["PRODÚC*"]).as_array().unwrap().is_empty());
    // Punctuation the user typed is just text.
    for text in ["producer's", "\"unbalanced", "(budget"] {
        env.cmd()
            .args(["query", "--search", text])
            .assert()
            .success();
    }
    let hits = search(&env, &["budget NOT music", "--raw"]);
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .all(|h| !h["snippet"].as_str().unwrap().contains("music")));
    env.cmd()
        .args(["query", "--search", "AND (", "--raw"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot search for \"AND (\": fts5: syntax error",
        ))
        .stderr(predicate::str::is_match("^error: [^\n]*\n$").unwrap());
    env.cmd()
        .args(["query", "--search=--- \"", "--format", "csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing to search for"));
    let out = env
        .cmd()
        .args([
            "query", "--search", "budget", "--limit", "2", "--format", "csv",
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with("kind,entry,term,sense,comparison,position,snippet,score\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3);
}

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

const AWKWARD: &[&str] = &[
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

/// A database whose every text field holds something awkward.
fn awkward_database(env: &Env) {
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
fn render_markdown_has_the_seed_page_structure() {
    let env = Env::new();
    env.import_seeds();
    let out = env.cmd().args(["render", SLUG]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).take(7).collect();
    assert_eq!(
        headings,
        [
            "# Producer vs. Executive Producer: What's the Difference?",
            "## Key Differences",
            "## Comparison Chart",
            "## Producer and Executive Producer Definitions",
            "### Producer",
            "### Executive Producer",
            "## FAQs",
        ]
    );
    assert!(md.contains("*Published on December 2, 2023*"));
    assert!(md.contains(
        "| **Role in Production** | Manages daily operations | Oversees project vision |"
    ));
    assert!(md.contains("1. *(business)* Someone who creates goods or services in a business.\n   > As a producer of handmade jewelry, she attends many craft fairs."));
}

#[test]
fn render_html_escapes_every_field() {
    let env = Env::new();
    awkward_database(&env);
    let out = env
        .cmd()
        .args(["render", SLUG, "--format", "html"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(!page.contains("<script>"), "unescaped script");
    assert!(!page.contains("<b>bold"), "unescaped markup");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; vs &quot;Quotes&quot;"));
    assert!(page.contains("<th scope=\"row\">Role in Production</th>"));
    // Every tag the page opens, it closes.
    for tag in [
        "html", "head", "body", "main", "article", "section", "table", "thead", "tbody", "ol",
        "li", "p", "h1", "h2", "h3",
    ] {
        let opens =
            page.matches(&format!("<{tag}>")).count() + page.matches(&format!("<{tag} ")).count();
        let closes = page.matches(&format!("</{tag}>")).count();
        assert_eq!(opens, closes, "<{tag}>");
    }
}

#[test]
fn render_refuses_a_draft_unless_asked() {
    let env = Env::new();
    env.import_seeds();
    env.cmd().args(["unpublish", SLUG]).assert().success();
    env.cmd()
        .args(["render", SLUG])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is a draft"));
    env.cmd()
        .args(["render", SLUG, "--drafts"])
        .assert()
        .success();
}

#[test]
fn render_all_writes_a_linked_site_without_drafts() {
    let env = Env::new();
    env.import_seeds();
    env.cmd().args(["add-term", "Director"]).assert().success();
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success()
        .stdout(
            "wrote 1 comparison page, 2 term pages, the listings and the index to ".to_string()
                + &site.display().to_string()
                + "\n",
        );
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("<a href=\"compare/producer-vs-executive-producer.html\">Producer vs. Executive Producer: What&#39;s the Difference?</a>"));
    assert!(index.contains("<a href=\"terms-p.html\">P</a>"));
    assert!(!index.contains("terms-d.html"), "a draft term is listed");
    let letter = fs::read_to_string(site.join("terms-p.html")).unwrap();
    assert!(letter.contains("<a href=\"terms/producer.html\">Producer</a>"));
    assert!(!letter.contains("Director"));
    let article =
        fs::read_to_string(site.join("compare/producer-vs-executive-producer.html")).unwrap();
    assert!(article
        .contains("<h3><a href=\"../terms/executive-producer.html\">Executive Producer</a></h3>"));
    assert!(article.contains("href=\"../style.css\""));
    let term = fs::read_to_string(site.join("terms/producer.html")).unwrap();
    assert!(term.contains("<a href=\"../compare/producer-vs-executive-producer.html\">"));
    assert!(site.join("style.css").exists());
    assert!(!fs::read_to_string(site.join("style.css"))
        .unwrap()
        .is_empty());
}

#[test]
fn list_and_stats_in_every_format() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["list", "terms", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "term,part_of_speech,status,senses,examples,comparisons\n\
         Executive Producer,noun,published,5,5,1\n\
         Producer,noun,published,7,5,1\n"
    );
    let out = env
        .cmd()
        .args(["list", "comparisons", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["faqs"], 20);
    assert_eq!(v[0]["rows"], 5);
    let out = env
        .cmd()
        .args([
            "list",
            "faqs",
            "--comparison",
            SLUG,
            "--limit",
            "2",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[1]["question"],
        "Do producers work on creative aspects?"
    );
    let out = env
        .cmd()
        .args(["list", "terms", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with(
        "| term | part_of_speech | status | senses | examples | comparisons |\n|---|"
    ));
    env.cmd()
        .args(["list", "terms", "--status", "draft"])
        .assert()
        .success()
        .stdout("(none)\n");
    let out = env
        .cmd()
        .args(["stats", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tables"][6], serde_json::json!(["faqs", 20]));
    assert_eq!(v["schema_version"], glossary_core::db::latest_version());
    env.cmd()
        .args(["stats", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("[possible values: text, json]"));
}

#[test]
fn query_markdown_and_jsonl() {
    let env = Env::new();
    env.import_seeds();
    let out = env
        .cmd()
        .args(["query", "--term", "producer", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).starts_with("# Producer\n\n*noun*\n\n1. *(business)*"),
        "{}",
        stdout(&out)
    );
    let out = env
        .cmd()
        .args(["query", "--comparison", SLUG, "--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out).lines().count(), 1);
    env.cmd()
        .args(["query", "--term", "producer", "--format", "csv"])
        .assert()
        .code(2);
}

#[test]
fn an_import_indexes_what_it_inserts_and_changes() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args([
            "edit",
            "faq",
            SLUG,
            "2",
            "--set",
            "answer=A capybara answer.",
        ])
        .assert()
        .success();
    let dir = env.seeds_copy();
    crate::util::edit(
        &dir.join("faqs.csv"),
        "Producers often have significant creative input, especially in smaller projects.",
        "A wombat answer.",
    );
    crate::util::edit(
        &dir.join("faqs.csv"),
        "producer-vs-executive-producer,20,",
        "producer-vs-executive-producer,21,Is there a narwhal?,No.\nproducer-vs-executive-producer,20,",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    assert_eq!(
        search(&env, &["wombat"])[0]["entry"],
        format!("faq {SLUG} 2")
    );
    assert_eq!(
        search(&env, &["narwhal"])[0]["entry"],
        format!("faq {SLUG} 21")
    );
    let old = search(&env, &["capybara"]);
    assert_eq!(
        old,
        serde_json::json!([]),
        "the old answer is still indexed"
    );
    // The index matches the tables, and indexing is on again for edits.
    env.cmd().arg("check").assert().success();
    assert_eq!(env.count("SELECT count(*) FROM fts_deferred"), 0);
    env.cmd()
        .args(["edit", "faq", SLUG, "21", "--set", "answer=An okapi."])
        .assert()
        .success();
    assert_eq!(
        search(&env, &["okapi"])[0]["entry"],
        format!("faq {SLUG} 21")
    );
}

#[test]
fn a_theme_replaces_the_templates_it_has_and_keeps_the_rest() {
    let env = Env::new();
    env.import_seeds();
    let theme = env.dir.path().join("mytheme");
    let out = env
        .cmd()
        .args(["theme", "init"])
        .arg(&theme)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for f in [
        "base.html",
        "article.html",
        "term.html",
        "index.html",
        "senses.html",
        "style.css",
    ] {
        assert!(theme.join(f).is_file(), "{f}");
    }
    // Not twice over a theme someone changed.
    let again = env
        .cmd()
        .args(["theme", "init"])
        .arg(&theme)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("--force"));
    // A theme of two files: its own article heading and colours.
    let only = env.dir.path().join("only");
    std::fs::create_dir_all(&only).unwrap();
    let article = std::fs::read_to_string(theme.join("article.html"))
        .unwrap()
        .replace(
            "<h1>{{ title }}</h1>",
            "<h1 class=\"themed\">{{ title }}</h1>",
        );
    std::fs::write(only.join("article.html"), article).unwrap();
    std::fs::write(only.join("style.css"), "body { color: rebeccapurple; }\n").unwrap();
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .arg("--theme")
        .arg(&only)
        .assert()
        .success();
    let page =
        std::fs::read_to_string(site.join("compare/producer-vs-executive-producer.html")).unwrap();
    assert!(page.contains("<h1 class=\"themed\">Producer vs. Executive Producer"));
    assert!(page.contains("<table>"), "the built-in parts are kept");
    assert!(std::fs::read_to_string(site.join("style.css"))
        .unwrap()
        .contains("rebeccapurple"));
    let term = std::fs::read_to_string(site.join("terms/producer.html")).unwrap();
    assert!(
        term.contains("<h1>Producer</h1>"),
        "term pages keep the built-in template"
    );
    // One page on its own: the theme's style inline.
    let out = env
        .cmd()
        .args([
            "render",
            "producer-vs-executive-producer",
            "--format",
            "html",
            "--theme",
        ])
        .arg(&only)
        .output()
        .unwrap();
    assert!(stdout(&out).contains("rebeccapurple") && stdout(&out).contains("class=\"themed\""));
}

#[test]
fn a_broken_theme_template_is_named_by_file_and_line() {
    let env = Env::new();
    env.import_seeds();
    let theme = env.dir.path().join("broken");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("term.html"),
        "{% extends \"site/base.html\" %}\n{% block main %}\n<h1>{{ term.nmae }}</h1>\n{% endblock %}\n",
    )
    .unwrap();
    let site = env.dir.path().join("site");
    let err = env.fails(&[
        "render".as_ref(),
        "--all".as_ref(),
        "--out".as_ref(),
        site.as_os_str(),
        "--theme".as_ref(),
        theme.as_os_str(),
    ]);
    assert!(
        err.contains(&format!("{}:3", theme.join("term.html").display())),
        "{err}"
    );
    assert!(err.contains("undefined"), "{err}");
    // A template that does not parse, and a theme that is not there.
    std::fs::write(theme.join("term.html"), "{% if %}\n").unwrap();
    let err = env.fails(&[
        "render".as_ref(),
        "--all".as_ref(),
        "--out".as_ref(),
        site.as_os_str(),
        "--theme".as_ref(),
        theme.as_os_str(),
    ]);
    assert!(err.contains("term.html:1"), "{err}");
    let err = env.fails(&[
        "render".as_ref(),
        "--all".as_ref(),
        "--out".as_ref(),
        site.as_os_str(),
        "--theme".as_ref(),
        "nowhere".as_ref(),
    ]);
    assert!(err.contains("theme init"), "{err}");
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld_blocks(page: &str) -> Vec<serde_json::Value> {
    let tag = "<script type=\"application/ld+json\">";
    page.match_indices(tag)
        .map(|(at, _)| {
            let start = at + tag.len();
            let end = start + page[start..].find("</script>").unwrap();
            serde_json::from_str(&page[start..end]).expect("valid JSON")
        })
        .collect()
}

/// The one JSON-LD block of a page.
fn json_ld(page: &str) -> serde_json::Value {
    let mut blocks = json_ld_blocks(page);
    assert_eq!(blocks.len(), 1);
    blocks.remove(0)
}

#[test]
fn the_site_tells_search_engines_and_link_previews_what_it_is() {
    let env = Env::new();
    env.import_seeds();
    for (key, value) in [
        ("base_url", "https://example.com/glossary"),
        ("title", "The Film Glossary"),
        ("publisher", "Example Media"),
        ("language", "en-GB"),
        ("description", "Film words, side by side."),
    ] {
        env.cmd()
            .args(["site", "set", key, value])
            .assert()
            .success();
    }
    let shown = env.json(&["site", "--format", "json"]);
    assert_eq!(shown["base_url"], "https://example.com/glossary/");
    // A FAQ whose text would close the script element.
    env.cmd()
        .args([
            "add-faq",
            "producer-vs-executive-producer",
            "--question",
            "</script><script>alert(1)</script>?",
            "--answer",
            "A & B < C",
        ])
        .assert()
        .success();
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    let page =
        fs::read_to_string(site.join("compare/producer-vs-executive-producer.html")).unwrap();
    assert!(page.contains("<html lang=\"en-GB\">"));
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.com/glossary/compare/producer-vs-executive-producer.html\">"));
    assert!(page.contains(
        "<meta name=\"description\" content=\"A producer manages the day-to-day operations"
    ));
    assert!(page.contains("<meta property=\"og:site_name\" content=\"The Film Glossary\">"));
    assert!(page.contains("<link rel=\"icon\" href=\"../favicon.svg\""));
    assert!(
        !page.contains("</script><script>alert"),
        "the FAQ closed the script element"
    );
    let graph = json_ld_blocks(&page);
    assert_eq!(graph.len(), 2);
    assert!(graph.iter().all(|b| b["@context"] == "https://schema.org"));
    let article = &graph[0];
    assert_eq!(article["@type"], "Article");
    assert_eq!(
        article["headline"],
        "Producer vs. Executive Producer: What's the Difference?"
    );
    assert_eq!(article["datePublished"], "2023-12-02");
    assert!(article["dateModified"].as_str().unwrap().len() == 10);
    assert_eq!(article["publisher"]["name"], "Example Media");
    assert_eq!(
        article["url"],
        "https://example.com/glossary/compare/producer-vs-executive-producer.html"
    );
    let faq = &graph[1];
    assert_eq!(faq["@type"], "FAQPage");
    let questions = faq["mainEntity"].as_array().unwrap();
    assert_eq!(questions.len(), 21);
    assert_eq!(questions[0]["@type"], "Question");
    assert_eq!(questions[0]["acceptedAnswer"]["@type"], "Answer");
    assert_eq!(questions[20]["name"], "</script><script>alert(1)</script>?");
    assert_eq!(questions[20]["acceptedAnswer"]["text"], "A & B < C");

    let term = fs::read_to_string(site.join("terms/producer.html")).unwrap();
    let data = json_ld(&term);
    assert_eq!(data["@type"], "DefinedTerm");
    assert_eq!(data["name"], "Producer");
    assert_eq!(data["inDefinedTermSet"]["@type"], "DefinedTermSet");
    assert_eq!(data["inDefinedTermSet"]["name"], "The Film Glossary");
    assert!(data["description"]
        .as_str()
        .unwrap()
        .starts_with("Someone who creates goods"));
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert_eq!(json_ld(&index)["@type"], "DefinedTermSet");
    assert!(index.contains("<h1>The Film Glossary</h1>"));

    let sitemap = fs::read_to_string(site.join("sitemap.xml")).unwrap();
    for url in [
        "https://example.com/glossary/",
        "https://example.com/glossary/compare/producer-vs-executive-producer.html",
        "https://example.com/glossary/terms/executive-producer.html",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} not in the sitemap"
        );
    }
    assert!(sitemap.contains("<lastmod>"));
    let robots = fs::read_to_string(site.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.com/glossary/sitemap.xml"));
    let missing = fs::read_to_string(site.join("404.html")).unwrap();
    assert!(missing.contains("href=\"https://example.com/glossary/index.html\""));
    assert!(fs::read_to_string(site.join("favicon.svg"))
        .unwrap()
        .starts_with("<svg"));

    // Without a base URL: no canonical links, no sitemap, robots.txt still.
    env.cmd()
        .args(["site", "unset", "base_url"])
        .assert()
        .success();
    let plain = env.dir.path().join("plain");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&plain)
        .assert()
        .success();
    assert!(!plain.join("sitemap.xml").exists());
    assert!(!fs::read_to_string(plain.join("robots.txt"))
        .unwrap()
        .contains("Sitemap"));
    assert!(!fs::read_to_string(plain.join("index.html"))
        .unwrap()
        .contains("canonical"));
    // Settings are checked, with the setting named.
    let err = env.fails(&[
        "site".as_ref(),
        "set".as_ref(),
        "base_url".as_ref(),
        "example.com".as_ref(),
    ]);
    assert!(
        err.contains("base_url: must be an http or https address"),
        "{err}"
    );
    let err = env.fails(&[
        "site".as_ref(),
        "set".as_ref(),
        "colour".as_ref(),
        "red".as_ref(),
    ]);
    assert!(err.contains("no site setting \"colour\""), "{err}");
}

#[test]
fn listings_are_paged_and_a_rebuild_leaves_unchanged_pages_alone() {
    let env = Env::new();
    let mut terms = String::from("term,part_of_speech,note,status\n");
    let mut comparisons = String::from("comparison,left,right,title,summary,published,status\n");
    for i in 0..1101 {
        terms.push_str(&format!("Word {i:04},noun,,published\n"));
    }
    for i in 0..1100 {
        comparisons.push_str(&format!(
            "word-{i:04}-vs-word-{:04},Word {i:04},Word {:04},,A summary {i}.,2024-01-01,published\n",
            i + 1,
            i + 1
        ));
    }
    env.write("many", "terms.csv", &terms);
    let dir = env.write("many", "comparisons.csv", &comparisons);
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    for page in [
        "comparisons/1.html",
        "comparisons/2.html",
        "comparisons/3.html",
        "terms-w.html",
        "terms-w-2.html",
        "terms-w-3.html",
    ] {
        assert!(site.join(page).exists(), "{page}");
    }
    assert!(!site.join("comparisons/4.html").exists());
    let second = fs::read_to_string(site.join("comparisons/2.html")).unwrap();
    assert!(second.contains("rel=\"prev\"") && second.contains("rel=\"next\""));
    assert!(second.contains("word-0500-vs-word-0501.html"));
    // No page near the size of the one-page index of before.
    for entry in walk(&site) {
        let len = fs::metadata(&entry).unwrap().len();
        assert!(len < 200_000, "{} is {len} bytes", entry.display());
    }
    // A rebuild after no change renders no page; after one edit, only the
    // pages that show it (the article, its two terms' pages) and the
    // listings, which are written only where they differ.
    let again = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        stdout(&again)
            .contains("wrote 0 comparison pages, 0 term pages, the listings and the index")
            && stdout(&again).contains("(11 of 11 files unchanged)"),
        "{}",
        stdout(&again)
    );
    env.cmd()
        .args([
            "edit",
            "comparison",
            "word-0700-vs-word-0701",
            "--set",
            "summary=Changed.",
        ])
        .assert()
        .success();
    let after = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        stdout(&after).contains("wrote 1 comparison page, 2 term pages,"),
        "{}",
        stdout(&after)
    );
    assert!(
        stdout(&after).contains("(13 of 14 files unchanged)"),
        "{}",
        stdout(&after)
    );
    let page = fs::read_to_string(site.join("compare/word-0700-vs-word-0701.html")).unwrap();
    assert!(page.contains("Changed."));
    // A renamed term: its new page, the articles that show it; the old
    // page goes; and the result equals a build from scratch.
    env.cmd()
        .args(["edit", "term", "Word 0005", "--set", "term=Vocable 0005"])
        .assert()
        .success();
    env.cmd()
        .args(["remove", "comparison", "word-0010-vs-word-0011", "--yes"])
        .assert()
        .success();
    let after = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        stdout(&after).contains("wrote 2 comparison pages, 5 term pages,"),
        "{}",
        stdout(&after)
    );
    assert!(!site.join("terms/word-0005.html").exists());
    assert!(!site.join("compare/word-0010-vs-word-0011.html").exists());
    let scratch = env.dir.path().join("scratch");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&scratch)
        .assert()
        .success();
    let mut built: Vec<_> = walk(&site)
        .into_iter()
        .map(|p| p.strip_prefix(&site).unwrap().to_path_buf())
        .collect();
    let mut fresh: Vec<_> = walk(&scratch)
        .into_iter()
        .map(|p| p.strip_prefix(&scratch).unwrap().to_path_buf())
        .collect();
    built.sort();
    fresh.sort();
    assert_eq!(built, fresh);
    for rel in &fresh {
        if rel.ends_with(".glossary-manifest") {
            continue;
        }
        assert_eq!(
            fs::read(site.join(rel)).unwrap(),
            fs::read(scratch.join(rel)).unwrap(),
            "{}",
            rel.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
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
