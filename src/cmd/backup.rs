//! `backup`: a consistent copy while others work.

use glossary_core::db::{self, Mode};
use glossary_core::error::Error;

use crate::cmd::FormatFlag;
use crate::cmd::Globals;
use clap::Args;

pub(crate) const BACKUP_HELP: &str = "Uses SQLite's online backup API: the copy is a consistent snapshot even\nwhile imports and edits run. It is written under a temporary name and\nrenamed into place when complete.\n\nExample:\n  glossary backup backups/glossary-2024-01-15.db";

#[derive(Debug, Args)]
pub(crate) struct BackupArgs {
    /// Where to write the copy
    pub(crate) file: std::path::PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

pub fn backup(ctx: &Globals, a: BackupArgs) -> anyhow::Result<()> {
    if a.file.exists() && !a.force {
        return Err(Error::Invalid(format!(
            "{} exists; pass --force to replace it",
            a.file.display()
        ))
        .into());
    }
    // Opened first: a missing database is that, not a same-file mistake.
    let conn = db::open(ctx.db(), Mode::Existing)?;
    let same = std::fs::canonicalize(ctx.db()).ok() == std::fs::canonicalize(&a.file).ok();
    if same {
        return Err(Error::Invalid("the backup cannot be the database itself".into()).into());
    }
    db::backup(&conn, &a.file)?;
    let json = serde_json::json!({
        "database": ctx.db().display().to_string(),
        "backup": a.file.display().to_string(),
    });
    let text = format!("backed up {} to {}", ctx.db().display(), a.file.display());
    super::done(a.report.format, &text, json)
}
