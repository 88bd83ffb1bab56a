//! Adding entries: each new one validated, placed (the rest move down) and
//! inserted; the functions return what a person needs to hear back.

use super::*;

/// Where a new positioned entry goes: `position` (the rest move down) or,
/// without one, after the last. Returns the position it takes.
fn place(conn: &Connection, table: Positioned, parent: i64, position: Option<i64>) -> Result<i64> {
    let count = table.count(conn, parent)?;
    match position {
        None => Ok(count + 1),
        Some(p) if p > count + 1 => Err(Error::PastTheEnd { position: p, count }),
        Some(p) => {
            table.open_gap(conn, parent, p)?;
            Ok(p)
        }
    }
}

fn optional(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

pub struct NewTerm<'a> {
    pub term: &'a str,
    pub part_of_speech: Option<&'a str>,
    pub note: Option<&'a str>,
    pub status: Status,
}

pub fn add_term(conn: &Connection, t: &NewTerm<'_>) -> Result<String> {
    let name = clean_term(t.term);
    required("term", name)?;
    if let Some(id) = terms::find_id(conn, name)? {
        let name = terms::get(conn, id)?.term;
        return Err(Error::AlreadyExists {
            what: "term",
            hint: Some(format!(
                "change it with `glossary edit term {}`",
                crate::model::shell_word(&name)
            )),
            name,
        });
    }
    if let Some(v) = store::variants::find(conn, name)? {
        return Err(Error::Invalid(format!(
            "\"{}\" is a variant of \"{}\" already: remove the variant first \
             (`glossary remove variant {} {}`)",
            v.variant,
            terms::get(conn, v.term_id)?.term,
            crate::model::shell_word(&terms::get(conn, v.term_id)?.term),
            crate::model::shell_word(&v.variant),
        )));
    }
    terms::upsert(
        conn,
        &terms::Term {
            id: TermId(0),
            term: name.to_string(),
            part_of_speech: optional(t.part_of_speech).map(str::to_string),
            note: optional(t.note).map(str::to_string),
            status: t.status,
            autolink: true,
        },
    )?;
    Ok(name.to_string())
}

/// Appends a sense with its examples; returns its number.
pub fn add_sense(
    conn: &Connection,
    term: &str,
    definition: &str,
    domain: Option<&str>,
    examples: &[String],
) -> Result<i64> {
    required("definition", definition)?;
    let term = term_id(conn, term)?;
    let number = place(conn, store::SENSES, term.0, None)?;
    let sense = senses::upsert(conn, term, number, optional(domain), definition)?;
    for e in examples {
        required("example", e)?;
        store::examples::append(conn, sense, e)?;
    }
    Ok(number)
}

/// Appends an example to a sense; returns its position.
pub fn add_example(conn: &Connection, term: &str, sense: i64, text: &str) -> Result<i64> {
    required("example", text)?;
    let t = term_id(conn, term)?;
    let s = sense_id(conn, t, sense)?;
    if store::examples::exists(conn, s, text)? {
        return Err(Error::Invalid(format!(
            "sense {sense} of \"{}\" already has this example",
            terms::get(conn, t)?.term
        )));
    }
    let id = store::examples::append(conn, s, text)?;
    store::examples::position(conn, id)
}

/// Adds a variant of a term (`EP`, of type `abbreviation`) at `position`
/// or after its last; returns the variant as stored and its position.
pub fn add_variant(
    conn: &Connection,
    term: &str,
    variant: &str,
    kind: &str,
    position: Option<i64>,
) -> Result<(String, i64)> {
    let name = clean_term(variant);
    required("variant", name)?;
    let kind = store::variants::parse_type(kind).map_err(Error::bad("type"))?;
    let t = term_id(conn, term)?;
    if let Some(holder) = store::variants::holder(conn, name)? {
        return Err(Error::bad("variant")(format!(
            "\"{name}\" is {holder} already (a name leads to one term)"
        )));
    }
    let p = place(conn, store::VARIANTS, t.0, position)?;
    store::variants::insert(conn, t, p, name, kind)?;
    Ok((name.to_string(), p))
}

