//! `export`: the CSV files import reads.

use std::io::IsTerminal;
use std::time::Instant;

use super::{done, note};
use glossary_core::db::{self, Mode};
use glossary_core::export;
use glossary_site::documents::Documents;

use crate::cmd::FormatFlag;
use crate::cmd::Globals;
use clap::Args;

pub(crate) const EXPORT_HELP: &str = "\
Writes terms.csv, senses.csv, examples.csv, comparisons.csv, differences.csv,
comparison_rows.csv and faqs.csv, rows in natural-key order, so the same
content always gives the same bytes and a change is a small diff.
`glossary import DIR` reads them back unchanged.

Examples:
  glossary export seeds/
  glossary export --published-only public/
  glossary export --spreadsheet-safe for-excel/   (not lossless: see --help)";

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The directory to write the CSV files to (created if missing)
    pub(crate) dir: std::path::PathBuf,
    /// Only published terms and comparisons (a comparison only with both terms published)
    #[arg(long)]
    pub(crate) published_only: bool,
    /// Prefix cells starting with = + - @ with ' so spreadsheets show them
    /// as text instead of running them as formulas. The export is then no
    /// longer lossless: do not import it back
    #[arg(long)]
    pub(crate) spreadsheet_safe: bool,
    /// What to write: the CSV files import reads, or one Markdown or JSON
    /// document per published article and term (for Hugo, Zola, Jekyll, Astro)
    #[arg(long = "as", value_enum, default_value_t = ExportAs::Csv)]
    pub(crate) as_: ExportAs,
    /// Export a database that `glossary check` finds errors in: orphans
    /// (rows whose term or comparison is gone) are left out, other errors
    /// are written as they are, and import will refuse them until fixed
    #[arg(long)]
    pub(crate) force: bool,
    /// With --as markdown: the front matter's language
    #[arg(long, value_enum, default_value_t = glossary_site::documents::FrontMatter::Yaml)]
    pub(crate) front_matter: glossary_site::documents::FrontMatter,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ExportAs {
    Csv,
    Markdown,
    Json,
}

pub fn export(ctx: &Globals, a: ExportArgs) -> anyhow::Result<()> {
    let conn = db::open(ctx.db(), Mode::Existing)?;
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
