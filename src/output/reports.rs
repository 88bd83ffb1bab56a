//! What a command did or found: stats, an import's report, a dry run's
//! planned rows.

use std::io;
use std::io::Write;

use comfy_table::{presets, Table};

use glossary_core::import::Report;
use glossary_core::model::{FieldChange, Outcome};

use crate::output::field_change;

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
            for FieldChange { field, old, new } in changes {
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
