//! `list` and `stats`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::cli::{ListArgs, StatsArgs};
use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::list;

pub fn list(db_path: &Path, args: ListArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let (mut term, mut comparison) = (args.term, args.comparison);
    if let Some(parent) = args.parent {
        if args.what.of_term() {
            term = Some(parent);
        } else {
            comparison = Some(parent);
        }
    }
    let filter = list::Filter {
        status: args.status,
        comparison,
        term,
        limit: args.limit,
    };
    let mut out = crate::output::stdout();
    let mut rows = output::Rows::new(&mut out, args.format, args.what.columns())
        .context("writing the list")?;
    list::list(&conn, args.what, &filter, &mut |cells| rows.row(cells))?;
    rows.finish().context("writing the list")?;
    out.flush().context("writing the list")?;
    Ok(())
}

pub fn stats(db_path: &Path, args: StatsArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let stats = list::stats(&conn)?;
    let mut out = crate::output::stdout();
    match args.format {
        Format::Json => output::json(&mut out, &stats),
        _ => output::stats(&mut out, &stats),
    }
    .context("writing the statistics")?;
    out.flush().context("writing the statistics")?;
    Ok(())
}
