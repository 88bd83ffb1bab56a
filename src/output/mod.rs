//! How results look: text for people, JSON for scripts.
//!
//! Text is wrapped to the terminal and styled; the stream it is written to
//! (an `anstream::AutoStream`) drops the styling when the output is not a
//! terminal or NO_COLOR is set, so nothing here needs to ask.

mod entries;
mod history;
mod reports;
mod table;

use std::io;
use std::io::Write;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

pub use entries::article;
pub use entries::hits;
pub use entries::term;
use glossary_core::model::Status;
pub use history::change_detail;
pub use history::changes;
pub use reports::import_report;
pub use reports::planned_row;
pub use reports::stats;
pub use table::Rows;

/// Standard output for data: styled where it is a terminal that takes
/// colour (as anstream decides: `NO_COLOR`, `CLICOLOR_FORCE`), plain
/// elsewhere, and buffered. The styling is stripped *before* the buffer:
/// stripped after it, each plain run between two styles went out as a
/// write of its own (154 for one term's page). Callers flush it when done.
pub fn stdout() -> Stdout {
    let styled = anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never;
    Stdout {
        out: io::BufWriter::with_capacity(1 << 16, io::stdout().lock()),
        strip: (!styled).then(anstream::adapter::StripBytes::new),
    }
}

/// Standard output as [`stdout`] gives it.
pub struct Stdout {
    out: io::BufWriter<io::StdoutLock<'static>>,
    /// Where colour is off: the state of the escape sequences being
    /// removed (one may be cut between two writes).
    strip: Option<anstream::adapter::StripBytes>,
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.strip {
            None => self.out.write_all(buf),
            Some(strip) => {
                for printable in strip.strip_next(buf) {
                    self.out.write_all(printable)?;
                }
                Ok(())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
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

pub(crate) const HEADING: Style = Style::new().bold();
pub(crate) const TITLE: Style = Style::new().bold().underline();
pub(crate) const DIM: Style = Style::new().dimmed();
pub(crate) const LABEL: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));
pub(crate) const WARN: Style = Style::new()
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
