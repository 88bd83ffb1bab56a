//! `glossary render`: articles and term pages as Markdown or HTML, and a
//! small static site.
//!
//! Pages follow the seed page's structure: title, date, summary, key
//! differences, the comparison chart, both terms' definitions with
//! examples, FAQs. Every piece of text goes through [`crate::text::html`]
//! or [`crate::text::markdown_inline`]: content is never markup. The site is plain HTML5
//! with one stylesheet and no JavaScript.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{slugify, Status, TermId};
use crate::publication;
use crate::query::{self, Article, SenseEntry};
use crate::store::terms;
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
            let _ = writeln!(s, "{}\n", markdown_inline(d));
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
    terms: HashMap<TermId, String>,
    /// Prefix from the page to the site root ("" or "../"); None for a page
    /// on its own.
    root: Option<&'static str>,
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

const STYLE: &str = "\
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
fn html_head(out: &mut String, title: &str, root: Option<&str>) {
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

fn html_foot(out: &mut String) {
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
            let _ = writeln!(s, "<p>{}</p>", html_lines(d));
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

fn term_html_page(t: &query::TermEntry, comparison_files: &HashMap<String, String>) -> String {
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

/// What `render --all` wrote.
#[derive(Debug, Default, Serialize)]
pub struct SiteReport {
    pub comparisons: u64,
    pub terms: u64,
    pub files: u64,
    /// Pages of an earlier build that are no longer part of the site
    /// (removed, renamed or unpublished entries), deleted.
    pub deleted: u64,
}

/// The file in the output directory that lists what glossary wrote there,
/// one path per line relative to the directory: the next build deletes
/// what it lists and no longer writes, and nothing else, so a person's own
/// files in the directory are safe.
pub const MANIFEST: &str = ".glossary-manifest";

/// The paths an earlier build listed in `dir`'s manifest. Lines that could
/// point outside `dir` (absolute, `..`) are ignored: the manifest is a
/// file anyone can edit, and deleting follows it.
fn read_manifest(dir: &Path) -> Vec<PathBuf> {
    let Ok(text) = fs::read_to_string(dir.join(MANIFEST)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .filter(|p| {
            p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        })
        .collect()
}

/// Replaces the manifest (under a temporary name first: a build stopped
/// half-way leaves the old one, which still names the old pages).
fn write_manifest(dir: &Path, written: &[PathBuf]) -> Result<()> {
    let mut text = String::from(
        "# Files written by `glossary render --all`; the next build deletes those it no longer writes.\n",
    );
    for p in written {
        let _ = writeln!(text, "{}", p.display());
    }
    let path = dir.join(MANIFEST);
    let tmp = dir.join(format!("{MANIFEST}.partial"));
    fs::write(&tmp, text)
        .and_then(|()| fs::rename(&tmp, &path))
        .map_err(|source| Error::Io { path, source })
}

/// Writes the static site to `dir`: `index.html`, `style.css`,
/// `compare/SLUG.html` per published comparison and `terms/NAME.html` per
/// published term. Drafts are left out unless `drafts`.
pub fn site(
    conn: &Connection,
    dir: &Path,
    drafts: bool,
    mut progress: impl FnMut(u64),
) -> Result<SiteReport> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source: io::Error| Error::Io {
            path: path.clone(),
            source,
        }
    };
    for sub in ["compare", "terms"] {
        let d = dir.join(sub);
        fs::create_dir_all(&d).map_err(io_err(&d))?;
    }
    let visible = |s: Status| drafts || s == Status::Published;
    let mut written: Vec<PathBuf> = Vec::new();

    // File names: slugs for comparisons; the term's slug for terms, made
    // unique with its id where two terms slugify alike.
    let mut term_files: HashMap<TermId, String> = HashMap::new();
    let mut taken: HashMap<String, TermId> = HashMap::new();
    let mut term_list: Vec<(TermId, String)> = Vec::new();
    {
        let mut stmt = conn.prepare("SELECT id, term, status FROM terms ORDER BY lookup_key")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, TermId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Status>(2)?,
            ))
        })?;
        for row in rows {
            let (id, name, status) = row?;
            if !visible(status) {
                continue;
            }
            let mut file = slugify(&name);
            if file.is_empty() || taken.contains_key(&file) {
                file = format!("{}-{}", if file.is_empty() { "term" } else { &file }, id.0);
            }
            taken.insert(file.clone(), id);
            term_files.insert(id, format!("{file}.html"));
            term_list.push((id, name));
        }
    }
    let mut comparison_files: HashMap<String, String> = HashMap::new();
    let mut index_entries: Vec<(String, String, Option<String>)> = Vec::new();
    let mut report = SiteReport::default();
    let slugs: Vec<String> = conn
        .prepare(&format!(
            "SELECT slug FROM comparisons AS c WHERE ?1 OR {} ORDER BY slug",
            publication::public_comparison("c")
        ))?
        .query_map([drafts], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let links = Links {
        terms: term_files.clone(),
        root: Some("../"),
    };
    for slug in slugs {
        let p = page(conn, &slug)?;
        let file = format!("{slug}.html");
        let path = dir.join("compare").join(&file);
        fs::write(&path, html_page(&p, &links)).map_err(io_err(&path))?;
        written.push(Path::new("compare").join(&file));
        index_entries.push((file.clone(), p.title(), p.article.header.published.clone()));
        comparison_files.insert(slug, file);
        report.comparisons += 1;
        report.files += 1;
        progress(report.files);
    }
    for (id, _) in &term_list {
        let entry = query::term(conn, &terms::get(conn, *id)?.term)?;
        let path = dir.join("terms").join(&term_files[id]);
        fs::write(&path, term_html_page(&entry, &comparison_files)).map_err(io_err(&path))?;
        written.push(Path::new("terms").join(&term_files[id]));
        report.terms += 1;
        report.files += 1;
        progress(report.files);
    }
    let mut index = String::new();
    html_head(&mut index, "Glossary", Some(""));
    index.push_str("<h1>Glossary</h1>\n<section>\n<h2>Comparisons</h2>\n<ul>\n");
    for (file, title, published) in &index_entries {
        let date = published
            .as_ref()
            .map(|d| {
                format!(
                    " <time datetime=\"{}\">{}</time>",
                    html(d),
                    html(&long_date(d))
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            index,
            "<li><a href=\"compare/{}\">{}</a>{date}</li>",
            html(file),
            html(title)
        );
    }
    index.push_str("</ul>\n</section>\n<section>\n<h2>Terms</h2>\n<ul>\n");
    for (id, name) in &term_list {
        let _ = writeln!(
            index,
            "<li><a href=\"terms/{}\">{}</a></li>",
            html(&term_files[id]),
            html(name)
        );
    }
    index.push_str("</ul>\n</section>\n");
    html_foot(&mut index);
    for (name, text) in [("index.html", index.as_str()), ("style.css", STYLE)] {
        let path = dir.join(name);
        fs::write(&path, text).map_err(io_err(&path))?;
        written.push(PathBuf::from(name));
        report.files += 1;
    }
    let kept: std::collections::HashSet<&PathBuf> = written.iter().collect();
    let stale: Vec<PathBuf> = read_manifest(dir)
        .into_iter()
        .filter(|p| !kept.contains(p))
        .collect();
    write_manifest(dir, &written)?;
    for p in stale {
        let path = dir.join(&p);
        match fs::remove_file(&path) {
            Ok(()) => report.deleted += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Io { path, source: e }),
        }
    }
    Ok(report)
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

#[cfg(test)]
mod tests {
    use super::*;
}
