//! A term and an article as they read on a terminal, like a dictionary
//! entry; search hits.

use std::io;
use std::io::Write;

use comfy_table::{presets, ContentArrangement, Table};

use glossary_core::model::Status;
use glossary_core::view::{Article, TermEntry};

use crate::output::table::{marked, Rows};
use crate::output::{status_word, Format, DIM, HEADING, LABEL, TITLE, WARN};

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

/// Writes `text` wrapped to `width`, every line indented by `indent`
/// spaces, the first line starting with `first` (a number or bullet).
pub(crate) fn para(
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
pub(crate) fn faq(
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

pub(crate) fn heading(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{HEADING}{text}{HEADING:#}")
}

pub fn term(out: &mut dyn Write, entry: &TermEntry, width: usize) -> io::Result<()> {
    if let Some(v) = &entry.found_by_variant {
        writeln!(
            out,
            "{DIM}\"{}\" is a variant ({}) of{DIM:#}",
            v.variant, v.kind
        )?;
    }
    write!(out, "{TITLE}{}{TITLE:#}", entry.term)?;
    if let Some(pos) = &entry.part_of_speech {
        write!(out, " {DIM}({pos}){DIM:#}")?;
    }
    writeln!(out, " {DIM}·{DIM:#} {}", status_word(entry.status))?;
    if let Some(note) = &entry.note {
        para(out, note, 0, "", width)?;
    }
    if !entry.variants.is_empty() {
        let also: Vec<String> = entry
            .variants
            .iter()
            .map(|v| format!("{} {DIM}({}){DIM:#}", v.variant, v.kind))
            .collect();
        para(out, &format!("Also: {}", also.join(", ")), 0, "", width)?;
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
    if !entry.relations.is_empty() {
        heading(out, "Relations")?;
    }
    for kind in glossary_core::store::relations::KINDS {
        let of_kind: Vec<String> = entry
            .relations
            .iter()
            .filter(|r| r.relation == *kind)
            .map(|r| {
                let from = r.sense.map(|n| format!("{n}. ")).unwrap_or_default();
                let to = r.other_sense.map(|n| format!(" {n}")).unwrap_or_default();
                format!("{from}{}{to}", r.other)
            })
            .collect();
        if !of_kind.is_empty() {
            para(
                out,
                &format!("{LABEL}{kind}{LABEL:#}: {}", of_kind.join("; ")),
                2,
                "",
                width,
            )?;
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
