//! The output directory: files written only when they change, and the
//! manifest of what a build wrote, so the next one deletes what it no
//! longer writes and nothing else.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use glossary_core::error::{Error, Result};

/// The name, in the output directory, of the manifest glossary kept there
/// before it moved beside the directory ([`manifest_path`]): read once if
/// it is all there is, then removed.
pub const MANIFEST: &str = ".glossary-manifest";

/// Where the manifest of the output directory `dir` is kept: beside it,
/// not in it (`site/` has `.site.glossary-manifest`), so the build's
/// bookkeeping (which change it showed, every file's day) is not
/// published with the site. A directory with no parent to write in (`/`)
/// keeps it inside.
pub(super) fn manifest_path(dir: &Path) -> PathBuf {
    beside(dir, MANIFEST)
}

/// A file of the build's bookkeeping for `dir`, kept beside it as the
/// manifest is: `site/` and `.glossary-search` give
/// `.site.glossary-search`.
pub(super) fn beside(dir: &Path, suffix: &str) -> PathBuf {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => parent.join(format!(".{}{suffix}", name.to_string_lossy())),
        _ => dir.join(suffix),
    }
}

/// Replaces the bookkeeping file `path` with `text`, whole or not at all
/// (under a temporary name first: a build stopped half-way leaves the old
/// file).
pub(super) fn replace_whole(path: &Path, text: &str) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let beside = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = glossary_core::files::replacement(beside, &name).map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Whether `rel` under `dir` is reached without following a symbolic link
/// on the way (the file itself may be one: it is replaced or removed, not
/// followed). A link in the output directory pointing elsewhere must not
/// let a build write or delete outside it.
fn no_link_on_the_way(dir: &Path, rel: &Path) -> bool {
    let mut at = dir.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return false,
            Ok(_) => {}
            // Not there yet: nothing to follow.
            Err(_) => return true,
        }
    }
    true
}

/// Whether the page `rel` an earlier build wrote is still there, a file
/// reached without a link: a page kept from it must be, or it is made
/// again (and a link in the way is refused then).
pub(super) fn on_disk(dir: &Path, rel: &str) -> bool {
    no_link_on_the_way(dir, Path::new(rel))
        && fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_file())
}

fn through_a_link(dir: &Path, rel: &Path) -> Error {
    Error::Io {
        path: dir.join(rel),
        source: io::Error::other(
            "a folder on the way is a symbolic link: glossary writes and deletes only inside the output directory, so it does not follow links (replace the link by a folder)",
        ),
    }
}

/// What an earlier build wrote, from `dir`'s manifest: the build it was
/// (the newest change it showed, and the fingerprint of what else shaped
/// it), and each file with the day of its last change where it has one.
#[derive(Debug, Default)]
pub(super) struct Manifest {
    pub(super) build: Option<(i64, String)>,
    pub(super) files: Vec<(String, Option<String>)>,
    /// The terms each page links to (`#m` lines), so a change to a term
    /// re-renders the pages that link it.
    pub(super) mentions: std::collections::HashMap<String, Vec<i64>>,
    /// The key of the related comparisons each article lists (`#r`
    /// lines), so an article is rendered again when its list changes.
    pub(super) related: std::collections::HashMap<String, String>,
}

