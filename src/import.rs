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

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::error::{did_you_mean, Error, Problem, Result};
use crate::model::{
    check_date, check_slug, clean_term, parse_position, ComparisonId, Diff, Outcome, SenseId,
    Status, TermId, PARKED_OFFSET,
};
use crate::store::{self, comparisons, differences, examples, faqs, rows, senses, terms};
use crate::suggest;

/// Problems collected before the import stops reading.
pub const MAX_PROBLEMS: usize = 50;

/// SQLite's page cache for an import, in KiB. With the default 2 MB, a large
/// transaction spills dirty pages to the WAL again and again; a fixed
/// larger cache keeps the working set of the indexes in memory. It bounds
/// memory by itself, whatever the size of the input.
const IMPORT_CACHE_KIB: i64 = 128 * 1024;

pub use crate::kind::{Column, Kind};

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
    paths: &[PathBuf],
    options: Options,
    observer: &mut dyn Observer,
) -> Result<Report> {
    let sources = find_sources(paths)?;
    let total: u64 = sources
        .iter()
        .map(|s| std::fs::metadata(&s.path).map(|m| m.len()).unwrap_or(0))
        .sum();
    conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let deferral = crate::search::defer(&tx)?;
    let mut run = Run::new(&tx, observer, total);
    for table in crate::kind::tables() {
        let empty: bool = tx.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
            [],
            |r| r.get(0),
        )?;
        if empty {
            run.empty_at_start.push(table);
        }
    }
    let mut report = Report {
        dry_run: options.dry_run,
        files: Vec::new(),
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
        tx.commit()?;
    }
    Ok(report)
}

