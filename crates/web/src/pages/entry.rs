//! An entry's page: a term or a comparison with every part in a form,
//! the preview of an article as the site will show it, and the form for
//! a new entry.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use glossary_core::edit::Entry;
use glossary_core::error::Result;
use glossary_core::history::Filter;
use glossary_core::kind::Kind;
use glossary_core::model::Status;
use glossary_core::store::{comparisons, terms};
use glossary_core::{edit, history, view};
use glossary_site::render;

use crate::app::{read, rolled_back, Shared};
use crate::auth::who::locked;
use crate::csrf::Csrf;
use crate::error::{failure, page};
use crate::pages::{done, entry_view, new_view, show, Done, EntryView, Unsaved, Version};
use crate::urls;

/// What a term's page and an article's page both show of their entry: its
/// status, whether it is locked for this person, its review, its recent
/// changes and the link to all of them, and what the last save did.
pub(crate) fn entry_state(
    conn: &Connection,
    entry: &Entry,
    status: Status,
    history_href: String,
    change: Option<i64>,
    version: Option<&Version<'_>>,
) -> Result<minijinja::Value> {
    let history = history::changes(
        conn,
        &Filter {
            entry: Some(entry),
            limit: 5,
            ..Default::default()
        },
    )?;
    let conflicts = version.map(|v| v.applied.conflicts.clone());
    Ok(minijinja::context! {
        status,
        // A pending version is everyone's to change: it publishes nothing.
        locked => version.is_none() && locked(status),
        pending_shown => version.is_some(),
        pending_conflicts => conflicts,
        has_pending => glossary_core::pending::of(conn, entry)?.is_some(),
        // The page's address as named here; the pages of a pending version
        // give the live one (the version may rename it).
        page_href => urls::entry(entry.kind, &edit::keys_of(conn, entry.kind, entry.id)?[0]),
        saved => false,
        review => glossary_core::review::of(conn, entry)?,
        schedule => glossary_core::schedule::of(conn, entry)?,
        old_names => glossary_core::redirects::of(conn, entry)?,
        history,
        history_href,
        done => done(conn, change)?,
    })
}

pub(crate) async fn term(
    State(app): State<Shared>,
    Path(name): Path<String>,
    Query(d): Query<Done>,
    Query(v): Query<Asked>,
    csrf: Csrf,
) -> Response {
    entry_page(app, csrf, Kind::Term, name, d.change, v).await
}

/// Which version of a published entry a page shows (`?version=live` or
/// `pending`).
#[derive(serde::Deserialize, Default)]
pub(crate) struct Asked {
    version: Option<String>,
    /// After a save to a pending version.
    saved: Option<String>,
}

/// Whether a page of `owner` shows its pending version: when asked; else
/// when it has one, or when the person is an editor (whose saves to a
/// published entry go there). A draft has none: it is changed as it is.
fn shows_pending(conn: &Connection, owner: &Entry, asked: Option<&str>) -> Result<bool> {
    let status = glossary_core::store::status(conn, owner.kind.table(), owner.id)?;
    let has = glossary_core::pending::of(conn, owner)?.is_some();
    let publisher = crate::auth::who::current()
        .is_some_and(|w| w.may(glossary_core::accounts::users::Role::Publisher));
    Ok(match asked {
        Some("live") => false,
        Some("pending") => has || status == Some(Status::Published),
        _ => has || (status == Some(Status::Published) && !publisher),
    })
}

/// A term's or an article's page, live or with its pending version.
pub(crate) async fn entry_page(
    app: Shared,
    csrf: Csrf,
    kind: Kind,
    key: String,
    change: Option<i64>,
    asked: Asked,
) -> Response {
    let saved = asked.saved.is_some();
    let asked = asked.version;
    let template = if kind == Kind::Term {
        "editor/term.html"
    } else {
        "editor/comparison.html"
    };
    let key_again = key.clone();
    let decided = read(&app, move |conn| {
        let owner = edit::find(conn, kind, &[key_again])?;
        let pending = shows_pending(conn, &owner, asked.as_deref())?;
        let has = glossary_core::pending::of(conn, &owner)?.is_some();
        let href = urls::entry(kind, &edit::keys_of(conn, kind, owner.id)?[0]);
        Ok((owner, pending, has, href))
    })
    .await;
    let (owner, pending, has, page_href) = match decided {
        Ok(d) => d,
        Err(e) => return failure(e),
    };
    if pending {
        let key = key.clone();
        let page_href = page_href.clone();
        let shown = rolled_back(&app, move |conn| {
            glossary_core::pending::viewed(conn, &owner, |conn, applied| {
                let v = Version {
                    owner: owner.id,
                    applied,
                };
                let page = page_of_kind(conn, kind, &key, None, change, Some(&v))?;
                Ok(minijinja::context! { has_pending => has, page_href, saved, ..page })
            })
        })
        .await;
        match shown {
            Ok(Some(context)) => return page(StatusCode::OK, template, &csrf, context),
            Ok(None) => {} // a read-only copy: the live page
            Err(e) => return failure(e),
        }
    }
    show(&app, &csrf, template, move |conn| {
        let page = page_of_kind(conn, kind, &key, None, change, None)?;
        Ok(minijinja::context! { has_pending => has, page_href, ..page })
    })
    .await
}

