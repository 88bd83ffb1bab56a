//! The history: the list of changes (filtered by entry, author, day) and
//! one change in full, with Undo.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use glossary_core::history::Filter;
use glossary_core::kind::Kind;
use glossary_core::{edit, history};

use crate::app::Shared;
use crate::csrf::Csrf;
use crate::pages::{show, PAGE};
use glossary_core::text::url_segment;

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
                    query.push(format!("{name}={}", url_segment(v)));
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
