//! One import run: reading each file, matching its header, and handing
//! each record to its applier; problems are collected with file and line.

use super::*;

/// The state of one import run.
pub(super) struct Run<'a> {
    pub(super) conn: &'a Connection,
    pub(super) observer: &'a mut dyn Observer,
    pub(super) problems: Vec<Problem>,
    pub(super) truncated: bool,
    pub(super) seen: HashMap<&'static str, IdSet>,
    pub(super) parked: Vec<Parked>,
    /// The last name resolved, per kind of reference: input is usually
    /// grouped by term or comparison, so most look-ups hit this.
    pub(super) last_term: Option<(String, TermId)>,
    pub(super) last_sense: Option<(TermId, i64, SenseId)>,
    pub(super) last_comparison: Option<(String, ComparisonId)>,
    /// The list last appended to (its table and parent) and its next
    /// position: variants and relations come grouped by term, so a count
    /// is read once a term, not once a row.
    pub(super) next_position: Option<(&'static str, i64, i64)>,
    pub(super) bytes_done: u64,
    pub(super) bytes_total: u64,
    /// The file and line being applied, for problems found later about it.
    pub(super) at_file: String,
    pub(super) at_path: PathBuf,
    pub(super) at_line: u64,
    /// Parents whose positions this import set, with the first line that
    /// did: their positions must run 1, 2, 3... when the import ends. One
    /// entry per article or term touched, not per row.
    pub(super) placed: HashMap<&'static str, Placed>,
    /// The tables that had no rows when the import began.
    pub(super) empty_at_start: Vec<&'static str>,
    /// The tables with a problem this import could not put down to one
    /// entry (a bad header, a row with too few fields). Their positions
    /// are not checked for gaps: a refused row leaves one that is not a
    /// problem of its own, and reporting it would say the same thing twice.
    pub(super) refused: Vec<&'static str>,
    /// The entries refused row by row, and the parents they belonged to.
    pub(super) refused_rows: super::refused::Refused,
}

impl<'a> Run<'a> {
    pub(super) fn new(
        conn: &'a Connection,
        observer: &'a mut dyn Observer,
        bytes_total: u64,
    ) -> Self {
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
            next_position: None,
            bytes_done: 0,
            bytes_total,
            at_file: String::new(),
            at_path: PathBuf::new(),
            at_line: 0,
            placed: HashMap::new(),
            empty_at_start: Vec::new(),
            refused: Vec::new(),
            refused_rows: super::refused::Refused::default(),
        }
    }

    pub(super) fn full(&self) -> bool {
        self.truncated
    }

    pub(super) fn problem(&mut self, file: &str, line: u64, message: String) {
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
    pub(super) fn file(&mut self, source: &Source) -> Result<Counts> {
        let before = (self.problems.len(), self.refused_rows.rows());
        let counts = self.rows(source);
        let problems = self.problems.len() - before.0;
        let of_entries = self.refused_rows.rows() - before.1;
        if problems > of_entries || self.truncated {
            self.refused.push(source.kind.table());
        }
        counts
    }

    pub(super) fn rows(&mut self, source: &Source) -> Result<Counts> {
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
                    let at = format!("{name}:{line}");
                    let conn = self.conn;
                    let exists = |table: &str, name: &str| match table {
                        "senses" | "examples" | "variants" | "relations" => {
                            matches!(terms::find_id(conn, clean_term(name)), Ok(Some(_)))
                        }
                        _ => matches!(comparisons::find_id(conn, name), Ok(Some(_))),
                    };
                    if !self
                        .refused_rows
                        .note(source.kind, &headers, &record, at, exists)
                    {
                        self.refused.push(source.kind.table());
                    }
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
                crate::interrupt::check()?;
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
    pub(super) fn check_header(
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
        if let Some(separator) = other_separator(&normalised, columns) {
            self.problem(
                name,
                1,
                format!(
                    "the header is one column, \"{}\": the file looks {separator}-separated, and glossary reads comma-separated CSV (in a spreadsheet, save as \"CSV UTF-8 (comma delimited)\")",
                    header.get(0).unwrap_or("")
                ),
            );
            return None;
        }
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

    pub(super) fn apply(
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
            Kind::Variant => self.variant(de(record, headers)?),
            Kind::Relation => self.relation(de(record, headers)?),
            Kind::Comparison => self.comparison(present, de(record, headers)?),
            Kind::Difference => self.difference(de(record, headers)?),
            Kind::Row => self.chart_row(de(record, headers)?),
            Kind::Faq => self.faq(de(record, headers)?),
        }
    }

    /// The next free position at the end of `parent`'s list in `table`,
    /// taken.
    pub(super) fn take_position(&mut self, table: store::Positioned, parent: i64) -> Result<i64> {
        let next = match self.next_position {
            Some((t, p, next)) if t == table.table && p == parent => next,
            _ => table.count(self.conn, parent)? + 1,
        };
        self.next_position = Some((table.table, parent, next + 1));
        Ok(next)
    }

    /// Marks a row as written by this import; a second line with the same
    /// key is refused.
    pub(super) fn first_time(
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

    /// The stored row for a key, unless the table was empty when the import
    /// began: then every row is new, and the look-up (a tenth of a first
    /// import's time) is skipped. A key given twice still writes the same
    /// row twice, which [`Run::first_time`] refuses.
    pub(super) fn unless_new<T>(
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
}

/// The separator a one-column header splits into this file's column names
/// with (`term;part_of_speech;note`): a spreadsheet's export in a locale
/// whose lists are not comma-separated.
fn other_separator(header: &csv::StringRecord, columns: &[Column]) -> Option<&'static str> {
    let [only] = header.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    [(';', "semicolon"), ('\t', "tab"), ('|', "pipe")]
        .into_iter()
        .find(|(c, _)| {
            only.contains(*c)
                && only
                    .split(*c)
                    .any(|part| columns.iter().any(|col| col.name == part.trim()))
        })
        .map(|(_, name)| name)
}
