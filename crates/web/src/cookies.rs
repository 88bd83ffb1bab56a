//! The editor's two cookies, by name, and reading one from a request.
//! Over HTTPS both go out as `__Host-` cookies ([`crate::guard::headers`]).

use axum::http::header;

/// The session: a signed-in account's token.
pub(crate) const SESSION: &str = "glossary_session";
/// The CSRF token of a browser that has not signed in.
pub(crate) const CSRF: &str = "glossary_csrf";

/// The value of the cookie `name` the request sent, if it did.
pub(crate) fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
}
