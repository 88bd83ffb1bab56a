//! The layer before every handler: refuses a request for another host
//! name (DNS rebinding) or a form from another site, sets the security
//! headers, hands out the CSRF cookie, makes the editor's cookies
//! `__Host-` ones over HTTPS, and turns axum's plain-text refusals into
//! the editor's error page.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use glossary_core::error::Error;

use crate::cookies::CSRF;
use crate::csrf::Csrf;
use crate::guard::origin::{host_allowed, host_name, same_origin};

/// The refusal of a request for a host the editor does not answer to, or
/// of a form another site sent.
pub(crate) fn refused(status: StatusCode, message: String) -> Response {
    crate::error::failure_as(status, Error::Invalid(message))
}

/// Security headers on every response, and the CSRF cookie for a browser
/// that has none; before anything, a request for another host name (DNS
/// rebinding) or a form from another site is refused.
pub(crate) async fn headers(
    axum::extract::State(app): axum::extract::State<crate::app::Shared>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let peer = crate::client::peer(&req);
    let via_proxy = app.trusted_proxy.is_some() && peer == app.trusted_proxy;
    let secure = crate::client::https(&app, req.headers(), peer);
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
    let res = if !public && !host_allowed(&app, &host, via_proxy) {
        refused(StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this editor does not answer to the name \"{}\": open it by its address (such as http://127.0.0.1:PORT/), or start it with `glossary serve --host {}` if that name is yours",
                host_name(&host).escape_debug(),
                host_name(&host).escape_debug()
            ))
    } else if !req.method().is_safe() && !same_origin(req.headers(), via_proxy) {
        refused(StatusCode::FORBIDDEN,
            "this form was sent from another site, not from this editor's pages; nothing was changed".into())
    } else {
        req.extensions_mut().insert(csrf.clone());
        as_page(next.run(req).await).await
    };
    // What failed before the gate (a refusal here, the gate's own lookup).
    let mut res = crate::error::rendered(res, &csrf);
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
            "{CSRF}={}; Path=/; HttpOnly; SameSite=Strict{}",
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
pub(crate) async fn as_page(res: Response) -> Response {
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
        crate::app::log(&format!("a request failed: {text}"));
        "The server could not do this; what went wrong is in its log.".to_string()
    } else {
        format!("The request could not be read ({text}). Go back, reload the page, and try again.")
    };
    refused(status, said)
}

/// The prefix that makes a cookie the host's alone: a browser takes a
/// `__Host-` cookie only over HTTPS, from this host, for every path, so a
/// sibling subdomain cannot plant one (as it can a plain cookie).
pub(crate) const HOST_PREFIX: &str = "__Host-";

/// The editor's cookies as the handlers know them (`glossary_session`,
/// `glossary_csrf`): over HTTPS only the `__Host-` ones count, read
/// without their prefix; over plain HTTP (loopback) only plain ones.
pub(crate) fn host_cookies_in(headers: &mut axum::http::HeaderMap, secure: bool) {
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
pub(crate) fn host_cookies_out(headers: &mut axum::http::HeaderMap) {
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
