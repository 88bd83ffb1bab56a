//! `glossary render --all`: the static site, and keeping an output
//! directory equal to it. Pages come from [`crate::render`]; which entries
//! are public is [`glossary_core::publication`]'s rule.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use crate::render::{html_page_mentioning, page, Links, Listed, Meta, Site};
use crate::templates::Templates;
use crate::term::term_html_page;
use glossary_core::error::{Error, Result};
use glossary_core::model::TermId;
use glossary_core::view;
use minijinja::context;

mod entries;
mod listings;
mod mentioned;
mod output;
mod plan;
mod redirects;
mod related;
mod search;
mod workers;

pub(crate) use entries::{comparison_slugs, term_files, term_keys, TermKeys};
use listings::{comparison_listings, initials, letter_pages, sitemaps};
pub(crate) use mentioned::Mentions;
pub(crate) use output::Writer;
pub use output::MANIFEST;
use output::{read_manifest, write_if_changed};
use workers::{in_parallel, Workers};

/// What was written to an output directory: by `render --all` (the
/// site), or by `export --as` (documents for other generators).
#[derive(Debug, Default, Serialize)]
pub struct Written {
    pub comparisons: u64,
    pub terms: u64,
    /// Pages at old addresses of renamed entries.
    pub redirects: u64,
    pub files: u64,
    /// Files that were there already, as they would be written: left as
    /// they were.
    pub unchanged: u64,
    /// Pages of an earlier build that are no longer part of the site
    /// (removed, renamed or unpublished entries), deleted.
    pub deleted: u64,
}

/// FNV-1a: a hash that is the same in every build of glossary, for the
/// fingerprint of what shapes a site besides its content.
pub(crate) fn fnv(bytes: &[u8], mut hash: u64) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The key of the inputs a listing page is made from: with the site's
/// fingerprint, a page whose key is the one the manifest holds is on disk
/// as this build would write it, and is not made again.
fn key_of<'a>(fingerprint: &str, parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut h = fnv(fingerprint.as_bytes(), 0xcbf2_9ce4_8422_2325);
    for p in parts {
        h = fnv(p.as_bytes(), h);
        h = fnv(&[0xff], h);
    }
    format!("key:{h:016x}")
}

/// What shapes every page besides the content: glossary's version, the
/// settings, the theme's files, whether drafts are in. A build with another
/// fingerprint than the last one rebuilds everything.
fn fingerprint(
    settings: &glossary_core::settings::Settings,
    templates: &Templates,
    drafts: bool,
) -> Result<String> {
    let mut h = 0xcbf2_9ce4_8422_2325;
    h = fnv(env!("CARGO_PKG_VERSION").as_bytes(), h);
    h = fnv(
        serde_json::to_string(settings)
            .unwrap_or_default()
            .as_bytes(),
        h,
    );
    h = fnv(&[u8::from(drafts)], h);
    for (name, text) in templates.files()? {
        h = fnv(name.as_bytes(), h);
        h = fnv(text.as_bytes(), h);
    }
    Ok(format!("{h:016x}"))
}

/// How many links a listing page holds: pages stay small (about 60 KB)
/// however large the glossary.
const PER_PAGE: usize = 500;
/// How many URLs one sitemap file holds, at most (the protocol's limit).
const SITEMAP_URLS: usize = 50_000;

/// One published page, for the listings and the sitemap.
struct PublishedPage {
    path: String,
    title: String,
    published: Option<String>,
    modified: Option<String>,
}

