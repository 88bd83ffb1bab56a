//! The editor's pages: each a function that gathers what a template shows
//! from the library, and a handler that runs it off the async threads.
//! The entry pages take a [`Draft`]: after a refused save they show the
//! page again with what was typed and the message beside the field.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::guard::Csrf;
use super::{failure, page, read, Shared};
use glossary_core::edit::{self, Entry, FieldType, Kind};
use glossary_core::error::{Error, Result};
use glossary_core::history::{self, Filter};
use glossary_core::model::Status;
use glossary_core::search;
use glossary_core::store::{comparisons, terms};
use glossary_core::view;
use glossary_site::render;

/// How many terms, comparisons or changes a listing page shows.
const PAGE: i64 = 50;

/// What a person typed into a form that was refused, shown again.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub kind: Option<Kind>,
    /// The row the form edits; 0 for a form that adds one.
    pub id: i64,
    /// For a form that adds: the row it adds to (a sense for an example).
    pub parent: i64,
    pub values: HashMap<String, String>,
    pub message: String,
    pub field: Option<String>,
}

impl Draft {
    fn matches(&self, kind: Kind, id: i64, parent: i64) -> bool {
        self.kind == Some(kind) && self.id == id && (id != 0 || self.parent == parent)
    }
}

/// One field of a form.
#[derive(Debug, Serialize)]
pub(crate) struct FieldView {
    pub name: &'static str,
    pub help: &'static str,
    pub value: String,
    /// The value the form was opened with: a save compares it with the
    /// database to find what someone else changed meanwhile.
    pub was: String,
    pub multiline: bool,
    pub required: bool,
    pub error: Option<String>,
}

/// One entry's form: an existing entry (id > 0) or a new one.
#[derive(Debug, Serialize)]
pub(crate) struct EntryView {
    pub kind: &'static str,
    pub noun: &'static str,
    pub id: i64,
    pub parent: i64,
    pub label: String,
    pub position: Option<i64>,
    pub last: bool,
    pub fields: Vec<FieldView>,
    /// A message for the form as a whole (not about one field).
    pub error: Option<String>,
}

/// The fields a form shows: positions are moved with buttons and the
/// status with publish, so neither is typed.
fn form_fields(kind: Kind) -> impl Iterator<Item = &'static edit::Field> {
    kind.fields()
        .iter()
        .filter(|f| !matches!(f.ty, FieldType::Position | FieldType::Status))
}

fn multiline(kind: Kind, f: &edit::Field) -> bool {
    matches!(f.ty, FieldType::Text | FieldType::OptionalText)
        && !matches!(
            (kind, f.name),
            (Kind::Term, "part_of_speech")
                | (Kind::Sense, "domain")
                | (Kind::Comparison, "title")
                | (Kind::Row, "aspect")
        )
}

fn field_view(
    kind: Kind,
    f: &'static edit::Field,
    value: String,
    draft: Option<&Draft>,
) -> FieldView {
    let (value, was, error) = match draft {
        Some(d) => (
            d.values
                .get(f.name)
                .cloned()
                .unwrap_or_else(|| value.clone()),
            d.values
                .get(&format!("was.{}", f.name))
                .cloned()
                .unwrap_or(value),
            (d.field.as_deref() == Some(f.name)).then(|| d.message.clone()),
        ),
        None => (value.clone(), value, None),
    };
    FieldView {
        name: f.name,
        help: f.help,
        value,
        was,
        multiline: multiline(kind, f),
        required: matches!(
            f.ty,
            FieldType::Text | FieldType::TermName | FieldType::TermRef | FieldType::Slug
        ),
        error,
    }
}

/// The form of an existing entry, as stored or as the draft typed it.
pub(crate) fn entry_view(
    conn: &Connection,
    entry: &Entry,
    draft: Option<&Draft>,
) -> Result<EntryView> {
    let values = edit::values(conn, entry)?;
    let draft = draft.filter(|d| d.matches(entry.kind, entry.id, 0));
    let position = values
        .iter()
        .find(|(f, _)| f.ty == FieldType::Position)
        .and_then(|(_, v)| v.parse().ok());
    let last = match (position, entry.kind.positioned()) {
        (Some(p), Some(table)) => p >= table.count(conn, entry.parent)?,
        _ => true,
    };
    let fields = values
        .into_iter()
        .filter(|(f, _)| !matches!(f.ty, FieldType::Position | FieldType::Status))
        .map(|(f, v)| field_view(entry.kind, f, v, draft))
        .collect();
    Ok(EntryView {
        kind: entry.kind.word(),
        noun: entry.kind.noun(),
        id: entry.id,
        parent: entry.parent,
        label: entry.label.clone(),
        position,
        last,
        fields,
        error: draft
            .filter(|d| d.field.is_none())
            .map(|d| d.message.clone()),
    })
}

