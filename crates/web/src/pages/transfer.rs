//! Import by upload and export by download.
//!
//! An upload (CSV files, or a zip of a seed directory) is written into a
//! temporary directory under the names of the files glossary knows
//! (`terms.csv`, ...), never under a name or path it brings, and read by
//! the import code: first a dry run whose report the editor reads, then,
//! on Apply, the import itself.

use std::io::Read;
use std::time::{Duration, Instant};

use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use glossary_core::error::{Error, Result};
use glossary_core::import;
use glossary_core::import::Observer;
use glossary_core::kind::Kind;
use glossary_core::model::Outcome;

use crate::app::Shared;
use crate::app::Upload;
use crate::auth::who::Who;
use crate::csrf::Csrf;
use crate::error::WebError;
use crate::error::{failure, page};
use crate::forms::Posted;
use crate::urls;

/// How long a checked upload waits for Apply.
pub(crate) const KEPT_FOR: Duration = Duration::from_secs(3600);
/// How much a zip may unpack to: a small zip can hold gigabytes. Counted
/// as it is written to disk, so memory holds none of it.
const UNPACKED_LIMIT: u64 = 512 << 20;
/// Uploads kept waiting for Apply at once: the oldest goes past that.
const PENDING_LIMIT: usize = 8;
/// How many rows the dry-run report lists (it counts them all).
const LISTED_ROWS: usize = 500;

pub(crate) async fn import_page(csrf: Csrf) -> Response {
    page(
        StatusCode::OK,
        "editor/import.html",
        &csrf,
        minijinja::context! { title => "Import and export", files => file_names() },
    )
}

pub(crate) fn file_names() -> Vec<&'static str> {
    Kind::ALL.iter().map(|k| k.file_name()).collect()
}

/// One row the import would change, for the report.
#[derive(Serialize)]
pub(crate) struct Row {
    file: String,
    line: u64,
    entry: String,
    action: &'static str,
    changes: Vec<glossary_core::model::FieldChange>,
}

#[derive(Default)]
pub(crate) struct Collector {
    rows: Vec<Row>,
    more: u64,
}

impl Observer for Collector {
    fn row(&mut self, file: &str, line: u64, entry: &str, outcome: &Outcome) {
        let (action, changes) = match outcome {
            Outcome::Inserted => ("add", Vec::new()),
            Outcome::Updated { changes } => ("change", changes.clone()),
            Outcome::Unchanged => return,
        };
        if self.rows.len() >= LISTED_ROWS {
            self.more += 1;
            return;
        }
        self.rows.push(Row {
            file: file.to_string(),
            line,
            entry: entry.to_string(),
            action,
            changes,
        });
    }
}

