//! Pages: Markdown and HTML articles, escaping, themes, meta and
//! structured data for search engines and link previews.

use std::fs;

use predicates::prelude::*;
use pretty_assertions::assert_eq;

use crate::export::awkward_database;
use crate::util::{stderr, stdout, Env, SLUG};

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
pub(crate) fn json_ld_blocks(page: &str) -> Vec<serde_json::Value> {
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
