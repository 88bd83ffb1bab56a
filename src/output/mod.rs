//! How results look: text for people, JSON for scripts.
//!
//! Text is wrapped to the terminal and styled; the stream it is written to
//! (an `anstream::AutoStream`) drops the styling when the output is not a
//! terminal or NO_COLOR is set, so nothing here needs to ask.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

use glossary_core::import::Report;
use glossary_core::model::{Change, Outcome, Status};
use glossary_core::text::markdown_cell;
use glossary_core::view::{Article, TermEntry};

/// Standard output for data: styled where it is a terminal (and plain
/// otherwise or under NO_COLOR), and buffered, so a page of text is a few
/// writes rather than one per line. Callers flush it when done.
pub fn stdout() -> io::BufWriter<anstream::AutoStream<io::StdoutLock<'static>>> {
    io::BufWriter::with_capacity(1 << 16, anstream::stdout().lock())
}

/// Output formats. Each command declares the ones it can produce
/// ([`Format::only`]), so its `--help` lists exactly those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text, wrapped to the terminal.
    Text,
    /// One JSON document.
    Json,
    /// One JSON object per line (per row of a listing).
    Jsonl,
    /// CSV with a header row (listings and search).
    Csv,
    /// Markdown.
    Markdown,
}

/// What the commands that only report can print: text, or JSON for scripts.
pub const TEXT_JSON: &[Format] = &[Format::Text, Format::Json];

impl Format {
    /// A clap value parser that takes only `allowed`: clap lists them in
    /// `--help` and refuses any other with a usage error (exit 2).
    pub fn only(
        allowed: &'static [Format],
    ) -> impl clap::builder::TypedValueParser<Value = Format> {
        use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
        PossibleValuesParser::new(allowed.iter().map(|f| PossibleValue::new(f.name()))).map(
            |name| {
                <Format as clap::ValueEnum>::from_str(&name, false)
                    .expect("a format that clap accepted")
            },
        )
    }

    /// Fails with a usage error unless this format is one of `allowed`
    /// (for a command whose formats depend on its other arguments).
    pub fn ensure(self, allowed: &[Format], what: &str) -> glossary_core::error::Result<()> {
        if allowed.contains(&self) {
            Ok(())
        } else {
            let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
            Err(glossary_core::error::Error::Usage(format!(
                "--format {} is not available for {what} (use {})",
                self.name(),
                names.join(", ")
            )))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }
}

/// Rows with named columns, written as they come in CSV and JSON (so a
/// listing of millions of rows needs no memory), gathered for the aligned
/// text and Markdown tables people read.
pub struct Rows<'a> {
    sink: Sink<'a>,
    format: Format,
    headers: Vec<&'static str>,
    /// Which columns are prose, cut to fit a text table.
    prose: Vec<bool>,
    kept: Vec<Vec<serde_json::Value>>,
    count: usize,
}

enum Sink<'a> {
    Plain(&'a mut dyn Write),
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
}

