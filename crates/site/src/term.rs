//! A term's page: as Markdown, and as HTML in a site, with its meta and
//! structured data, its variants, and its relations to other terms
//! grouped by kind and linked where the other term has a page.

use std::collections::HashMap;
use std::fmt::Write as _;

use minijinja::context;
use serde::Serialize;

use crate::render::{describe, json_ld, markdown_senses, term_set, Listed, Meta, Site};
use glossary_core::error::Result;
use glossary_core::store::relations::{Seen, KINDS};
use glossary_core::text::markdown_inline;
use glossary_core::view;

/// A term's page as Markdown.
pub fn term_markdown(t: &view::TermEntry) -> String {
    let mut s = format!("# {}\n\n", markdown_inline(&t.term));
    if let Some(pos) = &t.part_of_speech {
        let _ = writeln!(s, "*{}*\n", markdown_inline(pos));
    }
    if let Some(note) = &t.note {
        let _ = writeln!(s, "{}\n", markdown_inline(note));
    }
    if !t.variants.is_empty() {
        let also: Vec<String> = t
            .variants
            .iter()
            .map(|v| format!("{} ({})", markdown_inline(&v.variant), v.kind))
            .collect();
        let _ = writeln!(s, "Also: {}\n", also.join(", "));
    }
    markdown_senses(&mut s, &t.senses);
    if !t.relations.is_empty() {
        s.push_str("## Relations\n\n");
        for r in &t.relations {
            let from = r.sense.map(|n| format!("{n}. ")).unwrap_or_default();
            let to = r.other_sense.map(|n| format!(" {n}")).unwrap_or_default();
            let _ = writeln!(
                s,
                "- {from}*{}*: {}{to}",
                r.relation,
                markdown_inline(&r.other)
            );
        }
        s.push('\n');
    }
    if !t.comparisons.is_empty() {
        s.push_str("## Comparisons\n\n");
        for c in &t.comparisons {
            let title = c.shown_title();
            let _ = writeln!(s, "- {} (`{}`)", markdown_inline(&title), c.comparison);
        }
        s.push('\n');
    }
    s
}

/// A term page's meta: its first sense as description, a `DefinedTerm`
/// with its variants as other names and its relations as links to the
/// related terms' pages.
fn term_meta(t: &view::TermEntry, site: &Site<'_>, path: &str) -> Meta {
    let settings = &site.settings;
    let description = t.senses.first().map(|s| describe(&s.definition));
    let canonical = settings.url(path);
    let mut term = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": t.term,
        "inDefinedTermSet": term_set(settings),
    });
    if let Some(d) = &description {
        term["description"] = d.clone().into();
    }
    if let Some(url) = &canonical {
        term["url"] = url.clone().into();
    }
    // Its variants ("EP", "producers") are other names of the same term.
    if !t.variants.is_empty() {
        let names: Vec<&str> = t.variants.iter().map(|v| v.variant.as_str()).collect();
        term["alternateName"] = names.into();
    }
    add_relations(&mut term, t, site, canonical.as_deref().unwrap_or(path));
    Meta {
        description,
        canonical,
        og_type: "article",
        json_ld: vec![json_ld(term)],
    }
}

