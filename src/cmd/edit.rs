//! `add-*`, `edit`, `remove`, `publish`, `unpublish`: one transaction each,
//! and a line on stdout saying what changed.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context};
use rusqlite::Connection;

use crate::cli::{
    AddComparisonArgs, AddDifferenceArgs, AddExampleArgs, AddFaqArgs, AddRowArgs, AddSenseArgs,
    AddTermArgs, EditArgs, PublishArgs, RemoveArgs, UnpublishArgs,
};
use crate::db::{self, Mode};
use crate::edit::{self, Entry, Kind};
use crate::editor;
use crate::error::Error;
use crate::model::{parse_position, Change, Status};
use crate::publication;

/// Opens the database and runs `work` as one write ([`db::write`]).
fn write<T>(
    db_path: &Path,
    work: impl FnOnce(&Connection) -> crate::error::Result<T>,
) -> anyhow::Result<T> {
    let mut conn = db::open(db_path, Mode::Existing)?;
    Ok(db::write(&mut conn, |tx| work(tx))?)
}

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

fn print_changes(label: &str, changes: &[Change]) {
    if changes.is_empty() {
        println!("no change to {label}");
        return;
    }
    println!("updated {label}");
    for c in changes {
        println!(
            "    {}: {} → {}",
            c.field,
            show(c.old.as_deref()),
            show(c.new.as_deref())
        );
    }
}

fn show(v: Option<&str>) -> String {
    v.map_or_else(|| "(empty)".to_string(), |s| format!("{s:?}"))
}

/// `FIELD=VALUE` into its parts.
fn assignment(s: &str) -> anyhow::Result<(String, String)> {
    match s.split_once('=') {
        Some((f, v)) => Ok((f.trim().to_string(), v.to_string())),
        None => Err(anyhow::anyhow!(Error::Invalid(format!(
            "--set needs FIELD=VALUE, got \"{s}\""
        )))),
    }
}

