//! `history` and `revert`.

use std::io::Write;

use crate::cmd::FormatFlag;
use crate::cmd::Globals;
use anyhow::Context;
use clap::ValueEnum;

use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::edit;
use glossary_core::error::Error;
use glossary_core::history;
use glossary_core::kind::Kind;

use clap::Args;

pub(crate) const REVERT_HELP: &str = "Undoes everything the change did: a removed term comes back with its senses,\nexamples, comparisons and their parts, each at its number and position. Refused,\nwith nothing written, when a later change touched the same entries (revert that\none first). Reverting a revert redoes the change.\n\nExample:\n  glossary history faq producer-vs-executive-producer 3\n  glossary revert 57";

pub(crate) const HISTORY_HELP: &str = "One line per change: its number, when, who, what ran, and what it did\n(+1 faq, −1 term, −7 senses..., 18 faqs moved). Changes typed into the\nsqlite3 shell are changes too, one per statement.\n\nExamples:\n  glossary history\n  glossary history 57                                   (one change in full)\n  glossary history comparison producer-vs-executive-producer\n  glossary history --author Ada --since 2024-03-01 --format jsonl";

#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// A change's number (its details), or KIND KEY... as for edit (the
    /// changes to that entry; a comparison's include its paragraphs, chart
    /// rows and FAQs)
    #[arg(value_name = "CHANGE | KIND KEY")]
    pub(crate) entry: Vec<String>,
    /// Only changes at or after this date (YYYY-MM-DD) or time
    #[arg(long, value_name = "DATE")]
    pub(crate) since: Option<String>,
    /// How many changes to show
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: i64,
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(&[Format::Text, Format::Json, Format::Jsonl]))]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct RevertArgs {
    /// The change's number, from `glossary history`
    pub(crate) change: i64,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

pub fn history(ctx: &Globals, a: HistoryArgs) -> anyhow::Result<()> {
    let conn = db::open(ctx.db(), Mode::Existing)?;
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
        author: ctx.actor.author.as_deref().filter(|a| !a.trim().is_empty()),
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

pub fn revert(ctx: &Globals, a: RevertArgs) -> anyhow::Result<()> {
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    let text = db::write(&mut conn, &ctx.actor, |tx| {
        history::revert_change(tx, a.change)
    })?;
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
