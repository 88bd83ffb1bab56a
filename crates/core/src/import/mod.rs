//! `glossary import`: CSV files into the database, all or nothing.
//!
//! Files are read in dependency order (terms before the senses that name
//! them, comparisons before their FAQs) whatever order they are given in, and
//! streamed: one record in memory at a time, cached prepared statements, one
//! IMMEDIATE transaction for the whole run. Every row is upserted by its
//! natural key as soon as it is read, so a later file (or a later line) can
//! refer to it. A row that fails is reported as `FILE:LINE: message` and
//! reading goes on, so one run shows every problem (up to [`MAX_PROBLEMS`]);
//! if there was any, the transaction is rolled back and nothing is written.
//! A dry run does the same work and always rolls back.
//!
//! - this file: the entry point, finding the input files, the report;
//! - `run`: one run, reading each file and matching its header;
//! - `apply`: the row appliers, one per kind of entry;
//! - `positions`: rows moved aside by a reorder, and the gap check;
//! - `reader`: the hardened CSV reader (record cap, line numbers, messages).
//!
//! The files and their columns are the registry's ([`crate::kind`]), which
//! export writes too. The submodules share this file's imports.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::change::Actor;
use crate::error::{did_you_mean, Error, Problem, Result};
use crate::model::{
    check_date, check_slug, clean_term, parse_position, ComparisonId, Diff, Outcome, SenseId,
    Status, TermId, PARKED_OFFSET,
};
use crate::store::{
    self, chart_rows, comparisons, differences, examples, faqs, senses, terms, variants,
};
use crate::suggest;

/// Problems collected before the import stops reading.
pub const MAX_PROBLEMS: usize = 50;

use crate::kind::{Column, Kind};

/// Counts for one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Counts {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Inserted => self.inserted += 1,
            Outcome::Updated { .. } => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// What one import did (or, in a dry run, would do), per file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub dry_run: bool,
    pub files: Vec<FileReport>,
    /// The change the import was filed as (none for a dry run, or an
    /// import that changed nothing): what `revert` takes, so a script can
    /// undo the import it ran.
    pub change: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub file: String,
    pub table: &'static str,
    #[serde(flatten)]
    pub counts: Counts,
}

/// Receives what the import does as it goes; the command layer prints it.
/// The library itself never writes to the terminal.
pub trait Observer {
    /// A row was applied. `entry` names it for a person ("Producer, sense 2").
    fn row(&mut self, _file: &str, _line: u64, _entry: &str, _outcome: &Outcome) {}
    /// Bytes of input read so far, of `total`.
    fn progress(&mut self, _done: u64, _total: u64) {}
}

/// An observer that ignores everything.
pub struct Quiet;
impl Observer for Quiet {}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub dry_run: bool,
}

/// One input file and what it holds.
#[derive(Debug, Clone)]
struct Source {
    kind: Kind,
    path: PathBuf,
    /// How the file is named in messages: its name as given, relative
    /// when possible, so `seeds/senses.csv:14:` can be opened directly.
    display: String,
}

/// Imports the CSV files at `paths` (directories, or files named like the
/// tables) in one transaction.
pub fn import(
    conn: &mut Connection,
    actor: &Actor,
    paths: &[PathBuf],
    options: Options,
    observer: &mut dyn Observer,
) -> Result<Report> {
    let (sources, extras) = find_sources(paths)?;
    let total: u64 = sources
        .iter()
        .map(|s| std::fs::metadata(&s.path).map(|m| m.len()).unwrap_or(0))
        .sum();
    crate::db::tune(conn, crate::db::Tuning::Import)?;
    // Ctrl-C stops it between rows (and rolls it back) until it commits.
    let _watch = crate::interrupt::watch();
    let tx = crate::db::begin(conn)?;
    let deferral = crate::search::defer(&tx)?;
    // New rows get the next ids: what this import adds is, per table, the
    // ids above these (recorded as ranges, not row by row).
    let starts = crate::change::max_ids(&tx)?;
    let mut run = Run::new(&tx, observer, total);
    for table in crate::kind::tables() {
        if store::is_empty(&tx, table)? {
            run.empty_at_start.push(table);
        }
    }
    let mut report = Report {
        dry_run: options.dry_run,
        files: Vec::new(),
        change: None,
    };
    for source in &sources {
        let counts = run.file(source)?;
        report.files.push(FileReport {
            file: source.display.clone(),
            table: source.kind.table(),
            counts,
        });
        if run.full() {
            break;
        }
    }
    // After the content: redirects name its entries.
    for (extra, path, display) in &extras {
        let counts = extras::import(&tx, *extra, path, display, &mut run.problems, run.observer)?;
        report.files.push(FileReport {
            file: display.clone(),
            table: extra.table(),
            counts,
        });
    }
    run.check_parked()?;
    run.check_gaps()?;
    if !run.problems.is_empty() {
        let truncated = run.truncated;
        let problems = std::mem::take(&mut run.problems);
        drop(run);
        tx.rollback()?;
        return Err(Error::Import {
            problems,
            truncated,
        });
    }
    drop(run);
    if options.dry_run {
        tx.rollback()?;
    } else {
        crate::search::catch_up(&tx, &deferral)?;
        store::touch::owners_of_open_change(&tx, &starts)?;
        crate::interrupt::check()?;
        crate::change::record_ranges(&tx, &starts)?;
        report.change = crate::db::commit(tx, actor)?;
    }
    Ok(report)
}