/// The empty form that adds a `kind` under `parent`.
pub(crate) fn new_view(kind: Kind, parent: i64, draft: Option<&Draft>) -> EntryView {
    let draft = draft.filter(|d| d.matches(kind, 0, parent));
    EntryView {
        kind: kind.word(),
        noun: kind.noun(),
        id: 0,
        parent,
        label: format!("new {}", kind.word()),
        position: None,
        last: true,
        fields: form_fields(kind)
            .map(|f| field_view(kind, f, String::new(), draft))
            .collect(),
        error: draft
            .filter(|d| d.field.is_none())
            .map(|d| d.message.clone()),
    }
}

/// `?change=N` after a save: the page says what was done, with Undo.
#[derive(Deserialize, Default)]
pub(crate) struct Done {
    change: Option<i64>,
}

fn done(conn: &Connection, change: Option<i64>) -> Result<Option<history::ChangeLine>> {
    match change {
        Some(id) => match history::change(conn, id) {
            Ok(d) => Ok(Some(d.change)),
            Err(Error::NoSuchChange { .. }) => Ok(None),
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}

/// Runs `gather` for a page and renders `template` with it.
async fn show<C: Serialize + Send + 'static>(
    app: &Shared,
    csrf: &Csrf,
    template: &'static str,
    gather: impl FnOnce(&mut Connection) -> Result<C> + Send + 'static,
) -> Response {
    match read(app, gather).await {
        Ok(context) => page(StatusCode::OK, template, csrf, context),
        Err(e) => failure(&e, csrf),
    }
}

pub(crate) async fn dashboard(State(app): State<Shared>, csrf: Csrf) -> Response {
    show(&app, &csrf, "editor/dashboard.html", |conn| {
        // Counts that cost nothing on a large glossary (`glossary stats`
        // counts every table).
        let (terms, draft_terms) = terms::counts(conn)?;
        let (comparisons, draft_comparisons) = comparisons::counts(conn)?;
        let recent = history::changes(
            conn,
            &Filter {
                limit: 10,
                ..Default::default()
            },
        )?;
        let drafts: Vec<minijinja::Value> = comparisons::page(conn, Some(Status::Draft), "", 10)?
            .into_iter()
            .map(|d| minijinja::context! { comparison => d.comparison.clone(), title => d.shown_title() })
            .collect();
        let mut reviews = glossary_core::review::list(conn, None)?;
        reviews.truncate(20);
        Ok(minijinja::context! {
            title => "Dashboard", terms, draft_terms, comparisons, draft_comparisons, recent, drafts, reviews,
        })
    })
    .await
}

#[derive(Deserialize, Default)]
pub(crate) struct Listing {
    status: Option<String>,
    #[serde(default)]
    after: String,
}

fn status_filter(s: Option<&str>) -> Option<Status> {
    s.and_then(|s| Status::parse(s).ok())
}

/// One line of a listing, and the key the next page starts after.
#[derive(Serialize)]
struct Listed {
    href: String,
    name: String,
    status: Status,
    detail: Option<String>,
}

/// A page of a listing: at most PAGE lines after `q.after`, and the link
/// to the next page when there are more.
fn listing(
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
                    href: format!("/term/{}", url_part(&t.term)),
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
                    href: format!("/compare/{}", url_part(&h.comparison)),
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
struct Found {
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
            for (t, _) in terms::starting_with(conn, &text, 5)? {
                found.push(Found {
                    href: format!("/term/{}", url_part(&t.term)),
                    kind: "term",
                    entry: t.term.clone(),
                    snippet: glossary_core::text::html(&t.part_of_speech.unwrap_or_default()),
                });
            }
            match search::search(conn, &text, false, 30) {
                Ok(hits) => found.extend(hits.into_iter().map(found_hit)),
                Err(e @ Error::Invalid(_)) => problem = Some(e.to_string()),
                Err(e) => return Err(e),
            }
            if found.is_empty() {
                suggestions = terms::closest(conn, &text, 3)?
                    .into_iter()
                    .map(|name| minijinja::context! { href => format!("/term/{}", url_part(&name)), name })
                    .collect();
            }
        }
        Ok(minijinja::context! { title => "Search", q => text, found, problem, suggestions, partial })
    })
    .await;
    match result {
        Ok(context) => page(StatusCode::OK, template, &csrf, context),
        Err(e) => failure(&e, &csrf),
    }
}

