//! `add-term`, `add-sense`, `add-example`, `add-comparison`, `add-difference`,
//! `add-row`, `add-faq`: one transaction each, and a line saying what was added.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;

use super::write;
use crate::cli::{
    AddComparisonArgs, AddDifferenceArgs, AddExampleArgs, AddFaqArgs, AddRowArgs, AddSenseArgs,
    AddTermArgs,
};
use crate::edit::{self};
use crate::error::Error;
use crate::model::{parse_position, Status};

fn position(arg: &Option<String>) -> anyhow::Result<Option<i64>> {
    arg.as_deref()
        .map(|p| parse_position("--position", p).map_err(|m| anyhow::anyhow!(Error::Invalid(m))))
        .transpose()
}

fn status(publish: bool) -> Status {
    if publish {
        Status::Published
    } else {
        Status::Draft
    }
}

pub fn add_term(db_path: &Path, a: AddTermArgs) -> anyhow::Result<()> {
    let message = write(db_path, |c| {
        edit::add_term(
            c,
            &edit::NewTerm {
                term: &a.term,
                part_of_speech: a.part_of_speech.as_deref(),
                note: a.note.as_deref(),
                status: status(a.publish),
            },
        )
    })?;
    println!("{message}");
    Ok(())
}

pub fn add_sense(db_path: &Path, a: AddSenseArgs) -> anyhow::Result<()> {
    let n = write(db_path, |c| {
        edit::add_sense(c, &a.term, &a.definition, a.domain.as_deref(), &a.example)
    })?;
    println!("added sense {n} to \"{}\"", a.term.trim());
    Ok(())
}

pub fn add_example(db_path: &Path, a: AddExampleArgs) -> anyhow::Result<()> {
    let sense = parse_position("sense", &a.sense).map_err(Error::Invalid)?;
    let p = write(db_path, |c| edit::add_example(c, &a.term, sense, &a.text))?;
    println!("added example {p} to \"{}\" sense {sense}", a.term.trim());
    Ok(())
}

pub fn add_comparison(db_path: &Path, a: AddComparisonArgs) -> anyhow::Result<()> {
    let slug = write(db_path, |c| {
        edit::add_comparison(
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
        )
    })?;
    println!("added comparison {slug} ({})", status(a.publish));
    Ok(())
}

pub fn add_difference(db_path: &Path, a: AddDifferenceArgs) -> anyhow::Result<()> {
    let at = position(&a.position)?;
    let p = write(db_path, |c| {
        edit::add_difference(c, &a.comparison, &a.text, at)
    })?;
    println!("added difference {p} to {}", a.comparison.trim());
    Ok(())
}

pub fn add_row(db_path: &Path, a: AddRowArgs) -> anyhow::Result<()> {
    let at = position(&a.position)?;
    let p = write(db_path, |c| {
        edit::add_row(c, &a.comparison, (&a.aspect, &a.left, &a.right), at)
    })?;
    println!(
        "added chart row {p} (\"{}\") to {}",
        a.aspect,
        a.comparison.trim()
    );
    Ok(())
}

pub fn add_faq(db_path: &Path, a: AddFaqArgs) -> anyhow::Result<()> {
    let at = position(&a.position)?;
    let question = ask(a.question, "Question")?;
    let answer = ask(a.answer, "Answer")?;
    let p = write(db_path, |c| {
        edit::add_faq(c, &a.comparison, &question, &answer, at)
    })?;
    println!("added FAQ {p} to {}", a.comparison.trim());
    Ok(())
}

/// A value given on the command line, or asked for on a terminal.
fn ask(given: Option<String>, what: &str) -> anyhow::Result<String> {
    if let Some(v) = given {
        return Ok(v);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(anyhow::anyhow!(Error::Invalid(format!(
            "--{} is required when not on a terminal",
            what.to_ascii_lowercase()
        ))));
    }
    eprint!("{what}: ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the answer")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
