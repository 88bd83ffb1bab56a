//! `check`: the findings, and `--fix`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::plural;
use crate::cli::CheckArgs;
use crate::output::{self, Format};
use glossary_core::check::{self, Severity};
use glossary_core::db::{self, Mode};
use glossary_core::error::Error;

pub fn check(db_path: &Path, a: CheckArgs) -> anyhow::Result<()> {
    let mut conn = db::open(db_path, Mode::Existing)?;
    let mut fixed = Vec::new();
    if a.fix {
        fixed = db::write(&mut conn, |tx| check::fix(tx))?;
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
