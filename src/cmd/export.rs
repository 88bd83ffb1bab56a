//! `export`: the CSV files import reads.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;

use crate::cli::ExportArgs;
use crate::db::{self, Mode};
use crate::export;

pub fn export(db_path: &Path, a: ExportArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let started = Instant::now();
    let written = export::export(
        &conn,
        &a.dir,
        export::Options {
            published_only: a.published_only,
            spreadsheet_safe: a.spreadsheet_safe,
        },
        |_| {},
    )?;
    let mut out = anstream::stdout().lock();
    let mut total = 0;
    for w in &written {
        writeln!(out, "{:>9} rows  {}", w.rows, w.file).context("writing the summary")?;
        total += w.rows;
    }
    if !std::io::stderr().is_terminal() {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "exported {total} rows in {secs:.1} s ({:.0} rows/s)",
            total as f64 / secs.max(0.001)
        );
    }
    Ok(())
}
