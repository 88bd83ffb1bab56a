//! `add-term`, `add-sense`, `add-example`, `add-variant`, `add-relation`,
//! `add-comparison`, `add-difference`, `add-row`, `add-faq`: one transaction each, and what was added, named
//! as `edit` takes it (`added faq producer-vs-executive-producer 21`).

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use serde_json::json;

use super::pending::write_maybe_pending;
use super::{done, write};
use glossary_core::edit::{self, Entry};
use glossary_core::error::Error;
use glossary_core::kind::Kind;
use glossary_core::model::Status;

use crate::cmd::Globals;
use crate::cmd::{date, position, sense_number, FormatFlag};
use clap::Args;

pub(crate) const ADD_FAQ_HELP: &str = "Examples:\n  glossary add-faq producer-vs-executive-producer --question 'Who hires the producer?' --answer 'Usually the executive producer.'\n  glossary add-faq producer-vs-executive-producer --position 1 ...   (the others move down)";

pub(crate) const ADD_ROW_HELP: &str = "Example:\n  glossary add-row producer-vs-executive-producer --aspect 'Typical Employer' \\\n      --left 'Production company' --right 'Studio or network'";

pub(crate) const ADD_DIFFERENCE_HELP: &str = "Example:\n  glossary add-difference producer-vs-executive-producer 'Producers ...' --position 2";

pub(crate) const ADD_COMPARISON_HELP: &str = "Examples:\n  glossary add-comparison --left Producer --right Director\n      (the slug is derived: producer-vs-director)\n  glossary add-comparison producer-or-director --left Producer --right Director --published 2024-01-15";

pub(crate) const ADD_EXAMPLE_HELP: &str =
    "Example:\n  glossary add-example Producer 6 'The region is a major producer of wine.'";

pub(crate) const ADD_VARIANT_HELP: &str = "Examples:\n  glossary add-variant 'Executive Producer' EP --type abbreviation\n  glossary add-variant Producer producers --type plural\n\nA variant is found, linked and suggested as its term is (`glossary query --term EP`);\nno two terms or variants may be written alike (case and accents aside).";

pub(crate) const ADD_RELATION_HELP: &str = "Examples:\n  glossary add-relation 'Executive Producer' broader Producer --target-sense 2\n      (sense 2 of Producer is broader than Executive Producer)\n  glossary add-relation Producer --sense 5 related 'Primary Producer'\n\nRelations: synonym, antonym, related (each its own inverse), broader and narrower\n(each other's). One relation per pair of meanings, shown on both terms' pages;\nno meaning related to itself, and no cycle of broader ones.";

pub(crate) const ADD_SENSE_HELP: &str = "Example:\n  glossary add-sense Director --domain film \\\n      --definition 'A person who directs a film.' --example 'The director called cut.'";

pub(crate) const ADD_TERM_HELP: &str =
    "Example:\n  glossary add-term Director --part-of-speech noun";