fn found_hit(h: search::Hit) -> Found {
    let href = match (&h.term, h.sense, &h.comparison) {
        (Some(term), Some(sense), _) => format!("/term/{}#sense-{sense}", url_part(term)),
        (Some(term), None, _) => format!("/term/{}", url_part(term)),
        (None, _, Some(slug)) => match h.position {
            Some(p) => format!("/compare/{}#{}-{p}", url_part(slug), h.kind),
            None => format!("/compare/{}", url_part(slug)),
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

pub(crate) use glossary_core::text::url_segment as url_part;

/// What a term's page and an article's page both show of their entry: its
/// status, whether it is locked for this person, its review, its recent
/// changes and the link to all of them, and what the last save did.
fn entry_state(
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
        history,
        history_href,
        done => done(conn, change)?,
    })
}

/// Whether the person sees an entry with `status` locked: their saves
/// would be refused (a published one for an editor, anything on a
/// read-only copy).
fn locked(status: Status) -> bool {
    super::auth::current().is_some_and(|w| !w.may_change(status))
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
    draft: Option<&Draft>,
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
                href => format!("/compare/{}", url_part(&c.comparison)),
                title => c.shown_title(),
                status => c.status,
            }
        })
        .collect();
    let history_href = format!("/history?term={}", url_part(&stored.term));
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
    draft: Option<&Draft>,
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
    let history_href = format!("/history?comparison={}", url_part(&slug));
    Ok(minijinja::context! {
        title,
        slug => &slug,
        public => article.public,
        draft_terms => article.draft_terms,
        left_href => format!("/term/{}", url_part(&article.header.left)),
        right_href => format!("/term/{}", url_part(&article.header.right)),
        left => article.header.left,
        right => article.header.right,
        form => entry_view(conn, &entry, draft)?,
        differences,
        add_difference => new_view(Kind::Difference, entry.id, draft),
        rows,
        add_row => new_view(Kind::Row, entry.id, draft),
        faqs,
        add_faq => new_view(Kind::Faq, entry.id, draft),
        preview_href => format!("/compare/{}/preview", url_part(&slug)),
        ..entry_state(conn, &entry, article.header.status, history_href, change)?
    })
}

/// The article as readers will see it: the site's own template, drafts
/// included, its stylesheet from `/site/`.
pub(crate) async fn preview(
    State(app): State<Shared>,
    Path(slug): Path<String>,
    csrf: Csrf,
) -> Response {
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
        Ok(body) => super::Page {
            status: StatusCode::OK,
            body,
        }
        .into_response(),
        Err(e) => failure(&e, &csrf),
    }
}

pub(crate) async fn new(State(_app): State<Shared>, csrf: Csrf) -> Response {
    page(StatusCode::OK, "editor/new.html", &csrf, new_context(None))
}

/// The forms that add a term or a comparison.
pub(crate) fn new_context(draft: Option<&Draft>) -> minijinja::Value {
    minijinja::context! {
        title => "New entry",
        term => new_view(Kind::Term, 0, draft),
        comparison => new_view(Kind::Comparison, 0, draft),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct HistoryQuery {
    term: Option<String>,
    comparison: Option<String>,
    author: Option<String>,
    before: Option<i64>,
}

pub(crate) async fn history(
    State(app): State<Shared>,
    Query(q): Query<HistoryQuery>,
    csrf: Csrf,
) -> Response {
    show(&app, &csrf, "editor/history.html", move |conn| {
        let entry = match (&q.term, &q.comparison) {
            (Some(t), _) => Some(edit::find(conn, Kind::Term, std::slice::from_ref(t))?),
            (None, Some(c)) => Some(edit::find(conn, Kind::Comparison, std::slice::from_ref(c))?),
            _ => None,
        };
        let mut changes = history::changes(
            conn,
            &Filter {
                entry: entry.as_ref(),
                author: q.author.as_deref().filter(|a| !a.is_empty()),
                before: q.before,
                limit: PAGE + 1,
                ..Default::default()
            },
        )?;
        let older = (changes.len() as i64 > PAGE).then(|| {
            changes.truncate(PAGE as usize);
            changes.last().map(|c| c.change)
        });
        let mut older_href = None;
        if let Some(Some(before)) = older {
            let mut query = vec![format!("before={before}")];
            for (name, value) in [
                ("term", &q.term),
                ("comparison", &q.comparison),
                ("author", &q.author),
            ] {
                if let Some(v) = value {
                    query.push(format!("{name}={}", url_part(v)));
                }
            }
            older_href = Some(format!("/history?{}", query.join("&")));
        }
        Ok(minijinja::context! {
            title => "History",
            about => entry.map(|e| e.label),
            changes,
            older_href,
        })
    })
    .await
}

pub(crate) async fn change(State(app): State<Shared>, Path(id): Path<i64>, csrf: Csrf) -> Response {
    show(&app, &csrf, "editor/change.html", move |conn| {
        let detail = history::change(conn, id)?;
        Ok(minijinja::context! { title => format!("Change {id}"), detail })
    })
    .await
}

pub(crate) async fn not_found(csrf: Csrf, uri: Uri) -> Response {
    missing(&csrf, uri.path())
}

pub(crate) fn missing(csrf: &Csrf, path: &str) -> Response {
    page(
        StatusCode::NOT_FOUND,
        "editor/message.html",
        csrf,
        minijinja::context! { title => "Not found", message => format!("There is no page {path}.") },
    )
}
