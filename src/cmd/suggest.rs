//! `suggest comparisons`: the articles the glossary's relations and texts
//! say readers would want and that are not written yet
//! ([`glossary_core::ideas`]).

use std::io::Write;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::cmd::Globals;
use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::error::Error;
use glossary_core::list::Column;

pub(crate) const SUGGEST_HELP: &str = "\
Pairs of terms that have no comparison yet and that the glossary relates:
synonyms and antonyms (3 points), related terms (2), terms under one broader
meaning (1 for each they share), and terms its texts name together (1 for
two to four definitions, examples or article texts, 2 for five or more).
Highest score first.

Examples:
  glossary suggest comparisons
  glossary suggest comparisons --limit 100 --format csv > ideas.csv
  glossary add-comparison --left Producer --right Showrunner   (write one)";

#[derive(Debug, Args)]
pub(crate) struct SuggestArgs {
    #[command(subcommand)]
    pub(crate) command: SuggestCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SuggestCommand {
    /// Comparisons to write: related terms without an article
    Comparisons {
        /// How many to list
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: i64,
        /// Output format
        #[arg(long, default_value = "text", value_parser = Format::only(&[Format::Text, Format::Json, Format::Jsonl, Format::Csv, Format::Markdown]))]
        format: Format,
    },
}

const COLUMNS: &[Column] = &[
    Column {
        name: "left",
        prose: false,
    },
    Column {
        name: "right",
        prose: false,
    },
    Column {
        name: "score",
        prose: false,
    },
    Column {
        name: "reasons",
        prose: false,
    },
];

pub fn suggest(ctx: &Globals, a: SuggestArgs) -> anyhow::Result<()> {
    let SuggestCommand::Comparisons { limit, format } = a.command;
    if limit < 1 {
        return Err(Error::Usage("--limit must be at least 1".into()).into());
    }
    let conn = db::open(ctx.db(), Mode::Existing)?;
    let together = glossary_site::together::named_together(&conn)?;
    let ideas = glossary_core::ideas::comparisons(&conn, limit, &together)?;
    let mut out = output::stdout();
    if ideas.is_empty() && format == Format::Text {
        writeln!(
            out,
            "(none: relate terms with `glossary add-relation`, or name them together in definitions and answers, to get ideas)"
        )?;
        return Ok(out.flush()?);
    }
    let mut rows = output::Rows::new(&mut out, format, COLUMNS)?;
    for idea in ideas {
        rows.row(vec![
            idea.left.into(),
            idea.right.into(),
            idea.score.into(),
            if format == Format::Json || format == Format::Jsonl {
                idea.reasons.into()
            } else {
                idea.reasons.join(", ").into()
            },
        ])?;
    }
    rows.finish().context("writing the ideas")?;
    out.flush().context("writing the ideas")?;
    Ok(())
}
