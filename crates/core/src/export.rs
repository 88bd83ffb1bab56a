//! `glossary export`: the database as the CSV files `import` reads.
//!
//! Rows come out in natural-key order (terms by their folded name, senses
//! by term and number, examples in their order under each sense, articles
//! by slug and their parts by position), so exports of the same content are
//! byte-identical and a changed entry is a small diff in git. Each file is
//! streamed to a temporary name and renamed into place when complete, so a
//! failed export never leaves half a file where a whole one was.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::kind::Kind;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Only published terms and comparisons (and a comparison only when
    /// both its terms are published, so the export imports cleanly).
    pub published_only: bool,
    /// Guard cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
    /// at the start, after any spaces; a tab or carriage return at the
    /// start) with a leading `'`, and quote every cell, so that a `;` in a
    /// cell is no separator to a spreadsheet that splits on it (`a;=cmd`).
    /// Not lossless.
    pub spreadsheet_safe: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Written {
    pub file: String,
    pub rows: u64,
}

/// The condition on comparison `c` for it (and so its paragraphs, chart
/// rows and FAQs) to be exported: everything, or with `?1` = 1 only what is
/// public (the view `public_comparisons`: published with both its terms,
/// so a published-only export also imports cleanly).
macro_rules! exported_comparison {
    () => {
        "(?1 = 0 OR c.id IN (SELECT id FROM public_comparisons))"
    };
}

/// The query for one file: its columns in the order of the CSV layout,
/// `?1` = 1 for published only.
fn sql(kind: Kind) -> &'static str {
    match kind {
        Kind::Term => {
            "SELECT term, part_of_speech, note, status, CASE autolink WHEN 0 THEN 'no' ELSE '' END
             FROM terms
             WHERE ?1 = 0 OR status = 'published'
             ORDER BY lookup_key"
        }
        Kind::Sense => {
            "SELECT t.term, s.sense_number, s.domain, s.definition
             FROM terms AS t JOIN senses AS s ON s.term_id = t.id
             WHERE ?1 = 0 OR t.status = 'published'
             ORDER BY t.lookup_key, s.sense_number"
        }
        Kind::Example => {
            "SELECT t.term, s.sense_number, e.text
             FROM terms AS t JOIN senses AS s ON s.term_id = t.id JOIN examples AS e ON e.sense_id = s.id
             WHERE ?1 = 0 OR t.status = 'published'
             ORDER BY t.lookup_key, s.sense_number, e.position"
        }
        Kind::Variant => {
            "SELECT t.term, v.variant, v.type
             FROM terms AS t JOIN variants AS v ON v.term_id = t.id
             WHERE ?1 = 0 OR t.status = 'published'
             ORDER BY t.lookup_key, v.position"
        }
        Kind::Relation => {
            "SELECT t.term, s.sense_number, r.relation, g.term, gs.sense_number
             FROM terms AS t JOIN relations AS r ON r.term_id = t.id
             JOIN terms AS g ON g.id = r.target_term_id
             LEFT JOIN senses AS s ON s.id = r.sense_id
             LEFT JOIN senses AS gs ON gs.id = r.target_sense_id
             WHERE ?1 = 0 OR (t.status = 'published' AND g.status = 'published')
             ORDER BY t.lookup_key, r.position"
        }
        Kind::Comparison => {
            concat!(
                "SELECT c.slug, l.term, r.term, c.title, c.summary, c.published, c.status
                 FROM comparisons AS c
                 JOIN terms AS l ON l.id = c.left_term_id JOIN terms AS r ON r.id = c.right_term_id
                 WHERE ",
                exported_comparison!(),
                " ORDER BY c.slug"
            )
        }
        Kind::Difference => {
            concat!(
                "SELECT c.slug, d.position, d.text
                 FROM comparisons AS c JOIN differences AS d ON d.comparison_id = c.id
                 WHERE ",
                exported_comparison!(),
                " ORDER BY c.slug, d.position"
            )
        }
        Kind::Row => {
            concat!(
                "SELECT c.slug, x.position, x.aspect, x.left_value, x.right_value
                 FROM comparisons AS c JOIN comparison_rows AS x ON x.comparison_id = c.id
                 WHERE ",
                exported_comparison!(),
                " ORDER BY c.slug, x.position"
            )
        }
        Kind::Faq => {
            concat!(
                "SELECT c.slug, f.position, f.question, f.answer
                 FROM comparisons AS c JOIN faqs AS f ON f.comparison_id = c.id
                 WHERE ",
                exported_comparison!(),
                " ORDER BY c.slug, f.position"
            )
        }
    }
}

