//! `query`, `list` and `stats`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::cli::{ListArgs, QueryArgs, StatsArgs};
use crate::db::{self, Mode};
use crate::error::Error;
use crate::list;
use crate::model::Status;
use crate::output::{self, Format};
use crate::{query, render, search};

pub fn run(db_path: &Path, args: QueryArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let mut out = anstream::stdout().lock();
    let width = output::text_width();
    let entries = [Format::Text, Format::Json, Format::Jsonl, Format::Markdown];
    if let Some(name) = &args.term {
        args.format.ensure(&entries, "--term")?;
        let entry = query::term(&conn, name)?;
        match args.format {
            Format::Json => output::json(&mut out, &entry),
            Format::Jsonl => output::json_line(&mut out, &entry),
            Format::Markdown => out.write_all(render::term_markdown(&entry).as_bytes()),
            _ => output::term(&mut out, &entry, width),
        }
        .context("writing the result")?;
    } else if let Some(slug) = &args.comparison {
        args.format.ensure(&entries, "--comparison")?;
        match args.format {
            Format::Markdown => {
                let page = render::page(&conn, slug)?;
                out.write_all(render::markdown(&page).as_bytes())
            }
            Format::Json => output::json(&mut out, &query::comparison(&conn, slug)?),
            Format::Jsonl => output::json_line(&mut out, &query::comparison(&conn, slug)?),
            _ => output::article(&mut out, &query::comparison(&conn, slug)?, width),
        }
        .context("writing the result")?;
    } else if let Some(text) = &args.search {
        if args.limit < 1 {
            return Err(Error::Usage("--limit must be at least 1".into()).into());
        }
        let hits = search::search(&conn, text, args.raw, args.limit)?;
        output::hits(&mut out, &hits, args.format, width).context("writing the result")?;
    }
    out.flush().context("writing the result")?;
    Ok(())
}

pub fn list(db_path: &Path, args: ListArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let status = args
        .status
        .as_deref()
        .map(Status::parse)
        .transpose()
        .map_err(Error::Usage)?;
    let filter = list::Filter {
        status,
        comparison: args.comparison.clone(),
        limit: args.limit,
    };
    let mut out = anstream::stdout().lock();
    let mut rows = output::Rows::new(&mut out, args.format, args.what.headers())
        .context("writing the list")?;
    list::list(&conn, args.what, &filter, &mut |cells| rows.row(cells))?;
    rows.finish().context("writing the list")?;
    out.flush().context("writing the list")?;
    Ok(())
}

pub fn stats(db_path: &Path, args: StatsArgs) -> anyhow::Result<()> {
    args.format.ensure(&[Format::Text, Format::Json], "stats")?;
    let conn = db::open(db_path, Mode::Existing)?;
    let stats = list::stats(&conn)?;
    let mut out = anstream::stdout().lock();
    match args.format {
        Format::Json => output::json(&mut out, &stats),
        _ => output::stats(&mut out, &stats),
    }
    .context("writing the statistics")?;
    Ok(())
}
