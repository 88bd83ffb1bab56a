//! `publish` and `unpublish`, with the rules of what readers may see.

use anyhow::bail;

use super::{done, write};
use glossary_core::edit;
use glossary_core::kind::Kind;
use glossary_core::model::Status;
use glossary_core::publication;

use crate::cmd::FormatFlag;
use crate::cmd::Globals;
use clap::Args;

pub(crate) const UNPUBLISH_HELP: &str =
    "A term that published comparisons show cannot become a draft on its own:\n\
                           they would go off the site with it. --with-comparisons takes them down\n\
                           too.\n\n\
                           Examples:\n  glossary unpublish producer-vs-executive-producer\n  \
                           glossary unpublish --term Producer --with-comparisons";

pub(crate) const PUBLISH_HELP: &str = "\
A comparison is on the public site (render, export --published-only) when it
and both its terms are published. So publishing one whose terms are drafts is
refused (--with-terms publishes them in the same change), and so is publishing
one with no summary, no date, or no key differences, chart rows or FAQs
(--force publishes it as it is).

Examples:
  glossary publish producer-vs-executive-producer
  glossary publish director-vs-producer --with-terms
  glossary publish --term Producer";

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
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

pub fn publish(ctx: &Globals, a: PublishArgs) -> anyhow::Result<()> {
    let options = publication::Options {
        with_terms: a.with_terms,
        force: a.force,
        ..Default::default()
    };
    set_status(ctx, a.target, Status::Published, options, &a.report)
}

pub fn unpublish(ctx: &Globals, a: UnpublishArgs) -> anyhow::Result<()> {
    let options = publication::Options {
        with_comparisons: a.with_comparisons,
        ..Default::default()
    };
    set_status(ctx, a.target, Status::Draft, options, &a.report)
}

fn set_status(
    ctx: &Globals,
    target: Target,
    to: Status,
    options: publication::Options,
    report: &FormatFlag,
) -> anyhow::Result<()> {
    let (kind, key) = match (target.term, target.comparison) {
        (Some(t), _) => (Kind::Term, t),
        (None, Some(c)) => (Kind::Comparison, c),
        (None, None) => bail!("name a comparison, or a term with --term"),
    };
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
