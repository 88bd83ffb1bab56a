//! `backup`: a consistent copy while others work.

use std::path::Path;

use crate::cli::BackupArgs;
use glossary_core::db::{self, Mode};
use glossary_core::error::Error;

pub fn backup(db_path: &Path, a: BackupArgs) -> anyhow::Result<()> {
    if a.file.exists() && !a.force {
        return Err(Error::Invalid(format!(
            "{} exists; pass --force to replace it",
            a.file.display()
        ))
        .into());
    }
    // Opened first: a missing database is that, not a same-file mistake.
    let conn = db::open(db_path, Mode::Existing)?;
    let same = std::fs::canonicalize(db_path).ok() == std::fs::canonicalize(&a.file).ok();
    if same {
        return Err(Error::Invalid("the backup cannot be the database itself".into()).into());
    }
    db::backup(&conn, &a.file)?;
    let json = serde_json::json!({
        "database": db_path.display().to_string(),
        "backup": a.file.display().to_string(),
    });
    let text = format!("backed up {} to {}", db_path.display(), a.file.display());
    super::done(a.report.format, &text, json)
}
