//! What keeps the editor safe: a CSRF token on every form, security
//! headers on every response, size limits on bodies, and static files
//! that come from the binary (a fixed list: no path reaches the disk).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Form;

use glossary_core::error::Error;

/// The largest form an editor sends (a long article is well under 100 KB).
pub(crate) const FORM_LIMIT: usize = 1 << 20;
/// The largest upload `/import` takes: CSV files or a zip of them.
pub(crate) const UPLOAD_LIMIT: usize = 64 << 20;

const COOKIE: &str = "glossary_csrf";

/// The browser's CSRF token. Signed in: derived from the session token
/// (see [`Csrf::for_session`]). Before that (the sign-in form, an editor
/// without accounts): a random value in a cookie that only this site's
/// pages can read into their forms (double submit). A cross-site form
/// cannot know either, and the cookies are SameSite besides.
#[derive(Clone, Debug)]
pub(crate) struct Csrf {
    token: String,
    /// Made for this request: the response sets the cookie.
    fresh: bool,
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

    fn from_headers(headers: &axum::http::HeaderMap) -> Csrf {
        if let Some(session) = cookie(headers, super::auth::COOKIE)
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

fn said_mac(message: &str) -> String {
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
                super::failure_as(e.status(), &error, &csrf)
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
    Some(super::failure_as(StatusCode::FORBIDDEN, &error, csrf))
}

/// The host of a `Host` header or of an origin's authority: lower case,
/// without the port (`[::1]:8080` is `[::1]`).
fn host_name(authority: &str) -> String {
    let a = authority.trim().to_ascii_lowercase();
    if a.starts_with('[') {
        return a
            .split_once(']')
            .map_or(a.clone(), |(h, _)| format!("{h}]"));
    }
    match a.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h.to_string(),
        _ => a,
    }
    .trim_end_matches('.')
    .to_string()
}

/// Whether the editor answers to `host` (a request's `Host`): an address
/// (a rebound name is never one), `localhost`, or a name given with
/// `--host`. Through the trusted proxy, any: the proxy chose what to pass.
pub(crate) fn host_allowed(app: &super::App, host: &str, via_proxy: bool) -> bool {
    let name = host_name(host);
    via_proxy
        || name == "localhost"
        || name
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok()
        || app.hosts.contains(&name)
}

/// The scheme and authority of an `Origin` or `Referer` value
/// (`https://example.org:8443`), lower case.
fn origin_of(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    Some((scheme.to_ascii_lowercase(), authority.to_ascii_lowercase()))
}

/// Whether a request that changes something came from this editor's own
/// pages, as far as the browser says: its `Origin` (else its `Referer`)
/// names the host it was sent to (through the trusted proxy, the host the
/// proxy says it was: `X-Forwarded-Host`, else `Host`, which Caddy and the
/// README's nginx pass on). A request that says neither is not a
/// browser's (they send `Origin` with every POST): its CSRF token decides.
fn same_origin(headers: &axum::http::HeaderMap, via_proxy: bool) -> bool {
    let forwarded = via_proxy
        .then(|| headers.get("x-forwarded-host"))
        .flatten()
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split(',').next());
    let Some(host) = forwarded.or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()))
    else {
        return false;
    };
    let said = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .map(|v| v.to_str().unwrap_or(""));
    match said {
        None => true,
        Some(url) => origin_of(url).is_some_and(|(scheme, authority)| {
            matches!(scheme.as_str(), "http" | "https")
                && authority == host.trim().to_ascii_lowercase()
        }),
    }
}

/// The refusal of a request for a host the editor does not answer to, or
/// of a form another site sent.
fn refused(status: StatusCode, message: String, csrf: &Csrf) -> Response {
    super::failure_as(status, &Error::Invalid(message), csrf)
}