/// Resolves directories and files to the inputs to read, in apply order.
/// A `.csv` file whose name is not one of ours is an error rather than
/// something silently skipped: it is usually a misspelt name.
fn find_sources(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    let mut problems = Vec::new();
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
                classify(&file, &mut sources, &mut problems);
            }
            if found == 0 {
                return Err(Error::Invalid(format!(
                    "{}: no CSV files here (expected some of: {})",
                    path.display(),
                    Kind::ALL.map(Kind::file_name).join(", ")
                )));
            }
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
    Ok(sources)
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
            let suggestions = suggest::closest(&name, Kind::ALL.map(Kind::file_name), 1);
            problems.push(Problem {
                file: display,
                line: 0,
                message: format!(
                    "not a file glossary imports{}; the files are {}",
                    did_you_mean(&suggestions),
                    Kind::ALL.map(Kind::file_name).join(", ")
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
        Fail::Fatal(e)
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

/// The set of row ids one import has written or confirmed, per table: a
/// second line with the same natural key is then an error instead of a
/// silent overwrite. One bit per row id, in 4096-id pages allocated on use,
/// so it stays small however large the input (100 M rows: 12 MB).
#[derive(Default)]
struct IdSet {
    pages: HashMap<i64, Box<[u64; 64]>>,
}

impl IdSet {
    /// Adds `id`; false if it was there already.
    fn insert(&mut self, id: i64) -> bool {
        let page = self
            .pages
            .entry(id.div_euclid(4096))
            .or_insert_with(|| Box::new([0; 64]));
        let bit = id.rem_euclid(4096) as usize;
        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
        let fresh = page[word] & mask == 0;
        page[word] |= mask;
        fresh
    }

    /// The ids in the set, in no particular order.
    fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        self.pages.iter().flat_map(|(page, words)| {
            words.iter().enumerate().flat_map(move |(w, bits)| {
                (0..64)
                    .filter(move |b| bits & (1u64 << b) != 0)
                    .map(move |b| page * 4096 + (w as i64) * 64 + b)
            })
        })
    }

    fn contains(&self, id: i64) -> bool {
        let bit = id.rem_euclid(4096) as usize;
        self.pages
            .get(&id.div_euclid(4096))
            .is_some_and(|p| p[bit / 64] & (1u64 << (bit % 64)) != 0)
    }
}

/// The parents (articles, terms) under which an import set positions, for
/// one table, and the file that set them: one bit per parent, so memory
/// stays small however many there are.
struct Placed {
    parents: IdSet,
    file: String,
    path: PathBuf,
    /// The column of that file naming the parent.
    column: &'static str,
}

/// A row moved aside by a later line that took its position.
struct Parked {
    table: store::Positioned,
    file: String,
    line: u64,
    id: i64,
}

/// The state of one import run.
struct Run<'a> {
    conn: &'a Connection,
    observer: &'a mut dyn Observer,
    problems: Vec<Problem>,
    truncated: bool,
    seen: HashMap<&'static str, IdSet>,
    parked: Vec<Parked>,
    /// The last name resolved, per kind of reference: input is usually
    /// grouped by term or comparison, so most look-ups hit this.
    last_term: Option<(String, TermId)>,
    last_sense: Option<(TermId, i64, SenseId)>,
    last_comparison: Option<(String, ComparisonId)>,
    bytes_done: u64,
    bytes_total: u64,
    /// The file and line being applied, for problems found later about it.
    at_file: String,
    at_path: PathBuf,
    at_line: u64,
    /// Parents whose positions this import set, with the first line that
    /// did: their positions must run 1, 2, 3... when the import ends. One
    /// entry per article or term touched, not per row.
    placed: HashMap<&'static str, Placed>,
    /// The tables that had no rows when the import began.
    empty_at_start: Vec<&'static str>,
    /// The tables with a row this import refused. Their positions are not
    /// checked for gaps: a refused row leaves one that is not a problem of
    /// its own, and reporting it would say the same thing twice.
    refused: Vec<&'static str>,
}

/// A record read by serde, every column as text (blank optional fields as
/// None) so that bad numbers and dates get our messages, not serde's.
#[derive(Deserialize)]
struct TermRecord {
    term: String,
    part_of_speech: Option<String>,
    note: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct SenseRecord {
    term: String,
    sense: String,
    domain: Option<String>,
    definition: String,
}

#[derive(Deserialize)]
struct ExampleRecord {
    term: String,
    sense: String,
    example: String,
}

#[derive(Deserialize)]
struct ComparisonRecord {
    comparison: String,
    left: String,
    right: String,
    title: Option<String>,
    summary: Option<String>,
    published: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct DifferenceRecord {
    comparison: String,
    position: String,
    text: String,
}

#[derive(Deserialize)]
struct ChartRowRecord {
    comparison: String,
    position: String,
    aspect: String,
    left: String,
    right: String,
}

#[derive(Deserialize)]
struct FaqRecord {
    comparison: String,
    position: String,
    question: String,
    answer: String,
}

/// Which optional columns a file has: an absent column leaves stored values
/// alone, while a present but empty cell clears them.
struct Present(Vec<&'static str>);

impl Present {
    fn has(&self, column: &str) -> bool {
        self.0.contains(&column)
    }

    /// The value to store: the cell if the column is there, else the old one.
    fn pick(&self, column: &str, cell: Option<String>, old: Option<&String>) -> Option<String> {
        if self.has(column) {
            cell
        } else {
            old.cloned()
        }
    }
}

/// The status to store: the cell's if the column is there and filled, else
/// the stored one, else a draft.
fn parse_status(
    present: &Present,
    cell: Option<String>,
    old: Option<Status>,
) -> std::result::Result<Status, Fail> {
    match blank_to_none(cell) {
        Some(s) if present.has("status") => Status::parse(&s).map_err(Fail::Row),
        _ => Ok(old.unwrap_or_default()),
    }
}

/// A blank optional cell means "no value".
fn blank_to_none(cell: Option<String>) -> Option<String> {
    cell.filter(|s| !s.trim().is_empty())
}

fn required(field: &str, value: &str) -> std::result::Result<(), Fail> {
    if value.trim().is_empty() {
        Err(Fail::Row(format!("{field} is empty")))
    } else {
        Ok(())
    }
}

impl<'a> Run<'a> {
    fn new(conn: &'a Connection, observer: &'a mut dyn Observer, bytes_total: u64) -> Self {
        Run {
            conn,
            observer,
            problems: Vec::new(),
            truncated: false,
            seen: HashMap::new(),
            parked: Vec::new(),
            last_term: None,
            last_sense: None,
            last_comparison: None,
            bytes_done: 0,
            bytes_total,
            at_file: String::new(),
            at_path: PathBuf::new(),
            at_line: 0,
            placed: HashMap::new(),
            empty_at_start: Vec::new(),
            refused: Vec::new(),
        }
    }

    fn full(&self) -> bool {
        self.truncated
    }

    fn problem(&mut self, file: &str, line: u64, message: String) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.truncated = true;
        } else {
            self.problems.push(Problem {
                file: file.to_string(),
                line,
                message,
            });
        }
    }

    /// Reads one file and applies each of its rows.
    fn file(&mut self, source: &Source) -> Result<Counts> {
        let before = self.problems.len();
        let counts = self.rows(source);
        if self.problems.len() > before || self.truncated {
            self.refused.push(source.kind.table());
        }
        counts
    }

    fn rows(&mut self, source: &Source) -> Result<Counts> {
        let file = File::open(&source.path).map_err(|e| Error::Io {
            path: source.path.clone(),
            source: e,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(Limited::new(file));
        let name = source.display.as_str();
        self.at_file = source.display.clone();
        self.at_path = source.path.clone();
        let mut counts = Counts::default();

        let mut record = csv::StringRecord::new();
        let header_ok = match reader.read_record(&mut record) {
            Ok(true) => true,
            Ok(false) => {
                self.problem(name, 1, "the file is empty; it needs a header row".into());
                false
            }
            Err(e) => {
                let line = Limited::line_of(&mut reader, e.position()).max(1);
                let line = too_long_line(&e, &reader).unwrap_or(line);
                self.problem(name, line, csv_message(&e, None));
                false
            }
        };
        if !header_ok {
            return Ok(counts);
        }
        let Some((headers, present)) = self.check_header(source.kind, name, &record) else {
            return Ok(counts);
        };

        let start_bytes = self.bytes_done;
        let mut since_progress = 0u32;
        // The line of the last record if its last value spans lines: the
        // sign of a quote never closed, which the CSV reader takes to run
        // to the end of the file.
        let mut open_quote_suspect: Option<u64> = None;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => {
                    if let Some(line) = open_quote_suspect {
                        if !ends_with_quote(&source.path) {
                            self.problem(
                                name,
                                line,
                                "a quoted value on this line is never closed (it runs to the end of the file)".into(),
                            );
                        }
                    }
                    break;
                }
                Ok(true) => {}
                Err(e) => {
                    let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                    let line = Limited::line_of(&mut reader, e.position());
                    let line = too_long_line(&e, &reader).unwrap_or(line);
                    self.problem(name, line, csv_message(&e, Some(&headers)));
                    if fatal || self.full() {
                        break;
                    }
                    continue;
                }
            }
            let line = Limited::line_of(&mut reader, record.position());
            if record.len() != headers.len() {
                if record.len() == 1 && record.get(0) == Some("") {
                    continue; // a blank line
                }
                let hint = if record.iter().any(|f| f.contains('\n')) {
                    "a quote that is never closed takes in the lines after it"
                } else {
                    "a missing comma, or an unquoted comma in a value?"
                };
                self.problem(
                    name,
                    line,
                    format!(
                        "this row has {} fields but the header has {} ({hint})",
                        record.len(),
                        headers.len()
                    ),
                );
                if self.full() {
                    break;
                }
                continue;
            }
            self.at_line = line;
            open_quote_suspect = record
                .iter()
                .next_back()
                .filter(|f| f.contains('\n'))
                .map(|_| line);
            let applied = self.apply(source.kind, &present, &headers, &record);
            match applied {
                Ok((entry, outcome)) => {
                    counts.add(&outcome);
                    self.observer.row(name, line, &entry, &outcome);
                }
                Err(Fail::Row(message)) => {
                    self.problem(name, line, message);
                    if self.full() {
                        break;
                    }
                }
                Err(Fail::Fatal(e)) => return Err(e),
            }
            since_progress += 1;
            if since_progress == 512 {
                since_progress = 0;
                self.bytes_done = start_bytes + record.position().map_or(0, |p| p.byte());
                self.observer.progress(self.bytes_done, self.bytes_total);
            }
        }
        self.bytes_done = start_bytes + std::fs::metadata(&source.path).map_or(0, |m| m.len());
        self.observer.progress(self.bytes_done, self.bytes_total);
        Ok(counts)
    }

    /// Matches the header to the file's columns (by name, in any order,
    /// ignoring case and surrounding spaces). Returns the normalised header
    /// for serde and the optional columns present.
    fn check_header(
        &mut self,
        kind: Kind,
        name: &str,
        header: &csv::StringRecord,
    ) -> Option<(csv::StringRecord, Present)> {
        let columns = kind.columns();
        let normalised: csv::StringRecord = header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let mut ok = true;
        let mut seen: Vec<&str> = Vec::new();
        for h in normalised.iter() {
            if !columns.iter().any(|c| c.name == h) {
                let suggestions = suggest::closest(h, columns.iter().map(|c| c.name), 1);
                let message = if h.is_empty() {
                    "the header has an empty column name".to_string()
                } else {
                    format!(
                        "unknown column \"{h}\"{}; the columns of {} are {}",
                        did_you_mean(&suggestions),
                        kind.file_name(),
                        columns
                            .iter()
                            .map(|c| c.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                self.problem(name, 1, message);
                ok = false;
            } else if seen.contains(&h) {
                self.problem(name, 1, format!("column \"{h}\" appears twice"));
                ok = false;
            } else {
                seen.push(h);
            }
        }
        for c in columns.iter().filter(|c| c.required) {
            if !seen.contains(&c.name) {
                self.problem(name, 1, format!("missing required column \"{}\"", c.name));
                ok = false;
            }
        }
        let present = Present(
            columns
                .iter()
                .filter(|c| seen.contains(&c.name))
                .map(|c| c.name)
                .collect(),
        );
        ok.then_some((normalised, present))
    }

    fn apply(
        &mut self,
        kind: Kind,
        present: &Present,
        headers: &csv::StringRecord,
        record: &csv::StringRecord,
    ) -> RowResult {
        fn de<T: serde::de::DeserializeOwned>(
            record: &csv::StringRecord,
            headers: &csv::StringRecord,
        ) -> std::result::Result<T, Fail> {
            record
                .deserialize(Some(headers))
                .map_err(|e| Fail::Row(csv_message(&e, Some(headers))))
        }
        if memchr::memchr(0, record.as_byte_record().as_slice()).is_some() {
            let column = record
                .iter()
                .position(|f| f.contains('\0'))
                .and_then(|i| headers.get(i))
                .unwrap_or("?");
            return Err(Fail::Row(format!(
                "column \"{column}\" contains a NUL character (byte 0), which text may not hold"
            )));
        }
        match kind {
            Kind::Term => self.term(present, de(record, headers)?),
            Kind::Sense => self.sense(present, de(record, headers)?),
            Kind::Example => self.example(de(record, headers)?),
            Kind::Comparison => self.comparison(present, de(record, headers)?),
            Kind::Difference => self.difference(de(record, headers)?),
            Kind::Row => self.chart_row(de(record, headers)?),
            Kind::Faq => self.faq(de(record, headers)?),
        }
    }

    /// Marks a row as written by this import; a second line with the same
    /// key is refused.
    fn first_time(
        &mut self,
        table: &'static str,
        id: i64,
        key: &str,
    ) -> std::result::Result<(), Fail> {
        if self.seen.entry(table).or_default().insert(id) {
            Ok(())
        } else {
            Err(Fail::Row(format!(
                "{key} appears on an earlier line of this import; each must appear once"
            )))
        }
    }

    fn term(&mut self, present: &Present, r: TermRecord) -> RowResult {
        required("term", &r.term)?;
        let name = clean_term(&r.term);
        let old = self.unless_new("terms", || terms::find(self.conn, name))?;
        let status = parse_status(present, r.status, old.as_ref().map(|t| t.status))?;
        let new = terms::Term {
            id: old.as_ref().map_or(TermId(0), |t| t.id),
            term: name.to_string(),
            part_of_speech: present.pick(
                "part_of_speech",
                blank_to_none(r.part_of_speech),
                old.as_ref().and_then(|t| t.part_of_speech.as_ref()),
            ),
            note: present.pick(
                "note",
                blank_to_none(r.note),
                old.as_ref().and_then(|t| t.note.as_ref()),
            ),
            status,
        };
        let outcome = match &old {
            None => Outcome::Inserted,
            Some(t) => {
                let mut d = Diff::default();
                d.field("term", Some(&t.term), Some(&new.term));
                d.field(
                    "part_of_speech",
                    t.part_of_speech.as_ref(),
                    new.part_of_speech.as_ref(),
                );
                d.field("note", t.note.as_ref(), new.note.as_ref());
                d.field("status", Some(t.status), Some(new.status));
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some(t), Outcome::Unchanged) => t.id,
            _ => terms::upsert(self.conn, &new)?,
        };
        self.first_time("terms", id.0, &format!("term \"{name}\""))?;
        self.last_term = Some((name.to_string(), id));
        Ok((name.to_string(), outcome))
    }

    fn resolve_term(&mut self, name: &str) -> std::result::Result<TermId, Fail> {
        let name = clean_term(name);
        if let Some((last, id)) = &self.last_term {
            if last == name {
                return Ok(*id);
            }
        }
        match terms::find_id(self.conn, name)? {
            Some(id) => {
                self.last_term = Some((name.to_string(), id));
                Ok(id)
            }
            None => {
                let suggestions = terms::closest(self.conn, name, 3)?;
                Err(Fail::Row(format!(
                    "unknown term \"{name}\"{}",
                    did_you_mean(&suggestions)
                )))
            }
        }
    }

    fn resolve_sense(&mut self, term: &str, number: i64) -> std::result::Result<SenseId, Fail> {
        let term_id = self.resolve_term(term)?;
        if let Some((t, n, id)) = self.last_sense {
            if t == term_id && n == number {
                return Ok(id);
            }
        }
        match senses::find(self.conn, term_id, number)? {
            Some(s) => {
                self.last_sense = Some((term_id, number, s.id));
                Ok(s.id)
            }
            None => {
                let numbers = senses::numbers(self.conn, term_id)?;
                let has = match numbers.as_slice() {
                    [] => "it has no senses yet".to_string(),
                    [one] => format!("it has sense {one}"),
                    [first, .., last] => format!("it has senses {first}–{last}"),
                };
                Err(Fail::Row(format!(
                    "term \"{}\" has no sense {number} ({has})",
                    clean_term(term)
                )))
            }
        }
    }

    fn resolve_comparison(&mut self, slug: &str) -> std::result::Result<ComparisonId, Fail> {
        let slug = slug.trim();
        if let Some((last, id)) = &self.last_comparison {
            if last == slug {
                return Ok(*id);
            }
        }
        match comparisons::find_id(self.conn, slug)? {
            Some(id) => {
                self.last_comparison = Some((slug.to_string(), id));
                Ok(id)
            }
            None => {
                let suggestions = comparisons::closest(self.conn, slug, 3)?;
                Err(Fail::Row(format!(
                    "unknown comparison \"{slug}\"{}",
                    did_you_mean(&suggestions)
                )))
            }
        }
    }

    fn sense(&mut self, present: &Present, r: SenseRecord) -> RowResult {
        required("term", &r.term)?;
        required("definition", &r.definition)?;
        let number = parse_position("sense", &r.sense).map_err(Fail::Row)?;
        let term_id = self.resolve_term(&r.term)?;
        let old = self.unless_new("senses", || senses::find(self.conn, term_id, number))?;
        let domain = present.pick(
            "domain",
            blank_to_none(r.domain),
            old.as_ref().and_then(|s| s.domain.as_ref()),
        );
        let outcome = match &old {
            None => Outcome::Inserted,
            Some(s) => {
                let mut d = Diff::default();
                d.field("domain", s.domain.as_deref(), domain.as_deref());
                d.field(
                    "definition",
                    Some(s.definition.as_str()),
                    Some(&r.definition),
                );
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some(s), Outcome::Unchanged) => s.id,
            _ => senses::upsert(self.conn, term_id, number, domain.as_deref(), &r.definition)?,
        };
        let entry = format!("{}, sense {number}", clean_term(&r.term));
        self.first_time("senses", id.0, &entry)?;
        self.placed(store::SENSES, term_id.0, &outcome);
        self.last_sense = Some((term_id, number, id));
        Ok((entry, outcome))
    }

    fn example(&mut self, r: ExampleRecord) -> RowResult {
        required("term", &r.term)?;
        required("example", &r.example)?;
        let number = parse_position("sense", &r.sense).map_err(Fail::Row)?;
        let sense = self.resolve_sense(&r.term, number)?;
        let old = self.unless_new("examples", || {
            examples::find_id(self.conn, sense, &r.example)
        })?;
        let (id, outcome) = match old {
            Some(id) => (id, Outcome::Unchanged),
            None => (
                examples::append(self.conn, sense, &r.example)?,
                Outcome::Inserted,
            ),
        };
        let entry = format!("{}, sense {number}: \"{}\"", clean_term(&r.term), r.example);
        self.first_time("examples", id, &format!("example {entry}"))?;
        Ok((entry, outcome))
    }

    fn comparison(&mut self, present: &Present, r: ComparisonRecord) -> RowResult {
        let slug = r.comparison.trim();
        required("comparison", slug)?;
        check_slug(slug).map_err(Fail::Row)?;
        required("left", &r.left)?;
        required("right", &r.right)?;
        let left = self.resolve_term(&r.left)?;
        let right = self.resolve_term(&r.right)?;
        if left == right {
            return Err(Fail::Row(format!(
                "left and right are the same term (\"{}\"); a comparison needs two",
                clean_term(&r.left)
            )));
        }
        let published = blank_to_none(r.published).map(|p| p.trim().to_string());
        if let Some(p) = &published {
            check_date(p).map_err(|m| Fail::Row(format!("published: {m}")))?;
        }
        let old = self.unless_new("comparisons", || comparisons::find(self.conn, slug))?;
        let status = parse_status(present, r.status, old.as_ref().map(|c| c.status))?;
        let new = comparisons::Comparison {
            id: old.as_ref().map_or(ComparisonId(0), |c| c.id),
            slug: slug.to_string(),
            left_term_id: left,
            right_term_id: right,
            title: present.pick(
                "title",
                blank_to_none(r.title),
                old.as_ref().and_then(|c| c.title.as_ref()),
            ),
            summary: present.pick(
                "summary",
                blank_to_none(r.summary),
                old.as_ref().and_then(|c| c.summary.as_ref()),
            ),
            published: present.pick(
                "published",
                published,
                old.as_ref().and_then(|c| c.published.as_ref()),
            ),
            status,
        };
        let outcome = match &old {
            None => Outcome::Inserted,
            Some(o) => {
                let mut d = Diff::default();
                if o.left_term_id != left {
                    d.field(
                        "left",
                        Some(terms::get(self.conn, o.left_term_id)?.term),
                        Some(clean_term(&r.left).to_string()),
                    );
                }
                if o.right_term_id != right {
                    d.field(
                        "right",
                        Some(terms::get(self.conn, o.right_term_id)?.term),
                        Some(clean_term(&r.right).to_string()),
                    );
                }
                d.field("title", o.title.as_deref(), new.title.as_deref());
                d.field("summary", o.summary.as_deref(), new.summary.as_deref());
                d.field(
                    "published",
                    o.published.as_deref(),
                    new.published.as_deref(),
                );
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some(o), Outcome::Unchanged) => o.id,
            _ => comparisons::upsert(self.conn, &new)?,
        };
        self.first_time("comparisons", id.0, &format!("comparison \"{slug}\""))?;
        self.last_comparison = Some((slug.to_string(), id));
        Ok((slug.to_string(), outcome))
    }

    fn difference(&mut self, r: DifferenceRecord) -> RowResult {
        required("comparison", &r.comparison)?;
        required("text", &r.text)?;
        let position = parse_position("position", &r.position).map_err(Fail::Row)?;
        let comparison = self.resolve_comparison(&r.comparison)?;
        let old = self.unless_new("differences", || {
            differences::find(self.conn, comparison, position)
        })?;
        let outcome = match &old {
            None => Outcome::Inserted,
            Some((_, text)) => {
                let mut d = Diff::default();
                d.field("text", Some(text.as_str()), Some(r.text.as_str()));
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some((id, _)), Outcome::Unchanged) => *id,
            _ => differences::upsert(self.conn, comparison, position, &r.text)?,
        };
        let entry = format!("{}, difference {position}", r.comparison.trim());
        self.first_time("differences", id, &entry)?;
        self.placed(store::DIFFERENCES, comparison.0, &outcome);
        Ok((entry, outcome))
    }

    fn chart_row(&mut self, r: ChartRowRecord) -> RowResult {
        required("comparison", &r.comparison)?;
        required("aspect", &r.aspect)?;
        required("left", &r.left)?;
        required("right", &r.right)?;
        let position = parse_position("position", &r.position).map_err(Fail::Row)?;
        let comparison = self.resolve_comparison(&r.comparison)?;
        let old = self.unless_new("comparison_rows", || {
            rows::find(self.conn, comparison, &r.aspect)
        })?;
        let outcome = match &old {
            None => Outcome::Inserted,
            Some(o) => {
                let mut d = Diff::default();
                d.field("position", Some(unparked(o.position)), Some(position));
                d.field("left", Some(o.left.as_str()), Some(r.left.as_str()));
                d.field("right", Some(o.right.as_str()), Some(r.right.as_str()));
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some(o), Outcome::Unchanged) => o.id,
            _ => self.with_position(
                store::ROWS,
                comparison,
                position,
                old.as_ref().map(|o| o.id),
                |c| rows::upsert(c, comparison, position, &r.aspect, &r.left, &r.right),
            )?,
        };
        let entry = format!("{}, row \"{}\"", r.comparison.trim(), r.aspect);
        self.first_time("comparison_rows", id, &entry)?;
        self.placed(store::ROWS, comparison.0, &outcome);
        Ok((entry, outcome))
    }

    fn faq(&mut self, r: FaqRecord) -> RowResult {
        required("comparison", &r.comparison)?;
        required("question", &r.question)?;
        required("answer", &r.answer)?;
        let position = parse_position("position", &r.position).map_err(Fail::Row)?;
        let comparison = self.resolve_comparison(&r.comparison)?;
        let old = self.unless_new("faqs", || faqs::find(self.conn, comparison, &r.question))?;
        let outcome = match &old {
            None => Outcome::Inserted,
            Some(o) => {
                let mut d = Diff::default();
                d.field("position", Some(unparked(o.position)), Some(position));
                d.field("answer", Some(o.answer.as_str()), Some(r.answer.as_str()));
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some(o), Outcome::Unchanged) => o.id,
            _ => self.with_position(
                store::FAQS,
                comparison,
                position,
                old.as_ref().map(|o| o.id),
                |c| faqs::upsert(c, comparison, position, &r.question, &r.answer),
            )?,
        };
        let entry = format!("{}, FAQ \"{}\"", r.comparison.trim(), r.question);
        self.first_time("faqs", id, &entry)?;
        self.placed(store::FAQS, comparison.0, &outcome);
        Ok((entry, outcome))
    }

    /// Runs an upsert that may collide with another row at the same
    /// position. A row this import has not written yet is moved aside (its
    /// own line may give it a new position later: a reorder); a row it has
    /// written means two lines claim one position, which is an error.
    fn with_position(
        &mut self,
        table: store::Positioned,
        comparison: ComparisonId,
        position: i64,
        own_id: Option<i64>,
        upsert: impl Fn(&Connection) -> rusqlite::Result<Option<i64>>,
    ) -> std::result::Result<i64, Fail> {
        for _ in 0..2 {
            match upsert(self.conn) {
                Ok(Some(id)) => return Ok(id),
                Ok(None) => {
                    return Err(Fail::Fatal(Error::Invalid(format!(
                        "internal error: an upsert into {} changed nothing",
                        table.table
                    ))))
                }
                Err(e) if is_position_conflict(&e) => {
                    let Some((holder, label)) = table.holder(self.conn, comparison.0, position)?
                    else {
                        return Err(Fail::from(e));
                    };
                    if Some(holder) == own_id {
                        return Err(Fail::from(e));
                    }
                    if self
                        .seen
                        .get(table.table)
                        .is_some_and(|s| s.contains(holder))
                    {
                        return Err(Fail::Row(format!(
                            "position {position} is already taken by {} \"{label}\" on an earlier line",
                            table.label
                        )));
                    }
                    table.park(self.conn, holder)?;
                    self.parked.push(Parked {
                        table,
                        file: self.at_file.clone(),
                        line: self.at_line,
                        id: holder,
                    });
                }
                Err(e) => return Err(Fail::from(e)),
            }
        }
        Err(Fail::Fatal(Error::Invalid(format!(
            "internal error: position {position} of {} stayed taken",
            table.table
        ))))
    }

    /// The stored row for a key, unless the table was empty when the import
    /// began: then every row is new, and the look-up (a tenth of a first
    /// import's time) is skipped. A key given twice still writes the same
    /// row twice, which [`Run::first_time`] refuses.
    fn unless_new<T>(
        &self,
        table: &str,
        find: impl FnOnce() -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        if self.empty_at_start.contains(&table) {
            Ok(None)
        } else {
            find()
        }
    }

    /// Notes that this import inserted or moved a row under `parent`.
    fn placed(&mut self, table: store::Positioned, parent: i64, outcome: &Outcome) {
        if *outcome == Outcome::Unchanged {
            return;
        }
        let (file, path) = (&self.at_file, &self.at_path);
        self.placed
            .entry(table.table)
            .or_insert_with(|| Placed {
                parents: IdSet::default(),
                file: file.clone(),
                path: path.clone(),
                column: if table.parent == "term_id" {
                    "term"
                } else {
                    "comparison"
                },
            })
            .parents
            .insert(parent);
    }

    /// Positions this import set that leave a gap (1, 2, 4): rendered
    /// articles would skip a number and editors' positions would be off.
    /// The line reported is found by reading the file again, which only
    /// happens when there is a gap.
    fn check_gaps(&mut self) -> Result<()> {
        let placed = std::mem::take(&mut self.placed);
        let mut found: Vec<(String, u64, String)> = Vec::new();
        for (table, placed) in placed {
            if self.refused.contains(&table) {
                continue;
            }
            let p = [store::SENSES, store::DIFFERENCES, store::ROWS, store::FAQS]
                .into_iter()
                .find(|p| p.table == table)
                .expect("a positioned table");
            for parent in placed.parents.iter() {
                let (count, max) = p.count_and_max(self.conn, parent)?;
                if max == count {
                    continue;
                }
                let (what, of, name) = if p.column == "sense_number" {
                    let term = terms::get(self.conn, TermId(parent))?.term;
                    ("sense numbers", format!("term \"{term}\""), term)
                } else {
                    let slug: String = self.conn.query_row(
                        "SELECT slug FROM comparisons WHERE id = ?1",
                        [parent],
                        |r| r.get(0),
                    )?;
                    ("positions", format!("\"{slug}\""), slug)
                };
                let position_column = if p.column == "sense_number" {
                    "sense"
                } else {
                    "position"
                };
                let line = first_line(
                    &placed.path,
                    (placed.column, &name),
                    (position_column, count),
                );
                found.push((
                    placed.file.clone(),
                    line,
                    format!(
                        "the {what} of {of} run up to {max} but there are {count} {}: they must run 1, 2, 3... without gaps",
                        p.table.replace('_', " ")
                    ),
                ));
                if found.len() >= MAX_PROBLEMS {
                    break;
                }
            }
        }
        found.sort();
        for (file, line, message) in found {
            self.problem(&file, line, message);
        }
        Ok(())
    }

    /// Rows moved aside whose own line never came: their position was
    /// taken by a line of the file and they have none to go to.
    fn check_parked(&mut self) -> Result<()> {
        let parked = std::mem::take(&mut self.parked);
        for p in parked {
            if self.refused.contains(&p.table.table) {
                continue;
            }
            if let Some((slug, position, label)) = p.table.still_parked(self.conn, p.id)? {
                self.problem(
                    &p.file,
                    p.line,
                    format!(
                        "position {position} of \"{slug}\" belongs to {} \"{label}\", which this import does not move elsewhere; give it a new position in the file, or remove it first",
                        p.table.label
                    ),
                );
            }
        }
        Ok(())
    }
}

/// The position a row had before the import moved it aside.
fn unparked(position: i64) -> i64 {
    if position > PARKED_OFFSET {
        position - PARKED_OFFSET
    } else {
        position
    }
}

fn is_position_conflict(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) => {
            f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE && msg.ends_with(".position")
        }
        _ => false,
    }
}

/// The line of the first record of `path` whose `column` names `name` (a
/// slug, or a term in any case) and whose position is past `count`: the
/// row that made the gap. Else the first row naming it; else 0.
fn first_line(
    path: &Path,
    (column, name): (&str, &str),
    (position_column, count): (&str, i64),
) -> u64 {
    let Ok(file) = File::open(path) else {
        return 0;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Limited::new(file));
    let mut record = csv::StringRecord::new();
    let Ok(true) = reader.read_record(&mut record) else {
        return 0;
    };
    let find = |name: &str| {
        record
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(index), Some(position)) = (find(column), find(position_column)) else {
        return 0;
    };
    let wanted = crate::model::lookup_key(name);
    let mut first = 0;
    while let Ok(true) = reader.read_record(&mut record) {
        // Asked of every record, so the line counter does not keep the
        // breaks of the whole file.
        let line = Limited::line_of(&mut reader, record.position());
        if record
            .get(index)
            .is_none_or(|v| crate::model::lookup_key(v) != wanted)
        {
            continue;
        }
        if first == 0 {
            first = line;
        }
        if record
            .get(position)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .is_some_and(|n| n > count)
        {
            return line;
        }
    }
    first
}

/// Whether the file's last non-blank byte is a double quote, as it is when
/// its last value was quoted and closed.
fn ends_with_quote(path: &Path) -> bool {
    use std::io::{Seek, SeekFrom};
    let Ok(mut file) = File::open(path) else {
        return true;
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let mut tail = Vec::new();
    if file.seek(SeekFrom::Start(len.saturating_sub(16))).is_err()
        || file.read_to_end(&mut tail).is_err()
    {
        return true;
    }
    tail.iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'"')
}

/// The most one CSV record (a row, with the line breaks inside its quoted
/// values) may hold. Glossary text is paragraphs; a larger record is a
/// broken file (a quote never closed, a binary file), and refusing it when
/// the limit is reached keeps memory bounded whatever the input.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The input of the CSV reader: skips a UTF-8 byte order mark (spreadsheet
/// programs write one), fails once a record grows past [`MAX_RECORD_BYTES`]
/// before the rest of it is read, and counts lines as a text editor shows
/// them. It follows quoting just enough to know where records end: a line
/// break outside quotes.
///
/// Lines are counted here rather than taken from the CSV reader because
/// that one counts CRLF files off by one (spreadsheets write CRLF): a line
/// break is `\n`, `\r\n` or a lone `\r`, each counted once. The reader asks
/// for the line of each record by its byte offset, in increasing order, so
/// only the breaks in the bytes read ahead (one buffer) are kept.
struct Limited<R> {
    inner: R,
    started: bool,
    in_quotes: bool,
    record_bytes: usize,
    /// Bytes passed on so far (after the byte order mark).
    offset: u64,
    /// The previous byte was a `\r`: a `\n` now ends the same line.
    after_cr: bool,
    /// Offsets just past each line break not yet asked about, in order.
    breaks: std::collections::VecDeque<u64>,
    /// Line breaks before the first of `breaks`.
    breaks_before: u64,
    /// Physical lines seen, and the line the current record starts on.
    lines: u64,
    record_line: u64,
}

/// The error [`Limited`] fails with; `too_long_line` recognises it.
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "this row is longer than {} MiB, the most a row may hold (a quote never closed?); the rest of the file was not read",
            MAX_RECORD_BYTES >> 20
        )
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> Limited<R> {
    fn new(inner: R) -> Self {
        Limited {
            inner,
            started: false,
            in_quotes: false,
            record_bytes: 0,
            offset: 0,
            after_cr: false,
            breaks: std::collections::VecDeque::new(),
            breaks_before: 0,
            lines: 1,
            record_line: 1,
        }
    }

    /// The 1-based line that the byte at `offset` is on. Offsets must not
    /// go backwards from one call to the next (records come in order).
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.breaks.front().is_some_and(|&end| end <= offset) {
            self.breaks.pop_front();
            self.breaks_before += 1;
        }
        self.breaks_before + 1
    }

    /// The line a record read by `reader` starts on.
    fn line_of(reader: &mut csv::Reader<Self>, position: Option<&csv::Position>) -> u64 {
        position.map_or(0, |p| reader.get_mut().line_at(p.byte()))
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = self.inner.read(buf)?;
        if !self.started && n > 0 {
            self.started = true;
            // Files shorter than the mark's three bytes in one read are rare
            // enough (and harmless: the mark would fail as a header name).
            if buf[..n].starts_with(b"\xEF\xBB\xBF") {
                buf.copy_within(3..n, 0);
                n -= 3;
            }
        }
        let mut last = 0;
        for at in memchr::memchr3_iter(b'"', b'\n', b'\r', &buf[..n]) {
            self.record_bytes += at - last;
            last = at + 1;
            let byte = buf[at];
            let crlf = byte == b'\n' && self.after_cr && at == 0
                || byte == b'\n' && at > 0 && buf[at - 1] == b'\r';
            if byte == b'"' {
                self.in_quotes = !self.in_quotes;
                self.record_bytes += 1;
            } else if crlf {
                // The `\r` before it counted this line already.
                self.record_bytes += 1;
                if !self.in_quotes {
                    self.record_bytes = 0;
                }
            } else {
                self.lines += 1;
                self.breaks.push_back(self.offset + at as u64 + 1);
                if self.in_quotes {
                    self.record_bytes += 1;
                } else {
                    self.record_bytes = 0;
                    self.record_line = self.lines;
                }
            }
            if self.record_bytes > MAX_RECORD_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    RecordTooLong,
                ));
            }
        }
        self.record_bytes += n - last;
        self.offset += n as u64;
        if n > 0 {
            self.after_cr = buf[n - 1] == b'\r';
        }
        if self.record_bytes > MAX_RECORD_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                RecordTooLong,
            ));
        }
        Ok(n)
    }
}

/// The line a too-long record starts on, if that is what `e` is.
fn too_long_line<R: Read>(e: &csv::Error, reader: &csv::Reader<Limited<R>>) -> Option<u64> {
    match e.kind() {
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|i| i.is::<RecordTooLong>()) => {
            Some(reader.get_ref().record_line)
        }
        _ => None,
    }
}

/// A CSV reading error as a person would want it said.
fn csv_message(e: &csv::Error, headers: Option<&csv::StringRecord>) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            let column = headers
                .and_then(|h| h.get(err.field()))
                .map(|c| format!(" in column \"{c}\""))
                .unwrap_or_default();
            format!("text{column} is not valid UTF-8 (save the file as CSV UTF-8)")
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|i| i.is::<RecordTooLong>()) => {
            RecordTooLong.to_string()
        }
        csv::ErrorKind::Io(io) => format!("could not read the file: {io}"),
        csv::ErrorKind::Deserialize { err, .. } => {
            let column = err
                .field()
                .and_then(|i| headers.and_then(|h| h.get(i as usize)))
                .map(|c| format!("column \"{c}\": "))
                .unwrap_or_default();
            format!("{column}{}", err.kind())
        }
        _ => e.to_string(),
    }
}
