//! The command layer: runs one subcommand, prints its results. The only
//! place (with `output`) that writes to stdout and stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod add;
mod backup;
mod check;
mod docs;
mod edit;
mod export;
mod history;
mod import;
mod list;
mod publish;
mod query;
mod remove;
mod render;
mod review;
mod serve;
mod user;

use std::path::Path;

use rusqlite::Connection;

use std::sync::atomic::{AtomicI8, Ordering};

use anyhow::Context;

use crate::cli::{Cli, Command};
use crate::output::Format;
use glossary_core::db::{self, Mode};

/// -1 with --quiet, else the number of -v: set once, before the command.
static VERBOSITY: AtomicI8 = AtomicI8::new(0);

fn quiet() -> bool {
    VERBOSITY.load(Ordering::Relaxed) < 0
}

fn verbose() -> bool {
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
fn command_line() -> String {
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
fn built(report: &glossary_site::build::SiteReport, what: &str, dir: &std::path::Path) -> String {
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

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let level = if cli.quiet {
        -1
    } else {
        i8::try_from(cli.verbose).unwrap_or(i8::MAX)
    };
    VERBOSITY.store(level, Ordering::Relaxed);
    glossary_core::change::set_actor(glossary_core::change::Actor {
        author: cli.author.clone(),
        command: command_line(),
    });
    let db_path = cli.db.unwrap_or_else(db::default_path);
    if !matches!(cli.command, Command::Serve(_)) {
        // serve stops on Ctrl-C itself, letting requests finish.
        glossary_core::interrupt::install();
    }
    let result = dispatch(&db_path, cli.command);
    if result.is_ok() && glossary_core::interrupt::ignored() {
        note!("note: Ctrl-C came after the change was committed: it is complete");
    }
    if let Some(notice) = db::take_notice() {
        note!("note: {notice}");
    }
    result
}

fn dispatch(db_path: &std::path::Path, command: Command) -> anyhow::Result<()> {
    let db_path = db_path.to_path_buf();
    match command {
        Command::Init(a) => import::init(&db_path, a),
        Command::Completions(a) => docs::completions(a),
        Command::Man(a) => docs::man(a),
        Command::Import(args) => import::run(&db_path, args),
        Command::Query(args) => query::run(&db_path, args),
        Command::AddTerm(a) => add::add_term(&db_path, a),
        Command::AddSense(a) => add::add_sense(&db_path, a),
        Command::AddExample(a) => add::add_example(&db_path, a),
        Command::AddComparison(a) => add::add_comparison(&db_path, a),
        Command::AddDifference(a) => add::add_difference(&db_path, a),
        Command::AddRow(a) => add::add_row(&db_path, a),
        Command::AddFaq(a) => add::add_faq(&db_path, a),
        Command::Edit(a) => edit::edit(&db_path, a),
        Command::Remove(a) => remove::remove(&db_path, a),
        Command::Publish(a) => publish::publish(&db_path, a),
        Command::Unpublish(a) => publish::unpublish(&db_path, a),
        Command::Check(a) => check::check(&db_path, a),
        Command::History(a) => history::history(&db_path, a),
        Command::Revert(a) => history::revert(&db_path, a),
        Command::List(a) => list::list(&db_path, a),
        Command::Stats(a) => list::stats(&db_path, a),
        Command::Export(a) => export::export(&db_path, a),
        Command::Render(a) => render::render(&db_path, a),
        Command::Backup(a) => backup::backup(&db_path, a),
        Command::Serve(a) => serve::serve(&db_path, a),
        Command::Theme(a) => render::theme(a),
        Command::Site(a) => render::site_settings(&db_path, a),
        Command::User(a) => user::user(&db_path, a),
        Command::Review(a) => review::review(&db_path, a),
    }
}

/// Opens the database and runs `work` as one write ([`db::write`]).
fn write<T>(
    db_path: &Path,
    work: impl FnOnce(&Connection) -> glossary_core::error::Result<T>,
) -> anyhow::Result<T> {
    let mut conn = db::open(db_path, Mode::Existing)?;
    Ok(db::write(&mut conn, |tx| work(tx))?)
}
