//! How results look: text for people, JSON for scripts.
//!
//! Text is wrapped to the terminal and styled; the stream it is written to
//! (an `anstream::AutoStream`) drops the styling when the output is not a
//! terminal or NO_COLOR is set, so nothing here needs to ask.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

use crate::import::Report;
use crate::model::{Change, Outcome};
use crate::query::{Article, TermEntry};

/// Output formats of the read commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text, wrapped to the terminal.
    Text,
    /// One JSON document.
    Json,
}

const HEADING: Style = Style::new().bold();
const TITLE: Style = Style::new().bold().underline();
const DIM: Style = Style::new().dimmed();
const LABEL: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

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
    let options = textwrap::Options::new(width)
        .initial_indent(&initial)
        .subsequent_indent(&subsequent);
    for line in textwrap::wrap(text, options) {
        writeln!(out, "{line}")?;
    }
    Ok(())
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
    writeln!(out)?;
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
        let title = c
            .title
            .clone()
            .unwrap_or_else(|| format!("{} vs. {}", c.left, c.right));
        let line = match &c.published {
            Some(p) => format!("{title} ({p})"),
            None => title,
        };
        para(out, &line, 4, "", width)?;
    }
    let mut current: Option<&str> = None;
    for f in &entry.faqs {
        if current != Some(f.comparison.as_str()) {
            heading(out, &format!("FAQs ({})", f.comparison))?;
            current = Some(&f.comparison);
        }
        para(
            out,
            &format!("{HEADING}{}{HEADING:#}", f.question),
            2,
            "",
            width,
        )?;
        para(out, &f.answer, 4, "", width)?;
    }
    Ok(())
}

pub fn article(out: &mut dyn Write, a: &Article, width: usize) -> io::Result<()> {
    let h = &a.header;
    let title = h
        .title
        .clone()
        .unwrap_or_else(|| format!("{} vs. {}", h.left, h.right));
    writeln!(out, "{TITLE}{title}{TITLE:#}")?;
    let mut meta = h.comparison.clone();
    if let Some(p) = &h.published {
        meta.push_str(&format!(" · published {p}"));
    }
    para(out, &format!("{DIM}{meta}{DIM:#}"), 0, "", width)?;
    if let Some(s) = &h.summary {
        writeln!(out)?;
        para(out, s, 0, "", width)?;
    }
    if !a.differences.is_empty() {
        heading(out, "Key Differences")?;
    }
    for (i, d) in a.differences.iter().enumerate() {
        para(out, d, 2, &format!("{}. ", i + 1), width)?;
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
        para(
            out,
            &format!("{HEADING}{}{HEADING:#}", f.question),
            2,
            "",
            width,
        )?;
        para(out, &f.answer, 4, "", width)?;
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
    let mut total = crate::import::Counts::default();
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
pub fn history(out: &mut dyn Write, revisions: &[crate::history::Revision]) -> io::Result<()> {
    for r in revisions {
        writeln!(
            out,
            "{LABEL}#{}{LABEL:#} {DIM}{}{DIM:#} {} {}",
            r.revision, r.changed_at, r.action, r.entry
        )?;
        for c in &r.changes {
            writeln!(out, "    {}: {} → {}", c.field, show(&c.old), show(&c.new))?;
        }
    }
    if revisions.is_empty() {
        writeln!(out, "no changes recorded")?;
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
                writeln!(out, "    {field}: {} → {}", show(old), show(new))?;
            }
            Ok(())
        }
    }
}

fn show(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("{v:?}"),
        None => "(empty)".to_string(),
    }
}