pub fn edit(db_path: &Path, a: EditArgs) -> anyhow::Result<()> {
    if let Some(path) = &a.file {
        return edit_from_file(db_path, a.kind, &a.keys, path);
    }
    if a.set.is_empty() {
        return edit_in_editor(db_path, a.kind, &a.keys);
    }
    let assignments = a
        .set
        .iter()
        .map(|s| assignment(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (label, changes) = write(db_path, |c| {
        let entry = edit::find(c, a.kind, &a.keys)?;
        let changes = edit::set(c, &entry, &assignments)?;
        Ok((entry.label, changes))
    })?;
    print_changes(&label, &changes);
    Ok(())
}

/// The `$EDITOR` round trip: the entry as a document, edited, validated and
/// applied; an invalid document goes back to the editor with the error on
/// top (on a terminal) or is kept in a file whose path is printed.
fn edit_in_editor(db_path: &Path, kind: Kind, keys: &[String]) -> anyhow::Result<()> {
    let mut conn = db::open(db_path, Mode::Existing)?;
    let (entry, values) = {
        let entry = edit::find(&conn, kind, keys)?;
        let values = edit::values(&conn, &entry)?;
        (entry, values)
    };
    let original = editor::render(&entry, &values);
    let mut text = original.clone();
    let interactive = std::io::stdin().is_terminal();
    // Keeps what the person typed, with how to apply it later.
    let keep = |file: editor::Draft, typed: &str| -> anyhow::Result<String> {
        let kept = file
            .keep_text(&editor::for_later(typed, &values))
            .context("keeping your text")?;
        Ok(format!(
            "your text is kept in {path}; apply it with `glossary edit {} --file {path}`",
            entry.label,
            path = kept.display()
        ))
    };
    loop {
        let file = editor::Draft::create(&text).context("writing the document to edit")?;
        let edited = match file.edit() {
            Ok(t) => t,
            Err(e) => {
                // Keep the file only if it holds something typed since.
                let now = file.text().unwrap_or_default();
                if now == text || now.trim().is_empty() {
                    drop(file);
                    return Err(e.into());
                }
                let kept = keep(file, &now)?;
                return Err(anyhow::anyhow!("{e}\n{kept}"));
            }
        };
        if editor::is_empty(&edited) {
            println!("empty document: no change to {}", entry.label);
            return Ok(());
        }
        if edited == original {
            println!("no change to {}", entry.label);
            return Ok(());
        }
        match apply_document(&mut conn, &entry, &values, &edited) {
            Ok(changes) => {
                print_changes(&entry.label, &changes);
                return Ok(());
            }
            Err(Error::Busy) => {
                let kept = keep(file, &edited)?;
                return Err(anyhow::anyhow!(Error::Busy)).context(kept);
            }
            Err(e) if interactive => {
                text = editor::with_error(&edited, &e.to_string());
            }
            Err(e) => {
                let kept = keep(file, &edited)?;
                bail!("{e}\nnothing was changed; {kept}");
            }
        }
    }
}

/// `edit KIND KEY --file PATH`: applies a document kept by an earlier
/// round trip (or written by hand in the same form). A kept document says
/// what it was shown, so only what was typed is applied; a hand-written one
/// sets every field it has.
fn edit_from_file(db_path: &Path, kind: Kind, keys: &[String], path: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if editor::is_empty(&text) {
        bail!("{} holds no fields: nothing to apply", path.display());
    }
    let mut conn = db::open(db_path, Mode::Existing)?;
    let entry = edit::find(&conn, kind, keys)?;
    let shown = match editor::shown(&text) {
        Some(pairs) => pairs
            .into_iter()
            .filter_map(|(name, v)| Some((kind.field(&name).ok()?, v)))
            .collect(),
        None => Vec::new(),
    };
    let changes = apply_document(&mut conn, &entry, &shown, &text)
        .with_context(|| format!("applying {}", path.display()))?;
    print_changes(&entry.label, &changes);
    Ok(())
}

fn apply_document(
    conn: &mut Connection,
    entry: &Entry,
    values: &[(&'static edit::Field, String)],
    text: &str,
) -> crate::error::Result<Vec<Change>> {
    let document = editor::parse(entry.kind, text)?;
    // Only what differs from what the editor was shown is set, so a field
    // changed by someone else meanwhile is not overwritten unawares.
    let assignments: Vec<(String, String)> = document
        .into_iter()
        .filter(|(name, value)| {
            values
                .iter()
                .find(|(f, _)| f.name == name)
                .is_none_or(|(_, old)| old != value)
        })
        .collect();
    db::write(conn, |tx| edit::set(tx, entry, &assignments))
}

/// Asks first and writes after: the question is put with no transaction
/// open, so other writers go on while a person reads it. The write then
/// checks that the entry and what goes with it are still what was shown.
pub fn remove(db_path: &Path, a: RemoveArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let entry = edit::find(&conn, a.kind, &a.keys)?;
    let cascade = edit::cascade(&conn, &entry)?;
    let what = edit::gist(&conn, &entry)?
        .map(|g| format!(" ({g})"))
        .unwrap_or_default();
    drop(conn);
    let with = if cascade.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = cascade
            .iter()
            .map(|(table, n)| format!("{n} {}", table.replace('_', " ")))
            .collect();
        format!(", with {}", parts.join(", "))
    };
    if !a.yes {
        if !std::io::stdin().is_terminal() {
            return Err(anyhow::anyhow!(Error::Invalid(format!(
                "this would remove {}{what}{with}; add --yes to confirm (not on a terminal, so not asking)",
                entry.label
            ))));
        }
        eprint!("Remove {}{what}{with}? [y/N] ", entry.label);
        std::io::stderr().flush().ok();
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the answer")?;
        if !matches!(line.trim(), "y" | "Y" | "yes" | "Yes") {
            println!("nothing removed");
            return Ok(());
        }
    }
    write(db_path, |tx| {
        let now = edit::find(tx, a.kind, &a.keys)?;
        if now.id != entry.id || edit::cascade(tx, &now)? != cascade {
            return Err(Error::Invalid(format!(
                "{} changed while you were asked (someone else edited it); nothing was removed: run the command again to see it as it is now",
                entry.label
            )));
        }
        edit::remove(tx, &now)
    })?;
    println!("removed {}{with}", entry.label);
    Ok(())
}

pub fn publish(db_path: &Path, a: PublishArgs) -> anyhow::Result<()> {
    let options = publication::Options {
        with_terms: a.with_terms,
        force: a.force,
        ..Default::default()
    };
    set_status(db_path, a.term, a.comparison, Status::Published, options)
}

pub fn unpublish(db_path: &Path, a: UnpublishArgs) -> anyhow::Result<()> {
    let options = publication::Options {
        with_comparisons: a.with_comparisons,
        ..Default::default()
    };
    set_status(db_path, a.term, a.comparison, Status::Draft, options)
}

fn set_status(
    db_path: &Path,
    term: Option<String>,
    comparison: Option<String>,
    to: Status,
    options: publication::Options,
) -> anyhow::Result<()> {
    let (kind, key) = match (term, comparison) {
        (Some(t), _) => (Kind::Term, t),
        (None, Some(c)) => (Kind::Comparison, c),
        (None, None) => bail!("name a comparison, or a term with --term"),
    };
    let (label, changes) = write(db_path, |c| {
        let entry = edit::find(c, kind, &[key])?;
        let changes = edit::set_with(c, &entry, &[("status".into(), to.as_str().into())], options)?;
        Ok((entry.label, changes))
    })?;
    if changes.is_empty() {
        println!("{label} is already {to}");
    } else {
        println!("{label} is now {to}");
    }
    Ok(())
}