/// The term's relations as links between `DefinedTerm`s, each related
/// term (with a page) named by its page's address. schema.org has no
/// property for them, so they are SKOS's, the W3C's vocabulary for
/// thesauri: `skos:broader`, `skos:narrower`, `skos:closeMatch` for a
/// synonym and `skos:related` for the rest (SKOS has no antonym). A
/// relation of a sense is the term's: the item is the whole term.
fn add_relations(term: &mut serde_json::Value, t: &view::TermEntry, site: &Site<'_>, id: &str) {
    let mut links: Vec<(&str, String)> = Vec::new();
    for r in &t.relations {
        let Some(file) = site.links.terms.get(&r.other_id) else {
            continue;
        };
        let property = match r.relation.as_str() {
            "broader" => "skos:broader",
            "narrower" => "skos:narrower",
            "synonym" => "skos:closeMatch",
            _ => "skos:related",
        };
        let other = site
            .settings
            .url(&format!("terms/{file}"))
            .unwrap_or_else(|| file.clone());
        if !links.iter().any(|(p, o)| *p == property && *o == other) {
            links.push((property, other));
        }
    }
    if links.is_empty() {
        return;
    }
    term["@context"] = serde_json::json!([
        "https://schema.org",
        { "skos": "http://www.w3.org/2004/02/skos/core#" }
    ]);
    term["@id"] = id.into();
    for (property, other) in links {
        let item = serde_json::json!({ "@id": other });
        match term[property].as_array_mut() {
            Some(list) => list.push(item),
            None => term[property] = serde_json::json!([item]),
        }
    }
}

/// The heading of each kind of relation on a term's page, in the order
/// the page lists them.
fn heading(relation: &str) -> &'static str {
    match relation {
        "synonym" => "Synonyms",
        "antonym" => "Antonyms",
        "broader" => "Broader terms",
        "narrower" => "Narrower terms",
        _ => "See also",
    }
}

/// One kind of relation on a term's page.
#[derive(Serialize)]
struct Group<'a> {
    heading: &'static str,
    items: Vec<Related<'a>>,
}

/// A related term as its page shows it: linked where it has a page (a
/// sense's anchor when the relation names one).
#[derive(Serialize)]
struct Related<'a> {
    href: Option<String>,
    term: &'a str,
    /// The other term's sense, and this term's, when the relation names them.
    term_sense: Option<i64>,
    sense: Option<i64>,
}

fn groups<'a>(relations: &'a [Seen], site: &Site<'_>) -> Vec<Group<'a>> {
    KINDS
        .iter()
        .filter_map(|kind| {
            let items: Vec<Related<'a>> = relations
                .iter()
                .filter(|r| r.relation == *kind)
                .map(|r| Related {
                    href: site
                        .links
                        .terms
                        .get(&r.other_id)
                        .map(|file| match r.other_sense {
                            Some(n) => format!("{file}#sense-{n}"),
                            None => file.clone(),
                        }),
                    term: &r.other,
                    term_sense: r.other_sense,
                    sense: r.sense,
                })
                .collect();
            (!items.is_empty()).then(|| Group {
                heading: heading(kind),
                items,
            })
        })
        .collect()
}

/// A term's page in a site (its root one level up), and the terms it
/// links to.
pub(crate) fn term_html_page(
    t: &view::TermEntry,
    comparison_files: &HashMap<String, String>,
    mentioned_in: &crate::build::Mentions<'_>,
    site: &Site<'_>,
    path: &str,
) -> Result<(String, Vec<i64>)> {
    let autolink = site.links.page(&[t.id], t.senses.iter());
    let titles: Vec<String> = t.comparisons.iter().map(|c| c.shown_title()).collect();
    let listed: Vec<Listed<'_>> = t
        .comparisons
        .iter()
        .zip(&titles)
        .filter_map(|(c, title)| {
            comparison_files.get(&c.comparison).map(|f| Listed {
                href: format!("../compare/{f}"),
                title,
                published: None,
            })
        })
        .collect();
    let text = site.templates.render(
        "site/term.html",
        context! {
            title => &t.term, root => "../", site => &site.settings,
            meta => term_meta(t, site, path), term => t, comparisons => listed,
            relations => groups(&t.relations, site),
            mentioned_in => &mentioned_in.articles,
            mentioned_more => mentioned_in.articles_more,
            mentioned_by_terms => &mentioned_in.terms,
            mentioned_by_terms_more => mentioned_in.terms_more,
            autolink => minijinja::Value::from_dyn_object(autolink.clone()),
        },
    )?;
    Ok((text, autolink.linked()))
}