/// Reads the manifest. Lines that could point outside `dir` (absolute,
/// `..`) are ignored: the manifest is a file anyone can edit, and deleting
/// follows it.
pub(super) fn read_manifest(dir: &Path) -> Manifest {
    let text =
        fs::read_to_string(manifest_path(dir)).or_else(|_| fs::read_to_string(dir.join(MANIFEST)));
    let Ok(text) = text else {
        return Manifest::default();
    };
    let mut m = Manifest::default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(build) = line.strip_prefix("# build ") {
            let field = |name: &str| {
                build
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix(name))
                    .map(str::to_string)
            };
            if let (Some(change), Some(fp)) = (field("change="), field("fingerprint=")) {
                m.build = change.parse().ok().map(|c| (c, fp));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("#m\t") {
            if let Some((path, ids)) = rest.split_once('\t') {
                let ids = ids.split(',').filter_map(|i| i.parse().ok()).collect();
                m.mentions.insert(path.to_string(), ids);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("#r\t") {
            if let Some((path, key)) = rest.split_once('\t') {
                m.related.insert(path.to_string(), key.to_string());
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (path, day) = match line.split_once('\t') {
            Some((p, d)) => (p, Some(d.to_string())),
            None => (line, None),
        };
        if Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            m.files.push((path.to_string(), day));
        }
    }
    m
}

/// Replaces the manifest (under a temporary name first: a build stopped
/// half-way leaves the old one, which still names the old pages).
pub(super) fn write_manifest(
    dir: &Path,
    build: Option<(i64, &str)>,
    written: &[(String, Option<String>)],
    mentions: &[(String, Vec<i64>)],
    related: &[(String, String)],
) -> Result<()> {
    let mut text = String::from(
        "# Files written by glossary (render --all, export --as); the next run deletes those it no longer writes.\n",
    );
    if let Some((change, fingerprint)) = build {
        let _ = writeln!(text, "# build change={change} fingerprint={fingerprint}");
    }
    for (p, ids) in mentions.iter().filter(|(_, ids)| !ids.is_empty()) {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        let _ = writeln!(text, "#m\t{p}\t{}", ids.join(","));
    }
    for (p, key) in related {
        let _ = writeln!(text, "#r\t{p}\t{key}");
    }
    for (p, day) in written {
        match day {
            Some(d) => {
                let _ = writeln!(text, "{p}\t{d}");
            }
            None => {
                let _ = writeln!(text, "{p}");
            }
        }
    }
    let path = manifest_path(dir);
    replace_whole(&path, &text)?;
    if path != dir.join(MANIFEST) {
        // The manifest an older glossary kept in the directory, published
        // with the site: gone now that it is kept beside.
        let _ = fs::remove_file(dir.join(MANIFEST));
    }
    Ok(())
}

/// Writes files into an output directory (the site, or an export of
/// documents): only those whose content differs from what is there (a
/// rebuild leaves unchanged files untouched, so a sync to the web server
/// sends only what changed), each listed for the manifest.
pub(crate) struct Writer<'a> {
    dir: &'a Path,
    written: Vec<(String, Option<String>)>,
    /// The terms each page links to, for the manifest.
    mentions: Vec<(String, Vec<i64>)>,
    /// The key of each article's related comparisons, for the manifest.
    related: Vec<(String, String)>,
    pub files: u64,
    pub unchanged: u64,
    /// The build this is, for the manifest (the site's; None for exports).
    pub(super) build: Option<(i64, String)>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(dir: &'a Path) -> Writer<'a> {
        Writer {
            dir,
            written: Vec::new(),
            mentions: Vec::new(),
            related: Vec::new(),
            files: 0,
            unchanged: 0,
            build: None,
        }
    }

    /// Notes the terms page `rel` links to.
    pub(super) fn mention(&mut self, rel: &str, ids: Vec<i64>) {
        self.mentions.push((rel.to_string(), ids));
    }

    /// Notes the key of the related comparisons article `rel` lists.
    pub(super) fn related(&mut self, rel: &str, key: String) {
        self.related.push((rel.to_string(), key));
    }

    /// Lists a file an earlier build wrote and this one keeps as it is.
    pub(super) fn keep(&mut self, rel: String, day: Option<String>) {
        self.written.push((rel, day));
    }

    /// Lists a page made from the same inputs (`key`) as the one on disk:
    /// counted as written, unchanged.
    pub(super) fn reuse(&mut self, rel: String, key: String) {
        self.written.push((rel, (!key.is_empty()).then_some(key)));
        self.files += 1;
        self.unchanged += 1;
    }

    /// Writes the manifest and deletes what the last build listed and this
    /// one did not write; returns how many files went.
    pub(crate) fn finish(self) -> Result<u64> {
        let earlier: Vec<String> = read_manifest(self.dir)
            .files
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        self.finish_after(earlier.iter())
    }

    /// [`Writer::finish`], given the files the last build listed.
    pub(super) fn finish_after<'e>(self, earlier: impl Iterator<Item = &'e String>) -> Result<u64> {
        let kept: std::collections::HashSet<&String> =
            self.written.iter().map(|(p, _)| p).collect();
        let stale: Vec<&String> = earlier.filter(|p| !kept.contains(p)).collect();
        let build = self.build.as_ref().map(|(c, f)| (*c, f.as_str()));
        write_manifest(
            self.dir,
            build,
            &self.written,
            &self.mentions,
            &self.related,
        )?;
        let mut deleted = 0;
        for p in stale {
            if !no_link_on_the_way(self.dir, Path::new(p)) {
                // Listed under a folder that is now a link elsewhere: not
                // ours to delete.
                continue;
            }
            let path = self.dir.join(p);
            match fs::remove_file(&path) {
                Ok(()) => {
                    deleted += 1;
                    // A folder the build made and emptied (an old segment
                    // of the search index) goes with its last file.
                    if let Some(parent) = path.parent().filter(|p| *p != self.dir) {
                        let _ = fs::remove_dir(parent);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::Io { path, source: e }),
            }
        }
        Ok(deleted)
    }

    pub(crate) fn put(&mut self, rel: &Path, text: &str) -> Result<()> {
        self.put_dated(rel, text, None)
    }

    /// [`Writer::put`], with the day of the last change it shows (for the
    /// sitemap of a later, incremental build).
    pub(super) fn put_dated(&mut self, rel: &Path, text: &str, day: Option<String>) -> Result<()> {
        let unchanged = write_if_changed(self.dir, rel, text)?;
        self.record(rel.to_string_lossy().into_owned(), day, unchanged);
        Ok(())
    }

    /// Lists a file written (or found as it would be written) by
    /// [`write_if_changed`].
    pub(super) fn record(&mut self, rel: String, day: Option<String>, unchanged: bool) {
        if unchanged {
            self.unchanged += 1;
        }
        self.written.push((rel, day));
        self.files += 1;
    }
}

/// Writes `text` to `dir/rel` unless the file holds it already; returns
/// whether it did.
pub(super) fn write_if_changed(dir: &Path, rel: &Path, text: &str) -> Result<bool> {
    if !no_link_on_the_way(dir, rel) {
        return Err(through_a_link(dir, rel));
    }
    let path = dir.join(rel);
    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        // A link where a page goes: the page replaces it (writing would
        // follow it out of the directory).
        fs::remove_file(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    }
    let same = fs::metadata(&path).is_ok_and(|m| m.len() == text.len() as u64)
        && fs::read(&path).is_ok_and(|old| old == text.as_bytes());
    if same {
        return Ok(true);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| Error::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    // Whole or not at all: a web server serving the directory while it is
    // rebuilt (`serve --site`) never sends half a page.
    let parent = path.parent().unwrap_or(dir);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let mut tmp = glossary_core::files::replacement(parent, &name).map_err(io)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(io)?;
    tmp.persist(&path).map_err(|e| io(e.error))?;
    Ok(false)
}
