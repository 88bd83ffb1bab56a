//! The dashboard: counts, the newest changes, what waits for review; and
//! the ideas for comparisons it links to.

use axum::extract::State;
use axum::response::Response;

use glossary_core::history;
use glossary_core::history::Filter;
use glossary_core::model::Status;
use glossary_core::store::{comparisons, terms};

use crate::app::Shared;
use crate::csrf::Csrf;
use crate::pages::show;

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

/// How many ideas the page lists.
const IDEAS: i64 = 50;

/// Comparisons to write ([`glossary_core::ideas`]), each with a button that
/// starts it as a draft. A page of its own, not part of the dashboard: on
/// a dictionary the size of WordNet the ideas take a few seconds to find
/// (every text is matched for the terms it names together), and the
/// dashboard answers at once.
pub(crate) async fn ideas(State(app): State<Shared>, csrf: Csrf) -> Response {
    show(&app, &csrf, "editor/ideas.html", |conn| {
        let together = glossary_site::together::named_together(conn)?;
        let ideas = glossary_core::ideas::comparisons(conn, IDEAS, &together)?;
        Ok(minijinja::context! { title => "Comparisons to write", ideas })
    })
    .await
}