/// An export of a database with errors in its content (rows deleted in the
/// sqlite3 shell with foreign keys off) would pass for a good one and not
/// import: refused, naming the findings, unless `force`, when the answer
/// is the warning to give: what it leaves out.
pub fn exportable(conn: &Connection, force: bool) -> Result<Option<String>> {
    let findings = crate::check::content(conn)?;
    if findings.is_empty() {
        return Ok(None);
    }
    let orphans = findings.iter().filter(|f| f.code == "E101").count();
    let shown = 10;
    let mut reasons: Vec<String> = findings
        .iter()
        .take(shown)
        .map(ToString::to_string)
        .collect();
    if findings.len() > shown {
        reasons.push(format!(
            "and {} more (`glossary check` lists them all)",
            findings.len() - shown
        ));
    }
    if force {
        let n = |count: usize, word: &str| {
            format!("{count} {word}{}", if count == 1 { "" } else { "s" })
        };
        let mut said = format!(
            "warning: exporting a database with {}",
            n(findings.len(), "error")
        );
        if orphans > 0 {
            said.push_str(&format!(
                "; left out: {} (their term or comparison is gone)",
                n(orphans, "orphan")
            ));
        }
        if findings.len() > orphans {
            said.push_str(
                "; the others are written as they are, and import refuses them until they are fixed",
            );
        }
        return Ok(Some(format!("{said}:\n  {}", reasons.join("\n  "))));
    }
    Err(Error::Refused {
        action: "export this database".into(),
        reasons,
        hints: vec![
            "repair it first: `glossary check --fix` renumbers positions and lookup keys; delete orphans, or restore the rows they belong to".into(),
            "or export it as it is with `glossary export --force DIR`, which leaves the orphans out".into(),
        ],
    })
}

fn cell(v: ValueRef<'_>, spreadsheet_safe: bool) -> String {
    let s = match v {
        ValueRef::Null => return String::new(),
        ValueRef::Integer(n) => return n.to_string(),
        ValueRef::Real(f) => return f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    };
    if spreadsheet_safe && formula_like(&s) {
        format!("'{s}")
    } else {
        s
    }
}

/// Whether a spreadsheet would take `s` for a formula: `=`, `+`, `-` or
/// `@` first, after any white space (which spreadsheets skip), or a tab
/// or carriage return first.
fn formula_like(s: &str) -> bool {
    s.starts_with(['\t', '\r']) || s.trim_start().starts_with(['=', '+', '-', '@'])
}

/// Writes every file into `dir` (created if needed); returns rows per file.
pub fn export(
    conn: &Connection,
    dir: &Path,
    options: Options,
    mut progress: impl FnMut(u64),
) -> Result<Vec<Written>> {
    fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut written = Vec::new();
    let mut total = 0u64;
    for kind in Kind::ALL {
        let path = dir.join(kind.file_name());
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        // A temporary file beside the target, deleted if anything fails,
        // renamed over the target only when complete.
        let tmp = crate::files::replacement(dir, kind.file_name()).map_err(io)?;
        let rows = write_file(conn, kind, tmp.as_file(), &path, options, &mut |n| {
            progress(total + n)
        })?;
        tmp.persist(&path).map_err(|e| io(e.error))?;
        total += rows;
        written.push(Written {
            file: path.display().to_string(),
            rows,
        });
    }
    written.push(write_settings(conn, dir)?);
    written.push(write_redirects(conn, dir, options)?);
    written.push(write_pending(conn, dir, options)?);
    Ok(written)
}

/// The old addresses of renamed entries ([`crate::redirects::FILE`]):
/// `kind,old,target`, the target named as `import` finds it (with
/// `published_only`, only those whose target is published).
fn write_redirects(conn: &Connection, dir: &Path, options: Options) -> Result<Written> {
    let rows = crate::redirects::list(conn)?
        .into_iter()
        .filter(|r| !options.published_only || r.target_published)
        .map(|r| vec![r.kind.to_string(), r.old, r.to]);
    write_table(
        dir,
        crate::redirects::FILE,
        &["kind", "old", "target"],
        rows,
        options,
    )
}

