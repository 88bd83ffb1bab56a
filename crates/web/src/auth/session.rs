//! Sessions: the cookie, the middleware that finds the signed-in account
//! for every request (or sends a stranger to sign in), and starting one.

use std::net::IpAddr;

use axum::http::HeaderMap;

use glossary_core::accounts::sessions;
use glossary_core::accounts::users::User;
use glossary_core::error::Result;

use crate::app::Shared;
use crate::client::https;
use crate::cookies::SESSION;

pub(crate) fn token(headers: &HeaderMap) -> Option<String> {
    crate::cookies::cookie(headers, SESSION).filter(|t| sessions::well_formed(t))
}

/// Starts a session for `user` (blocking: it writes): its token.
pub(crate) fn start_session(app: &Shared, user: &User) -> Result<String> {
    match &app.memory {
        Some(memory) => Ok(memory.start(user)),
        None => crate::app::as_writer(app, |conn| {
            sessions::start(conn, &user.name, app.session_seconds)
        }),
    }
}

/// The Set-Cookie value that gives the browser its session `token`.
pub(crate) fn session_cookie(
    app: &Shared,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    token: &str,
) -> String {
    let secure = if https(app, headers, peer) {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        app.session_seconds
    )
}
