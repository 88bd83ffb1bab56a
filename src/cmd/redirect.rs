//! `redirect`: old addresses of renamed entries
//! ([`glossary_core::redirects`]).

use clap::{Args, Subcommand, ValueEnum};

use super::{done, write};
use crate::cmd::Globals;
use crate::output::{Format, TEXT_JSON};
use glossary_core::db::{self, Mode};
use glossary_core::kind::Kind;
use glossary_core::redirects;

pub(crate) const REDIRECT_HELP: &str = "\
Renaming a published comparison (its slug) or a published term keeps its old
address working: the rename leaves a redirect, whoever makes it (glossary, the
web editor, an UPDATE in the sqlite3 shell), and `render --all` writes a page
at the old address that sends readers on, with every redirect listed in
`_redirects` (the format Netlify and Cloudflare Pages read). A redirect points
at the entry, not at an address: after a -> b -> c, a sends readers to c. An
entry that takes an old name back ends its redirect; a redirect never hides a
page.

Examples:
  glossary redirect list
  glossary redirect add comparison producer-vs-ep producer-vs-executive-producer
  glossary redirect add term \"Exec Producer\" \"Executive Producer\"
  glossary redirect remove comparison producer-vs-ep";

#[derive(Debug, Args)]
pub(crate) struct RedirectArgs {
    #[command(subcommand)]
    pub(crate) command: RedirectCommand,
}

/// What has an address of its own on the site.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Addressed {
    Comparison,
    Term,
}

impl Addressed {
    fn kind(self) -> Kind {
        match self {
            Addressed::Comparison => Kind::Comparison,
            Addressed::Term => Kind::Term,
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum RedirectCommand {
    /// List the old addresses and where they send readers
    List {
        /// Output format
        #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
        format: Format,
    },
    /// Send readers of an old slug or term name to an entry
    Add {
        #[arg(value_enum)]
        kind: Addressed,
        /// The old slug, or the old term
        old: String,
        /// The comparison's slug, or the term, that readers go to
        target: String,
    },
    /// Remove a redirect (its old address is a 404 again)
    Remove {
        #[arg(value_enum)]
        kind: Addressed,
        /// The old slug, or the old term
        old: String,
    },
}

pub fn redirect(ctx: &Globals, a: RedirectArgs) -> anyhow::Result<()> {
    match a.command {
        RedirectCommand::List { format } => {
            let conn = db::open(ctx.db(), Mode::Existing)?;
            let list = redirects::list(&conn)?;
            let mut text = String::new();
            for r in &list {
                text.push_str(&format!(
                    "{:<10} {} -> {}{}\n",
                    r.kind,
                    r.old,
                    r.to,
                    if r.target_published {
                        ""
                    } else {
                        " (a draft: not redirected until it is published)"
                    }
                ));
            }
            if list.is_empty() {
                text.push_str("no redirects: nothing published has been renamed");
            }
            done(format, text.trim_end(), serde_json::to_value(&list)?)
        }
        RedirectCommand::Add { kind, old, target } => {
            let to = write(ctx, |c| redirects::add(c, kind.kind(), &old, &target))?;
            done(
                Format::Text,
                &format!("\"{}\" now sends readers to {to}", old.trim()),
                serde_json::json!({}),
            )
        }
        RedirectCommand::Remove { kind, old } => {
            write(ctx, |c| redirects::remove(c, kind.kind(), &old))?;
            done(
                Format::Text,
                &format!("removed the redirect of \"{}\"", old.trim()),
                serde_json::json!({}),
            )
        }
    }
}
