//! The lists of terms and comparisons, and search.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use glossary_core::error::Error;
use glossary_core::model::Status;
use glossary_core::search;
use glossary_core::store::{comparisons, terms};

use crate::app::{read, Shared};
use crate::csrf::Csrf;
use crate::error::{failure, page};
use crate::pages::{show, PAGE};
use crate::urls;

#[derive(Deserialize, Default)]
pub(crate) struct Listing {
    status: Option<String>,
    #[serde(default)]
    after: String,
}

pub(crate) fn status_filter(s: Option<&str>) -> Option<Status> {
    s.and_then(|s| Status::parse(s).ok())
}

/// One line of a listing, and the key the next page starts after.
#[derive(Serialize)]
pub(crate) struct Listed {
    href: String,
    name: String,
    status: Status,
    detail: Option<String>,
}

/// A page of a listing: at most PAGE lines after `q.after`, and the link
/// to the next page when there are more.
pub(crate) fn listing(
    title: &str,
    path: &str,
    q: &Listing,
    mut rows: Vec<(Listed, String)>,
) -> minijinja::Value {
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|(_, key)| key.clone())
    } else {
        None
    };
    let items: Vec<Listed> = rows.into_iter().map(|(item, _)| item).collect();
    minijinja::context! {
        title, path, status => status_filter(q.status.as_deref()).map(Status::as_str),
        items, next, first => q.after.is_empty(),
    }
}

pub(crate) async fn terms(
    State(app): State<Shared>,
    Query(q): Query<Listing>,
    csrf: Csrf,
) -> Response {
    show(&app, &csrf, "editor/list.html", move |conn| {
        let rows = terms::page(conn, status_filter(q.status.as_deref()), &q.after, PAGE + 1)?
            .into_iter()
            .map(|(t, key)| {
                let item = Listed {
                    href: urls::term(&t.term),
                    name: t.term,
                    status: t.status,
                    detail: t.part_of_speech,
                };
                (item, key)
            })
            .collect();
        Ok(listing("Terms", "/terms", &q, rows))
    })
    .await
}

pub(crate) async fn comparisons(
    State(app): State<Shared>,
    Query(q): Query<Listing>,
    csrf: Csrf,
) -> Response {
    show(&app, &csrf, "editor/list.html", move |conn| {
        let rows = comparisons::page(conn, status_filter(q.status.as_deref()), &q.after, PAGE + 1)?
            .into_iter()
            .map(|h| {
                let item = Listed {
                    href: urls::comparison(&h.comparison),
                    name: h.shown_title(),
                    status: h.status,
                    detail: Some(h.comparison.clone()),
                };
                (item, h.comparison)
            })
            .collect();
        Ok(listing("Comparisons", "/comparisons", &q, rows))
    })
    .await
}

#[derive(Deserialize, Default)]
pub(crate) struct SearchQuery {
    #[serde(default)]
    q: String,
    /// Only the results, for the search box's script (`partial=1`).
    partial: Option<String>,
}

/// One search result, linked to where it is edited.
#[derive(Serialize)]
pub(crate) struct Found {
    href: String,
    kind: &'static str,
    entry: String,
    /// The text around the match, as escaped HTML with `<mark>`s.
    snippet: String,
}

pub(crate) async fn search(
    State(app): State<Shared>,
    Query(q): Query<SearchQuery>,
    csrf: Csrf,
) -> Response {
    let partial = q
        .partial
        .as_deref()
        .is_some_and(|p| !p.is_empty() && p != "0");
    let template = if partial {
        "editor/results.html"
    } else {
        "editor/search.html"
    };
    let text = q.q.trim().to_string();
    let result = read(&app, move |conn| {
        let mut found = Vec::new();
        let mut problem = None;
        let mut suggestions = Vec::new();
        if !text.is_empty() {
            // Terms by their first letters, a variant's included ("EP"
            // finds Executive Producer); the search's own hit of an exact
            // name is one of these.
            for n in search::named(conn, &text, 5)? {
                let about = match &n.variant {
                    Some(v) => format!("{} ({})", v.variant, v.kind),
                    None => n.part_of_speech.unwrap_or_default(),
                };
                found.push(Found {
                    href: urls::term(&n.term),
                    kind: "term",
                    entry: n.term,
                    snippet: glossary_core::text::html(&about),
                });
            }
            match search::search(conn, &text, false, 30) {
                Ok(hits) => found.extend(
                    hits.into_iter()
                        .filter(|h| h.kind != "term")
                        .map(found_hit),
                ),
                Err(e @ Error::Invalid(_)) => problem = Some(e.to_string()),
                Err(e) => return Err(e),
            }
            if found.is_empty() {
                suggestions = terms::closest(conn, &text, 3)?
                    .into_iter()
                    .map(|name| minijinja::context! { href => urls::term(&name), name })
                    .collect();
            }
        }
        Ok(minijinja::context! { title => "Search", q => text, found, problem, suggestions, partial })
    })
    .await;
    match result {
        Ok(context) => page(StatusCode::OK, template, &csrf, context),
        Err(e) => failure(e),
    }
}

pub(crate) fn found_hit(h: search::Hit) -> Found {
    let href = match (&h.term, h.sense, &h.comparison) {
        (Some(term), Some(sense), _) => format!("{}#sense-{sense}", urls::term(term)),
        (Some(term), None, _) => urls::term(term),
        (None, _, Some(slug)) => match h.position {
            Some(p) => format!("{}#{}-{p}", urls::comparison(slug), h.kind),
            None => urls::comparison(slug),
        },
        _ => "/".to_string(),
    };
    let snippet = glossary_core::text::html(&h.snippet)
        .replace(search::MARK_START, "<mark>")
        .replace(search::MARK_END, "</mark>");
    Found {
        href,
        kind: h.kind,
        entry: h.entry,
        snippet,
    }
}
