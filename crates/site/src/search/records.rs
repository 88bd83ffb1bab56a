//! What the index holds of a page: made from what the build renders the
//! page from (no second read of the database, and exactly what the page
//! says). An article is a record with its FAQs; a term is one with its
//! variants as names. The senses an article repeats of its terms are its
//! terms' records' to be found by, not its own.

use std::collections::BTreeSet;

use super::{name_weight, Doc, BODY, HEADING, LEAD};
use crate::render::{describe, Page};
use glossary_core::view::{SenseEntry, TermEntry};

/// The domains of `senses`, each once, in order.
fn domains<'a>(senses: impl IntoIterator<Item = &'a SenseEntry>) -> Vec<String> {
    senses
        .into_iter()
        .filter_map(|s| s.domain.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The record of the article `p` at `rel`, its FAQs with it (a question
/// weighs as a heading): one record a page keeps the index a tenth of what
/// a record an FAQ made it (the seed has twenty), and the search page
/// finds which FAQs answer in the page itself, by their anchors.
pub(crate) fn article(p: &Page, rel: &str, stop: &[&str]) -> Doc {
    let a = &p.article;
    let title = p.title();
    let mut fields = vec![(name_weight(&title, stop), title.clone())];
    let lead = a
        .header
        .summary
        .clone()
        .or_else(|| a.differences.first().map(|d| d.text.clone()));
    if let Some(summary) = &a.header.summary {
        fields.push((LEAD, summary.clone()));
    }
    fields.extend(a.differences.iter().map(|d| (BODY, d.text.clone())));
    for r in &a.rows {
        fields.push((BODY, r.aspect.clone()));
        fields.push((BODY, r.left.clone()));
        fields.push((BODY, r.right.clone()));
    }
    for f in &a.faqs {
        fields.push((HEADING, f.question.clone()));
        fields.push((BODY, f.answer.clone()));
    }
    Doc {
        url: rel.to_string(),
        title,
        excerpt: lead.as_deref().map(describe).unwrap_or_default(),
        domains: domains(p.left_senses.iter().chain(&p.right_senses)),
        term: false,
        fields,
    }
}

/// The record of the term `t` at `rel`.
pub(crate) fn term(t: &TermEntry, rel: &str, stop: &[&str]) -> Doc {
    let mut fields = vec![(name_weight(&t.term, stop), t.term.clone())];
    fields.extend(
        t.variants
            .iter()
            .map(|v| (name_weight(&v.variant, stop), v.variant.clone())),
    );
    if let Some(note) = &t.note {
        fields.push((BODY, note.clone()));
    }
    for s in &t.senses {
        fields.push((LEAD, s.definition.clone()));
        fields.extend(s.examples.iter().map(|e| (BODY, e.clone())));
    }
    Doc {
        url: rel.to_string(),
        title: t.term.clone(),
        excerpt: t
            .senses
            .first()
            .map(|s| describe(&s.definition))
            .unwrap_or_default(),
        domains: domains(&t.senses),
        term: true,
        fields,
    }
}
