//! `export`, `render` and `backup`.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;

use crate::cli::{BackupArgs, ExportArgs, RenderArgs, RenderFormat};
use crate::db::{self, Mode};
use crate::error::Error;
use crate::{export, render};

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

pub fn render(db_path: &Path, a: RenderArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    if a.all {
        let dir = a.out.as_deref().context("--all needs --out DIR")?;
        let started = Instant::now();
        let report = render::site(&conn, dir, a.drafts, |_| {})?;
        println!(
            "wrote {} comparison pages, {} term pages and the index to {}{}",
            report.comparisons,
            report.terms,
            dir.display(),
            match report.deleted {
                0 => String::new(),
                1 => "; deleted 1 page no longer published".to_string(),
                n => format!("; deleted {n} pages no longer published"),
            }
        );
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "rendered {} pages in {secs:.1} s ({:.0} pages/s)",
            report.files,
            report.files as f64 / secs.max(0.001)
        );
        return Ok(());
    }
    let slug = a
        .comparison
        .as_deref()
        .context("name a comparison, or use --all --out DIR")?;
    let mut out = std::io::stdout().lock();
    render::one(
        &conn,
        slug,
        a.drafts,
        a.format == RenderFormat::Html,
        &mut out,
    )?;
    out.flush().context("writing the page")?;
    Ok(())
}

pub fn backup(db_path: &Path, a: BackupArgs) -> anyhow::Result<()> {
    if a.file.exists() && !a.force {
        return Err(Error::Invalid(format!(
            "{} exists; pass --force to replace it",
            a.file.display()
        ))
        .into());
    }
    // Opened first: a missing database is that, not a same-file mistake.
    let conn = db::open(db_path, Mode::Existing)?;
    let same = std::fs::canonicalize(db_path).ok() == std::fs::canonicalize(&a.file).ok();
    if same {
        return Err(Error::Invalid("the backup cannot be the database itself".into()).into());
    }
    db::backup(&conn, &a.file)?;
    println!("backed up {} to {}", db_path.display(), a.file.display());
    Ok(())
}
