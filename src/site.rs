//! `glossary render --all`: the static site, and keeping an output
//! directory equal to it. Pages come from [`crate::render`]; which entries
//! are public is [`crate::publication`]'s rule.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{slugify, Status, TermId};
use crate::publication;
use crate::query;
use crate::render::{html_page, page, term_html_page, Links, Listed};
use crate::store::terms;
use crate::templates::Templates;
use minijinja::context;

/// What `render --all` wrote.
#[derive(Debug, Default, Serialize)]
pub struct SiteReport {
    pub comparisons: u64,
    pub terms: u64,
    pub files: u64,
    /// Pages of an earlier build that are no longer part of the site
    /// (removed, renamed or unpublished entries), deleted.
    pub deleted: u64,
}

/// The file in the output directory that lists what glossary wrote there,
/// one path per line relative to the directory: the next build deletes
/// what it lists and no longer writes, and nothing else, so a person's own
/// files in the directory are safe.
pub const MANIFEST: &str = ".glossary-manifest";

/// The paths an earlier build listed in `dir`'s manifest. Lines that could
/// point outside `dir` (absolute, `..`) are ignored: the manifest is a
/// file anyone can edit, and deleting follows it.
fn read_manifest(dir: &Path) -> Vec<PathBuf> {
    let Ok(text) = fs::read_to_string(dir.join(MANIFEST)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .filter(|p| {
            p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        })
        .collect()
}

/// Replaces the manifest (under a temporary name first: a build stopped
/// half-way leaves the old one, which still names the old pages).
fn write_manifest(dir: &Path, written: &[PathBuf]) -> Result<()> {
    let mut text = String::from(
        "# Files written by `glossary render --all`; the next build deletes those it no longer writes.\n",
    );
    for p in written {
        let _ = writeln!(text, "{}", p.display());
    }
    let path = dir.join(MANIFEST);
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let mut tmp = crate::files::replacement(dir, MANIFEST).map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.persist(&path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writes the static site to `dir`: `index.html`, `style.css`,
/// `compare/SLUG.html` per published comparison and `terms/NAME.html` per
/// published term. Drafts are left out unless `drafts`.
pub fn site(
    conn: &Connection,
    dir: &Path,
    drafts: bool,
    templates: &Templates,
    mut progress: impl FnMut(u64),
) -> Result<SiteReport> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source: io::Error| Error::Io {
            path: path.clone(),
            source,
        }
    };
    for sub in ["compare", "terms"] {
        let d = dir.join(sub);
        fs::create_dir_all(&d).map_err(io_err(&d))?;
    }
    let visible = |s: Status| drafts || s == Status::Published;
    let mut written: Vec<PathBuf> = Vec::new();

    // File names: slugs for comparisons; the term's slug for terms, made
    // unique with its id where two terms slugify alike.
    let mut term_files: HashMap<TermId, String> = HashMap::new();
    let mut taken: HashMap<String, TermId> = HashMap::new();
    let mut term_list: Vec<(TermId, String)> = Vec::new();
    {
        let mut stmt = conn.prepare("SELECT id, term, status FROM terms ORDER BY lookup_key")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, TermId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Status>(2)?,
            ))
        })?;
        for row in rows {
            let (id, name, status) = row?;
            if !visible(status) {
                continue;
            }
            let mut file = slugify(&name);
            if file.is_empty() || taken.contains_key(&file) {
                file = format!("{}-{}", if file.is_empty() { "term" } else { &file }, id.0);
            }
            taken.insert(file.clone(), id);
            term_files.insert(id, format!("{file}.html"));
            term_list.push((id, name));
        }
    }
    let mut comparison_files: HashMap<String, String> = HashMap::new();
    let mut index_entries: Vec<(String, String, Option<String>)> = Vec::new();
    let mut report = SiteReport::default();
    let slugs: Vec<String> = conn
        .prepare(&format!(
            "SELECT slug FROM comparisons AS c WHERE ?1 OR {} ORDER BY slug",
            publication::public_comparison("c")
        ))?
        .query_map([drafts], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let links = Links {
        terms: term_files.clone(),
        root: Some("../"),
    };
    for slug in slugs {
        let p = page(conn, &slug)?;
        let file = format!("{slug}.html");
        let path = dir.join("compare").join(&file);
        fs::write(&path, html_page(&p, &links, templates)?).map_err(io_err(&path))?;
        written.push(Path::new("compare").join(&file));
        index_entries.push((file.clone(), p.title(), p.article.header.published.clone()));
        comparison_files.insert(slug, file);
        report.comparisons += 1;
        report.files += 1;
        progress(report.files);
    }
    for (id, _) in &term_list {
        let entry = query::term(conn, &terms::get(conn, *id)?.term)?;
        let path = dir.join("terms").join(&term_files[id]);
        fs::write(&path, term_html_page(&entry, &comparison_files, templates)?)
            .map_err(io_err(&path))?;
        written.push(Path::new("terms").join(&term_files[id]));
        report.terms += 1;
        report.files += 1;
        progress(report.files);
    }
    let listed: Vec<Listed<'_>> = index_entries
        .iter()
        .map(|(file, title, published)| Listed {
            href: format!("compare/{file}"),
            title,
            published: published.as_deref(),
        })
        .collect();
    let term_links: Vec<_> = term_list
        .iter()
        .map(|(id, name)| context! { href => format!("terms/{}", term_files[id]), name })
        .collect();
    let index = templates.render(
        "site/index.html",
        context! { title => "Glossary", root => "", comparisons => listed, terms => term_links },
    )?;
    let style = templates.style()?;
    for (name, text) in [
        ("index.html", index.as_str()),
        ("style.css", style.as_str()),
    ] {
        let path = dir.join(name);
        fs::write(&path, text).map_err(io_err(&path))?;
        written.push(PathBuf::from(name));
        report.files += 1;
    }
    let kept: std::collections::HashSet<&PathBuf> = written.iter().collect();
    let stale: Vec<PathBuf> = read_manifest(dir)
        .into_iter()
        .filter(|p| !kept.contains(p))
        .collect();
    write_manifest(dir, &written)?;
    for p in stale {
        let path = dir.join(&p);
        match fs::remove_file(&path) {
            Ok(()) => report.deleted += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Io { path, source: e }),
        }
    }
    Ok(report)
}
