//! `publish` and `unpublish`, with the rules of what readers may see.

use anyhow::bail;

use super::{done, write};
use glossary_core::edit;
use glossary_core::kind::Kind;
use glossary_core::model::Status;
use glossary_core::publication;
use glossary_core::schedule::{self, Action};

use crate::cmd::FormatFlag;
use crate::cmd::Globals;
use clap::Args;

pub(crate) const UNPUBLISH_HELP: &str =
    "A term that published comparisons show cannot become a draft on its own:\n\
                           they would go off the site with it. --with-comparisons takes them down\n\
                           too.\n\n\
                           With --at, it is taken down at that time instead (see `glossary\n\
                           schedule`).\n\n\
                           Examples:\n  glossary unpublish producer-vs-executive-producer\n  \
                           glossary unpublish --term Producer --with-comparisons\n  \
                           glossary unpublish producer-vs-executive-producer --at '2027-01-31 18:00'";

pub(crate) const PUBLISH_HELP: &str = "\
A comparison is on the public site (render, export --published-only) when it
and both its terms are published. So publishing one whose terms are drafts is
refused (--with-terms publishes them in the same change), and so is publishing
one with no summary, no date, or no key differences, chart rows or FAQs
(--force publishes it as it is).

With --at, it is published at that time instead (RFC 3339, or a local
YYYY-MM-DD HH:MM): `glossary publish-due`, run from a timer or by `glossary
serve`, does it then, as a change filed under whoever scheduled it. See
`glossary schedule`.

Examples:
  glossary publish producer-vs-executive-producer
  glossary publish director-vs-producer --with-terms
  glossary publish --term Producer
  glossary publish producer-vs-executive-producer --at 2027-01-05T09:00:00+01:00";

/// What `publish` and `unpublish` act on: a comparison, or a term.
#[derive(Debug, Args)]
pub(crate) struct Target {
    /// The comparison's slug
    #[arg(required_unless_present = "term", conflicts_with = "term")]
    pub(crate) comparison: Option<String>,
    /// A term instead of a comparison
    #[arg(long, value_name = "TERM")]
    pub(crate) term: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct PublishArgs {
    #[command(flatten)]
    pub(crate) target: Target,
    /// Publish the comparison's draft terms with it
    #[arg(long, conflicts_with = "term")]
    pub(crate) with_terms: bool,
    /// Publish a comparison without summary, date or content
    #[arg(long, conflicts_with = "term")]
    pub(crate) force: bool,
    /// Publish it at this time instead (RFC 3339, or a local YYYY-MM-DD HH:MM)
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct UnpublishArgs {
    #[command(flatten)]
    pub(crate) target: Target,
    /// Also unpublish the published comparisons that show the term
    #[arg(long, requires = "term")]
    pub(crate) with_comparisons: bool,
    /// Take it down at this time instead (RFC 3339, or a local YYYY-MM-DD HH:MM)
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

pub fn publish(ctx: &Globals, a: PublishArgs) -> anyhow::Result<()> {
    let options = publication::Options {
        with_terms: a.with_terms,
        force: a.force,
        ..Default::default()
    };
    match a.at {
        Some(at) => plan(
            ctx,
            named(a.target)?,
            Action::Publish,
            options,
            &at,
            &a.report,
        ),
        None => set_status(ctx, a.target, Status::Published, options, &a.report),
    }
}

pub fn unpublish(ctx: &Globals, a: UnpublishArgs) -> anyhow::Result<()> {
    let options = publication::Options {
        with_comparisons: a.with_comparisons,
        ..Default::default()
    };
    match a.at {
        Some(at) => plan(
            ctx,
            named(a.target)?,
            Action::Unpublish,
            options,
            &at,
            &a.report,
        ),
        None => set_status(ctx, a.target, Status::Draft, options, &a.report),
    }
}

/// The kind and key `target` names.
pub(crate) fn named(target: Target) -> anyhow::Result<(Kind, String)> {
    match (target.term, target.comparison) {
        (Some(t), _) => Ok((Kind::Term, t)),
        (None, Some(c)) => Ok((Kind::Comparison, c)),
        (None, None) => bail!("name a comparison, or a term with --term"),
    }
}

/// Plans `action` for the entry of `kind` named `key` at `at`, and says
/// when it will be done.
pub(crate) fn plan(
    ctx: &Globals,
    (kind, key): (Kind, String),
    action: Action,
    options: publication::Options,
    at: &str,
    report: &FormatFlag,
) -> anyhow::Result<()> {
    let by = ctx.actor.name();
    let (entry, due) = write(ctx, |c| {
        let entry = edit::find(c, kind, &[key])?;
        let due = schedule::plan(c, &entry, action, options, at, &by)?;
        Ok((entry, due))
    })?;
    let text = format!(
        "{} at {due} (UTC), when `glossary publish-due` next runs",
        match action {
            Action::Publish => format!("{} will be published", entry.label),
            Action::Unpublish => format!("{} will be taken down", entry.label),
            Action::PublishPending => format!(
                "the pending version of {} will be published as it is now",
                entry.label
            ),
        }
    );
    let json = serde_json::json!({"entry": entry.label, "action": action.as_str(), "due_at": due});
    done(report.format, &text, json)
}

fn set_status(
    ctx: &Globals,
    target: Target,
    to: Status,
    options: publication::Options,
    report: &FormatFlag,
) -> anyhow::Result<()> {
    let (kind, key) = named(target)?;
    let (label, changes) = write(ctx, |c| {
        let entry = edit::find(c, kind, &[key])?;
        let changes = edit::set_with(c, &entry, &[("status".into(), to.as_str().into())], options)?;
        Ok((entry.label, changes))
    })?;
    let text = if changes.is_empty() {
        format!("{label} is already {to}")
    } else {
        format!("{label} is now {to}")
    };
    let json = serde_json::json!({"entry": label, "status": to, "changed": !changes.is_empty()});
    done(report.format, &text, json)
}