/// Takes the upload, writes it into a temporary directory, and shows the
/// dry run's report.
pub(crate) async fn upload(
    State(app): State<Shared>,
    csrf: Csrf,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    if let Err(e) =
        crate::auth::who::require(glossary_core::accounts::users::Role::Admin, "importing")
    {
        return Err(WebError::from(e));
    }
    if app.read_only {
        let e =
            Error::Invalid("this editor serves a read-only copy: import on the main server".into());
        return Err(WebError::from(e));
    }
    let dir = match private_dir("glossary-upload-") {
        Ok(d) => d,
        Err(e) => {
            return Err(WebError::from(Error::Invalid(format!(
                "cannot keep the upload: {e}"
            ))))
        }
    };
    let mut token_ok = false;
    let mut received: Vec<String> = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return Err(WebError::with_status(
                    e.status(),
                    Error::Invalid(format!("the upload could not be read: {}", e.body_text())),
                ));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return Err(WebError::with_status(
                    e.status(),
                    Error::Invalid(format!("the upload could not be read: {}", e.body_text())),
                ));
            }
        };
        if name == "csrf" {
            token_ok = crate::forms::refusal(&csrf, std::str::from_utf8(&bytes).ok()).is_none();
            continue;
        }
        if !token_ok {
            // The token comes first in the form: nothing is kept before it.
            return Ok(refused(&csrf));
        }
        let Some(file_name) = file_name.filter(|f| !f.is_empty()) else {
            continue;
        };
        let kept = if file_name.to_ascii_lowercase().ends_with(".zip") {
            unzip(&bytes, dir.path(), &mut received, &mut ignored)
        } else {
            keep(
                &file_name,
                &mut &bytes[..],
                u64::MAX,
                dir.path(),
                &mut received,
                &mut ignored,
            )
            .map(|_| ())
        };
        if let Err(e) = kept {
            return Err(WebError::from(e));
        }
    }
    if !token_ok {
        return Ok(refused(&csrf));
    }
    if received.is_empty() {
        let e = Error::Invalid(format!(
            "the upload holds none of the files glossary imports ({}){}",
            file_names().join(", "),
            if ignored.is_empty() {
                String::new()
            } else {
                format!("; left out: {}", ignored.join(", "))
            }
        ));
        return Err(WebError::from(e));
    }
    let path = dir.path().to_path_buf();
    let app2 = app.clone();
    let checked = crate::app::blocking(move || {
        crate::app::as_writer(&app2, |conn| {
            let mut collector = Collector::default();
            let report = glossary_core::db::read_only(conn, |c| {
                collector = Collector::default();
                import::import(
                    c,
                    &glossary_core::change::Actor::default(),
                    std::slice::from_ref(&path),
                    import::Options { dry_run: true },
                    &mut collector,
                )
            })?;
            Ok((report, collector))
        })
    })
    .await;
    let (report, collector) = match checked {
        Ok(r) => r,
        Err(Error::Import {
            problems,
            truncated,
        }) => {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "editor/import.html",
                &csrf,
                minijinja::context! { title => "Import and export", files => file_names(), received, ignored, problems, truncated },
            ));
        }
        Err(e) => return Err(WebError::from(e)),
    };
    let token = glossary_core::accounts::tokens::random_hex::<16>();
    {
        let mut uploads = app.uploads.lock().unwrap_or_else(|e| e.into_inner());
        uploads.retain(|_, u| u.at.elapsed() < KEPT_FOR);
        while uploads.len() >= PENDING_LIMIT {
            let oldest = uploads
                .iter()
                .min_by_key(|(_, u)| u.at)
                .map(|(t, _)| t.clone());
            match oldest {
                Some(t) => uploads.remove(&t),
                None => break,
            };
        }
        uploads.insert(
            token.clone(),
            Upload {
                dir,
                at: Instant::now(),
            },
        );
    }
    Ok(page(
        StatusCode::OK,
        "editor/import.html",
        &csrf,
        minijinja::context! {
            title => "Import and export", files => file_names(), received, ignored,
            report, rows => collector.rows, more => collector.more, token,
        },
    ))
}

/// A temporary directory only this user can read (an upload is the
/// glossary's content, perhaps unpublished).
pub(crate) fn private_dir(prefix: &str) -> std::io::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new().prefix(prefix).tempdir()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(dir)
}

/// Creates `path` for writing, readable by this user alone.
pub(crate) fn private_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

pub(crate) fn refused(csrf: &Csrf) -> Response {
    crate::forms::refusal(csrf, None).expect("no token is refused")
}

/// Writes one uploaded CSV file into `dir` under the name of the file it
/// is (`faqs.csv`), whatever path it came with, streaming from `content`
/// and refusing more than `limit` bytes: how many it wrote.
pub(crate) fn keep(
    name: &str,
    content: &mut dyn Read,
    limit: u64,
    dir: &std::path::Path,
    received: &mut Vec<String>,
    ignored: &mut Vec<String>,
) -> Result<u64> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let known = if base.eq_ignore_ascii_case(glossary_core::settings::FILE) {
        Some(glossary_core::settings::FILE)
    } else {
        Kind::of_file(base).map(Kind::file_name)
    };
    let Some(known) = known else {
        ignored.push(base.to_string());
        return Ok(0);
    };
    let path = dir.join(known);
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let mut file = private_file(&path).map_err(io)?;
    let written = std::io::copy(&mut content.take(limit.saturating_add(1)), &mut file)
        .map_err(|e| Error::Invalid(format!("the upload could not be read: {e}")))?;
    if written > limit {
        return Err(too_big());
    }
    received.push(known.to_string());
    Ok(written)
}

pub(crate) fn too_big() -> Error {
    Error::Invalid(format!(
        "the zip file unpacks to more than {} MB: import a directory that large with `glossary import` on the server",
        UNPACKED_LIMIT >> 20
    ))
}

