//! `render`: one article, or the whole site.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;

use crate::cli::{RenderArgs, RenderFormat};
use crate::db::{self, Mode};
use crate::render;

pub fn render(db_path: &Path, a: RenderArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    if a.all {
        let dir = a.out.as_deref().context("--all needs --out DIR")?;
        let started = Instant::now();
        let report = crate::site::site(&conn, dir, a.drafts, |_| {})?;
        let summary = format!(
            "wrote {}, {} and the index to {}{}",
            super::plural(report.comparisons, "comparison page"),
            super::plural(report.terms, "term page"),
            dir.display(),
            match report.deleted {
                0 => String::new(),
                n => format!("; deleted {} no longer published", super::plural(n, "page")),
            }
        );
        if !super::quiet() {
            println!("{summary}");
        }
        let secs = started.elapsed().as_secs_f64();
        super::note!(
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
