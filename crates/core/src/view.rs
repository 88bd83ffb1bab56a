//! `glossary query`: look-ups that assemble a whole entry for display.
//!
//! Each function returns a plain serialisable value; the output module
//! decides how it looks. Every read is an index look-up, so a query costs
//! the same on ten terms as on millions.

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::model::{slugify, Status, TermId};
use crate::store::{
    chart_rows, comparisons, differences, examples, faqs, relations, senses, terms, variants,
};

/// A term with everything the glossary says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermEntry {
    /// Not shown: which term it is, for the pages that link to others.
    #[serde(skip)]
    pub id: crate::model::TermId,
    pub term: String,
    pub part_of_speech: Option<String>,
    pub note: Option<String>,
    pub status: Status,
    /// Other ways of writing it (`EP`, `producers`), in order.
    pub variants: Vec<variants::Variant>,
    /// When the name asked for was one of them: which.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_by_variant: Option<variants::Variant>,
    pub senses: Vec<SenseEntry>,
    /// What it (or one of its senses) is to other terms, both ways round:
    /// `{"relation": "broader", "sense": 1, "term": "Producer", "term_sense": 2}`.
    pub relations: Vec<relations::Seen>,
    pub comparisons: Vec<comparisons::Header>,
    pub faqs: Vec<TermFaq>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenseEntry {
    pub sense: i64,
    pub domain: Option<String>,
    pub definition: String,
    pub examples: Vec<String>,
}

/// A FAQ of a comparison the term appears in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermFaq {
    pub comparison: String,
    pub position: i64,
    pub question: String,
    pub answer: String,
}

/// A whole comparison article, everything in position order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    #[serde(flatten)]
    pub header: comparisons::Header,
    /// Whether readers see it: published, and so are both its terms.
    pub public: bool,
    /// Its terms that are drafts (which keep a published article hidden).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub draft_terms: Vec<String>,
    pub differences: Vec<differences::Paragraph>,
    pub rows: Vec<chart_rows::ChartRow>,
    pub faqs: Vec<ArticleFaq>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleFaq {
    /// Its number, which `edit faq SLUG N` takes.
    pub position: i64,
    pub question: String,
    pub answer: String,
}

/// The term `name` (any case or accents) or one of its variants names
/// (`EP` finds Executive Producer, and says so), or [`Error::NotFound`]
/// with the closest names.
pub fn term(conn: &Connection, name: &str) -> Result<TermEntry> {
    let (t, found_by_variant) = match terms::find(conn, name)? {
        Some(t) => (t, None),
        None => match variants::find(conn, name)? {
            Some(v) => (terms::get(conn, v.term_id)?, Some(v)),
            None => return Err(terms::not_found(conn, name)),
        },
    };
    entry(conn, t, found_by_variant, true)
}

/// Term `id` as its page in a site shows it: [`term`] without the FAQs of
/// its comparisons (the page lists the comparisons; reading and handing
/// the template their FAQs cost a site build a tenth of its time).
pub fn term_page(conn: &Connection, id: TermId) -> Result<TermEntry> {
    entry(conn, terms::get(conn, id)?, None, false)
}

fn entry(
    conn: &Connection,
    t: terms::Term,
    found_by_variant: Option<variants::Variant>,
    with_faqs: bool,
) -> Result<TermEntry> {
    let sense_entries = senses_of(conn, t.id)?;
    let headers = comparisons::for_term(conn, t.id)?;
    let mut term_faqs = Vec::new();
    for h in headers.iter().filter(|_| with_faqs) {
        for f in faqs::for_comparison(conn, h.id)? {
            term_faqs.push(TermFaq {
                comparison: h.comparison.clone(),
                position: f.position,
                question: f.question,
                answer: f.answer,
            });
        }
    }
    Ok(TermEntry {
        id: t.id,
        term: t.term,
        part_of_speech: t.part_of_speech,
        note: t.note,
        status: t.status,
        variants: variants::for_term(conn, t.id)?,
        found_by_variant,
        senses: sense_entries,
        relations: relations::of_term(conn, t.id)?,
        comparisons: headers,
        faqs: term_faqs,
    })
}

/// A term's senses in order, each with its examples.
pub fn senses_of(conn: &Connection, term: TermId) -> Result<Vec<SenseEntry>> {
    let mut out = Vec::new();
    for s in senses::for_term(conn, term)? {
        out.push(SenseEntry {
            sense: s.sense_number,
            domain: s.domain,
            definition: s.definition,
            examples: examples::for_sense(conn, s.id)?,
        });
    }
    Ok(out)
}

/// The comparison `slug`. A title typed instead of a slug
/// ("Producer vs. Executive Producer") is tried as its slug too.
pub fn comparison(conn: &Connection, slug: &str) -> Result<Article> {
    let wanted = slug.trim();
    let header = match comparisons::header(conn, wanted)? {
        Some(h) => Some(h),
        None => comparisons::header(conn, &slugify(wanted))?,
    };
    let Some(header) = header else {
        return Err(comparisons::not_found(conn, wanted));
    };
    let draft_terms: Vec<String> = crate::publication::draft_terms(conn, header.id)?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    Ok(Article {
        public: header.status == Status::Published && draft_terms.is_empty(),
        draft_terms,
        differences: differences::for_comparison(conn, header.id)?,
        rows: chart_rows::for_comparison(conn, header.id)?,
        faqs: faqs::for_comparison(conn, header.id)?
            .into_iter()
            .map(|f| ArticleFaq {
                position: f.position,
                question: f.question,
                answer: f.answer,
            })
            .collect(),
        header,
    })
}
