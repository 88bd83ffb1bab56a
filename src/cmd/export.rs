//! `export`: the CSV files import reads.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use super::{done, note};
use crate::cli::{ExportArgs, ExportAs};
use glossary_core::db::{self, Mode};
use glossary_core::export;
use glossary_site::documents::Documents;

pub fn export(db_path: &Path, a: ExportArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let started = Instant::now();
    refuse_broken(&conn, a.force)?;
    let documents = match a.as_ {
        ExportAs::Csv => None,
        ExportAs::Markdown => Some(Documents::Markdown(a.front_matter)),
        ExportAs::Json => Some(Documents::Json),
    };
    if let Some(as_) = documents {
        if a.spreadsheet_safe {
            return Err(glossary_core::error::Error::Usage(
                "--spreadsheet-safe is for CSV files".into(),
            )
            .into());
        }
        let report = glossary_site::documents::export(&conn, &a.dir, as_)?;
        let what = format!(
            "{} and {}",
            super::plural(report.comparisons, "article"),
            super::plural(report.terms, "term")
        );
        let text = super::built(&report, &what, &a.dir);
        return done(a.report.format, &text, serde_json::to_value(&report)?);
    }
    let written = export::export(
        &conn,
        &a.dir,
        export::Options {
            published_only: a.published_only,
            spreadsheet_safe: a.spreadsheet_safe,
        },
        |_| {},
    )?;
    let total: u64 = written.iter().map(|w| w.rows).sum();
    let text: Vec<String> = written
        .iter()
        .map(|w| format!("{:>9} rows  {}", w.rows, w.file))
        .collect();
    let json = serde_json::json!({"files": written, "rows": total});
    done(a.report.format, &text.join("\n"), json)?;
    if !std::io::stderr().is_terminal() {
        let secs = started.elapsed().as_secs_f64();
        note!(
            "exported {total} rows in {secs:.1} s ({:.0} rows/s)",
            total as f64 / secs.max(0.001)
        );
    }
    Ok(())
}

fn refuse_broken(conn: &rusqlite::Connection, force: bool) -> anyhow::Result<()> {
    if let Some(warning) = export::exportable(conn, force)? {
        note!("{warning}");
    }
    Ok(())
}
