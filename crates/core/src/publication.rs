//! What readers may see, and what it takes to put an entry there.
//!
//! The rule lives in the schema, as the views `public_comparisons` and
//! `public_terms` (migration V5): a comparison is public when it and both
//! its terms are published, so an article never shows a draft's
//! definitions. `render`, `export --published-only` and the web server read
//! those views; this module adds the checks that keep the CLI from making
//! a published article that the rule would hide, or one with nothing in it:
//! publishing an article with draft terms, or without summary, date or
//! content, and taking a term down under published articles, are refused
//! with what to do instead.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::model::{shell_word, ComparisonId, Status, TermId};
use crate::store::terms;

/// The SQL condition "comparison `{alias}.id` is public", for queries that
/// list what gets published (the view is the rule; this names it once).
pub fn public_comparison(alias: &str) -> String {
    format!("{alias}.id IN (SELECT id FROM public_comparisons)")
}

/// Whether comparison `id` is on the public site.
pub fn is_public(conn: &Connection, id: ComparisonId) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM public_comparisons WHERE id = ?1)",
        [id.0],
        |r| r.get(0),
    )?)
}

/// What a person allowed when asking to publish or take down.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Publish a comparison's draft terms with it.
    pub with_terms: bool,
    /// Unpublish the published comparisons of a term taken down.
    pub with_comparisons: bool,
    /// Publish a comparison without summary, date or content.
    pub force: bool,
}

/// The term names of comparison `id` that are drafts, left then right.
pub fn draft_terms(conn: &Connection, id: ComparisonId) -> Result<Vec<(TermId, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.term FROM comparisons AS c
         JOIN terms AS t ON t.id IN (c.left_term_id, c.right_term_id)
         WHERE c.id = ?1 AND t.status = 'draft'
         ORDER BY t.id = c.right_term_id",
    )?;
    let rows = stmt.query_map([id.0], |r| Ok((TermId(r.get(0)?), r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The published comparisons that show term `id`, by slug.
pub fn published_comparisons_of(conn: &Connection, id: TermId) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, slug FROM comparisons
         WHERE status = 'published' AND ?1 IN (left_term_id, right_term_id)
         ORDER BY slug",
    )?;
    let rows = stmt.query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Checks that comparison `id` may become published, and with
/// `with_terms` publishes its draft terms. Everything missing is named at
/// once, with the command that mends it.
pub fn prepare_comparison(conn: &Connection, id: ComparisonId, options: Options) -> Result<()> {
    let (slug, summary, published, content): (String, Option<String>, Option<String>, bool) = conn
        .query_row(
            "SELECT slug, summary, published,
                    EXISTS (SELECT 1 FROM differences WHERE comparison_id = c.id)
                 OR EXISTS (SELECT 1 FROM comparison_rows WHERE comparison_id = c.id)
                 OR EXISTS (SELECT 1 FROM faqs WHERE comparison_id = c.id)
             FROM comparisons AS c WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let mut reasons = Vec::new();
    let mut hints = Vec::new();
    let mut incomplete = false;
    let drafts = draft_terms(conn, id)?;
    if options.with_terms {
        for (term, _) in &drafts {
            conn.execute(
                "UPDATE terms SET status = 'published' WHERE id = ?1",
                [term.0],
            )?;
        }
    } else if !drafts.is_empty() {
        for (_, name) in &drafts {
            reasons.push(format!("its term \"{name}\" is a draft"));
        }
        let first = &drafts[0].1;
        hints.push(format!(
            "publish {} first (`glossary publish --term {}`), or with the article: `glossary publish {slug} --with-terms`",
            if drafts.len() == 1 { "it" } else { "them" },
            shell_word(first)
        ));
    }
    if !options.force {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&summary) {
            reasons.push("it has no summary".into());
            hints.push(format!(
                "write a summary: `glossary edit comparison {slug} --set summary='...'`"
            ));
        }
        if blank(&published) {
            let today: String = conn.query_row("SELECT date('now')", [], |r| r.get(0))?;
            reasons.push("it has no published date".into());
            hints.push(format!(
                "give it a date: `glossary edit comparison {slug} --set published={today}`"
            ));
        }
        if !content {
            reasons.push("it has no key differences, chart rows or FAQs".into());
            hints.push(format!(
                "add a key difference (or a chart row, or a FAQ): `glossary add-difference {slug} '...'`"
            ));
        }
        incomplete = blank(&summary) || blank(&published) || !content;
    }
    if incomplete {
        hints.push(format!(
            "or publish it as it is: `glossary publish {slug} --force`"
        ));
    }
    refuse(format!("publish comparison {slug}"), reasons, hints)
}

/// Checks that term `id` may become a draft: not while published articles
/// show it, unless `with_comparisons` takes them down too.
pub fn prepare_term_draft(conn: &Connection, id: TermId, options: Options) -> Result<()> {
    let shown = published_comparisons_of(conn, id)?;
    if shown.is_empty() {
        return Ok(());
    }
    if options.with_comparisons {
        for (comparison, _) in &shown {
            conn.execute(
                "UPDATE comparisons SET status = 'draft' WHERE id = ?1",
                [comparison],
            )?;
        }
        return Ok(());
    }
    let name = terms::get(conn, id)?.term;
    let slugs: Vec<String> = shown.iter().map(|(_, s)| s.clone()).collect();
    let reason = match slugs.as_slice() {
        [one] => format!("the published comparison {one} shows it"),
        many => format!(
            "{} published comparisons show it: {}",
            many.len(),
            many.join(", ")
        ),
    };
    refuse(
        format!("unpublish term \"{name}\""),
        vec![reason],
        vec![format!(
            "unpublish {} first, or with the term: `glossary unpublish --term {} --with-comparisons`",
            if slugs.len() == 1 { "it" } else { "them" },
            shell_word(&name)
        )],
    )
}

/// The checks for moving `table`'s row `id` to status `to`, as `edit --set
/// status=...`, the editor and `publish` all do.
pub fn prepare(
    conn: &Connection,
    table: &str,
    id: i64,
    to: Status,
    options: Options,
) -> Result<()> {
    if crate::store::status(conn, table, id)? == Some(to) {
        return Ok(());
    }
    match (table, to) {
        ("comparisons", Status::Published) => prepare_comparison(conn, ComparisonId(id), options),
        ("terms", Status::Draft) => prepare_term_draft(conn, TermId(id), options),
        _ => Ok(()),
    }
}

fn refuse(action: String, reasons: Vec<String>, hints: Vec<String>) -> Result<()> {
    if reasons.is_empty() {
        return Ok(());
    }
    Err(Error::Refused {
        action,
        reasons,
        hints,
    })
}
