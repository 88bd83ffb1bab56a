//! A form as posted: read within its size limit, its fields by name, its
//! CSRF token checked ([`refusal`]); a form that cannot be read is
//! answered with the editor's error page, not axum's plain text.

use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;

use glossary_core::error::Error;

use crate::csrf::Csrf;

/// The largest form an editor sends (a long article is well under 100 KB).
pub(crate) const FORM_LIMIT: usize = 1 << 20;
/// The largest upload `/import` takes: CSV files or a zip of them.
pub(crate) const UPLOAD_LIMIT: usize = 64 << 20;

/// A posted form whose CSRF token checked out: its fields by name.
pub(crate) struct Posted {
    pub csrf: Csrf,
    pub fields: HashMap<String, String>,
}

impl Posted {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// A field that must be a number (a row id): a form that lacks it was
    /// not made by the editor.
    pub fn number(&self, name: &str) -> Result<i64, Error> {
        self.get(name)
            .trim()
            .parse()
            .map_err(|_| Error::Invalid(format!("the form has no valid {name}")))
    }
}

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let csrf = Csrf::from_request_parts(&mut parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        let req = Request::from_parts(parts, body);
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| {
                let error =
                    Error::Invalid(format!("the form could not be read: {}", e.body_text()));
                crate::error::failure_as(e.status(), error)
            })?;
        // Browsers send a textarea's line breaks as CRLF; stored text has LF.
        let fields: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k, v.replace("\r\n", "\n")))
            .collect();
        if let Some(refused) = refusal(&csrf, fields.get("csrf").map(String::as_str)) {
            return Err(refused);
        }
        Ok(Posted { csrf, fields })
    }
}

/// The refusal (403) of a form without this browser's token, if it is.
pub(crate) fn refusal(csrf: &Csrf, sent: Option<&str>) -> Option<Response> {
    if sent.is_some_and(|s| csrf.accepts(s)) {
        return None;
    }
    let error = Error::Invalid(
        "this form did not come from this editor's pages (its security token is missing or stale); nothing was changed. Go back, reload the page, and send it again."
            .into(),
    );
    Some(crate::error::failure_as(StatusCode::FORBIDDEN, error))
}
