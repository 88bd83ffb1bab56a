//! `query`: a term, an article, or a search.

use std::io::Write;

use anyhow::Context;

use crate::cmd::Globals;
use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::edit;
use glossary_core::error::{Error, Result};
use glossary_core::kind::Kind;
use glossary_core::pending;
use glossary_core::search;
use glossary_core::view;
use glossary_site::render;
use rusqlite::Connection;

use clap::Args;

pub(crate) const QUERY_HELP: &str = "\
--search quotes each word you type, so punctuation is just text
(day-to-day, producer's); a word ending in * matches as a prefix. With --raw
the text is FTS5 syntax: \"exact phrase\", produc*, budget AND NOT music,
NEAR(funding studio, 5). Hits are ranked by relevance (bm25).

Examples:
  glossary query --term producer
  glossary query --term 'EXECUTIVE PRODUCER' --format json
  glossary query --comparison producer-vs-executive-producer --format markdown
  glossary query --search 'day-to-day'
  glossary query --search 'budget OR funding' --raw --limit 5 --format csv";

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["term", "comparison", "search"])))]
pub(crate) struct QueryArgs {
    /// A term, in any case and with or without accents
    #[arg(long, value_name = "TERM")]
    pub(crate) term: Option<String>,

    /// A comparison's slug (or its title)
    #[arg(long, value_name = "SLUG")]
    pub(crate) comparison: Option<String>,

    /// Full-text search of definitions, examples, articles, charts and FAQs;
    /// a term's name or variant (EP) finds the term first
    #[arg(long, value_name = "TEXT")]
    pub(crate) search: Option<String>,

    /// With --search: TEXT is FTS5 query syntax (phrases, prefix*, AND/OR/NOT, NEAR)
    #[arg(long, requires = "search")]
    pub(crate) raw: bool,

    /// With --search: how many hits to show
    #[arg(long, default_value_t = 20, requires = "search")]
    pub(crate) limit: i64,

    /// With --term or --comparison: show it as its pending version will
    /// make it (see `glossary pending`)
    #[arg(long, conflicts_with = "search")]
    pub(crate) pending: bool,

    /// Output format: text, json, jsonl or markdown; csv too with --search
    /// (a list of hits), not with --term or --comparison (one entry)
    #[arg(long, default_value = "text", value_parser = Format::only(&[Format::Text, Format::Json, Format::Jsonl, Format::Markdown, Format::Csv]))]
    pub(crate) format: Format,
}

pub fn run(ctx: &Globals, args: QueryArgs) -> anyhow::Result<()> {
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    let mut out = crate::output::stdout();
    if args.term.is_some() || args.comparison.is_some() {
        let shown = if args.pending {
            db::read_only(&mut conn, |c| {
                let tx = c.transaction()?;
                let (kind, key) = match (&args.term, &args.comparison) {
                    (Some(t), _) => (Kind::Term, t.as_str()),
                    (None, Some(s)) => (Kind::Comparison, s.as_str()),
                    (None, None) => unreachable!("checked above"),
                };
                let owner = pending::entry(&tx, kind, key)?;
                pending::viewed(&tx, &owner, |c, _| {
                    // Found by id: the pending version may rename it.
                    let key = edit::keys_of(c, kind, owner.id)?.remove(0);
                    entry(c, &args, &key)
                })
            })?
        } else {
            let key = args.term.as_deref().or(args.comparison.as_deref());
            entry(&conn, &args, key.unwrap_or_default())?
        };
        out.write_all(&shown).context("writing the result")?;
    } else if let Some(text) = &args.search {
        if args.limit < 1 {
            return Err(Error::Usage("--limit must be at least 1".into()).into());
        }
        let hits = search::search(&conn, text, args.raw, args.limit)?;
        let width = output::text_width();
        output::hits(&mut out, &hits, args.format, width).context("writing the result")?;
    }
    out.flush().context("writing the result")?;
    Ok(())
}

/// The term or article `key` names (`--term` or `--comparison`), written
/// in the format asked for.
fn entry(conn: &Connection, args: &QueryArgs, key: &str) -> Result<Vec<u8>> {
    let width = output::text_width();
    let entries = [Format::Text, Format::Json, Format::Jsonl, Format::Markdown];
    let mut out = Vec::new();
    let what = if args.term.is_some() {
        "--term"
    } else {
        "--comparison"
    };
    args.format
        .ensure(&entries, what)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let written = if args.term.is_some() {
        let entry = view::term(conn, key)?;
        match args.format {
            Format::Json => output::json(&mut out, &entry),
            Format::Jsonl => output::json_line(&mut out, &entry),
            Format::Markdown => {
                out.write_all(glossary_site::term::term_markdown(&entry).as_bytes())
            }
            _ => output::term(&mut out, &entry, width),
        }
    } else {
        match args.format {
            Format::Markdown => {
                let page = render::page(conn, key)?;
                out.write_all(render::markdown(&page).as_bytes())
            }
            Format::Json => output::json(&mut out, &view::comparison(conn, key)?),
            Format::Jsonl => output::json_line(&mut out, &view::comparison(conn, key)?),
            _ => output::article(&mut out, &view::comparison(conn, key)?, width),
        }
    };
    written.expect("writing to memory does not fail");
    Ok(out)
}