/// The pending versions of published entries
/// ([`crate::pending::transfer::FILE`]), which readers do not see: left
/// out of a published-only export.
fn write_pending(conn: &Connection, dir: &Path, options: Options) -> Result<Written> {
    let rows = if options.published_only {
        Vec::new()
    } else {
        crate::pending::transfer::rows(conn)?
    };
    let rows = rows.into_iter().map(|r| {
        vec![
            r.kind,
            r.entry,
            r.started_by,
            r.started_at,
            r.updated_by,
            r.updated_at,
            r.revision.to_string(),
            r.edits,
        ]
    });
    write_table(
        dir,
        crate::pending::transfer::FILE,
        &crate::pending::transfer::COLUMNS,
        rows,
        options,
    )
}

/// Writes a file of `header` and `rows` into `dir` as the content's files
/// are written (whole or not at all; guarded for spreadsheets if asked).
fn write_table(
    dir: &Path,
    name: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    options: Options,
) -> Result<Written> {
    let path = dir.join(name);
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let tmp = crate::files::replacement(dir, name).map_err(io)?;
    let mut count = 0u64;
    {
        let mut w = csv::WriterBuilder::new()
            .quote_style(if options.spreadsheet_safe {
                csv::QuoteStyle::Always
            } else {
                csv::QuoteStyle::Necessary
            })
            .from_writer(tmp.as_file());
        let csv_err = |e: csv::Error| io(std::io::Error::other(e));
        w.write_record(header).map_err(csv_err)?;
        for row in rows {
            let record: Vec<String> = row
                .iter()
                .map(|s| cell(ValueRef::Text(s.as_bytes()), options.spreadsheet_safe))
                .collect();
            w.write_record(&record).map_err(csv_err)?;
            count += 1;
        }
        w.flush().map_err(io)?;
    }
    tmp.persist(&path).map_err(|e| io(e.error))?;
    Ok(Written {
        file: path.display().to_string(),
        rows: count,
    })
}

/// The site's settings, beside the content ([`crate::settings::FILE`]):
/// without them a site rebuilt from an export loses its title, canonical
/// links and sitemap. (Accounts, sessions, reviews and the history are
/// not content, and stay in the database.)
fn write_settings(conn: &Connection, dir: &Path) -> Result<Written> {
    let name = crate::settings::FILE;
    let path = dir.join(name);
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let tmp = crate::files::replacement(dir, name).map_err(io)?;
    let settings = crate::settings::stored(conn)?;
    {
        let mut w = csv::Writer::from_writer(tmp.as_file());
        let csv_err = |e: csv::Error| io(std::io::Error::other(e));
        w.write_record(["key", "value"]).map_err(csv_err)?;
        for (key, value) in &settings {
            w.write_record([key, value]).map_err(csv_err)?;
        }
        w.flush().map_err(io)?;
    }
    tmp.persist(&path).map_err(|e| io(e.error))?;
    Ok(Written {
        file: path.display().to_string(),
        rows: settings.len() as u64,
    })
}

fn write_file(
    conn: &Connection,
    kind: Kind,
    file: &File,
    path: &Path,
    options: Options,
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut w = csv::WriterBuilder::new()
        .quote_style(if options.spreadsheet_safe {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(BufWriter::with_capacity(1 << 20, file));
    let csv_err = |e: csv::Error| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    };
    let headers: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
    w.write_record(&headers).map_err(csv_err)?;
    let mut stmt = conn.prepare(sql(kind))?;
    let mut rows = stmt.query([i64::from(options.published_only)])?;
    let mut n = 0u64;
    let mut record: Vec<String> = Vec::with_capacity(headers.len());
    while let Some(row) = rows.next()? {
        record.clear();
        for i in 0..headers.len() {
            record.push(cell(row.get_ref(i)?, options.spreadsheet_safe));
        }
        w.write_record(&record).map_err(csv_err)?;
        n += 1;
        if n % 4096 == 0 {
            progress(n);
        }
    }
    w.flush().map_err(io)?;
    let inner = w
        .into_inner()
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    inner
        .into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_safe_guards_formulas_after_spaces_and_leaves_text() {
        for (cell, guarded) in [
            ("=1+2", true),
            ("  =HYPERLINK(\"x\")", true),
            ("\t=1", true),
            ("+1", true),
            ("-1", true),
            ("@SUM(A1)", true),
            ("a;=cmd", false),
            ("Producer", false),
            ("", false),
        ] {
            assert_eq!(formula_like(cell), guarded, "{cell:?}");
        }
    }
}
