//! `add-term`, `add-sense`, `add-example`, `add-comparison`, `add-difference`,
//! `add-row`, `add-faq`: one transaction each, and what was added, named
//! as `edit` takes it (`added faq producer-vs-executive-producer 21`).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use serde_json::json;

use super::{done, write};
use crate::cli::{
    AddComparisonArgs, AddDifferenceArgs, AddExampleArgs, AddFaqArgs, AddRowArgs, AddSenseArgs,
    AddTermArgs, Report,
};
use glossary_core::edit::{self, Entry, Kind};
use glossary_core::error::Error;
use glossary_core::model::Status;

fn status(publish: bool) -> Status {
    if publish {
        Status::Published
    } else {
        Status::Draft
    }
}

/// Says what was added: `added sense "Director" 2`, or as JSON the kind,
/// the entry's name and its number (what a script adds next to).
fn added(report: &Report, entry: &Entry, number: Option<i64>, more: &str) -> anyhow::Result<()> {
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

pub fn add_term(db_path: &Path, a: AddTermArgs) -> anyhow::Result<()> {
    let entry = write(db_path, |c| {
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

pub fn add_sense(db_path: &Path, a: AddSenseArgs) -> anyhow::Result<()> {
    let (entry, n) = write(db_path, |c| {
        let n = edit::add_sense(c, &a.term, &a.definition, a.domain.as_deref(), &a.example)?;
        Ok((named(c, Kind::Sense, &[&a.term, &n.to_string()])?, n))
    })?;
    added(&a.report, &entry, Some(n), "")
}

pub fn add_example(db_path: &Path, a: AddExampleArgs) -> anyhow::Result<()> {
    let (entry, p) = write(db_path, |c| {
        let p = edit::add_example(c, &a.term, a.sense, &a.text)?;
        let keys = [a.term.as_str(), &a.sense.to_string(), &p.to_string()];
        Ok((named(c, Kind::Example, &keys)?, p))
    })?;
    added(&a.report, &entry, Some(p), "")
}

pub fn add_comparison(db_path: &Path, a: AddComparisonArgs) -> anyhow::Result<()> {
    let entry = write(db_path, |c| {
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

pub fn add_difference(db_path: &Path, a: AddDifferenceArgs) -> anyhow::Result<()> {
    let (entry, p) = write(db_path, |c| {
        let p = edit::add_difference(c, &a.comparison, &a.text, a.position)?;
        Ok((
            named(c, Kind::Difference, &[&a.comparison, &p.to_string()])?,
            p,
        ))
    })?;
    added(&a.report, &entry, Some(p), "")
}

pub fn add_row(db_path: &Path, a: AddRowArgs) -> anyhow::Result<()> {
    let (entry, p) = write(db_path, |c| {
        let p = edit::add_row(c, &a.comparison, (&a.aspect, &a.left, &a.right), a.position)?;
        Ok((named(c, Kind::Row, &[&a.comparison, &a.aspect])?, p))
    })?;
    added(&a.report, &entry, Some(p), &format!(" at position {p}"))
}

pub fn add_faq(db_path: &Path, a: AddFaqArgs) -> anyhow::Result<()> {
    let question = ask(a.question, "question")?;
    let answer = ask(a.answer, "answer")?;
    let (entry, p) = write(db_path, |c| {
        let p = edit::add_faq(c, &a.comparison, &question, &answer, a.position)?;
        Ok((named(c, Kind::Faq, &[&a.comparison, &p.to_string()])?, p))
    })?;
    added(&a.report, &entry, Some(p), "")
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
