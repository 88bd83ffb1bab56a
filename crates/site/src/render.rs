//! `glossary render`: articles and term pages as Markdown or HTML (the
//! site they make up is [`crate::build`]).
//!
//! Pages follow the seed page's structure: title, date, summary, key
//! differences, the comparison chart, both terms' definitions with
//! examples, FAQs. HTML pages are the templates under `templates/site/`
//! ([`crate::templates`], which escape every piece of text); Markdown
//! escapes through [`glossary_core::text::markdown_inline`]: content is never
//! markup. The site is plain HTML5 with one stylesheet and no JavaScript.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use rusqlite::Connection;
use serde::Serialize;

use crate::autolink::PageLinks;
use crate::templates::Templates;
use glossary_core::error::{Error, Result};
use glossary_core::model::{Status, TermId};
use glossary_core::publication;
use glossary_core::settings::Settings;
use glossary_core::text::{long_date, markdown_inline};
use glossary_core::view::{self, Article, SenseEntry};
use minijinja::context;

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
        h.shown_title()
    }
}

pub fn page(conn: &Connection, slug: &str) -> Result<Page> {
    let article = view::comparison(conn, slug)?;
    let left_senses = view::senses_of(conn, article.header.left_term_id)?;
    let right_senses = view::senses_of(conn, article.header.right_term_id)?;
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
        let cell = glossary_core::text::markdown_cell;
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

pub(crate) fn markdown_senses(s: &mut String, senses: &[SenseEntry]) {
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

/// Where pages link to: term pages by term id, for the terms that have one.
/// A page on its own (`render SLUG --format html`) has no site around it:
/// no links, and its style inline.
#[derive(Default)]
pub struct Links {
    pub(crate) terms: std::sync::Arc<HashMap<TermId, String>>,
    /// Prefix from the page to the site root ("", "../", or the editor's
    /// "/site/"); None for a page on its own.
    pub(crate) root: Option<&'static str>,
    /// The mentions of terms in the text, linked (a site's pages only).
    pub(crate) linker: Option<std::sync::Arc<crate::autolink::Linker>>,
}

impl Links {
    /// The web editor's preview: the site's stylesheet from `/site/`, and
    /// no links out of the page shown.
    pub fn in_editor() -> Links {
        Links {
            terms: std::sync::Arc::default(),
            root: Some("/site/"),
            linker: None,
        }
    }

    fn term(&self, id: TermId) -> Option<String> {
        let root = self.root?;
        Some(format!("{root}terms/{}", self.terms.get(&id)?))
    }

    /// What a page's template calls as `autolink(text, section)`, never
    /// linking `subject` (the page's own terms), with the page's field
    /// (the most common domain of `senses`) for tooltips.
    pub(crate) fn page<'s>(
        &self,
        subject: &[TermId],
        senses: impl Iterator<Item = &'s SenseEntry>,
    ) -> std::sync::Arc<PageLinks> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for d in senses.filter_map(|s| s.domain.as_deref()) {
            *counts.entry(d).or_default() += 1;
        }
        let domain = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(d, _)| d.to_string());
        std::sync::Arc::new(PageLinks::new(
            self.linker.clone(),
            self.root.unwrap_or_default(),
            subject.iter().copied(),
            domain,
        ))
    }
}

/// What every page of a site shares: its templates, its settings, where
/// its pages link to.
pub struct Site<'a> {
    pub templates: &'a Templates,
    pub settings: Settings,
    pub links: Links,
}

/// What search engines and link previews read of a page: its description,
/// canonical address, Open Graph type and structured data (JSON-LD).
#[derive(Debug, Serialize, Default)]
pub struct Meta {
    pub description: Option<String>,
    pub canonical: Option<String>,
    pub og_type: &'static str,
    /// The JSON-LD blocks, one `<script>` each (one schema.org item
    /// apiece, as every structured-data reader understands), ready to sit
    /// inside the element: `<`, `>` and `&` are escaped as JSON allows, so
    /// no text can close it.
    pub json_ld: Vec<String>,
}

