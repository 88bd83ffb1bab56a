//! What a request carries that the server checks: the CSRF token (a
//! cookie and a hidden field that must match), forms read within their
//! size limit ([`Posted`]), and the messages a redirect carries, signed so
//! that a link cannot put words in the editor's mouth ([`Said`]).

use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Form;

use glossary_core::error::Error;

/// The largest form an editor sends (a long article is well under 100 KB).
pub(crate) const FORM_LIMIT: usize = 1 << 20;
/// The largest upload `/import` takes: CSV files or a zip of them.
pub(crate) const UPLOAD_LIMIT: usize = 64 << 20;

pub(crate) const COOKIE: &str = "glossary_csrf";

/// The browser's CSRF token. Signed in: derived from the session token
/// (see [`Csrf::for_session`]). Before that (the sign-in form, an editor
/// without accounts): a random value in a cookie that only this site's
/// pages can read into their forms (double submit). A cross-site form
/// cannot know either, and the cookies are SameSite besides.
#[derive(Clone, Debug)]
pub(crate) struct Csrf {
    pub(crate) token: String,
    /// Made for this request: the response sets the cookie.
    pub(crate) fresh: bool,
}

impl Csrf {
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The request's token (as the headers middleware found it).
    pub fn of(req: &Request) -> Csrf {
        req.extensions()
            .get::<Csrf>()
            .cloned()
            .unwrap_or_else(|| Csrf::from_headers(req.headers()))
    }

    /// The token of a signed-in browser: derived from its session, so that
    /// a cookie planted from a sibling subdomain (which a double-submit
    /// cookie cannot tell from its own) is no use once signed in.
    pub fn for_session(session: &str) -> Csrf {
        Csrf {
            token: glossary_core::accounts::sessions::csrf_token(session),
            fresh: false,
        }
    }

    pub(crate) fn from_headers(headers: &axum::http::HeaderMap) -> Csrf {
        if let Some(session) = cookie(headers, crate::auth::session::COOKIE)
            .filter(|t| glossary_core::accounts::sessions::well_formed(t))
        {
            return Csrf::for_session(&session);
        }
        let sent = cookie(headers, COOKIE)
            .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
        match sent {
            Some(token) => Csrf {
                token,
                fresh: false,
            },
            None => Csrf {
                token: random_hex(32),
                fresh: true,
            },
        }
    }

    /// Whether `sent` (the form's field) is this browser's token, compared
    /// in constant time.
    pub fn accepts(&self, sent: &str) -> bool {
        !self.fresh
            && sent.len() == self.token.len()
            && sent
                .bytes()
                .zip(self.token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

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

/// What a form did, said on the page it redirects to (`?done=...`): the
/// message with a MAC under a key of this process, so that a link made
/// elsewhere cannot put words of its own on the editor's pages.
#[derive(serde::Deserialize, Default)]
pub(crate) struct Said {
    done: Option<String>,
    mac: Option<String>,
}

impl Said {
    /// The query string (`done=...&mac=...`) that says `message`.
    pub fn query(message: &str) -> String {
        format!(
            "done={}&mac={}",
            glossary_core::text::url_segment(message),
            said_mac(message)
        )
    }

    /// The message, if this server said it.
    pub fn message(self) -> Option<String> {
        let (done, mac) = (self.done?, self.mac?);
        let expected = said_mac(&done);
        (mac.len() == expected.len()
            && mac
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0)
            .then_some(done)
    }
}

pub(crate) fn said_mac(message: &str) -> String {
    use blake2::{Blake2s256, Digest};
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let key = KEY.get_or_init(|| random_hex(32));
    let mut h = Blake2s256::new();
    h.update(key.as_bytes());
    h.update(b"\0said\0");
    h.update(message.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` random bytes as hex, from the operating system.
pub(crate) fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random numbers");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Csrf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Csrf>()
            .cloned()
            .unwrap_or_else(|| Csrf::from_headers(&parts.headers)))
    }
}

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
                crate::error::failure_as(e.status(), &error, &csrf)
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
    Some(crate::error::failure_as(
        StatusCode::FORBIDDEN,
        &error,
        csrf,
    ))
}
