//! Pages and failures: a rendered page, and a failure as a page that
//! says what went wrong with the status that fits it.

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use glossary_core::error::Error;

use crate::app::log;
use crate::csrf::Csrf;

/// A whole page: the template's name, its status and what it shows.
pub(crate) struct Page {
    pub status: StatusCode,
    pub body: String,
}

/// Renders `template` for the editor; `context` is merged with what every
/// page has (the CSRF token for its forms).
pub(crate) fn page(
    status: StatusCode,
    template: &str,
    csrf: &crate::csrf::Csrf,
    context: impl Serialize,
) -> Response {
    let context = minijinja::context! {
        csrf => csrf.token(),
        me => crate::auth::who::current(),
        ..minijinja::Value::from_serialize(context)
    };
    match crate::templates::render(template, context) {
        Ok(body) => Page { status, body }.into_response(),
        Err(e) => failure(e),
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            self.body,
        )
            .into_response()
    }
}

/// A request that failed: handlers return `Result<Response, WebError>`
/// and use `?` on the library's errors. Its page (titled by its status,
/// with the request's CSRF token and who is signed in) is rendered by
/// [`rendered`], which the layers that know the request call on every
/// response: a handler needs neither to pass them on.
pub(crate) struct WebError {
    /// The status, where the handling chose one (a refused token, a
    /// request that could not be read); else [`status_of`] the error.
    status: Option<StatusCode>,
    error: Error,
}

impl WebError {
    /// The failure with a status of the request's own.
    pub(crate) fn with_status(status: StatusCode, error: Error) -> WebError {
        WebError {
            status: Some(status),
            error,
        }
    }
}

impl From<Error> for WebError {
    fn from(error: Error) -> WebError {
        WebError {
            status: None,
            error,
        }
    }
}

/// The failure a response stands for, until [`rendered`] makes it a page.
#[derive(Clone)]
struct Failed(std::sync::Arc<Error>);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status.unwrap_or_else(|| status_of(&self.error));
        let mut res = status.into_response();
        res.extensions_mut()
            .insert(Failed(std::sync::Arc::new(self.error)));
        res
    }
}

/// The status that says whose fault an error is.
fn status_of(error: &Error) -> StatusCode {
    match error {
        Error::NotFound { .. }
        | Error::NoSuchChange { .. }
        | Error::NoSuchSense { .. }
        | Error::NoSuchPosition { .. } => StatusCode::NOT_FOUND,
        Error::Gone { .. } => StatusCode::GONE,
        Error::Busy => StatusCode::SERVICE_UNAVAILABLE,
        Error::Forbidden { .. } => StatusCode::FORBIDDEN,
        Error::Refused { .. } | Error::Changed { .. } => StatusCode::CONFLICT,
        e if e.is_about_input() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The response for `error`: [`WebError`]'s, for handlers that answer a
/// `Response` rather than a `Result`.
pub(crate) fn failure(error: Error) -> Response {
    WebError::from(error).into_response()
}

/// [`failure`] with a status the request's handling chose.
pub(crate) fn failure_as(status: StatusCode, error: Error) -> Response {
    WebError::with_status(status, error).into_response()
}

/// `res` as it goes out: a failure ([`WebError`]) becomes the editor's
/// page for it, what went wrong in the CLI's words; anything else is
/// passed on as it is.
pub(crate) fn rendered(res: Response, csrf: &Csrf) -> Response {
    let Some(Failed(error)) = res.extensions().get::<Failed>().cloned() else {
        return res;
    };
    let status = res.status();
    let title = match status {
        StatusCode::BAD_REQUEST => "Not understood",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::GONE => "No longer there",
        StatusCode::SERVICE_UNAVAILABLE => "Busy",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::CONFLICT => "Not done",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        StatusCode::MISDIRECTED_REQUEST => "Wrong address",
        StatusCode::UNPROCESSABLE_ENTITY => "Not saved",
        s if s.is_client_error() => "Not done",
        _ => "Something went wrong",
    };
    let message = if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        // What failed inside (a path on the server, an SQL error) is for
        // whoever runs the server, not for every person who sees the page.
        log(&format!("a request failed: {error}"));
        "The server could not do this; what went wrong is in its log. Nothing was saved: try again, and if it goes on, tell whoever runs the server.".to_string()
    } else {
        error.to_string()
    };
    let context = minijinja::context! {
        title, message, csrf => csrf.token(), me => crate::auth::who::current(),
    };
    let mut page = match crate::templates::render("editor/message.html", context) {
        Ok(body) => Page { status, body }.into_response(),
        // The message page itself failed: say it plainly.
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{error}\n{e}")).into_response(),
    };
    // Headers a handler set for its failure (Retry-After) stay.
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().insert(name.clone(), value.clone());
        }
    }
    page
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
