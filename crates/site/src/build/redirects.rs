//! The old addresses of renamed entries: a page at each that sends
//! readers on (an immediate refresh, a canonical link to the new address,
//! a plain link), and `_redirects`, the same list in the format Netlify
//! and Cloudflare Pages serve as real 301s. A redirect whose old address
//! is a page now, or whose entry readers do not see, is not written.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use minijinja::context;
use rusqlite::Connection;

use glossary_core::error::Result;
use glossary_core::kind::Kind;
use glossary_core::model::{slug_of_key, TermId};
use glossary_core::settings::Settings;

use super::output::Writer;
use crate::templates::Templates;

/// The pages this build writes, by folder: what a redirect may not hide
/// and where it may send readers.
pub(super) struct Pages<'a> {
    /// Slug -> `SLUG.html`, under `compare/`.
    pub(super) comparisons: &'a HashMap<String, String>,
    /// Slug -> the article's title, which its redirect pages show.
    pub(super) titles: &'a HashMap<String, String>,
    /// Term -> its file, under `terms/`.
    pub(super) terms: &'a HashMap<TermId, String>,
}

/// Writes the redirect pages and `_redirects`; returns how many.
pub(super) fn write(
    conn: &Connection,
    out: &mut Writer,
    templates: &Templates,
    settings: &Settings,
    pages: &Pages<'_>,
) -> Result<usize> {
    let term_pages: HashSet<&str> = pages.terms.values().map(String::as_str).collect();
    let mut list = String::new();
    let mut n = 0;
    for r in glossary_core::redirects::list(conn)? {
        let (folder, from, to, title) = match r.entry_kind() {
            Kind::Term => {
                let from = format!("{}.html", slug_of_key(&r.old));
                let Some(to) = pages.terms.get(&TermId(r.target_id)) else {
                    continue;
                };
                if from == ".html" || term_pages.contains(from.as_str()) {
                    continue;
                }
                ("terms", from, to.clone(), r.to.clone())
            }
            _ => {
                let Some(to) = pages.comparisons.get(&r.target_key) else {
                    continue;
                };
                if pages.comparisons.contains_key(&r.old) {
                    continue;
                }
                let title = pages.titles.get(&r.target_key).unwrap_or(&r.to).clone();
                ("compare", format!("{}.html", r.old), to.clone(), title)
            }
        };
        let canonical = match &settings.base_url {
            Some(base) => format!("{base}{folder}/{to}"),
            None => to.clone(),
        };
        let page = templates.render(
            "site/redirect.html",
            context! { title => title, to => &to, canonical => canonical, site => settings },
        )?;
        out.put(&Path::new(folder).join(&from), &page)?;
        for (a, b) in [
            (format!("/{folder}/{from}"), format!("/{folder}/{to}")),
            (
                format!("/{folder}/{}", from.trim_end_matches(".html")),
                format!("/{folder}/{}", to.trim_end_matches(".html")),
            ),
        ] {
            let _ = writeln!(list, "{a} {b} 301");
        }
        n += 1;
    }
    if n > 0 {
        out.put(Path::new("_redirects"), &list)?;
    }
    Ok(n)
}