/// A relation to add: `term`'s sense `sense` (None: the whole term) is
/// `relation` of `target`'s `target_sense`.
pub struct NewRelation<'a> {
    pub term: &'a str,
    pub sense: Option<i64>,
    pub relation: &'a str,
    pub target: &'a str,
    pub target_sense: Option<i64>,
    pub position: Option<i64>,
}

/// Adds a relation to the term's list; returns its position there.
pub fn add_relation(conn: &Connection, r: &NewRelation<'_>) -> Result<i64> {
    use store::relations::{self, End};
    let relation = relations::parse(r.relation).map_err(Error::bad("relation"))?;
    let end = |term: &str, sense: Option<i64>| -> Result<End> {
        let term = term_id(conn, term)?;
        let sense = sense.map(|n| sense_id(conn, term, n)).transpose()?;
        Ok(End { term, sense })
    };
    let from = end(r.term, r.sense)?;
    let to = end(r.target, r.target_sense)?;
    let name = |e: End| -> Result<String> {
        let term = crate::model::quote_name(&terms::get(conn, e.term)?.term);
        Ok(match e.sense {
            Some(s) => format!("{term} {}", senses::number(conn, s)?),
            None => term,
        })
    };
    if from == to {
        return Err(Error::Invalid(format!(
            "{} cannot be related to itself",
            name(from)?
        )));
    }
    if let Some(old) = relations::between(conn, from, to)? {
        let owner = terms::get(conn, old.from.term)?.term;
        return Err(Error::Invalid(format!(
            "{} and {} are related already ({}): change it with `glossary edit relation {} {}`",
            name(from)?,
            name(to)?,
            if old.from == from {
                old.relation.clone()
            } else {
                relations::inverse(&old.relation).to_string()
            },
            crate::model::shell_word(&owner),
            old.position
        )));
    }
    let p = place(conn, store::RELATIONS, from.term.0, r.position)?;
    let id = relations::insert(conn, p, from, relation, to)?;
    super::refuse_cycle(conn, id)?;
    Ok(p)
}

pub struct NewComparison<'a> {
    pub slug: Option<&'a str>,
    pub left: &'a str,
    pub right: &'a str,
    pub title: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub published: Option<&'a str>,
    pub status: Status,
}

/// Adds a comparison; returns its slug (derived from the terms when not
/// given: `producer-vs-executive-producer`).
pub fn add_comparison(conn: &Connection, c: &NewComparison<'_>) -> Result<String> {
    let left = term_id(conn, c.left)?;
    let right = term_id(conn, c.right)?;
    if left == right {
        return Err(Error::SameTerms {
            term: terms::get(conn, left)?.term,
        });
    }
    let slug = match c.slug {
        Some(s) => s.trim().to_string(),
        None => format!(
            "{}-vs-{}",
            slugify(&terms::get(conn, left)?.term),
            slugify(&terms::get(conn, right)?.term)
        ),
    };
    check_slug(&slug).map_err(Error::bad("slug"))?;
    if comparisons::find_id(conn, &slug)?.is_some() {
        return Err(Error::AlreadyExists {
            what: "comparison",
            name: slug,
            hint: Some("choose another slug: `glossary add-comparison SLUG ...`".into()),
        });
    }
    let published = optional(c.published).map(str::trim);
    if let Some(p) = published {
        check_date(p).map_err(Error::bad("published"))?;
    }
    comparisons::upsert(
        conn,
        &comparisons::Comparison {
            id: ComparisonId(0),
            slug: slug.clone(),
            left_term_id: left,
            right_term_id: right,
            title: optional(c.title).map(str::to_string),
            summary: optional(c.summary).map(str::to_string),
            published: published.map(str::to_string),
            status: c.status,
        },
    )?;
    Ok(slug)
}

/// Adds a key-difference paragraph; returns its position.
pub fn add_difference(
    conn: &Connection,
    slug: &str,
    text: &str,
    position: Option<i64>,
) -> Result<i64> {
    required("text", text)?;
    let c = comparison_id(conn, slug)?;
    let p = place(conn, store::DIFFERENCES, c.0, position)?;
    store::differences::upsert(conn, c, p, text)?;
    Ok(p)
}

