//! `check`: the findings, and `--fix`.

use std::io::Write;

use anyhow::Context;

use super::plural;
use crate::cmd::Globals;
use crate::output::{self, Format};
use glossary_core::check::{self, Severity};
use glossary_core::db::{self, Mode};
use glossary_core::error::Error;

use crate::output::TEXT_JSON;
use clap::Args;

pub(crate) const CHECK_HELP: &str = "\
Codes (E = error, fails the run; W = warning):
  E100 SQLite integrity_check failed     E101 orphan (a missing parent row)
  E102 repeated positions                E103 positions with gaps
  E104 empty text                        E105 a term compared with itself
  E106 invalid published date            E107 lookup key does not match the term
  E108 position left mid-move            E109 invalid slug
  E110 a search index out of step with its table
  E111 an index or trigger of the schema is missing
  E112 fts_deferred is not empty (search indexing is off)
  E113 current_change is not empty (history filed wrongly)
  W201 sense without an example          W202 term without senses
  W203 comparison with no content yet
  W204 published comparison hidden by a draft term
  W205 a scheduled publish or unpublish overdue by five minutes
--fix repairs E102, E103, E108 (renumbering in the current order), E107
(recomputing the key), E110 (rebuilding the index), E111 (recreating it)
and E112 (emptying it); any write of glossary empties current_change (E113).

Examples:
  glossary check
  glossary check --fix
  glossary check --format json";

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Repair what can be repaired safely, and say what was done
    #[arg(long)]
    pub(crate) fix: bool,
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub(crate) format: Format,
}

pub fn check(ctx: &Globals, a: CheckArgs) -> anyhow::Result<()> {
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    let mut fixed = Vec::new();
    if a.fix {
        fixed = db::write(&mut conn, &ctx.actor, |tx| check::fix(tx))?;
    }
    let findings = db::read_only(&mut conn, |c| check::run(c))?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let mut out = crate::output::stdout();
    match a.format {
        Format::Json => output::json(
            &mut out,
            &serde_json::json!({"errors": errors, "warnings": warnings, "fixed": fixed, "findings": findings}),
        ),
        // Like `grep -q`: the exit status is the answer.
        _ if super::quiet() => Ok(()),
        _ => (|| {
            for f in &fixed {
                writeln!(out, "fixed: {f}")?;
            }
            for f in &findings {
                writeln!(out, "{f}")?;
            }
            writeln!(out, "{}, {}", plural(errors, "error"), plural(warnings, "warning"))
        })(),
    }
    .context("writing the findings")?;
    out.flush().context("writing the findings")?;
    if errors > 0 {
        let fixable = findings.iter().filter(|f| f.fixable).count();
        let hint = if fixable > 0 && !a.fix {
            format!("; `glossary check --fix` repairs {fixable} of them")
        } else {
            String::new()
        };
        return Err(anyhow::anyhow!(Error::Invalid(format!(
            "the database has {}{hint}",
            plural(errors, "error")
        ))));
    }
    Ok(())
}
