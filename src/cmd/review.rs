//! `review`: the review queue from the command line ([`glossary_core::review`]).

use super::{done, write};
use crate::cmd::Globals;
use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::review::{self, ReviewState};

use crate::output::TEXT_JSON;
use clap::{Args, Subcommand};

pub(crate) const REVIEW_HELP: &str = "\
An editor puts a draft up for review (in the web editor: \"Ready for review\";
here: `review ready`). A publisher sees the queue with what changed in each
since it was last published, and publishes it (`approve`, with the rules of
`publish`) or sends it back with a comment the editor sees on its page.
SLUG is a comparison's slug or a term.

Examples:
  glossary review list
  glossary review list --format json
  glossary review ready producer-vs-executive-producer
  glossary review approve producer-vs-executive-producer --with-terms
  glossary review reject director-vs-producer --comment \"Cite the guild rules\"";

#[derive(Debug, Args)]
pub(crate) struct ReviewArgs {
    #[command(subcommand)]
    pub(crate) command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReviewCommand {
    /// List what waits for review, with the changes since each was published
    List {
        /// Also the entries sent back
        #[arg(long)]
        all: bool,
        /// Output format
        #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
        format: Format,
    },
    /// Put a draft up for review
    Ready { slug: String },
    /// Publish an entry waiting for review
    Approve {
        slug: String,
        /// Publish its draft terms with it
        #[arg(long)]
        with_terms: bool,
    },
    /// Send an entry back to its editor, with a comment
    Reject {
        slug: String,
        /// What to change (required: the editor reads it)
        #[arg(long, short)]
        comment: String,
    },
}

pub fn review(ctx: &Globals, a: ReviewArgs) -> anyhow::Result<()> {
    match a.command {
        ReviewCommand::List { all, format } => {
            let mut conn = db::open(ctx.db(), Mode::Existing)?;
            let list = review::list(&conn, (!all).then_some(ReviewState::Ready))?;
            let mut text = String::new();
            let mut json = Vec::new();
            for r in &list {
                let entry = glossary_core::edit::by_id(&conn, r.entry_kind(), r.entry_id)?;
                let waiting = r.state == ReviewState::Ready;
                // A published entry's pending version: shown against live.
                let pending = if waiting && glossary_core::pending::of(&conn, &entry)?.is_some() {
                    Some(db::read_only(&mut conn, |c| {
                        let tx = c.transaction()?;
                        glossary_core::pending::show(&tx, &entry)
                    })?)
                } else {
                    None
                };
                let changes = if waiting && pending.is_none() {
                    review::changes(&conn, &entry)?
                } else {
                    None
                };
                // Who did the last thing to it, and when: put it up, or
                // sent it back.
                let (by, at) = match (&r.decided_by, &r.decided_at) {
                    (Some(by), Some(at)) => (by, at),
                    _ => (&r.requested_by, &r.requested_at),
                };
                text.push_str(&format!(
                    "{} {}: {} by {by} on {}\n",
                    r.kind,
                    r.key,
                    r.state,
                    &at[..10.min(at.len())]
                ));
                if let Some(comment) = &r.comment {
                    text.push_str(&format!("  comment: {comment}\n"));
                }
                match &changes {
                    None if pending.is_some() => {
                        text.push_str("  its pending version, against live:\n");
                        for row in pending.iter().flat_map(|p| &p.rows) {
                            text.push_str(&format!("  {} {}\n", row.action, row.entry));
                            for f in &row.fields {
                                text.push_str(&format!(
                                    "    {}\n",
                                    output::field_change(
                                        &f.field,
                                        f.live.as_deref(),
                                        f.pending.as_deref()
                                    )
                                ));
                            }
                        }
                    }
                    None if r.state == ReviewState::Ready => {
                        text.push_str("  never published: all of it is new\n")
                    }
                    None => {}
                    Some(c) if c.is_empty() => {
                        text.push_str("  no change since it was last published\n")
                    }
                    Some(c) => {
                        for rev in c {
                            text.push_str(&format!("  {} {}\n", rev.action, rev.entry));
                            for f in &rev.changes {
                                text.push_str(&format!(
                                    "    {}\n",
                                    output::field_change(
                                        f.field,
                                        f.old.as_deref(),
                                        f.new.as_deref()
                                    )
                                ));
                            }
                        }
                    }
                }
                json.push(serde_json::json!({"review": r, "changes": changes, "pending": pending}));
            }
            if list.is_empty() {
                text.push_str("nothing is waiting for review");
            }
            done(format, text.trim_end(), serde_json::Value::Array(json))
        }
        ReviewCommand::Ready { slug } => {
            let by = ctx.actor.name();
            on_entry(ctx, &slug, "is waiting for review", |c, e| {
                review::ready(c, e, &by)
            })
        }
        ReviewCommand::Approve { slug, with_terms } => {
            let options = glossary_core::publication::Options {
                with_terms,
                ..Default::default()
            };
            on_entry(ctx, &slug, "is now published", |c, e| {
                review::approve(c, e, options, None)
            })
        }
        ReviewCommand::Reject { slug, comment } => {
            let by = ctx.actor.name();
            on_entry(ctx, &slug, "was sent back", |c, e| {
                review::send_back(c, e, &by, &comment)
            })
        }
    }
}

/// Does `act` to the entry `slug` names, in one write, and says so.
fn on_entry(
    ctx: &Globals,
    slug: &str,
    said: &str,
    act: impl FnOnce(
        &rusqlite::Connection,
        &glossary_core::edit::Entry,
    ) -> glossary_core::error::Result<()>,
) -> anyhow::Result<()> {
    let label = write(ctx, |c| {
        let entry = review::entry(c, slug)?;
        act(c, &entry)?;
        Ok(entry.label)
    })?;
    done(
        Format::Text,
        &format!("{label} {said}"),
        serde_json::json!({}),
    )
}
