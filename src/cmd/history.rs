//! `history` and `revert`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use clap::ValueEnum;

use crate::cli::{HistoryArgs, RevertArgs};
use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::edit::{self, Kind};
use glossary_core::error::Error;
use glossary_core::history;

pub fn history(db_path: &Path, a: HistoryArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    let mut out = crate::output::stdout();
    // `history 57`: one change in full.
    if let [one] = a.entry.as_slice() {
        if let Ok(id) = one.parse::<i64>() {
            let detail = history::change(&conn, id)?;
            match a.format {
                Format::Text => output::change_detail(&mut out, &detail),
                Format::Jsonl => output::json_line(&mut out, &detail),
                _ => output::json(&mut out, &detail),
            }
            .context("writing the change")?;
            out.flush().context("writing the change")?;
            return Ok(());
        }
    }
    let entry = match a.entry.split_first() {
        None => None,
        Some((kind, keys)) => {
            let kind = Kind::from_str(kind, true).map_err(|_| {
                Error::Usage(format!(
                    "\"{kind}\" is neither a change's number nor a kind of entry (term, sense, example, comparison, difference, row, faq)"
                ))
            })?;
            Some(edit::find(&conn, kind, keys)?)
        }
    };
    if let Some(since) = &a.since {
        if glossary_core::model::check_date(since.get(..10).unwrap_or(since)).is_err() {
            return Err(Error::Usage(format!(
                "--since takes a date, YYYY-MM-DD (or a time after it), not \"{since}\""
            ))
            .into());
        }
    }
    let filter = history::Filter {
        entry: entry.as_ref(),
        author: glossary_core::change::given(),
        since: a.since.as_deref(),
        limit: a.limit,
        ..Default::default()
    };
    let changes = history::changes(&conn, &filter)?;
    match a.format {
        Format::Json => output::json(&mut out, &changes),
        Format::Jsonl => changes
            .iter()
            .try_for_each(|c| output::json_line(&mut out, c)),
        _ => output::changes(&mut out, &changes, &nothing_found(&filter)),
    }
    .context("writing the history")?;
    out.flush().context("writing the history")?;
    Ok(())
}

pub fn revert(db_path: &Path, a: RevertArgs) -> anyhow::Result<()> {
    let mut conn = db::open(db_path, Mode::Existing)?;
    let text = db::write(&mut conn, |tx| history::revert_change(tx, a.change))?;
    let json = serde_json::json!({"reverted": a.change, "done": text});
    super::done(a.report.format, &text, json)
}

/// What an empty history means, in the words of its filters: "no changes
/// by bob to faq producer-vs-executive-producer 3 since 2026-11-01".
fn nothing_found(filter: &history::Filter<'_>) -> String {
    let mut said = String::from("no changes");
    if let Some(author) = filter.author {
        said.push_str(&format!(" by {author}"));
    }
    if let Some(entry) = filter.entry {
        said.push_str(&format!(" to {}", entry.label));
    }
    if let Some(since) = filter.since {
        said.push_str(&format!(" since {since}"));
    }
    if said == "no changes" {
        said.push_str(" recorded");
    }
    said
}