/// A description for `<meta>`: the text's first 160 characters or so, cut
/// at a word, one line.
pub(crate) fn describe(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 160 {
        return flat;
    }
    let cut: String = flat.chars().take(157).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_ascii_punctuation())
    )
}

pub(crate) fn json_ld(value: serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn organization(name: &Option<String>) -> serde_json::Value {
    match name {
        Some(n) => serde_json::json!({ "@type": "Organization", "name": n }),
        None => serde_json::Value::Null,
    }
}

/// An article's meta: its summary as description, and an `Article` with a
/// `FAQPage` as structured data. `path` is the page's path from the site
/// root; `modified`, the day of its last change.
pub fn article_meta(p: &Page, settings: &Settings, path: &str, modified: Option<&str>) -> Meta {
    let h = &p.article.header;
    let description = h
        .summary
        .as_deref()
        .or(p.article.differences.first().map(|d| d.text.as_str()))
        .map(describe);
    let canonical = settings.url(path);
    let mut article = serde_json::json!({
        "@type": "Article",
        "headline": p.title(),
        "inLanguage": settings.language,
        "about": [
            { "@type": "DefinedTerm", "name": h.left },
            { "@type": "DefinedTerm", "name": h.right },
        ],
    });
    let fields = [
        (
            "description",
            description.clone().map(serde_json::Value::from),
        ),
        (
            "datePublished",
            h.published.clone().map(serde_json::Value::from),
        ),
        (
            "dateModified",
            modified
                .map(serde_json::Value::from)
                .or(h.published.clone().map(serde_json::Value::from)),
        ),
        ("url", canonical.clone().map(serde_json::Value::from)),
        (
            "mainEntityOfPage",
            canonical.clone().map(serde_json::Value::from),
        ),
        (
            "author",
            settings
                .publisher
                .as_ref()
                .map(|_| organization(&settings.publisher)),
        ),
        (
            "publisher",
            settings
                .publisher
                .as_ref()
                .map(|_| organization(&settings.publisher)),
        ),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            article[key] = v;
        }
    }
    article["@context"] = "https://schema.org".into();
    let mut blocks = vec![article];
    if !p.article.faqs.is_empty() {
        let questions: Vec<serde_json::Value> = p
            .article
            .faqs
            .iter()
            .map(|f| {
                serde_json::json!({
                    "@type": "Question",
                    "name": f.question,
                    "acceptedAnswer": { "@type": "Answer", "text": f.answer },
                })
            })
            .collect();
        let mut faq = serde_json::json!({
            "@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions,
        });
        if let Some(url) = &canonical {
            faq["url"] = url.clone().into();
        }
        blocks.push(faq);
    }
    Meta {
        description,
        canonical,
        og_type: "article",
        json_ld: blocks.into_iter().map(json_ld).collect(),
    }
}

/// The glossary as a `DefinedTermSet`, which term pages point into.
pub(crate) fn term_set(settings: &Settings) -> serde_json::Value {
    let mut set = serde_json::json!({ "@type": "DefinedTermSet", "name": settings.title });
    if let Some(url) = settings.url("") {
        set["url"] = url.into();
    }
    if let Some(d) = &settings.description {
        set["description"] = d.clone().into();
    }
    set
}

/// The front page's meta: the glossary as a `DefinedTermSet`; without a
/// description set, one that counts what it holds.
pub fn index_meta(settings: &Settings, path: &str, terms: usize, comparisons: usize) -> Meta {
    let mut set = term_set(settings);
    set["@context"] = "https://schema.org".into();
    let counted = format!(
        "{}: {terms} {} defined, {comparisons} {} of two terms side by side.",
        settings.title,
        if terms == 1 { "term" } else { "terms" },
        if comparisons == 1 {
            "comparison"
        } else {
            "comparisons"
        },
    );
    Meta {
        description: Some(settings.description.clone().unwrap_or(counted)),
        canonical: settings.url(path),
        og_type: "website",
        json_ld: vec![json_ld(set)],
    }
}

