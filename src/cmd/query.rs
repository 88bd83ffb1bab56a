use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::cli::QueryArgs;
use crate::db::{self, Mode};
use crate::output::{self, Format};
use crate::query;

pub fn run(db_path: &Path, args: QueryArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let mut out = anstream::stdout().lock();
    let width = output::text_width();
    if let Some(name) = &args.term {
        let entry = query::term(&conn, name)?;
        match args.format {
            Format::Json => output::json(&mut out, &entry),
            Format::Text => output::term(&mut out, &entry, width),
        }
        .context("writing the result")?;
    } else if let Some(slug) = &args.comparison {
        let article = query::comparison(&conn, slug)?;
        match args.format {
            Format::Json => output::json(&mut out, &article),
            Format::Text => output::article(&mut out, &article, width),
        }
        .context("writing the result")?;
    }
    out.flush().context("writing the result")?;
    Ok(())
}
