//! `publish` and `unpublish`, with the rules of what readers may see.

use std::path::Path;

use anyhow::bail;

use super::{done, write};
use crate::cli::{PublishArgs, Report, Target, UnpublishArgs};
use glossary_core::edit::{self, Kind};
use glossary_core::model::Status;
use glossary_core::publication;

pub fn publish(db_path: &Path, a: PublishArgs) -> anyhow::Result<()> {
    let options = publication::Options {
        with_terms: a.with_terms,
        force: a.force,
        ..Default::default()
    };
    set_status(db_path, a.target, Status::Published, options, &a.report)
}

pub fn unpublish(db_path: &Path, a: UnpublishArgs) -> anyhow::Result<()> {
    let options = publication::Options {
        with_comparisons: a.with_comparisons,
        ..Default::default()
    };
    set_status(db_path, a.target, Status::Draft, options, &a.report)
}

fn set_status(
    db_path: &Path,
    target: Target,
    to: Status,
    options: publication::Options,
    report: &Report,
) -> anyhow::Result<()> {
    let (kind, key) = match (target.term, target.comparison) {
        (Some(t), _) => (Kind::Term, t),
        (None, Some(c)) => (Kind::Comparison, c),
        (None, None) => bail!("name a comparison, or a term with --term"),
    };
    let (label, changes) = write(db_path, |c| {
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