/// Writes the static site to `dir`: `compare/SLUG.html` per published
/// comparison, `terms/NAME.html` per published term, the front page, the
/// comparisons listed by page (`comparisons/N.html`) and the terms A to Z
/// (`terms-a.html`...), `sitemap.xml` and `robots.txt` (with a base URL
/// set), `404.html`, `style.css` and `favicon.svg`, a page at each old
/// address of a renamed entry and `_redirects`. Drafts are left out
/// unless `drafts`.
pub fn site(
    conn: &Connection,
    dir: &Path,
    drafts: bool,
    templates: &Templates,
    mut progress: impl FnMut(u64),
) -> Result<Written> {
    // One build, one snapshot: the build reads in one transaction and its
    // workers in the same snapshot ([`Workers`]); where that could not be
    // had (a write landed between on a file glossary could not lock), the
    // build starts again (pages already written cost little to rewrite).
    let mut tries = 0;
    loop {
        let built = glossary_core::db::read(conn, |conn| {
            build(conn, dir, drafts, templates, &mut progress)
        });
        match built {
            Err(Error::Busy) if tries < 3 => tries += 1,
            other => return other,
        }
    }
}

fn build(
    conn: &Connection,
    dir: &Path,
    drafts: bool,
    templates: &Templates,
    progress: &mut dyn FnMut(u64),
) -> Result<Written> {
    let db_path = conn
        .path()
        .map(PathBuf::from)
        .ok_or_else(|| Error::Invalid("the site is built from a database file".into()))?;
    // First, before anything is read: the workers in this snapshot.
    let (workers, newest) = Workers::open(conn, &db_path)?;
    let settings = glossary_core::settings::load(conn)?;
    let mut out = Writer::new(dir);
    let fingerprint = fingerprint(&settings, templates, drafts)?;
    let before = read_manifest(dir);
    // Since a build with the same fingerprint: only the pages that show
    // what changed (None: everything).
    let touched = match &before.build {
        Some((change, fp)) if *fp == fingerprint => {
            Some(glossary_core::history::touched_since(conn, *change)?)
        }
        _ => None,
    };
    // The search index's bookkeeping: without it (or when the pages
    // changed since its base are many) every page is indexed again.
    let search_state = search::State::load(dir);
    let touched = touched.filter(|_| search_state.as_ref().is_some_and(|s| !s.too_far()));
    out.build = Some((newest, fingerprint));
    let earlier: HashMap<String, Option<String>> = before.files.into_iter().collect();

    // The two lists every build needs, read side by side.
    // A full build reads every definition for the tooltips at once; an
    // incremental one, those of the pages it renders.
    let full = touched.is_none();
    let indexing = search::Indexing::new(&settings.language, full);
    let (terms, headers) = std::thread::scope(|scope| {
        let terms = scope.spawn(
            || -> Result<(TermKeys, Option<glossary_core::store::senses::Definitions>)> {
                let conn = workers.conns[0].lock().unwrap_or_else(|e| e.into_inner());
                Ok((
                    term_keys(&conn, drafts)?,
                    full.then(|| glossary_core::store::senses::definitions_by_term(&conn))
                        .transpose()?,
                ))
            },
        );
        let headers = glossary_core::store::comparisons::headers(conn, drafts);
        (terms.join().expect("reading the terms"), headers)
    });
    let (((term_files, term_list), term_keys, unlinked), definitions) = terms?;
    let headers = headers?;
    let term_files = std::sync::Arc::new(term_files);
    let comparison_files: HashMap<String, String> = headers
        .iter()
        .map(|h| (h.comparison.clone(), format!("{}.html", h.comparison)))
        .collect();
    // Which pages to render: every one, or those [`plan::pages`] names
    // (and, below, any page the last build did not write).
    let (render_comparisons, render_terms) = match &touched {
        None => (None, None),
        Some(t) => {
            let (c, t) = plan::pages(conn, t, &before.mentions, &headers, &term_keys, &term_files)?;
            (Some(c), Some(t))
        }
    };
    let (comparison_days, term_days) = match touched {
        None => (
            glossary_core::history::last_change_days(conn, glossary_core::kind::Kind::Comparison)?,
            glossary_core::history::last_change_days(conn, glossary_core::kind::Kind::Term)?,
        ),
        Some(_) => (HashMap::new(), HashMap::new()),
    };
    let mut articles: Vec<PublishedPage> = Vec::new();
    let mut report = Written::default();
    let linker = crate::autolink::Linker::new(
        term_keys,
        term_files
            .iter()
            .filter(|(id, _)| !unlinked.contains(id))
            .map(|(id, file)| (*id, format!("terms/{file}"))),
        crate::autolink::Mode::of_setting(&settings.autolink),
        full,
    );
    if let Some(all) = definitions {
        linker.add_tips(all);
    }
    let mut site = Site {
        templates,
        settings,
        links: Links {
            terms: std::sync::Arc::clone(&term_files),
            root: Some("../"),
            linker: Some(std::sync::Arc::new(linker)),
        },
    };
    // The pages to render, split among workers, each with a connection of
    // its own (pages are independent: rendering is most of a build).
    // Each article's related comparisons: one rendered again when its
    // list is not the one the last build wrote.
    let titles: Vec<String> = headers.iter().map(|h| h.shown_title()).collect();
    let related = related::Related::new(&headers, &titles);
    let article_jobs: Vec<(
        String,
        (related::List, String),
        bool,
        &glossary_core::store::comparisons::Header,
    )> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let rel = format!("compare/{}.html", h.comparison);
            let list = related.of(i);
            let key = related.key(&list);
            let again = render_comparisons
                .as_ref()
                .is_none_or(|ids| ids.contains(&h.id.0))
                || before.related.get(&rel).map_or("", String::as_str) != key
                || !earlier.contains_key(&rel)
                || !output::on_disk(dir, &rel);
            (rel, (list, key), again, h)
        })
        .collect();
    let article_results = in_parallel(
        &workers,
        &article_jobs,
        |job| job.2,
        |conn, (rel, (list, _), _, h)| {
            let modified = match &render_comparisons {
                None => comparison_days.get(&h.id.0).cloned(),
                Some(_) => glossary_core::history::last_change_day(
                    conn,
                    glossary_core::kind::Kind::Comparison,
                    h.id.0,
                )?,
            };
            let p = page(conn, &h.comparison)?;
            if !full {
                if let Some(linker) = &site.links.linker {
                    linker.load_tips(conn, crate::render::linked_texts(&p))?;
                }
            }
            let more = crate::render::More {
                comparisons: related.shown(list),
                beyond: list.more,
            };
            let (text, mentions) =
                html_page_mentioning(&p, &site, rel, modified.as_deref(), &more)?;
            let unchanged = write_if_changed(dir, Path::new(rel), &text)?;
            let record = indexing.take(crate::search::records::article(&p, rel, indexing.stop));
            Ok((
                modified.or(h.published.clone()),
                unchanged,
                mentions,
                record,
            ))
        },
    )?;
    let mut mentioned = mentioned::MentionedIn::default();
    let mut indexed: Vec<(String, Option<search::Record>)> = Vec::new();
    for (((rel, (_, key), _, h), result), title) in
        article_jobs.into_iter().zip(article_results).zip(&titles)
    {
        out.related(&rel, key);
        let title = title.clone();
        let modified = match result {
            Some((day, unchanged, mentions, record)) => {
                indexed.push((rel.clone(), Some(record)));
                let before = before.mentions.get(&rel);
                mentioned.article(&rel, &title, &mentions, before, !unchanged);
                out.mention(&rel, mentions);
                out.record(rel.clone(), day.clone(), unchanged);
                report.comparisons += 1;
                day
            }
            None => {
                indexed.push((rel.clone(), None));
                let day = earlier[&rel].clone();
                let kept = before.mentions.get(&rel).cloned().unwrap_or_default();
                mentioned.article(&rel, &title, &kept, None, false);
                out.mention(&rel, kept);
                out.keep(rel.clone(), day.clone());
                day
            }
        };
        articles.push(PublishedPage {
            path: rel,
            title,
            published: h.published.clone(),
            modified,
        });
    }
    // What each term page links to, before any is rendered (see
    // [`mentioned`]): the pages rendered from their texts.
    let term_pages: Vec<mentioned::TermPage<'_>> = term_list
        .iter()
        .map(|t| {
            let rel = format!("terms/{}", term_files[&t.0]);
            let fresh = render_terms
                .as_ref()
                .is_none_or(|ids| ids.contains(&t.0 .0))
                || !earlier.contains_key(&rel)
                || !output::on_disk(dir, &rel);
            mentioned::TermPage {
                rel,
                id: t.0,
                name: &t.1,
                fresh,
            }
        })
        .collect();
    mentioned::terms(
        conn,
        &workers,
        site.links.linker.as_deref(),
        &term_pages,
        full,
        &before.mentions,
        &mut mentioned,
    )?;
    mentioned.gone(&before.mentions);
    mentioned.finish();
    progress(out.files);
    let term_jobs: Vec<(String, &(TermId, String, String), bool)> = term_list
        .iter()
        .zip(term_pages)
        .map(|(t, page)| {
            let again = page.fresh || mentioned.changed(t.0 .0);
            (page.rel, t, again)
        })
        .collect();
    let term_results = in_parallel(
        &workers,
        &term_jobs,
        |job| job.2,
        |conn, (rel, (id, _, _), _)| {
            let modified = match &render_terms {
                None => term_days.get(&id.0).cloned(),
                Some(_) => glossary_core::history::last_change_day(
                    conn,
                    glossary_core::kind::Kind::Term,
                    id.0,
                )?,
            };
            let entry = view::term_page(conn, *id)?;
            if !full {
                if let Some(linker) = &site.links.linker {
                    linker.load_tips(conn, crate::render::term_linked_texts(&entry))?;
                }
            }
            let (text, mentions) =
                term_html_page(&entry, &comparison_files, &mentioned.of(id.0), &site, rel)?;
            let unchanged = write_if_changed(dir, Path::new(rel), &text)?;
            let record = indexing.take(crate::search::records::term(&entry, rel, indexing.stop));
            Ok((modified, unchanged, mentions, record))
        },
    )?;
    let mut term_entries: Vec<PublishedPage> = Vec::new();
    for ((rel, (_, name, _), _), result) in term_jobs.into_iter().zip(term_results) {
        let modified = match result {
            Some((day, unchanged, mentions, record)) => {
                indexed.push((rel.clone(), Some(record)));
                out.mention(&rel, mentions);
                out.record(rel.clone(), day.clone(), unchanged);
                report.terms += 1;
                day
            }
            None => {
                indexed.push((rel.clone(), None));
                let day = earlier[&rel].clone();
                out.mention(&rel, before.mentions.get(&rel).cloned().unwrap_or_default());
                out.keep(rel.clone(), day.clone());
                day
            }
        };
        term_entries.push(PublishedPage {
            path: rel,
            title: name.clone(),
            published: None,
            modified,
        });
    }
    progress(out.files);

    // The comparisons, PER_PAGE to a page, and the terms A to Z, rendered
    // side by side (each is a few hundred pages on a large glossary).
    site.links.root = Some("../");
    let initials = initials(&term_list);
    let letter_links: Vec<_> = initials
        .iter()
        .map(|(l, _)| context! { letter => l.to_uppercase(), href => format!("terms-{l}.html") })
        .collect();
    let fingerprint = out
        .build
        .as_ref()
        .map(|(_, f)| f.clone())
        .unwrap_or_default();
    let reuse = |rel: &str, key: &str| {
        earlier.get(rel).and_then(|k| k.as_deref()) == Some(key) && output::on_disk(dir, rel)
    };
    let (listings, letters) = std::thread::scope(|scope| {
        let listings = scope.spawn(|| {
            comparison_listings(templates, &site.settings, &articles, &fingerprint, &reuse)
        });
        let letters = letter_pages(
            templates,
            &site.settings,
            &initials,
            &term_files,
            &letter_links,
            &fingerprint,
            &reuse,
        );
        (listings.join().expect("rendering the listings"), letters)
    });
    for (rel, key, text) in listings?.into_iter().chain(letters?) {
        match text {
            Some(text) => out.put_dated(Path::new(&rel), &text, Some(key))?,
            None => out.reuse(rel, key),
        }
    }

    // The front page: the newest comparisons, the way to all of them.
    let mut newest: Vec<&PublishedPage> = articles.iter().collect();
    newest.sort_by(|a, b| b.published.cmp(&a.published).then(a.path.cmp(&b.path)));
    let listed: Vec<Listed<'_>> = newest
        .iter()
        .take(50)
        .map(|e| Listed {
            href: e.path.clone(),
            title: &e.title,
            published: e.published.as_deref(),
        })
        .collect();
    let index = templates.render(
        "site/index.html",
        context! {
            title => &site.settings.title, root => "", site => &site.settings,
            meta => crate::render::index_meta(&site.settings, "", term_list.len(), articles.len()),
            comparisons => listed, count => articles.len(), terms => term_list.len(),
            letters => &letter_links,
        },
    )?;
    out.put(Path::new("index.html"), &index)?;
    // A page not found: linked from the site's root, wherever it is shown.
    let root = site
        .settings
        .base_url
        .clone()
        .unwrap_or_else(|| "/".to_string());
    let missing = templates.render(
        "site/404.html",
        context! {
            title => "Page not found", root => &root, site => &site.settings,
            meta => Meta { og_type: "website", ..Meta::default() },
        },
    )?;
    out.put(Path::new("404.html"), &missing)?;
    report.redirects = redirects::write(
        conn,
        &mut out,
        templates,
        &site.settings,
        &redirects::Pages {
            comparisons: &comparison_files,
            titles: &headers
                .iter()
                .map(|h| (h.comparison.clone(), h.shown_title()))
                .collect(),
            terms: &term_files,
        },
    )? as u64;
    let domains = indexing.write(&mut out, dir, search_state, indexed)?;
    let search_page = templates.render(
        "site/search.html",
        context! {
            title => format!("Search {}", site.settings.title), root => "", site => &site.settings,
            meta => Meta {
                og_type: "website",
                description: Some(format!(
                    "Search the terms and comparisons of {}.",
                    site.settings.title
                )),
                ..Meta::default()
            },
            search_page => true, domains, letters => &letter_links,
        },
    )?;
    out.put(Path::new("search.html"), &search_page)?;
    out.put(Path::new("search.js"), crate::templates::SEARCH_SCRIPT)?;
    out.put(Path::new("style.css"), &templates.style()?)?;
    out.put(Path::new("favicon.svg"), &templates.favicon()?)?;

    // What search engines read: robots.txt, and with a base URL the sitemap.
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = site.settings.base_url.clone() {
        let _ = writeln!(robots, "Sitemap: {base}sitemap.xml");
        let key = key_of(
            &fingerprint,
            articles
                .iter()
                .chain(&term_entries)
                .flat_map(|e| [e.path.as_str(), e.modified.as_deref().unwrap_or("")]),
        );
        if reuse("sitemap.xml", &key) {
            // And the files it indexes, as the last build listed them.
            for rel in earlier
                .keys()
                .filter(|p| p.starts_with("sitemap-") && p.ends_with(".xml"))
            {
                out.reuse(rel.clone(), String::new());
            }
            out.reuse("sitemap.xml".to_string(), key);
        } else {
            let mut urls: Vec<(String, Option<String>)> = vec![(base.clone(), None)];
            for e in articles.iter().chain(&term_entries) {
                urls.push((format!("{base}{}", e.path), e.modified.clone()));
            }
            for (name, xml) in sitemaps(&base, &urls, SITEMAP_URLS) {
                let key = (name == "sitemap.xml").then(|| key.clone());
                out.put_dated(Path::new(&name), &xml, key)?;
            }
        }
    }
    out.put(Path::new("robots.txt"), &robots)?;
    report.files = out.files;
    report.unchanged = out.unchanged;
    report.deleted = out.finish()?;
    Ok(report)
}