#[derive(Debug, Args)]
pub(crate) struct AddTermArgs {
    /// The term as it is displayed
    pub(crate) term: String,
    /// Part of speech: noun, verb...
    #[arg(long, value_name = "P")]
    pub(crate) part_of_speech: Option<String>,
    /// A note about the term
    #[arg(long, value_name = "N")]
    pub(crate) note: Option<String>,
    /// Mark it published at once (new entries are drafts)
    #[arg(long)]
    pub(crate) publish: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct AddSenseArgs {
    /// The term (any case)
    pub(crate) term: String,
    /// The definition
    #[arg(long, value_name = "D")]
    pub(crate) definition: String,
    /// The field it belongs to: film, ecology, business...
    #[arg(long, value_name = "X")]
    pub(crate) domain: Option<String>,
    /// An example sentence (repeat for more)
    #[arg(long, value_name = "E")]
    pub(crate) example: Vec<String>,
    /// Add it to the entry's pending version, which readers do not see
    /// until it is published (see `glossary pending`)
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct AddExampleArgs {
    /// The term (any case)
    pub(crate) term: String,
    /// The sense's number
    #[arg(value_parser = sense_number)]
    pub(crate) sense: i64,
    /// The example sentence
    pub(crate) text: String,
    /// Add it to the entry's pending version, which readers do not see
    /// until it is published (see `glossary pending`)
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct AddVariantArgs {
    /// The term (any case)
    pub(crate) term: String,
    /// Another way of writing it: EP, producers, colour
    pub(crate) variant: String,
    /// What kind of variant it is
    #[arg(long = "type", value_name = "TYPE", value_parser = glossary_core::store::variants::TYPES.to_vec())]
    pub(crate) kind: String,
    /// Where to insert it among the term's variants (the others move down) [default: at the end]
    #[arg(long, value_name = "N", value_parser = position)]
    pub(crate) position: Option<i64>,
    /// Add it to the entry's pending version, which readers do not see
    /// until it is published (see `glossary pending`)
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct AddRelationArgs {
    /// The term (any case)
    pub(crate) term: String,
    /// How it relates to the target: the target is its synonym, antonym,
    /// broader or narrower term, or related
    #[arg(value_parser = glossary_core::store::relations::KINDS.to_vec())]
    pub(crate) relation: String,
    /// The other term
    pub(crate) target: String,
    /// The term's sense it relates [default: the whole term]
    #[arg(long, value_name = "N", value_parser = sense_number)]
    pub(crate) sense: Option<i64>,
    /// The target's sense [default: the whole target term]
    #[arg(long, value_name = "N", value_parser = sense_number)]
    pub(crate) target_sense: Option<i64>,
    /// Where to insert it in the term's list (the others move down) [default: at the end]
    #[arg(long, value_name = "N", value_parser = position)]
    pub(crate) position: Option<i64>,
    /// Add it to the entry's pending version, which readers do not see
    /// until it is published (see `glossary pending`)
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct AddComparisonArgs {
    /// The slug [default: derived from the terms, LEFT-vs-RIGHT]
    pub(crate) slug: Option<String>,
    /// The term on the left
    #[arg(long, value_name = "TERM")]
    pub(crate) left: String,
    /// The term on the right
    #[arg(long, value_name = "TERM")]
    pub(crate) right: String,
    /// The title
    #[arg(long, value_name = "T")]
    pub(crate) title: Option<String>,
    /// The one-paragraph summary
    #[arg(long, value_name = "S")]
    pub(crate) summary: Option<String>,
    /// Publication date
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub(crate) published: Option<String>,
    /// Mark it published at once (new entries are drafts)
    #[arg(long)]
    pub(crate) publish: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct AddDifferenceArgs {
    /// The comparison's slug
    pub(crate) comparison: String,
    /// The paragraph
    pub(crate) text: String,
    /// Where to insert it (the others move down) [default: at the end]
    #[arg(long, value_name = "N", value_parser = position)]
    pub(crate) position: Option<i64>,
    /// Add it to the entry's pending version, which readers do not see
    /// until it is published (see `glossary pending`)
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct AddRowArgs {
    /// The comparison's slug
    pub(crate) comparison: String,
    /// What the row compares
    #[arg(long, value_name = "A")]
    pub(crate) aspect: String,
    /// The left term's value
    #[arg(long, value_name = "L")]
    pub(crate) left: String,
    /// The right term's value
    #[arg(long, value_name = "R")]
    pub(crate) right: String,
    /// Where to insert it (the others move down) [default: at the end]
    #[arg(long, value_name = "N", value_parser = position)]
    pub(crate) position: Option<i64>,
    /// Add it to the entry's pending version, which readers do not see
    /// until it is published (see `glossary pending`)
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct AddFaqArgs {
    /// The comparison's slug
    pub(crate) comparison: String,
    /// The question (asked for on a terminal when missing)
    #[arg(long, value_name = "Q")]
    pub(crate) question: Option<String>,
    /// The answer (asked for on a terminal when missing)
    #[arg(long, value_name = "A")]
    pub(crate) answer: Option<String>,
    /// Where to insert it (the others move down) [default: at the end]
    #[arg(long, value_name = "N", value_parser = position)]
    pub(crate) position: Option<i64>,
    /// Add it to the entry's pending version, which readers do not see
    /// until it is published (see `glossary pending`)
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

/// What `added …` says of an entry added to a pending version.
fn in_pending(pending: bool) -> &'static str {
    if pending {
        " to the pending version"
    } else {
        ""
    }
}

fn status(publish: bool) -> Status {
    if publish {
        Status::Published
    } else {
        Status::Draft
    }
}

/// Says what was added: `added sense "Director" 2`, or as JSON the kind,
/// the entry's name and its number (what a script adds next to).
fn added(
    report: &FormatFlag,
    entry: &Entry,
    number: Option<i64>,
    more: &str,
) -> anyhow::Result<()> {
    let mut json = json!({"added": entry.kind.word(), "entry": entry.label});
    if let Some(n) = number {
        let key = if entry.kind == Kind::Sense {
            "sense"
        } else {
            "position"
        };
        json[key] = n.into();
    }
    done(report.format, &format!("added {}{more}", entry.label), json)
}

/// The entry just added, found by its keys as `edit` would find it.
fn named(
    conn: &rusqlite::Connection,
    kind: Kind,
    keys: &[&str],
) -> glossary_core::error::Result<Entry> {
    let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    edit::find(conn, kind, &keys)
}

pub fn add_term(ctx: &Globals, a: AddTermArgs) -> anyhow::Result<()> {
    let entry = write(ctx, |c| {
        let name = edit::add_term(
            c,
            &edit::NewTerm {
                term: &a.term,
                part_of_speech: a.part_of_speech.as_deref(),
                note: a.note.as_deref(),
                status: status(a.publish),
            },
        )?;
        named(c, Kind::Term, &[&name])
    })?;
    let more = format!(" ({})", status(a.publish));
    added(&a.report, &entry, None, &more)
}

pub fn add_sense(ctx: &Globals, a: AddSenseArgs) -> anyhow::Result<()> {
    let (entry, n) = write_maybe_pending(ctx, a.pending, Kind::Term, &a.term, |c| {
        let n = edit::add_sense(c, &a.term, &a.definition, a.domain.as_deref(), &a.example)?;
        Ok((
            (named(c, Kind::Sense, &[&a.term, &n.to_string()])?, n),
            vec![],
        ))
    })?;
    added(&a.report, &entry, Some(n), in_pending(a.pending))
}

pub fn add_example(ctx: &Globals, a: AddExampleArgs) -> anyhow::Result<()> {
    let (entry, p) = write_maybe_pending(ctx, a.pending, Kind::Term, &a.term, |c| {
        let p = edit::add_example(c, &a.term, a.sense, &a.text)?;
        let keys = [a.term.as_str(), &a.sense.to_string(), &p.to_string()];
        Ok(((named(c, Kind::Example, &keys)?, p), vec![]))
    })?;
    added(&a.report, &entry, Some(p), in_pending(a.pending))
}

pub fn add_variant(ctx: &Globals, a: AddVariantArgs) -> anyhow::Result<()> {
    let (entry, p) = write_maybe_pending(ctx, a.pending, Kind::Term, &a.term, |c| {
        let (name, p) = edit::add_variant(c, &a.term, &a.variant, &a.kind, a.position)?;
        Ok(((named(c, Kind::Variant, &[&a.term, &name])?, p), vec![]))
    })?;
    let more = format!(" ({}){}", a.kind, in_pending(a.pending));
    added(&a.report, &entry, Some(p), &more)
}

pub fn add_relation(ctx: &Globals, a: AddRelationArgs) -> anyhow::Result<()> {
    let (entry, (p, gist)) = write_maybe_pending(ctx, a.pending, Kind::Term, &a.term, |c| {
        let p = edit::add_relation(
            c,
            &edit::NewRelation {
                term: &a.term,
                sense: a.sense,
                relation: &a.relation,
                target: &a.target,
                target_sense: a.target_sense,
                position: a.position,
            },
        )?;
        let entry = named(c, Kind::Relation, &[&a.term, &p.to_string()])?;
        let gist = edit::gist(c, &entry)?.unwrap_or_default();
        Ok(((entry, (p, gist)), vec![]))
    })?;
    let more = format!(" ({gist}){}", in_pending(a.pending));
    added(&a.report, &entry, Some(p), &more)
}

pub fn add_comparison(ctx: &Globals, a: AddComparisonArgs) -> anyhow::Result<()> {
    let entry = write(ctx, |c| {
        let slug = edit::add_comparison(
            c,
            &edit::NewComparison {
                slug: a.slug.as_deref(),
                left: &a.left,
                right: &a.right,
                title: a.title.as_deref(),
                summary: a.summary.as_deref(),
                published: a.published.as_deref(),
                status: status(a.publish),
            },
        )?;
        named(c, Kind::Comparison, &[&slug])
    })?;
    let more = format!(" ({})", status(a.publish));
    added(&a.report, &entry, None, &more)
}

pub fn add_difference(ctx: &Globals, a: AddDifferenceArgs) -> anyhow::Result<()> {
    let comparison = &a.comparison;
    let (entry, p) = write_maybe_pending(ctx, a.pending, Kind::Comparison, comparison, |c| {
        let p = edit::add_difference(c, comparison, &a.text, a.position)?;
        let entry = named(c, Kind::Difference, &[comparison, &p.to_string()])?;
        Ok(((entry, p), vec![]))
    })?;
    added(&a.report, &entry, Some(p), in_pending(a.pending))
}

pub fn add_row(ctx: &Globals, a: AddRowArgs) -> anyhow::Result<()> {
    let comparison = &a.comparison;
    let (entry, p) = write_maybe_pending(ctx, a.pending, Kind::Comparison, comparison, |c| {
        let p = edit::add_row(c, comparison, (&a.aspect, &a.left, &a.right), a.position)?;
        Ok(((named(c, Kind::Row, &[comparison, &a.aspect])?, p), vec![]))
    })?;
    let more = format!(" at position {p}{}", in_pending(a.pending));
    added(&a.report, &entry, Some(p), &more)
}

pub fn add_faq(ctx: &Globals, a: AddFaqArgs) -> anyhow::Result<()> {
    let question = ask(a.question, "question")?;
    let answer = ask(a.answer, "answer")?;
    let comparison = &a.comparison;
    let (entry, p) = write_maybe_pending(ctx, a.pending, Kind::Comparison, comparison, |c| {
        let p = edit::add_faq(c, comparison, &question, &answer, a.position)?;
        Ok((
            (named(c, Kind::Faq, &[comparison, &p.to_string()])?, p),
            vec![],
        ))
    })?;
    added(&a.report, &entry, Some(p), in_pending(a.pending))
}

/// A value given on the command line, or asked for on a terminal. Off a
/// terminal a missing one is a usage mistake (exit 2).
fn ask(given: Option<String>, what: &str) -> anyhow::Result<String> {
    if let Some(v) = given {
        return Ok(v);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(anyhow::anyhow!(Error::Usage(format!(
            "--{what} is required when not on a terminal"
        ))));
    }
    let mut label = what.to_string();
    label[..1].make_ascii_uppercase();
    eprint!("{label}: ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the answer")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