impl<'a> Rows<'a> {
    pub fn new(
        out: &'a mut dyn Write,
        format: Format,
        columns: &[glossary_core::list::Column],
    ) -> io::Result<Rows<'a>> {
        let headers: Vec<&'static str> = columns.iter().map(|c| c.name).collect();
        let sink = match format {
            Format::Csv => {
                let mut w = Box::new(csv::Writer::from_writer(out));
                w.write_record(&headers).map_err(io::Error::other)?;
                Sink::Csv(w)
            }
            Format::Json => {
                write!(out, "[")?;
                Sink::Plain(out)
            }
            _ => Sink::Plain(out),
        };
        Ok(Rows {
            sink,
            format,
            prose: columns.iter().map(|c| c.prose).collect(),
            headers,
            kept: Vec::new(),
            count: 0,
        })
    }

    pub fn row(&mut self, cells: Vec<serde_json::Value>) -> io::Result<()> {
        self.count += 1;
        let out = match &mut self.sink {
            Sink::Csv(w) => {
                return w
                    .write_record(cells.iter().map(cell_text))
                    .map_err(io::Error::other);
            }
            Sink::Plain(out) => out,
        };
        match self.format {
            Format::Json | Format::Jsonl => {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .headers
                    .iter()
                    .map(|h| h.to_string())
                    .zip(cells)
                    .collect();
                if self.format == Format::Json {
                    write!(out, "{}", if self.count == 1 { "\n  " } else { ",\n  " })?;
                    serde_json::to_writer(&mut **out, &object)?;
                    Ok(())
                } else {
                    serde_json::to_writer(&mut **out, &object)?;
                    writeln!(out)
                }
            }
            _ => {
                self.kept.push(cells);
                Ok(())
            }
        }
    }

    pub fn finish(self) -> io::Result<()> {
        let out = match self.sink {
            Sink::Csv(mut w) => return w.flush(),
            Sink::Plain(out) => out,
        };
        match self.format {
            Format::Json => writeln!(out, "{}]", if self.count == 0 { "" } else { "\n" }),
            Format::Text => {
                if self.kept.is_empty() {
                    return writeln!(out, "(none)");
                }
                let cells: Vec<Vec<String>> = self
                    .kept
                    .iter()
                    .map(|r| r.iter().map(cell_text).collect())
                    .collect();
                let numeric: Vec<bool> = self.kept[0].iter().map(|v| v.is_number()).collect();
                let table = TextTable {
                    headers: &self.headers,
                    prose: &self.prose,
                    numeric: &numeric,
                };
                for line in table.lines(&cells, text_width()) {
                    writeln!(out, "{}", line.trim_end())?;
                }
                Ok(())
            }
            Format::Markdown => {
                writeln!(out, "| {} |", self.headers.join(" | "))?;
                writeln!(out, "|{}", "---|".repeat(self.headers.len()))?;
                for r in &self.kept {
                    // A search's matches stay marked through the escaping,
                    // then become bold: escaped once, not `\*\*side\*\*`.
                    let cells: Vec<String> = r
                        .iter()
                        .map(|c| marked(&markdown_cell(&cell_text(c)), "**", "**"))
                        .collect();
                    writeln!(out, "| {} |", cells.join(" | "))?;
                }
                Ok(())
            }
            Format::Csv | Format::Jsonl => Ok(()),
        }
    }
}

/// A search snippet with its matches' marks as `start` and `end`.
fn marked(s: &str, start: &str, end: &str) -> String {
    use glossary_core::search::{MARK_END, MARK_START};
    s.replace(MARK_START, start).replace(MARK_END, end)
}

/// A listing as aligned text, one line per entry: names and numbers are
/// shown whole (a slug cut in the middle could not be typed back), and
/// prose columns share what is left of the width, cut with `…`.
struct TextTable<'a> {
    headers: &'a [&'static str],
    prose: &'a [bool],
    numeric: &'a [bool],
}

impl TextTable<'_> {
    fn lines(&self, rows: &[Vec<String>], width: usize) -> Vec<String> {
        let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| one_line(c)).collect())
            .collect();
        let natural: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                rows.iter()
                    .map(|r| display_width(&r[i]))
                    .chain([self.headers[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let gaps = 2 * self.headers.len().saturating_sub(1);
        let fixed: usize = (0..natural.len())
            .filter(|&i| !self.prose[i])
            .map(|i| natural[i])
            .sum::<usize>()
            + gaps;
        let widths = share(&natural, self.prose, width.saturating_sub(fixed));
        let mut out = Vec::with_capacity(rows.len() + 1);
        let header: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        for (n, r) in std::iter::once(&header).chain(rows.iter()).enumerate() {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let c = cut(c, widths[i]);
                    let pad = widths[i].saturating_sub(display_width(&c));
                    if self.numeric[i] && n > 0 {
                        format!("{}{c}", " ".repeat(pad))
                    } else {
                        format!("{c}{}", " ".repeat(pad))
                    }
                })
                .collect();
            out.push(cells.join("  "));
        }
        out
    }
}

/// The widths of the columns: names and numbers at their natural width,
/// prose sharing `room` (each at least 12, none wider than it needs).
fn share(natural: &[usize], prose: &[bool], room: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let mut open: Vec<usize> = (0..natural.len()).filter(|&i| prose[i]).collect();
    let mut left = room;
    while !open.is_empty() {
        let each = (left / open.len()).max(12);
        // Columns that need less than an equal share take what they need.
        let (fits, rest): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| natural[i] <= each);
        if fits.is_empty() {
            for &i in &rest {
                widths[i] = each;
            }
            break;
        }
        for &i in &fits {
            left = left.saturating_sub(natural[i]);
        }
        open = rest;
    }
    widths
}