/// The article as a complete HTML5 page (`path`: where it sits in the site,
/// for its canonical address).
pub fn html_page(p: &Page, site: &Site<'_>, path: &str, modified: Option<&str>) -> Result<String> {
    let none = More {
        comparisons: Vec::new(),
        beyond: false,
    };
    Ok(html_page_mentioning(p, site, path, modified, &none)?.0)
}

/// The other comparisons an article in a site lists, and whether there
/// are more than these.
pub(crate) struct More<'a> {
    pub comparisons: Vec<Listed<'a>>,
    pub beyond: bool,
}

/// [`html_page`] with the comparisons it lists (`more`), and the terms it
/// links to.
pub(crate) fn html_page_mentioning(
    p: &Page,
    site: &Site<'_>,
    path: &str,
    modified: Option<&str>,
    more: &More<'_>,
) -> Result<(String, Vec<i64>)> {
    let h = &p.article.header;
    let links = &site.links;
    let autolink = links.page(
        &[h.left_term_id, h.right_term_id],
        p.left_senses.iter().chain(&p.right_senses),
    );
    let style = match links.root {
        Some(_) => String::new(),
        None => site.templates.style()?,
    };
    let text = site.templates.render(
        "site/article.html",
        context! {
            title => p.title(),
            root => links.root,
            style,
            site => &site.settings,
            meta => article_meta(p, &site.settings, path, modified),
            page => p,
            left_href => links.term(h.left_term_id),
            right_href => links.term(h.right_term_id),
            related => &more.comparisons,
            related_more => more.beyond,
            autolink => minijinja::Value::from_dyn_object(autolink.clone()),
        },
    )?;
    Ok((text, autolink.linked()))
}

/// The texts of an article its template links (`autolink(...)` in
/// `article.html` and `senses.html`): what an incremental build reads the
/// tooltips of before rendering it.
pub(crate) fn linked_texts(p: &Page) -> impl Iterator<Item = &str> {
    let a = &p.article;
    a.differences
        .iter()
        .map(|d| d.text.as_str())
        .chain(
            a.rows
                .iter()
                .flat_map(|r| [r.left.as_str(), r.right.as_str()]),
        )
        .chain(a.faqs.iter().map(|f| f.answer.as_str()))
        .chain(senses_texts(p.left_senses.iter().chain(&p.right_senses)))
}

/// [`linked_texts`] of a term's page.
pub(crate) fn term_linked_texts(t: &view::TermEntry) -> impl Iterator<Item = &str> {
    senses_texts(t.senses.iter())
}

fn senses_texts<'a>(senses: impl Iterator<Item = &'a SenseEntry>) -> impl Iterator<Item = &'a str> {
    senses.flat_map(|s| {
        std::iter::once(s.definition.as_str()).chain(s.examples.iter().map(String::as_str))
    })
}

/// A link in a list of pages.
#[derive(Serialize)]
pub(crate) struct Listed<'a> {
    pub href: String,
    pub title: &'a str,
    pub published: Option<&'a str>,
}

/// One article, as `render SLUG` prints it. A draft is refused unless
/// `drafts`: what is rendered is what gets published.
pub fn one(
    conn: &Connection,
    slug: &str,
    drafts: bool,
    as_html: bool,
    templates: &Templates,
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
        let site = Site {
            templates,
            settings: glossary_core::settings::load(conn)?,
            links: Links::default(),
        };
        let path = format!("compare/{}.html", p.article.header.comparison);
        let modified = glossary_core::history::last_change_day(
            conn,
            glossary_core::kind::Kind::Comparison,
            id.0,
        )?;
        html_page(&p, &site, &path, modified.as_deref())?
    } else {
        markdown(&p)
    };
    out.write_all(text.as_bytes()).map_err(|e| Error::Io {
        path: PathBuf::from("<stdout>"),
        source: e,
    })
}
