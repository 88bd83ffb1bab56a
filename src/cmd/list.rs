//! `list` and `stats`.

use std::io::Write;

use anyhow::Context;

use crate::cmd::Globals;
use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::list;

use crate::cmd::status;
use crate::output::TEXT_JSON;
use clap::Args;
use glossary_core::model::Status;

pub(crate) const STATS_HELP: &str = "Example:\n  glossary stats --format json";

pub(crate) const LIST_HELP: &str = "Examples:\n  glossary list terms\n  glossary list comparisons --status draft\n  glossary list senses --term Producer\n  glossary list differences producer-vs-executive-producer\n  glossary list rows producer-vs-executive-producer --format json\n  glossary list faqs --comparison producer-vs-executive-producer --format csv";

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// What to list
    #[arg(value_enum)]
    pub(crate) what: glossary_core::list::What,
    /// Whose: a comparison's slug (differences, rows, faqs) or a term
    /// (senses, examples)
    #[arg(value_name = "PARENT")]
    pub(crate) parent: Option<String>,
    /// Only entries with this status (of their term or comparison)
    #[arg(long, value_name = "draft|published", value_parser = status)]
    pub(crate) status: Option<Status>,
    /// Only this comparison's entries
    #[arg(long, value_name = "SLUG", conflicts_with = "parent")]
    pub(crate) comparison: Option<String>,
    /// Only this term's entries (senses, examples, comparisons)
    #[arg(long, value_name = "TERM", conflicts_with = "parent")]
    pub(crate) term: Option<String>,
    /// At most this many
    #[arg(long, value_name = "N")]
    pub(crate) limit: Option<i64>,
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(&[Format::Text, Format::Json, Format::Jsonl, Format::Csv, Format::Markdown]))]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub(crate) format: Format,
}

pub fn list(ctx: &Globals, args: ListArgs) -> anyhow::Result<()> {
    let conn = db::open(ctx.db(), Mode::Existing)?;
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

pub fn stats(ctx: &Globals, args: StatsArgs) -> anyhow::Result<()> {
    let conn = db::open(ctx.db(), Mode::Existing)?;
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