pub(crate) fn unzip(
    bytes: &[u8],
    dir: &std::path::Path,
    received: &mut Vec<String>,
    ignored: &mut Vec<String>,
) -> Result<()> {
    let bad =
        |e: zip::result::ZipError| Error::Invalid(format!("the zip file could not be read: {e}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(bad)?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().to_string();
        let allowed = UNPACKED_LIMIT.saturating_sub(unpacked);
        unpacked += keep(&name, &mut file, allowed, dir, received, ignored)?;
    }
    Ok(())
}

/// Applies a checked upload: the import itself, one change.
pub(crate) async fn apply(
    State(app): State<Shared>,
    who: Who,
    posted: Posted,
) -> Result<Response, WebError> {
    if app.read_only {
        let e =
            Error::Invalid("this editor serves a read-only copy: import on the main server".into());
        return Err(WebError::from(e));
    }
    let upload = {
        let mut uploads = app.uploads.lock().unwrap_or_else(|e| e.into_inner());
        uploads.remove(posted.get("token"))
    };
    let Some(upload) = upload else {
        let e = Error::Invalid(
            format!("this upload is no longer waiting (applied already, older than an hour, or one of more than {PENDING_LIMIT} uploads checked since): upload the files again"),
        );
        return Err(WebError::from(e));
    };
    let app2 = app.clone();
    let done = crate::app::blocking(move || {
        let actor = who.actor("import (upload)");
        crate::app::as_writer(&app2, |conn| {
            let path = upload.dir.path().to_path_buf();
            let report = import::import(
                conn,
                &actor,
                &[path],
                import::Options::default(),
                &mut import::Quiet,
            )?;
            Ok(report.change)
        })
    })
    .await;
    Ok(match done {
        Ok(Some(change)) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, urls::change(change))],
        )
            .into_response(),
        Ok(None) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, "/history".to_string())],
        )
            .into_response(),
        Err(e) => failure(e),
    })
}

/// The whole glossary as the CSV files `import` reads, in one zip: written
/// to an unnamed temporary file (gone when the download ends), then sent
/// from it, so a large glossary is never held in memory.
#[derive(serde::Deserialize, Default)]
pub(crate) struct ExportQuery {
    /// `1`: cells a spreadsheet would run as formulas are guarded (as
    /// `glossary export --spreadsheet-safe`).
    #[serde(default)]
    spreadsheet_safe: Option<String>,
}

pub(crate) async fn export(
    State(app): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
) -> Response {
    let options = glossary_core::export::Options {
        spreadsheet_safe: q.spreadsheet_safe.is_some_and(|v| v == "1"),
        ..Default::default()
    };
    let zipped = crate::app::read(&app, move |conn| {
        let failed =
            |e: &dyn std::fmt::Display| Error::Invalid(format!("cannot write the export: {e}"));
        // A database with errors is not exported as if it were whole.
        glossary_core::export::exportable(conn, false)?;
        let dir = private_dir("glossary-export-").map_err(|e| failed(&e))?;
        let written = glossary_core::export::export(conn, dir.path(), options, |_| {})?;
        let mut zip = zip::ZipWriter::new(tempfile::tempfile().map_err(|e| failed(&e))?);
        let zipped = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        for w in written {
            // The file's own name (`terms.csv`), never the server's path.
            let path = std::path::PathBuf::from(&w.file);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| failed(&"an exported file has no name"))?;
            let mut file = std::fs::File::open(&path).map_err(|e| Error::Io { path, source: e })?;
            zip.start_file(format!("glossary/{name}"), zipped)
                .map_err(|e| failed(&e))?;
            std::io::copy(&mut file, &mut zip).map_err(|e| failed(&e))?;
        }
        let mut file = zip.finish().map_err(|e| failed(&e))?;
        let length =
            std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(|e| failed(&e))?;
        std::io::Seek::rewind(&mut file).map_err(|e| failed(&e))?;
        Ok((file, length))
    })
    .await;
    match zipped {
        Ok((file, length)) => {
            let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
            (
                [
                    (header::CONTENT_TYPE, "application/zip".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"glossary-export.zip\"".to_string(),
                    ),
                    (header::CONTENT_LENGTH, length.to_string()),
                ],
                axum::body::Body::from_stream(stream),
            )
                .into_response()
        }
        Err(e) => failure(e),
    }
}
