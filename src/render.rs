//! `glossary render`: articles and term pages as Markdown or HTML (the
//! site they make up is [`crate::site`]).
//!
//! Pages follow the seed page's structure: title, date, summary, key
//! differences, the comparison chart, both terms' definitions with
//! examples, FAQs. Every piece of text goes through [`crate::text::html`]
//! or [`crate::text::markdown_inline`]: content is never markup. The site is plain HTML5
//! with one stylesheet and no JavaScript.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Status, TermId};
use crate::publication;
use crate::query::{self, Article, SenseEntry};
use crate::text::{html, long_date, markdown_inline};

/// An article with both terms' definitions: everything a page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    #[serde(flatten)]
    pub article: Article,
    pub left_senses: Vec<SenseEntry>,
    pub right_senses: Vec<SenseEntry>,
}

impl Page {
    pub fn title(&self) -> String {
        let h = &self.article.header;
        h.title
            .clone()
            .unwrap_or_else(|| format!("{} vs. {}: What's the Difference?", h.left, h.right))
    }
}

pub fn page(conn: &Connection, slug: &str) -> Result<Page> {
    let article = query::comparison(conn, slug)?;
    let left_senses = query::senses_of(conn, article.header.left_term_id)?;
    let right_senses = query::senses_of(conn, article.header.right_term_id)?;
    Ok(Page {
        article,
        left_senses,
        right_senses,
    })
}

