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

use crate::app::{read, Shared};
use crate::auth::who::locked;
use crate::csrf::Csrf;
use crate::error::{failure, page};
use crate::pages::{done, entry_view, new_view, show, Done, EntryView, Unsaved};
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
) -> Result<minijinja::Value> {
    let history = history::changes(
        conn,
        &Filter {
            entry: Some(entry),
            limit: 5,
            ..Default::default()
        },
    )?;
    Ok(minijinja::context! {
        status,
        locked => locked(status),
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
    csrf: Csrf,
) -> Response {
    show(&app, &csrf, "editor/term.html", move |conn| {
        term_page(conn, &name, None, d.change)
    })
    .await
}

/// A term's page: the term, its senses with their examples, each a form,
/// and a form to add to each list.
pub(crate) fn term_page(
    conn: &Connection,
    name: &str,
    draft: Option<&Unsaved>,
    change: Option<i64>,
) -> Result<minijinja::Value> {
    let entry = edit::find(conn, Kind::Term, &[name.to_string()])?;
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
            examples.push(entry_view(conn, &example, draft)?);
        }
        senses.push(minijinja::context! {
            number => s.sense,
            form => entry_view(conn, &sense, draft)?,
            examples,
            add_example => new_view(Kind::Example, sense.id, draft),
        });
    }
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
        form => entry_view(conn, &entry, draft)?,
        senses,
        add_sense => new_view(Kind::Sense, entry.id, draft),
        comparisons,
        ..entry_state(conn, &entry, stored.status, history_href, change)?
    })
}

pub(crate) async fn comparison(
    State(app): State<Shared>,
    Path(slug): Path<String>,
    Query(d): Query<Done>,
    csrf: Csrf,
) -> Response {
    show(&app, &csrf, "editor/comparison.html", move |conn| {
        comparison_page(conn, &slug, None, d.change)
    })
    .await
}

/// An article's page: header, key differences, chart rows and FAQs, each
/// a form, with the preview beside them.
pub(crate) fn comparison_page(
    conn: &Connection,
    slug: &str,
    draft: Option<&Unsaved>,
    change: Option<i64>,
) -> Result<minijinja::Value> {
    let entry = edit::find(conn, Kind::Comparison, &[slug.to_string()])?;
    let article = view::comparison(
        conn,
        &comparisons::slug(conn, glossary_core::model::ComparisonId(entry.id))?,
    )?;
    let slug = article.header.comparison.clone();
    let children = |kind: Kind, keys: Vec<String>| -> Result<Vec<EntryView>> {
        keys.into_iter()
            .map(|key| entry_view(conn, &edit::find(conn, kind, &[slug.clone(), key])?, draft))
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
        form => entry_view(conn, &entry, draft)?,
        differences,
        add_difference => new_view(Kind::Difference, entry.id, draft),
        rows,
        add_row => new_view(Kind::Row, entry.id, draft),
        faqs,
        add_faq => new_view(Kind::Faq, entry.id, draft),
        preview_href => urls::preview(&slug),
        ..entry_state(conn, &entry, article.header.status, history_href, change)?
    })
}

/// The article as readers will see it: the site's own template, drafts
/// included, its stylesheet from `/site/`.
pub(crate) async fn preview(State(app): State<Shared>, Path(slug): Path<String>) -> Response {
    let result = read(&app, move |conn| {
        let p = render::page(conn, &slug)?;
        let site = render::Site {
            templates: glossary_site::templates::Templates::builtin(),
            settings: glossary_core::settings::load(conn)?,
            links: render::Links::in_editor(),
        };
        let path = format!("compare/{}.html", p.article.header.comparison);
        render::html_page(&p, &site, &path, None)
    })
    .await;
    match result {
        Ok(body) => crate::error::Page {
            status: StatusCode::OK,
            body,
        }
        .into_response(),
        Err(e) => failure(e),
    }
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
