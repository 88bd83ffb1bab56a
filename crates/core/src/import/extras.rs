//! The files an import reads besides the content's, which an export
//! writes beside it: the site's settings, `site.csv` (`key,value`), and
//! the old addresses of renamed entries, `redirects.csv`
//! (`kind,old,target`, read after the content, whose entries they name),
//! and the pending versions of published entries, `pending_versions.csv`
//! ([`crate::pending::transfer`]).
//! Each row is checked as `glossary site set` and `glossary redirect add`
//! check it; a bad one is a problem with its line, like any row, and
//! nothing is written.

use serde::de::DeserializeOwned;

use super::*;

/// Which of them a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Extra {
    Site,
    Redirects,
    Pending,
}

impl Extra {
    /// Each is read after the content, whose rows redirects and pending
    /// versions name.
    pub(super) const ALL: [Extra; 3] = [Extra::Site, Extra::Redirects, Extra::Pending];

    pub(super) fn file_name(self) -> &'static str {
        match self {
            Extra::Site => crate::settings::FILE,
            Extra::Redirects => crate::redirects::FILE,
            Extra::Pending => crate::pending::transfer::FILE,
        }
    }

    /// The table it fills, for the report.
    pub(super) fn table(self) -> &'static str {
        match self {
            Extra::Site => "site_settings",
            Extra::Redirects => "redirects",
            Extra::Pending => "pending_versions",
        }
    }

    /// The one `path` is, by its name (in any case).
    pub(super) fn of(path: &Path) -> Option<Extra> {
        let name = path.file_name()?.to_string_lossy().into_owned();
        Extra::ALL
            .into_iter()
            .find(|e| name.eq_ignore_ascii_case(e.file_name()))
    }

    /// The columns its header must name.
    fn columns(self) -> &'static [&'static str] {
        match self {
            Extra::Site => &["key", "value"],
            Extra::Redirects => &["kind", "old", "target"],
            Extra::Pending => &crate::pending::transfer::COLUMNS,
        }
    }
}

#[derive(Deserialize)]
struct Setting {
    key: String,
    value: String,
}

#[derive(Deserialize)]
struct Redirect {
    kind: String,
    old: String,
    target: String,
}

/// Imports the file at `path` (named `display` in messages).
pub(super) fn import(
    conn: &Connection,
    extra: Extra,
    path: &Path,
    display: &str,
    problems: &mut Vec<Problem>,
    observer: &mut dyn Observer,
) -> Result<Counts> {
    let mut counts = Counts::default();
    let mut done = |line: u64, entry: String, outcome: Outcome| {
        counts.add(&outcome);
        observer.row(display, line, &entry, &outcome);
    };
    match extra {
        Extra::Site => rows(extra, path, display, problems, |s: Setting, line| {
            let key = s.key.trim();
            let before = crate::settings::get(conn, key)?;
            let value = crate::settings::set(conn, key, &s.value)?;
            let outcome = match before {
                None => Outcome::Inserted,
                Some(old) if old == value => Outcome::Unchanged,
                Some(old) => Outcome::Updated {
                    changes: vec![crate::model::FieldChange {
                        field: "value",
                        old: Some(old),
                        new: Some(value),
                    }],
                },
            };
            done(line, format!("site setting {key}"), outcome);
            Ok(())
        })?,
        Extra::Redirects => rows(extra, path, display, problems, |r: Redirect, line| {
            let kind = crate::store::owner_kind_typed(&r.kind)?;
            let (to, put) = crate::redirects::put(conn, kind, &r.old, &r.target)?;
            let outcome = match put {
                crate::redirects::Put::Added => Outcome::Inserted,
                crate::redirects::Put::Unchanged => Outcome::Unchanged,
                crate::redirects::Put::Moved => Outcome::Updated {
                    changes: vec![crate::model::FieldChange {
                        field: "target",
                        old: None,
                        new: Some(to.clone()),
                    }],
                },
            };
            done(
                line,
                format!("redirect \"{}\" to {to}", r.old.trim()),
                outcome,
            );
            Ok(())
        })?,
        Extra::Pending => rows(
            extra,
            path,
            display,
            problems,
            |r: crate::pending::transfer::Row, line| {
                let outcome = crate::pending::transfer::restore(conn, &r)?;
                done(
                    line,
                    format!("pending version of {} {}", r.kind, r.entry),
                    outcome,
                );
                Ok(())
            },
        )?,
    }
    Ok(counts)
}

/// Reads the rows of `extra`'s file, giving each to `apply` with its line;
/// a row that cannot be read, or that `apply` refuses as input, is a
/// problem with that line.
fn rows<T: DeserializeOwned>(
    extra: Extra,
    path: &Path,
    display: &str,
    problems: &mut Vec<Problem>,
    mut apply: impl FnMut(T, u64) -> Result<()>,
) -> Result<()> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // Read as the content's files are: streamed, whatever its size, with a
    // byte-order mark skipped and each row at most MAX_RECORD_BYTES.
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::Headers)
        .from_reader(super::reader::Limited::new(file));
    let mut problem = |line: u64, message: String| {
        problems.push(Problem {
            file: display.to_string(),
            line,
            message,
        });
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problem(1, format!("cannot read the header: {e}"));
            return Ok(());
        }
    };
    let columns = extra.columns();
    if !columns
        .iter()
        .all(|c| headers.iter().any(|h| h.eq_ignore_ascii_case(c)))
    {
        problem(
            1,
            format!(
                "the header must be {} (it is {})",
                columns.join(","),
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        );
        return Ok(());
    }
    for (i, row) in reader.deserialize::<T>().enumerate() {
        let line = row
            .as_ref()
            .err()
            .and_then(|e| e.position())
            .map_or(i as u64 + 2, |p| p.line());
        match row {
            Ok(value) => match apply(value, line) {
                Ok(()) => {}
                Err(e) if e.is_about_input() => problem(line, e.to_string()),
                Err(e) => return Err(e),
            },
            Err(e) => problem(line, format!("cannot read this row: {e}")),
        }
    }
    Ok(())
}