/// Adds a chart row; returns its position.
pub fn add_row(
    conn: &Connection,
    slug: &str,
    (aspect, left, right): (&str, &str, &str),
    position: Option<i64>,
) -> Result<i64> {
    required("aspect", aspect)?;
    required("left", left)?;
    required("right", right)?;
    let c = comparison_id(conn, slug)?;
    if store::chart_rows::find(conn, c, aspect)?.is_some() {
        return Err(Error::Invalid(format!(
            "\"{slug}\" already has a chart row \"{aspect}\" (change it with `glossary edit row`)"
        )));
    }
    let p = place(conn, store::ROWS, c.0, position)?;
    store::chart_rows::upsert(conn, c, p, aspect, left, right)?;
    Ok(p)
}

/// Adds a FAQ; returns its position.
pub fn add_faq(
    conn: &Connection,
    slug: &str,
    question: &str,
    answer: &str,
    position: Option<i64>,
) -> Result<i64> {
    required("question", question)?;
    required("answer", answer)?;
    let c = comparison_id(conn, slug)?;
    if store::faqs::find(conn, c, question)?.is_some() {
        return Err(Error::Invalid(format!(
            "\"{slug}\" already has the question \"{question}\""
        )));
    }
    let p = place(conn, store::FAQS, c.0, position)?;
    store::faqs::upsert(conn, c, p, question, answer)?;
    Ok(p)
}

/// Adds an entry of `kind` under the row `parent` (a term for a sense, a
/// sense for an example, a comparison for its paragraphs, rows and FAQs)
/// from its fields by name, at the end of its list: the web editor's add
/// forms, by the same rules as the add commands. Returns the new entry.
pub fn add_under(
    conn: &Connection,
    kind: Kind,
    parent: i64,
    values: &dyn Fn(&str) -> String,
) -> Result<Entry> {
    let Some(parent_kind) = kind.spec().parent else {
        return Err(Error::Invalid(format!(
            "{} has no parent to add to",
            kind.noun()
        )));
    };
    let keys = super::keys_of(conn, parent_kind, parent)?;
    let owner = keys[0].as_str();
    let text = |name: &str| values(name);
    let domain = text("domain");
    match kind {
        Kind::Sense => {
            let n = add_sense(conn, owner, &text("definition"), Some(&domain), &[])?;
            super::find(conn, kind, &[owner.to_string(), n.to_string()])
        }
        Kind::Example => {
            let sense: i64 = keys[1].parse().unwrap_or_default();
            let p = add_example(conn, owner, sense, &text("text"))?;
            super::find(
                conn,
                kind,
                &[owner.to_string(), keys[1].clone(), p.to_string()],
            )
        }
        Kind::Difference => {
            let p = add_difference(conn, owner, &text("text"), None)?;
            super::find(conn, kind, &[owner.to_string(), p.to_string()])
        }
        Kind::Row => {
            let aspect = text("aspect");
            add_row(
                conn,
                owner,
                (aspect.trim(), &text("left"), &text("right")),
                None,
            )?;
            super::find(conn, kind, &[owner.to_string(), aspect.trim().to_string()])
        }
        Kind::Faq => {
            let p = add_faq(conn, owner, &text("question"), &text("answer"), None)?;
            super::find(conn, kind, &[owner.to_string(), p.to_string()])
        }
        Kind::Variant => {
            let (name, _) = add_variant(conn, owner, &text("variant"), &text("type"), None)?;
            super::find(conn, kind, &[owner.to_string(), name])
        }
        Kind::Relation => {
            let number = |field: &str| -> Result<Option<i64>> {
                let typed = text(field);
                if typed.trim().is_empty() {
                    return Ok(None);
                }
                parse_position(field, &typed)
                    .map(Some)
                    .map_err(Error::bad(field))
            };
            let p = add_relation(
                conn,
                &NewRelation {
                    term: owner,
                    sense: number("sense")?,
                    relation: &text("relation"),
                    target: &text("target"),
                    target_sense: number("target_sense")?,
                    position: None,
                },
            )?;
            super::find(conn, kind, &[owner.to_string(), p.to_string()])
        }
        Kind::Term | Kind::Comparison => unreachable!("terms and comparisons have no parent"),
    }
}
