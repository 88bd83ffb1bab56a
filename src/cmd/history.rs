//! `history` and `revert`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use clap::ValueEnum;

use crate::cli::{HistoryArgs, RevertArgs};
use crate::db::{self, Mode};
use crate::edit::{self, Kind};
use crate::error::Error;
use crate::history;
use crate::output::{self, Format};

pub fn history(db_path: &Path, a: HistoryArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let entry = match a.entry.split_first() {
        None => None,
        Some((kind, keys)) => {
            let kind = Kind::from_str(kind, true).map_err(|_| {
                Error::Usage(format!(
                    "\"{kind}\" is not a kind of entry (term, sense, example, comparison, difference, row, faq)"
                ))
            })?;
            Some(edit::find(&conn, kind, keys)?)
        }
    };
    let revisions = history::list(&conn, entry.as_ref(), a.limit)?;
    let mut out = crate::output::stdout();
    match a.format {
        Format::Json => output::json(&mut out, &revisions),
        _ => output::history(&mut out, &revisions),
    }
    .context("writing the history")?;
    out.flush().context("writing the history")?;
    Ok(())
}

pub fn revert(db_path: &Path, a: RevertArgs) -> anyhow::Result<()> {
    let mut conn = db::open(db_path, Mode::Existing)?;
    let text = db::write(&mut conn, |tx| history::revert(tx, a.revision))?;
    let json = serde_json::json!({"reverted": a.revision, "done": text});
    super::done(a.report.format, &text, json)
}
