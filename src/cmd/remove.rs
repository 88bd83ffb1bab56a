//! `remove`: asks first, then removes an entry and what belongs to it.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;

use super::pending::write_maybe_pending;
use super::{done, write};
use glossary_core::db::{self, Mode};
use glossary_core::edit::{self};
use glossary_core::error::Error;
use glossary_core::pending;

use crate::cmd::FormatFlag;
use crate::cmd::Globals;
use clap::Args;

pub(crate) const REMOVE_HELP: &str = "\
Says what goes with the entry (a term's senses, examples and comparisons...)
and, on a terminal, asks before removing; --yes skips the question and is
required when not on a terminal. The entries after it move up.

Examples:
  glossary remove faq producer-vs-executive-producer 20
  glossary remove term Producer --yes";

#[derive(Debug, Args)]
pub(crate) struct RemoveArgs {
    /// What to remove
    #[arg(value_enum)]
    pub(crate) kind: glossary_core::kind::Kind,
    /// Which one (as for edit)
    #[arg(required = true, value_name = "KEY")]
    pub(crate) keys: Vec<String>,
    /// Do not ask for confirmation
    #[arg(long, short)]
    pub(crate) yes: bool,
    /// Remove it from the entry's pending version only: readers keep it
    /// until that version is published (see `glossary pending`)
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

/// Asks first and writes after: the question is put with no transaction
/// open, so other writers go on while a person reads it. The write then
/// checks that the entry and what goes with it are still what was shown.
pub fn remove(ctx: &Globals, a: RemoveArgs) -> anyhow::Result<()> {
    if a.pending {
        return remove_pending(ctx, a);
    }
    let conn = db::open(ctx.db(), Mode::Existing)?;
    let entry = edit::find(&conn, a.kind, &a.keys)?;
    let cascade = edit::cascade(&conn, &entry)?;
    let what = edit::gist(&conn, &entry)?
        .map(|g| format!(" ({g})"))
        .unwrap_or_default();
    let articles = edit::articles_of_term(&conn, &entry)?;
    drop(conn);
    let with = if cascade.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = cascade
            .iter()
            .map(|(table, n)| {
                let words = table.replace('_', " ").replace("faqs", "FAQs");
                let word = if *n == 1 {
                    words.trim_end_matches('s').to_string()
                } else {
                    words
                };
                format!("{n} {word}")
            })
            .collect();
        format!(", with {}", parts.join(", "))
    };
    // The articles that go too, by name, published ones first: removing a
    // term takes them off the site.
    let named = |published: bool| -> Vec<&str> {
        articles
            .iter()
            .filter(|(_, p)| *p == published)
            .map(|(slug, _)| slug.as_str())
            .collect()
    };
    let with = match (named(true), named(false)) {
        (p, d) if p.is_empty() && d.is_empty() => with,
        (p, d) => {
            let mut groups = Vec::new();
            if !p.is_empty() {
                groups.push(format!("published: {}", p.join(", ")));
            }
            if !d.is_empty() {
                groups.push(format!("drafts: {}", d.join(", ")));
            }
            format!("{with} ({})", groups.join("; "))
        }
    };
    if !a.yes && !confirm(&format!("{}{what}{with}", entry.label))? {
        let json = serde_json::json!({"removed": null, "entry": entry.label});
        return done(a.report.format, "nothing removed", json);
    }
    write(ctx, |tx| {
        let now = edit::find(tx, a.kind, &a.keys)?;
        if now.id != entry.id || edit::cascade(tx, &now)? != cascade {
            return Err(Error::Changed {
                entry: entry.label.clone(),
            });
        }
        edit::remove(tx, &now)
    })?;
    let counts: serde_json::Map<String, serde_json::Value> = cascade
        .iter()
        .map(|(table, n)| (table.to_string(), (*n).into()))
        .collect();
    let json =
        serde_json::json!({"removed": entry.kind.word(), "entry": entry.label, "with": counts});
    done(
        a.report.format,
        &format!("removed {}{with}", entry.label),
        json,
    )
}

/// `remove --pending`: the part goes from the pending version; the live
/// entry keeps it until that version is published.
fn remove_pending(ctx: &Globals, a: RemoveArgs) -> anyhow::Result<()> {
    let owner_kind = pending::owner_kind(a.kind);
    let find = |c: &rusqlite::Connection| -> glossary_core::error::Result<_> {
        let owner = pending::entry(c, owner_kind, &a.keys[0])?;
        pending::viewed(c, &owner, |c, _| {
            let entry = edit::find(c, a.kind, &a.keys)?;
            Ok((entry.label.clone(), edit::gist(c, &entry)?))
        })
    };
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    let (label, gist) = db::read_only(&mut conn, |c| {
        let tx = c.transaction()?;
        find(&tx)
    })?;
    drop(conn);
    let what = gist.as_ref().map(|g| format!(" ({g})")).unwrap_or_default();
    if !a.yes && !confirm(&format!("{label}{what} from the pending version"))? {
        let json = serde_json::json!({"removed": null, "entry": label});
        return done(a.report.format, "nothing removed", json);
    }
    write_maybe_pending(ctx, true, a.kind, &a.keys[0], |c| {
        let now = edit::find(c, a.kind, &a.keys)?;
        if now.label != label || edit::gist(c, &now)? != gist {
            return Err(Error::Changed {
                entry: label.clone(),
            });
        }
        edit::remove(c, &now)?;
        Ok(((), vec![]))
    })?;
    let json = serde_json::json!({"removed": a.kind.word(), "entry": label, "pending": true});
    done(
        a.report.format,
        &format!("removed {label} from the pending version"),
        json,
    )
}

/// Asks "Remove WHAT? [y/N]" on a terminal; off one, refuses without
/// --yes.
fn confirm(what: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(anyhow::anyhow!(Error::Invalid(format!(
            "this would remove {what}; add --yes to confirm (not on a terminal, so not asking)"
        ))));
    }
    eprint!("Remove {what}? [y/N] ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the answer")?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
}
