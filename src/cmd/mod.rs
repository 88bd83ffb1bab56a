//! The command layer: runs one subcommand, prints its results. The only
//! place (with `output`) that writes to stdout and stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod add;
pub(crate) mod backup;
pub(crate) mod check;
pub(crate) mod docs;
pub(crate) mod edit;
pub(crate) mod export;
pub(crate) mod history;
pub(crate) mod import;
pub(crate) mod list;
pub(crate) mod pending;
pub(crate) mod publish;
pub(crate) mod query;
pub(crate) mod redirect;
pub(crate) mod remove;
pub(crate) mod render;
pub(crate) mod review;
pub(crate) mod schedule;
pub(crate) mod serve;
pub(crate) mod suggest;
pub(crate) mod user;

use std::path::Path;

use rusqlite::Connection;

use std::sync::atomic::{AtomicI8, Ordering};

use anyhow::Context;
use clap::Args;

use crate::output::{Format, TEXT_JSON};
use glossary_core::db::{self, Mode};
use glossary_core::model::{check_date, parse_position, Status};

// The values clap checks as it parses, so a bad one is a usage error
// (exit 2) with the rule in it; and the format flag of commands that
// change something.

/// `--position N`, a sense number: a whole number from 1 up, checked by
/// clap, so a bad one is a usage error (exit 2) with the rule in it.
pub(crate) fn position(s: &str) -> Result<i64, String> {
    parse_position("the position", s)
}

pub(crate) fn sense_number(s: &str) -> Result<i64, String> {
    parse_position("the sense number", s)
}

/// A `YYYY-MM-DD` calendar date.
pub(crate) fn date(s: &str) -> Result<String, String> {
    check_date(s.trim()).map(|()| s.trim().to_string())
}

/// `--set FIELD=VALUE`: the field and the value (which may hold `=`).
pub(crate) fn assignment(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((field, value)) => Ok((field.trim().to_string(), value.to_string())),
        None => Err(format!(
            "expected FIELD=VALUE, such as answer='Often, yes.', got \"{s}\""
        )),
    }
}

pub(crate) fn status(s: &str) -> Result<Status, String> {
    Status::parse(s)
}

/// How a command that changes something says what it did.
#[derive(Debug, Args)]
pub(crate) struct FormatFlag {
    /// text for people, or json for scripts (what was done, with the
    /// entry's name and number)
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub(crate) format: Format,
}

/// What every command runs with: the database, and who is acting (for
/// the changes it writes). Made once, from the global options.
pub(crate) struct Globals {
    pub(crate) db: std::path::PathBuf,
    pub(crate) actor: glossary_core::change::Actor,
}

impl Globals {
    pub(crate) fn db(&self) -> &Path {
        &self.db
    }
}

/// -1 with --quiet, else the number of -v: set once, before the command.
pub(crate) static VERBOSITY: AtomicI8 = AtomicI8::new(0);

pub(crate) fn quiet() -> bool {
    VERBOSITY.load(Ordering::Relaxed) < 0
}

pub(crate) fn verbose() -> bool {
    VERBOSITY.load(Ordering::Relaxed) > 0
}

/// A message for the person at the terminal (a summary, a note), on
/// stderr, unless --quiet.
macro_rules! note {
    ($($arg:tt)*) => {
        if !crate::cmd::quiet() {
            eprintln!($($arg)*);
        }
    };
}
pub(crate) use note;

/// The command as typed, for the history: without the program's path and
/// the options that say where and who (`--db`, `--author`), shell-quoted,
/// and cut short if long.
pub(crate) fn command_line() -> String {
    let mut words = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--db" || a == "--author" {
            args.next();
            continue;
        }
        if a.starts_with("--db=") || a.starts_with("--author=") {
            continue;
        }
        if matches!(a.as_str(), "-q" | "--quiet" | "-v" | "-vv" | "--verbose") {
            continue;
        }
        words.push(glossary_core::model::shell_word(&a));
    }
    let line = words.join(" ");
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// `1 file`, `7 files`: counts in messages read as English.
fn plural(n: impl TryInto<u64>, word: &str) -> String {
    match n.try_into().unwrap_or(u64::MAX) {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

/// What a command that changes something did: a line of text for people
/// (unless --quiet), or with `--format json` one JSON object for scripts,
/// which is data and printed whatever the verbosity.
/// What a build of a directory did: `wrote 3 articles and 2 terms to DIR
/// (4 of 5 files unchanged); deleted 1 file no longer published`.
fn built(report: &glossary_site::build::Written, what: &str, dir: &std::path::Path) -> String {
    format!(
        "wrote {what} to {}{}{}",
        dir.display(),
        match report.unchanged {
            0 => String::new(),
            n => format!(" ({n} of {} unchanged)", plural(report.files, "file")),
        },
        match report.deleted {
            0 => String::new(),
            n => format!("; deleted {} no longer published", plural(n, "file")),
        }
    )
}

fn done(format: Format, text: &str, json: serde_json::Value) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{json}"),
        _ if quiet() => Ok(()),
        _ => writeln!(out, "{text}"),
    }
    .context("writing what was done")
}

/// Opens the database and runs `work` as one write ([`db::write`]).
fn write<T>(
    ctx: &Globals,
    work: impl FnOnce(&Connection) -> glossary_core::error::Result<T>,
) -> anyhow::Result<T> {
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    Ok(db::write(&mut conn, &ctx.actor, |tx| work(tx))?)
}