/// Security headers on every response, and the CSRF cookie for a browser
/// that has none; before anything, a request for another host name (DNS
/// rebinding) or a form from another site is refused.
pub(crate) async fn headers(
    axum::extract::State(app): axum::extract::State<super::Shared>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let peer = super::auth::peer(&req);
    let via_proxy = app.trusted_proxy.is_some() && peer == app.trusted_proxy;
    let secure = super::auth::https(&app, req.headers(), peer);
    host_cookies_in(req.headers_mut(), secure);
    let csrf = Csrf::from_headers(req.headers());
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    // The editor's own static files are the same for everyone: served
    // whatever the name (so a refusal page has its style), they tell a
    // rebinding page nothing.
    let path = req.uri().path();
    let public = path.starts_with("/static/") || path == "/site/style.css";
    let mut res = if !public && !host_allowed(&app, &host, via_proxy) {
        refused(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this editor does not answer to the name \"{}\": open it by its address (such as http://127.0.0.1:PORT/), or start it with `glossary serve --host {}` if that name is yours",
                host_name(&host).escape_debug(),
                host_name(&host).escape_debug()
            ),
            &csrf,
        )
    } else if !req.method().is_safe() && !same_origin(req.headers(), via_proxy) {
        refused(
            StatusCode::FORBIDDEN,
            "this form was sent from another site, not from this editor's pages; nothing was changed".into(),
            &csrf,
        )
    } else {
        req.extensions_mut().insert(csrf.clone());
        as_page(next.run(req).await, &csrf).await
    };
    let h = res.headers_mut();
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in set {
        h.insert(name, HeaderValue::from_static(value));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        // Pages are asked for again every time (they show the database as
        // it is) and kept by no cache, shared or the browser's own: they
        // show a signed-in person's drafts.
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    if csrf.fresh {
        let cookie = format!(
            "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict{}",
            csrf.token,
            if secure { "; Secure" } else { "" }
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            h.append(header::SET_COOKIE, v);
        }
    }
    if secure {
        host_cookies_out(h);
    }
    res
}

/// A refusal axum wrote itself, in plain text ("Failed to deserialize
/// form body", "Invalid `boundary`..."), as the editor's error page with
/// the same status: the person sees where they are and how to go on.
async fn as_page(res: Response, csrf: &Csrf) -> Response {
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !plain || !(res.status().is_client_error() || res.status().is_server_error()) {
        return res;
    }
    let status = res.status();
    let text = match axum::body::to_bytes(res.into_body(), 16 << 10).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    let said = if status.is_server_error() {
        super::log(&format!("a request failed: {text}"));
        "The server could not do this; what went wrong is in its log.".to_string()
    } else {
        format!("The request could not be read ({text}). Go back, reload the page, and try again.")
    };
    refused(status, said, csrf)
}

/// The prefix that makes a cookie the host's alone: a browser takes a
/// `__Host-` cookie only over HTTPS, from this host, for every path, so a
/// sibling subdomain cannot plant one (as it can a plain cookie).
const HOST_PREFIX: &str = "__Host-";

/// The editor's cookies as the handlers know them (`glossary_session`,
/// `glossary_csrf`): over HTTPS only the `__Host-` ones count, read
/// without their prefix; over plain HTTP (loopback) only plain ones.
fn host_cookies_in(headers: &mut axum::http::HeaderMap, secure: bool) {
    let kept: Vec<String> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter_map(|c| {
            let ours = c.starts_with("glossary_");
            match c.strip_prefix(HOST_PREFIX) {
                Some(c) if secure => Some(c.to_string()),
                Some(_) => None,
                None if ours && secure => None,
                None => Some(c.to_string()),
            }
        })
        .collect();
    headers.remove(header::COOKIE);
    if let Ok(v) = HeaderValue::from_str(&kept.join("; ")) {
        headers.insert(header::COOKIE, v);
    }
}

/// Over HTTPS, the editor's cookies go out as `__Host-` cookies (they are
/// all `Path=/`, with no `Domain`, and `Secure` there).
fn host_cookies_out(headers: &mut axum::http::HeaderMap) {
    let set: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    headers.remove(header::SET_COOKIE);
    for v in set {
        let renamed = v
            .to_str()
            .ok()
            .filter(|c| c.starts_with("glossary_"))
            .map(|c| {
                let c = if c.contains("; Secure") {
                    c.to_string()
                } else {
                    format!("{c}; Secure")
                };
                format!("{HOST_PREFIX}{c}")
            })
            .and_then(|c| HeaderValue::from_str(&c).ok());
        headers.append(header::SET_COOKIE, renamed.unwrap_or(v));
    }
}

/// The editor's own files, compiled in.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "editor.css",
        "text/css; charset=utf-8",
        include_str!("../assets/editor.css"),
    ),
    (
        "editor.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/editor.js"),
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
        None => super::pages::missing(&csrf, &format!("/static/{file}")),
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
