//! `query`: a term, an article, or a search.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::cli::QueryArgs;
use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::error::Error;
use glossary_core::search;
use glossary_core::view;
use glossary_site::render;

pub fn run(db_path: &Path, args: QueryArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let mut out = crate::output::stdout();
    let width = output::text_width();
    let entries = [Format::Text, Format::Json, Format::Jsonl, Format::Markdown];
    if let Some(name) = &args.term {
        args.format.ensure(&entries, "--term")?;
        let entry = view::term(&conn, name)?;
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
            Format::Json => output::json(&mut out, &view::comparison(&conn, slug)?),
            Format::Jsonl => output::json_line(&mut out, &view::comparison(&conn, slug)?),
            _ => output::article(&mut out, &view::comparison(&conn, slug)?, width),
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
