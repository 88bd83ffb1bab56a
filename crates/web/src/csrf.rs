//! What a request carries that the server checks: the CSRF token (a
//! cookie and a hidden field that must match), forms read within their
//! size limit ([`Posted`]), and the messages a redirect carries, signed so
//! that a link cannot put words in the editor's mouth ([`Said`]).

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;

use glossary_core::accounts::tokens;

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
        if let Some(session) = crate::cookies::cookie(headers, crate::cookies::SESSION)
            .filter(|t| glossary_core::accounts::sessions::well_formed(t))
        {
            return Csrf::for_session(&session);
        }
        let sent = crate::cookies::cookie(headers, crate::cookies::CSRF)
            .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
        match sent {
            Some(token) => Csrf {
                token,
                fresh: false,
            },
            None => Csrf {
                token: tokens::random_hex::<32>(),
                fresh: true,
            },
        }
    }

    /// Whether `sent` (the form's field) is this browser's token, compared
    /// in constant time.
    pub fn accepts(&self, sent: &str) -> bool {
        !self.fresh && tokens::same(sent, &self.token)
    }
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
        tokens::same(&mac, &expected).then_some(done)
    }
}

pub(crate) fn said_mac(message: &str) -> String {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let key = KEY.get_or_init(tokens::random_hex::<32>);
    tokens::digest(&[key.as_bytes(), b"\0said\0", message.as_bytes()])
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
