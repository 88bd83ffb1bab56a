//! The editor's own static files (its CSS and JavaScript, the site's
//! stylesheet for the preview), compiled in.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::csrf::Csrf;

/// The editor's own files, compiled in.
pub(crate) const ASSETS: &[(&str, &str, &str)] = &[
    (
        "editor.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/editor.css"),
    ),
    (
        "editor.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/editor.js"),
    ),
];

pub(crate) async fn asset(Path(file): Path<String>, csrf: Csrf) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "max-age=300"),
            ],
            *body,
        )
            .into_response(),
        None => crate::error::missing(&csrf, &format!("/static/{file}")),
    }
}

/// The site's stylesheet, for the preview.
pub(crate) async fn site_style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        glossary_site::templates::SITE_STYLE,
    )
        .into_response()
}