/// The article as Markdown.
pub fn markdown(p: &Page) -> String {
    let h = &p.article.header;
    let mut s = format!("# {}\n\n", markdown_inline(&p.title()));
    if let Some(d) = &h.published {
        let _ = writeln!(s, "*Published on {}*\n", long_date(d));
    }
    if let Some(summary) = &h.summary {
        let _ = writeln!(s, "{}\n", markdown_inline(summary));
    }
    if !p.article.differences.is_empty() {
        s.push_str("## Key Differences\n\n");
        for d in &p.article.differences {
            let _ = writeln!(s, "{}\n", markdown_inline(&d.text));
        }
    }
    if !p.article.rows.is_empty() {
        s.push_str("## Comparison Chart\n\n");
        let cell = crate::text::markdown_cell;
        let _ = writeln!(
            s,
            "| | {} | {} |\n|---|---|---|",
            cell(&h.left),
            cell(&h.right)
        );
        for r in &p.article.rows {
            let _ = writeln!(
                s,
                "| **{}** | {} | {} |",
                cell(&r.aspect),
                cell(&r.left),
                cell(&r.right)
            );
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "## {} and {} Definitions\n",
        markdown_inline(&h.left),
        markdown_inline(&h.right)
    );
    for (term, senses) in [(&h.left, &p.left_senses), (&h.right, &p.right_senses)] {
        let _ = writeln!(s, "### {}\n", markdown_inline(term));
        markdown_senses(&mut s, senses);
    }
    if !p.article.faqs.is_empty() {
        s.push_str("## FAQs\n\n");
        for f in &p.article.faqs {
            let _ = writeln!(
                s,
                "### {}\n\n{}\n",
                markdown_inline(&f.question),
                markdown_inline(&f.answer)
            );
        }
    }
    s
}

fn markdown_senses(s: &mut String, senses: &[SenseEntry]) {
    for sense in senses {
        let domain = sense
            .domain
            .as_ref()
            .map(|d| format!("*({})* ", markdown_inline(d)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{}. {domain}{}",
            sense.sense,
            markdown_inline(&sense.definition).replace('\n', "\n   ")
        );
        for e in &sense.examples {
            let _ = writeln!(s, "   > {}", markdown_inline(e).replace('\n', "\n   > "));
        }
    }
    s.push('\n');
}

/// A term's page as Markdown.
pub fn term_markdown(t: &query::TermEntry) -> String {
    let mut s = format!("# {}\n\n", markdown_inline(&t.term));
    if let Some(pos) = &t.part_of_speech {
        let _ = writeln!(s, "*{}*\n", markdown_inline(pos));
    }
    if let Some(note) = &t.note {
        let _ = writeln!(s, "{}\n", markdown_inline(note));
    }
    markdown_senses(&mut s, &t.senses);
    if !t.comparisons.is_empty() {
        s.push_str("## Comparisons\n\n");
        for c in &t.comparisons {
            let title = c
                .title
                .clone()
                .unwrap_or_else(|| format!("{} vs. {}", c.left, c.right));
            let _ = writeln!(s, "- {} (`{}`)", markdown_inline(&title), c.comparison);
        }
        s.push('\n');
    }
    s
}

/// Where pages link to: term pages by term id, for the terms that have one.
/// A page on its own (`render SLUG --format html`) has no site around it:
/// no links, and its style inline.
#[derive(Default)]
pub struct Links {
    pub(crate) terms: HashMap<TermId, String>,
    /// Prefix from the page to the site root ("" or "../"); None for a page
    /// on its own.
    pub(crate) root: Option<&'static str>,
}

impl Links {
    fn term(&self, id: TermId, name: &str) -> String {
        match (self.root, self.terms.get(&id)) {
            (Some(root), Some(file)) => {
                format!("<a href=\"{root}terms/{}\">{}</a>", html(file), html(name))
            }
            _ => html(name),
        }
    }
}

pub(crate) const STYLE: &str = "\
body { font: 17px/1.55 Georgia, 'Times New Roman', serif; color: #1f2328; background: #fdfdfb; margin: 0; }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1rem; font-family: system-ui, sans-serif; }
header a { color: #555; text-decoration: none; }
h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; }
h1 { font-size: 2rem; margin: 1.5rem 0 .25rem; }
h2 { margin-top: 2.25rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
a { color: #0b5cad; }
.published { color: #666; font-size: .95rem; margin-top: 0; }
.summary { font-size: 1.15rem; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { border: 1px solid #d0d7de; padding: .45rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; }
tbody th { font-weight: 600; background: #fafafa; }
.domain { font-style: italic; color: #555; }
.example { color: #555; margin: .2rem 0 .6rem; }
.example::before { content: '\\201C'; } .example::after { content: '\\201D'; }
ol.senses li { margin-bottom: .5rem; }
.faq h3 { font-size: 1.05rem; margin-bottom: .25rem; }
footer { color: #888; font-size: .85rem; padding: 2rem 1.25rem; }
";

/// The page's head and header: in a site (`root` the way up to it), the
/// shared stylesheet and a link home; on its own, the style inline.
pub(crate) fn html_head(out: &mut String, title: &str, root: Option<&str>) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n",
        html(title)
    );
    match root {
        Some(root) => {
            let _ = write!(
                out,
                "<link rel=\"stylesheet\" href=\"{root}style.css\">\n</head>\n<body>\n\
                 <header><a href=\"{root}index.html\">Glossary</a></header>\n<main>\n"
            );
        }
        None => {
            let _ = write!(
                out,
                "<style>\n{STYLE}</style>\n</head>\n<body>\n<header>Glossary</header>\n<main>\n"
            );
        }
    }
}

pub(crate) fn html_foot(out: &mut String) {
    out.push_str("</main>\n</body>\n</html>\n");
}

/// Text with line breaks kept.
fn html_lines(s: &str) -> String {
    html(s).replace('\n', "<br>\n")
}

fn html_senses(out: &mut String, senses: &[SenseEntry]) {
    out.push_str("<ol class=\"senses\">\n");
    for s in senses {
        let _ = write!(out, "<li value=\"{}\">", s.sense);
        if let Some(d) = &s.domain {
            let _ = write!(out, "<span class=\"domain\">({})</span> ", html(d));
        }
        out.push_str(&html_lines(&s.definition));
        for e in &s.examples {
            let _ = write!(out, "\n<p class=\"example\">{}</p>", html_lines(e));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

/// The article as a complete HTML5 page.
pub fn html_page(p: &Page, links: &Links) -> String {
    let h = &p.article.header;
    let title = p.title();
    let mut s = String::new();
    html_head(&mut s, &title, links.root);
    let _ = writeln!(s, "<article>\n<h1>{}</h1>", html(&title));
    if let Some(d) = &h.published {
        let _ = writeln!(
            s,
            "<p class=\"published\">Published on <time datetime=\"{}\">{}</time></p>",
            html(d),
            html(&long_date(d))
        );
    }
    if let Some(summary) = &h.summary {
        let _ = writeln!(s, "<p class=\"summary\">{}</p>", html_lines(summary));
    }
    if !p.article.differences.is_empty() {
        s.push_str("<section>\n<h2>Key Differences</h2>\n");
        for d in &p.article.differences {
            let _ = writeln!(s, "<p>{}</p>", html_lines(&d.text));
        }
        s.push_str("</section>\n");
    }
    if !p.article.rows.is_empty() {
        let _ = writeln!(
            s,
            "<section>\n<h2>Comparison Chart</h2>\n<table>\n<thead>\n<tr><th scope=\"col\"></th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr>\n</thead>\n<tbody>",
            html(&h.left),
            html(&h.right)
        );
        for r in &p.article.rows {
            let _ = writeln!(
                s,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
                html_lines(&r.aspect),
                html_lines(&r.left),
                html_lines(&r.right)
            );
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }
    let _ = writeln!(
        s,
        "<section>\n<h2>{} and {} Definitions</h2>",
        html(&h.left),
        html(&h.right)
    );
    for (id, term, senses) in [
        (h.left_term_id, &h.left, &p.left_senses),
        (h.right_term_id, &h.right, &p.right_senses),
    ] {
        let _ = writeln!(s, "<h3>{}</h3>", links.term(id, term));
        html_senses(&mut s, senses);
    }
    s.push_str("</section>\n");
    if !p.article.faqs.is_empty() {
        s.push_str("<section class=\"faq\">\n<h2>FAQs</h2>\n");
        for f in &p.article.faqs {
            let _ = writeln!(
                s,
                "<h3>{}</h3>\n<p>{}</p>",
                html_lines(&f.question),
                html_lines(&f.answer)
            );
        }
        s.push_str("</section>\n");
    }
    s.push_str("</article>\n");
    html_foot(&mut s);
    s
}

pub(crate) fn term_html_page(
    t: &query::TermEntry,
    comparison_files: &HashMap<String, String>,
) -> String {
    let mut s = String::new();
    html_head(&mut s, &t.term, Some("../"));
    let _ = writeln!(s, "<article>\n<h1>{}</h1>", html(&t.term));
    if let Some(pos) = &t.part_of_speech {
        let _ = writeln!(s, "<p class=\"published\">{}</p>", html(pos));
    }
    if let Some(note) = &t.note {
        let _ = writeln!(s, "<p>{}</p>", html_lines(note));
    }
    html_senses(&mut s, &t.senses);
    let listed: Vec<_> = t
        .comparisons
        .iter()
        .filter_map(|c| comparison_files.get(&c.comparison).map(|f| (c, f)))
        .collect();
    if !listed.is_empty() {
        s.push_str("<section>\n<h2>Comparisons</h2>\n<ul>\n");
        for (c, file) in listed {
            let title = c
                .title
                .clone()
                .unwrap_or_else(|| format!("{} vs. {}", c.left, c.right));
            let _ = writeln!(
                s,
                "<li><a href=\"../compare/{}\">{}</a></li>",
                html(file),
                html(&title)
            );
        }
        s.push_str("</ul>\n</section>\n");
    }
    s.push_str("</article>\n");
    html_foot(&mut s);
    s
}

/// One article, as `render SLUG` prints it. A draft is refused unless
/// `drafts`: what is rendered is what gets published.
pub fn one(
    conn: &Connection,
    slug: &str,
    drafts: bool,
    as_html: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let p = page(conn, slug)?;
    let id = p.article.header.id;
    if !drafts && !publication::is_public(conn, id)? {
        let slug = &p.article.header.comparison;
        let reason = if p.article.header.status == Status::Draft {
            "it is a draft".to_string()
        } else {
            let names: Vec<String> = publication::draft_terms(conn, id)?
                .into_iter()
                .map(|(_, n)| format!("\"{n}\""))
                .collect();
            format!(
                "it is published, but its term {} is a draft",
                names.join(" and ")
            )
        };
        return Err(Error::Refused {
            action: format!("render comparison {slug}"),
            reasons: vec![reason],
            hints: vec![format!(
                "publish it (`glossary publish {slug} --with-terms`), or pass --drafts to see it as it would look"
            )],
        });
    }
    let text = if as_html {
        // A page on its own: nothing around it to link to.
        html_page(&p, &Links::default())
    } else {
        markdown(&p)
    };
    out.write_all(text.as_bytes()).map_err(|e| Error::Io {
        path: PathBuf::from("<stdout>"),
        source: e,
    })
}