/// The page of the term or comparison `key`, with the form `draft` typed.
pub(crate) fn page_of_kind(
    conn: &Connection,
    kind: Kind,
    key: &str,
    draft: Option<&Unsaved>,
    change: Option<i64>,
    version: Option<&Version<'_>>,
) -> Result<minijinja::Value> {
    if kind == Kind::Term {
        term_page(conn, key, draft, change, version)
    } else {
        comparison_page(conn, key, draft, change, version)
    }
}

/// A term's page: the term, its senses with their examples, each a form,
/// and a form to add to each list.
pub(crate) fn term_page(
    conn: &Connection,
    name: &str,
    draft: Option<&Unsaved>,
    change: Option<i64>,
    version: Option<&Version<'_>>,
) -> Result<minijinja::Value> {
    let entry = match version {
        // Found by id: the pending version may rename it.
        Some(v) => edit::by_id(conn, Kind::Term, v.owner)?,
        None => edit::find(conn, Kind::Term, &[name.to_string()])?,
    };
    let stored = terms::get(conn, glossary_core::model::TermId(entry.id))?;
    let full = view::term(conn, &stored.term)?;
    let mut senses = Vec::new();
    for s in &full.senses {
        let keys = [stored.term.clone(), s.sense.to_string()];
        let sense = edit::find(conn, Kind::Sense, &keys)?;
        let mut examples = Vec::new();
        for p in 1..=s.examples.len() {
            let keys = [stored.term.clone(), s.sense.to_string(), p.to_string()];
            let example = edit::find(conn, Kind::Example, &keys)?;
            examples.push(entry_view(conn, &example, draft)?.on(version));
        }
        senses.push(minijinja::context! {
            number => s.sense,
            form => entry_view(conn, &sense, draft)?.on(version),
            examples,
            add_example => new_view(Kind::Example, sense.id, draft).on(version),
        });
    }
    let variants = full
        .variants
        .iter()
        .map(|v| {
            let keys = [stored.term.clone(), v.variant.clone()];
            Ok(entry_view(conn, &edit::find(conn, Kind::Variant, &keys)?, draft)?.on(version))
        })
        .collect::<Result<Vec<_>>>()?;
    // Its own relations are forms; those written from the other end are
    // shown, linked to the term whose list holds them.
    let own = glossary_core::store::RELATIONS.count(conn, entry.id)?;
    let relations = (1..=own)
        .map(|p| {
            let keys = [stored.term.clone(), p.to_string()];
            Ok(entry_view(conn, &edit::find(conn, Kind::Relation, &keys)?, draft)?.on(version))
        })
        .collect::<Result<Vec<_>>>()?;
    let relations_in = full
        .relations
        .iter()
        .filter(|r| r.theirs)
        .map(|r| {
            minijinja::context! {
                relation => r.relation,
                sense => r.sense,
                term => r.other,
                term_sense => r.other_sense,
                href => urls::term(&r.other),
            }
        })
        .collect::<Vec<_>>();
    let comparisons: Vec<_> = full
        .comparisons
        .iter()
        .map(|c| {
            minijinja::context! {
                href => urls::comparison(&c.comparison),
                title => c.shown_title(),
                status => c.status,
            }
        })
        .collect();
    let history_href = urls::term_history(&stored.term);
    Ok(minijinja::context! {
        title => stored.term,
        form => entry_view(conn, &entry, draft)?.on(version),
        senses,
        add_sense => new_view(Kind::Sense, entry.id, draft).on(version),
        variants,
        add_variant => new_view(Kind::Variant, entry.id, draft).on(version),
        relations,
        relations_in,
        add_relation => new_view(Kind::Relation, entry.id, draft).on(version),
        comparisons,
        ..entry_state(conn, &entry, stored.status, history_href, change, version)?
    })
}

pub(crate) async fn comparison(
    State(app): State<Shared>,
    Path(slug): Path<String>,
    Query(d): Query<Done>,
    Query(v): Query<Asked>,
    csrf: Csrf,
) -> Response {
    entry_page(app, csrf, Kind::Comparison, slug, d.change, v).await
}