/// Resolves directories and files to the inputs to read, in apply order.
/// A `.csv` file whose name is not one of ours is an error rather than
/// something silently skipped: it is usually a misspelt name.
/// The other files found among them ([`extras::Extra`]): which, their
/// path and how each is named in messages, in the order they are read.
type Extras = Vec<(extras::Extra, PathBuf, String)>;

fn find_sources(paths: &[PathBuf]) -> Result<(Vec<Source>, Extras)> {
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    let mut found_extras: Extras = Vec::new();
    let mut extra = |path: &Path, e: extras::Extra| {
        found_extras.retain(|(x, ..)| *x != e);
        found_extras.push((e, path.to_path_buf(), path.display().to_string()));
    };
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let mut found = 0;
            let mut names: Vec<PathBuf> = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                names.push(entry.path());
            }
            names.sort();
            for file in names {
                let is_csv = file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
                if !is_csv || !file.is_file() {
                    continue;
                }
                found += 1;
                if let Some(e) = extras::Extra::of(&file) {
                    extra(&file, e);
                    continue;
                }
                classify(&file, &mut sources, &mut problems);
            }
            if found == 0 {
                return Err(Error::Invalid(format!(
                    "{}: no CSV files here (expected some of: {})",
                    path.display(),
                    Kind::ALL.map(Kind::file_name).join(", ")
                )));
            }
        } else if let Some(e) = extras::Extra::of(path) {
            extra(path, e);
        } else {
            classify(path, &mut sources, &mut problems);
        }
    }
    if !problems.is_empty() {
        return Err(Error::Import {
            problems,
            truncated: false,
        });
    }
    sources.sort_by_key(|s| s.kind);
    found_extras.sort_by_key(|(e, ..)| extras::Extra::ALL.iter().position(|x| x == e));
    Ok((sources, found_extras))
}

fn classify(path: &Path, sources: &mut Vec<Source>, problems: &mut Vec<Problem>) {
    let display = path.display().to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match Kind::of_file(&name) {
        Some(kind) => sources.push(Source {
            kind,
            path: path.to_path_buf(),
            display,
        }),
        None => {
            let names = Kind::ALL
                .map(Kind::file_name)
                .into_iter()
                .chain(extras::Extra::ALL.map(extras::Extra::file_name));
            let suggestions = suggest::closest(&name, names, 1);
            problems.push(Problem {
                file: display,
                line: 0,
                message: format!(
                    "not a file glossary imports{}; the files are {}, {} (the site's settings) and {} (old addresses)",
                    did_you_mean(&suggestions),
                    Kind::ALL.map(Kind::file_name).join(", "),
                    crate::settings::FILE,
                    crate::redirects::FILE
                ),
            });
        }
    }
}

/// Why a row could not be applied: a problem with the row (reported, and
/// reading goes on) or an error that stops the import (I/O, a busy database).
enum Fail {
    Row(String),
    Fatal(Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        if e.is_about_input() {
            Fail::Row(e.to_string())
        } else {
            Fail::Fatal(e)
        }
    }
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        // A rule of the schema that the checks here did not anticipate
        // still concerns the row, not the run.
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
            let detail = match &e {
                rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
                other => other.to_string(),
            };
            Fail::Row(format!("the database refused this row: {detail}"))
        } else {
            Fail::Fatal(Error::from(e))
        }
    }
}

type RowResult = std::result::Result<(String, Outcome), Fail>;

mod apply;
mod extras;
mod links;
mod positions;
mod reader;
mod refused;
mod run;

use apply::*;
use positions::*;
use reader::*;
use run::*;
