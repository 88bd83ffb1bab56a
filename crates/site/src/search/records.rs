//! What the index holds of a page: made from what the build renders the
//! page from (no second read of the database, and exactly what the page
//! says). An article is a record, and so is each of its FAQs (found by its
//! question, shown under the article); a term is one record with its
//! variants as names. The senses an article repeats of its terms are its
//! terms' records' to be found by, not its own.

use std::collections::BTreeSet;

use super::{name_weight, Doc, BODY, HEADING, LEAD};
use crate::render::{describe, Page};
use glossary_core::view::TermEntry;

/// The anchor of an article's FAQ `position`, as `article.html` writes it.
pub(crate) fn faq_anchor(position: i64) -> String {
    format!("faq-{position}")
}

/// The records of the article `p` at `rel`: the article, then its FAQs.
pub(crate) fn article(p: &Page, rel: &str, stop: &[&str]) -> Vec<Doc> {
    let a = &p.article;
    let title = p.title();
    let domains: Vec<String> = p
        .left_senses
        .iter()
        .chain(&p.right_senses)
        .filter_map(|s| s.domain.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
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
    let mut docs = vec![Doc {
        url: rel.to_string(),
        title: title.clone(),
        parent: None,
        excerpt: lead.as_deref().map(describe).unwrap_or_default(),
        domains: domains.clone(),
        term: false,
        fields,
    }];
    docs.extend(a.faqs.iter().map(|f| Doc {
        url: format!("{rel}#{}", faq_anchor(f.position)),
        title: f.question.clone(),
        parent: Some(title.clone()),
        excerpt: describe(&f.answer),
        domains: domains.clone(),
        term: false,
        fields: vec![(HEADING, f.question.clone()), (BODY, f.answer.clone())],
    }));
    docs
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
        parent: None,
        excerpt: t
            .senses
            .first()
            .map(|s| describe(&s.definition))
            .unwrap_or_default(),
        domains: t
            .senses
            .iter()
            .filter_map(|s| s.domain.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        term: true,
        fields,
    }
}