/// An article's page: header, key differences, chart rows and FAQs, each
/// a form, with the preview beside them.
pub(crate) fn comparison_page(
    conn: &Connection,
    slug: &str,
    draft: Option<&Unsaved>,
    change: Option<i64>,
    version: Option<&Version<'_>>,
) -> Result<minijinja::Value> {
    let entry = match version {
        Some(v) => edit::by_id(conn, Kind::Comparison, v.owner)?,
        None => edit::find(conn, Kind::Comparison, &[slug.to_string()])?,
    };
    let article = view::comparison(
        conn,
        &comparisons::slug(conn, glossary_core::model::ComparisonId(entry.id))?,
    )?;
    let slug = article.header.comparison.clone();
    let children = |kind: Kind, keys: Vec<String>| -> Result<Vec<EntryView>> {
        keys.into_iter()
            .map(|key| {
                let entry = edit::find(conn, kind, &[slug.clone(), key])?;
                Ok(entry_view(conn, &entry, draft)?.on(version))
            })
            .collect()
    };
    let differences = children(
        Kind::Difference,
        article
            .differences
            .iter()
            .map(|d| d.position.to_string())
            .collect(),
    )?;
    let rows = children(
        Kind::Row,
        article.rows.iter().map(|r| r.aspect.clone()).collect(),
    )?;
    let faqs = children(
        Kind::Faq,
        article
            .faqs
            .iter()
            .map(|f| f.position.to_string())
            .collect(),
    )?;
    let title = render::page(conn, &slug)?.title();
    let history_href = urls::comparison_history(&slug);
    Ok(minijinja::context! {
        title,
        slug => &slug,
        public => article.public,
        draft_terms => article.draft_terms,
        left_href => urls::term(&article.header.left),
        right_href => urls::term(&article.header.right),
        left => article.header.left,
        right => article.header.right,
        form => entry_view(conn, &entry, draft)?.on(version),
        differences,
        add_difference => new_view(Kind::Difference, entry.id, draft).on(version),
        rows,
        add_row => new_view(Kind::Row, entry.id, draft).on(version),
        faqs,
        add_faq => new_view(Kind::Faq, entry.id, draft).on(version),
        preview_href => if version.is_some() {
            format!("{}?version=pending", urls::preview(&slug))
        } else {
            urls::preview(&slug)
        },
        ..entry_state(conn, &entry, article.header.status, history_href, change, version)?
    })
}

/// The article as readers will see it: the site's own template, drafts
/// included, its stylesheet from `/site/`.
pub(crate) async fn preview(
    State(app): State<Shared>,
    Path(slug): Path<String>,
    Query(v): Query<Asked>,
) -> Response {
    let result = if v.version.as_deref() == Some("pending") {
        rolled_back(&app, move |conn| {
            let owner = edit::find(conn, Kind::Comparison, std::slice::from_ref(&slug))?;
            glossary_core::pending::viewed(conn, &owner, |conn, _| {
                let slug = comparisons::slug(conn, glossary_core::model::ComparisonId(owner.id))?;
                html_of(conn, &slug)
            })
        })
        .await
        .and_then(|page| {
            page.ok_or_else(|| {
                glossary_core::error::Error::Invalid(
                    "a read-only copy shows the live version only".into(),
                )
            })
        })
    } else {
        read(&app, move |conn| html_of(conn, &slug)).await
    };
    match result {
        Ok(body) => crate::error::Page {
            status: StatusCode::OK,
            body,
        }
        .into_response(),
        Err(e) => failure(e),
    }
}

/// The article `slug` as readers will see it, in the editor's links.
fn html_of(conn: &Connection, slug: &str) -> Result<String> {
    let p = render::page(conn, slug)?;
    let site = render::Site {
        templates: glossary_site::templates::Templates::builtin(),
        settings: glossary_core::settings::load(conn)?,
        links: render::Links::in_editor(),
    };
    let path = format!("compare/{}.html", p.article.header.comparison);
    render::html_page(&p, &site, &path, None)
}

pub(crate) async fn new(State(_app): State<Shared>, csrf: Csrf) -> Response {
    page(StatusCode::OK, "editor/new.html", &csrf, new_context(None))
}

/// The forms that add a term or a comparison.
pub(crate) fn new_context(draft: Option<&Unsaved>) -> minijinja::Value {
    minijinja::context! {
        title => "New entry",
        term => new_view(Kind::Term, 0, draft),
        comparison => new_view(Kind::Comparison, 0, draft),
    }
}