/// `s` in at most `width` columns, ending in `…` when cut.
fn cut(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

fn display_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

const HEADING: Style = Style::new().bold();
const TITLE: Style = Style::new().bold().underline();
const DIM: Style = Style::new().dimmed();
const LABEL: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));
const WARN: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));

/// An entry's status as text output shows it: a draft stands out.
fn status_word(status: Status) -> String {
    match status {
        Status::Draft => format!("{WARN}draft{WARN:#}"),
        Status::Published => "published".to_string(),
    }
}

/// The width to wrap text to: the terminal's, else `COLUMNS`, else 80;
/// never wider than 100 columns, which is hard to read.
pub fn text_width() -> usize {
    let width = terminal_size::terminal_size_of(io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(80);
    width.clamp(40, 100)
}

pub fn json<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// One JSON document on one line.
pub fn json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Search hits. Text: the entry, then its snippet with the matches in bold.
/// The other formats mark matches with `**`.
pub fn hits(
    out: &mut dyn Write,
    hits: &[glossary_core::search::Hit],
    format: Format,
    width: usize,
) -> io::Result<()> {
    if format == Format::Text {
        if hits.is_empty() {
            return writeln!(out, "no matches");
        }
        let (start, end) = (format!("{HEADING}"), format!("{HEADING:#}"));
        for h in hits {
            writeln!(out, "{LABEL}{}{LABEL:#}", h.entry)?;
            para(
                out,
                &marked(&h.snippet, &start, &end).replace('\n', " "),
                4,
                "",
                width,
            )?;
        }
        return Ok(());
    }
    let column = |name| glossary_core::list::Column { name, prose: false };
    let columns = [
        column("kind"),
        column("entry"),
        column("term"),
        column("sense"),
        column("comparison"),
        column("position"),
        glossary_core::list::Column {
            name: "snippet",
            prose: true,
        },
        column("score"),
    ];
    let mut rows = Rows::new(out, format, &columns)?;
    for h in hits {
        rows.row(vec![
            serde_json::json!(h.kind),
            serde_json::json!(h.entry),
            serde_json::json!(h.term),
            serde_json::json!(h.sense),
            serde_json::json!(h.comparison),
            serde_json::json!(h.position),
            serde_json::json!(if format == Format::Markdown {
                // Marked as the search marked it: the table makes it bold.
                h.snippet.clone()
            } else {
                marked(&h.snippet, "**", "**")
            }),
            serde_json::json!((h.score * 1e6).round() / 1e6),
        ])?;
    }
    rows.finish()
}

pub fn stats(out: &mut dyn Write, s: &glossary_core::list::Stats) -> io::Result<()> {
    for (table, n) in &s.tables {
        writeln!(out, "{table:<16} {n:>10}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "terms:        {} published, {} draft",
        s.published_terms, s.draft_terms
    )?;
    writeln!(
        out,
        "comparisons:  {} published, {} draft",
        s.published_comparisons, s.draft_comparisons
    )?;
    writeln!(out, "schema:       version {}", s.schema_version)?;
    writeln!(out, "size:         {:.1} MB", s.bytes as f64 / 1e6)
}

/// Writes `text` wrapped to `width`, every line indented by `indent`
/// spaces, the first line starting with `first` (a number or bullet).
fn para(
    out: &mut dyn Write,
    text: &str,
    indent: usize,
    first: &str,
    width: usize,
) -> io::Result<()> {
    let lead = " ".repeat(indent);
    let initial = format!("{lead}{first}");
    let subsequent = " ".repeat(indent + first.chars().count());
    // Words stay whole: "day-to-day" split at a hyphen reads as two words,
    // and the text is searched for as written.
    let options = textwrap::Options::new(width)
        .initial_indent(&initial)
        .subsequent_indent(&subsequent)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, options) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A question in bold after its number (the one `edit faq SLUG N` takes),
/// its answer indented under it.
fn faq(
    out: &mut dyn Write,
    position: i64,
    question: &str,
    answer: &str,
    width: usize,
) -> io::Result<()> {
    let number = format!("{position}. ");
    para(
        out,
        &format!("{HEADING}{question}{HEADING:#}"),
        2,
        &number,
        width,
    )?;
    para(out, answer, 2 + number.len(), "", width)
}

fn heading(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{HEADING}{text}{HEADING:#}")
}

pub fn term(out: &mut dyn Write, entry: &TermEntry, width: usize) -> io::Result<()> {
    write!(out, "{TITLE}{}{TITLE:#}", entry.term)?;
    if let Some(pos) = &entry.part_of_speech {
        write!(out, " {DIM}({pos}){DIM:#}")?;
    }
    writeln!(out, " {DIM}·{DIM:#} {}", status_word(entry.status))?;
    if let Some(note) = &entry.note {
        para(out, note, 0, "", width)?;
    }
    if !entry.senses.is_empty() {
        heading(out, "Senses")?;
    }
    for s in &entry.senses {
        let number = format!("{}. ", s.sense);
        let text = match &s.domain {
            Some(d) => format!("{LABEL}[{d}]{LABEL:#} {}", s.definition),
            None => s.definition.clone(),
        };
        para(out, &text, 2, &number, width)?;
        for e in &s.examples {
            para(out, e, 2 + number.len(), "• ", width)?;
        }
    }
    if !entry.comparisons.is_empty() {
        heading(out, "Comparisons")?;
    }
    for c in &entry.comparisons {
        writeln!(out, "  {LABEL}{}{LABEL:#}", c.comparison)?;
        let title = c.shown_title();
        let line = match &c.published {
            Some(p) => format!("{title} ({p}, {})", c.status),
            None => format!("{title} ({})", c.status),
        };
        para(out, &line, 4, "", width)?;
    }
    let mut current: Option<&str> = None;
    for f in &entry.faqs {
        if current != Some(f.comparison.as_str()) {
            heading(out, &format!("FAQs ({})", f.comparison))?;
            current = Some(&f.comparison);
        }
        faq(out, f.position, &f.question, &f.answer, width)?;
    }
    Ok(())
}

pub fn article(out: &mut dyn Write, a: &Article, width: usize) -> io::Result<()> {
    let h = &a.header;
    let title = h.shown_title();
    writeln!(out, "{TITLE}{title}{TITLE:#}")?;
    let mut meta = format!("{DIM}{} ·{DIM:#} {}", h.comparison, status_word(h.status));
    if let Some(p) = &h.published {
        meta.push_str(&format!(" {DIM}· dated {p}{DIM:#}"));
    }
    if h.status == Status::Published && !a.public {
        let names: Vec<String> = a.draft_terms.iter().map(|t| format!("\"{t}\"")).collect();
        meta.push_str(&format!(
            " {DIM}·{DIM:#} {WARN}not public: its term {} is a draft{WARN:#}",
            names.join(" and ")
        ));
    }
    para(out, &meta, 0, "", width)?;
    if let Some(s) = &h.summary {
        writeln!(out)?;
        para(out, s, 0, "", width)?;
    }
    if !a.differences.is_empty() {
        heading(out, "Key Differences")?;
    }
    for d in &a.differences {
        para(out, &d.text, 2, &format!("{}. ", d.position), width)?;
    }
    if !a.rows.is_empty() {
        heading(out, "Comparison Chart")?;
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(width).unwrap_or(u16::MAX))
            .set_header(vec!["", h.left.as_str(), h.right.as_str()]);
        for r in &a.rows {
            table.add_row(vec![r.aspect.as_str(), r.left.as_str(), r.right.as_str()]);
        }
        writeln!(out, "{table}")?;
    }
    if !a.faqs.is_empty() {
        heading(out, "FAQs")?;
    }
    for f in &a.faqs {
        faq(out, f.position, &f.question, &f.answer, width)?;
    }
    Ok(())
}

/// The per-file summary of an import, as a small aligned table.
pub fn import_report(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let verb = if report.dry_run { "would be " } else { "" };
    let mut table = Table::new();
    table.load_style(presets::NOTHING).set_header(vec![
        "file".to_string(),
        format!("{verb}inserted"),
        format!("{verb}updated"),
        "unchanged".to_string(),
    ]);
    let mut total = glossary_core::import::Counts::default();
    for f in &report.files {
        total.inserted += f.counts.inserted;
        total.updated += f.counts.updated;
        total.unchanged += f.counts.unchanged;
        table.add_row(vec![
            f.file.clone(),
            f.counts.inserted.to_string(),
            f.counts.updated.to_string(),
            f.counts.unchanged.to_string(),
        ]);
    }
    table.add_row(vec![
        "total".to_string(),
        total.inserted.to_string(),
        total.updated.to_string(),
        total.unchanged.to_string(),
    ]);
    for i in 1..4 {
        if let Some(c) = table.column_mut(i) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    writeln!(out, "{}", table.trim_fmt())?;
    if report.dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    Ok(())
}

/// Revisions, newest first: `#57 2026-11-29T10:00:00.000Z update faq ... 3`
/// and the fields that changed.
/// The change list: one line each, newest first.
/// `none` says what an empty list means ("no changes by bob").
pub fn changes(
    out: &mut dyn Write,
    changes: &[glossary_core::history::ChangeLine],
    none: &str,
) -> io::Result<()> {
    if changes.is_empty() {
        return writeln!(out, "{none}");
    }
    for c in changes {
        let at = c.at.get(..19).unwrap_or(&c.at).replace('T', " ");
        let summary = if c.summary.is_empty() {
            String::new()
        } else {
            format!("  {}", c.summary)
        };
        writeln!(
            out,
            "{LABEL}{:>5}{LABEL:#}  {DIM}{at}{DIM:#}  {}  {}{summary}",
            c.change, c.author, c.command
        )?;
    }
    Ok(())
}

/// One change in full: what ran, then each revision (values inserted,
/// removed, or `field: old → new`), then the rows that only moved.
pub fn change_detail(
    out: &mut dyn Write,
    d: &glossary_core::history::ChangeDetail,
) -> io::Result<()> {
    let c = &d.change;
    writeln!(out, "{TITLE}change {}{TITLE:#}  {}", c.change, c.summary)?;
    writeln!(out, "{DIM}{} by {}: {}{DIM:#}", c.at, c.author, c.command)?;
    for a in &d.added {
        writeln!(out, "  + {a}")?;
    }
    for r in &d.revisions {
        let verb = match r.action.as_str() {
            "insert" => "added",
            "delete" => "removed",
            _ => "changed",
        };
        writeln!(out, "  {verb} {LABEL}{}{LABEL:#}", r.entry)?;
        for ch in &r.changes {
            // An update's field: old → new; what was added or removed: its value.
            if r.action == "update" {
                writeln!(
                    out,
                    "      {}",
                    field_change(ch.field, ch.old.as_deref(), ch.new.as_deref())
                )?;
            } else {
                let value = if ch.old.is_some() { &ch.old } else { &ch.new };
                writeln!(out, "      {}: {}", ch.field, value_shown(value.as_deref()))?;
            }
        }
    }
    for m in &d.moved {
        writeln!(out, "  {DIM}{m}{DIM:#}")?;
    }
    if d.more > 0 {
        writeln!(out, "  {DIM}… and {} more (see the summary){DIM:#}", d.more)?;
    }
    Ok(())
}

/// One row of a dry run: `senses.csv:14: update Producer, sense 2: definition: "old" → "new"`.
pub fn planned_row(
    out: &mut dyn Write,
    file: &str,
    line: u64,
    entry: &str,
    outcome: &Outcome,
) -> io::Result<()> {
    match outcome {
        Outcome::Unchanged => Ok(()),
        Outcome::Inserted => writeln!(out, "{file}:{line}: create {entry}"),
        Outcome::Updated { changes } => {
            writeln!(out, "{file}:{line}: update {entry}")?;
            for Change { field, old, new } in changes {
                writeln!(
                    out,
                    "    {}",
                    field_change(field, old.as_deref(), new.as_deref())
                )?;
            }
            Ok(())
        }
    }
}

/// `field: old → new`, as every report of a change says it.
pub fn field_change(field: &str, old: Option<&str>, new: Option<&str>) -> String {
    format!("{field}: {} → {}", value_shown(old), value_shown(new))
}

/// A stored value as a report shows it: a number as it is (`5`), text in
/// quotes (so spaces and empty strings show), nothing as `(empty)`.
pub fn value_shown(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() && v.parse::<i64>().is_ok() => v.to_string(),
        Some(v) => format!("{v:?}"),
        None => "(empty)".to_string(),
    }
}
