//! `schedule` and `publish-due`: publishing at a time
//! ([`glossary_core::schedule`]).

use anyhow::bail;
use clap::{Args, Subcommand};

use super::{done, write};
use crate::cmd::publish::{named, Target};
use crate::cmd::Globals;
use crate::output::{Format, TEXT_JSON};
use glossary_core::db::{self, Mode};
use glossary_core::schedule;

pub(crate) const SCHEDULE_HELP: &str = "\
What is planned: `glossary publish SLUG --at TIME` (and `unpublish`, and the
same with --term) puts an entry here, as does `glossary pending publish KIND
KEY --at TIME` (its pending version, as it is when planned); `glossary
publish-due` does it when its time comes. TIME is RFC 3339 (2027-01-05T09:00:00+01:00) or a local
YYYY-MM-DD HH:MM (the machine's time zone); it is kept in UTC. The time an
article goes live is separate from its displayed `published` date. An entry
has one plan at a time: planning again replaces it.

Examples:
  glossary schedule
  glossary schedule --format json
  glossary schedule cancel producer-vs-executive-producer
  glossary schedule cancel --term Producer";

pub(crate) const PUBLISH_DUE_HELP: &str = "\
Does what `glossary schedule` lists as due, once: each item as one change,
filed under whoever scheduled it, so `glossary history` says who planned it.
Safe to run from a timer every minute, late, or twice at once: an item is
done by exactly one run. `glossary serve` runs it every minute itself. An
item that cannot be done (publishing's rules refuse it) stays scheduled with
the reason, is tried again at the next run, and makes the exit status 1.

A systemd timer that runs it every minute:
  # /etc/systemd/system/glossary-publish-due.service
  [Service]
  Type=oneshot
  ExecStart=/usr/local/bin/glossary --db /srv/glossary/glossary.db publish-due --quiet
  # /etc/systemd/system/glossary-publish-due.timer
  [Timer]
  OnCalendar=minutely
  [Install]
  WantedBy=timers.target

Examples:
  glossary publish-due
  glossary publish-due --format json";

#[derive(Debug, Args)]
pub(crate) struct ScheduleArgs {
    #[command(subcommand)]
    pub(crate) command: Option<ScheduleCommand>,
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub(crate) format: Format,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ScheduleCommand {
    /// Cancel what is planned for a comparison or a term
    Cancel {
        #[command(flatten)]
        target: Target,
    },
}

#[derive(Debug, Args)]
pub(crate) struct PublishDueArgs {
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub(crate) format: Format,
}

pub fn schedule(ctx: &Globals, a: ScheduleArgs) -> anyhow::Result<()> {
    match a.command {
        Some(ScheduleCommand::Cancel { target }) => {
            let (kind, key) = named(target)?;
            let planned = write(ctx, |c| {
                schedule::cancel(c, &glossary_core::edit::find(c, kind, &[key])?)
            })?;
            let text = format!(
                "cancelled: {} {} {} at {}",
                planned.action, planned.kind, planned.key, planned.due_at
            );
            done(a.format, &text, serde_json::to_value(&planned)?)
        }
        None => {
            let conn = db::open(ctx.db(), Mode::Existing)?;
            let list = schedule::list(&conn)?;
            let now = schedule::now(&conn)?;
            let mut text = String::new();
            for s in &list {
                text.push_str(&format!(
                    "{}  {:<15} {} {}  (by {}{})\n",
                    s.due_at,
                    s.action,
                    s.kind,
                    s.key,
                    s.requested_by,
                    match (&s.failure, s.due_at <= now) {
                        (Some(why), _) => format!("; could not be done: {why}"),
                        (None, true) => "; due: run `glossary publish-due`".to_string(),
                        (None, false) => String::new(),
                    }
                ));
            }
            if list.is_empty() {
                text.push_str("nothing is scheduled (plan with `glossary publish SLUG --at TIME`)");
            }
            done(a.format, text.trim_end(), serde_json::to_value(&list)?)
        }
    }
}

pub fn publish_due(ctx: &Globals, a: PublishDueArgs) -> anyhow::Result<()> {
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    let done_items = schedule::run_due(&mut conn)?;
    let mut text = String::new();
    for d in &done_items {
        text.push_str(&match (&d.failure, d.change) {
            (Some(why), _) => format!(
                "could not {} {}: {why}\n",
                schedule::Action::parse(d.action).map_or(d.action, schedule::Action::verb),
                d.entry
            ),
            (None, Some(change)) => format!(
                "{} {} (change {change}, scheduled by {})\n",
                action_done(d.action),
                d.entry,
                d.scheduled_by
            ),
            (None, None) => format!("{} was {} already\n", d.entry, action_done(d.action)),
        });
    }
    if done_items.is_empty() {
        text.push_str("nothing is due");
    }
    done(
        a.format,
        text.trim_end(),
        serde_json::to_value(&done_items)?,
    )?;
    let failed = done_items.iter().filter(|d| d.failure.is_some()).count();
    if failed > 0 {
        bail!(
            "{failed} scheduled item{} could not be done; they stay scheduled (see `glossary schedule`)",
            if failed == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// `published`, `unpublished`, `published the pending version of`.
fn action_done(action: &str) -> &'static str {
    schedule::Action::parse(action).map_or("done", schedule::Action::done)
}
