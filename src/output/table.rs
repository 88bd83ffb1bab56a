//! Tables: rows as text for people (columns fitted to the terminal,
//! long cells cut with a mark), or as CSV or JSON for scripts.

use std::io;
use std::io::Write;

use glossary_core::text::markdown_cell;

use crate::output::{text_width, Format};

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

pub(crate) enum Sink<'a> {
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
pub(crate) fn marked(s: &str, start: &str, end: &str) -> String {
    use glossary_core::search::{MARK_END, MARK_START};
    s.replace(MARK_START, start).replace(MARK_END, end)
}

/// A listing as aligned text, one line per entry: names and numbers are
/// shown whole (a slug cut in the middle could not be typed back), and
/// prose columns share what is left of the width, cut with `…`.
pub(crate) struct TextTable<'a> {
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
pub(crate) fn share(natural: &[usize], prose: &[bool], room: usize) -> Vec<usize> {
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
pub(crate) fn cut(s: &str, width: usize) -> String {
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

pub(crate) fn display_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

pub(crate) fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
