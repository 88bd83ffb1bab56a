//! The gate every request passes: finds the signed-in account from the
//! session cookie (or, on a server without accounts, the owner) and sends
//! a stranger to sign in, except for the pages open to all.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use glossary_core::accounts::sessions;
use glossary_core::accounts::users::{Role, User};
use glossary_core::error::{Error, Result};

use crate::app::Shared;
use crate::auth::login::sign_in_first;
use crate::auth::session::token;
use crate::auth::who::{current, require, Who, WHO};
use crate::csrf::Csrf;
use crate::error::failure;

/// The page anyone may see: the sign-in form (static files are open too,
/// and skip [`identify`]'s lookup).
pub(crate) fn open_to_all(path: &str) -> bool {
    path == "/login"
}

/// Finds who the request is for and runs it as theirs; asks to sign in
/// where nobody is.
pub(crate) async fn identify(
    State(app): State<Shared>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/static/") || path == "/site/style.css" {
        // The same files for everyone: no database lookup for them.
        return WHO.scope(None, next.run(req)).await;
    }
    let token = token(req.headers());
    let found = {
        let app = app.clone();
        let token = token.clone();
        crate::app::blocking(move || -> Result<(Option<User>, bool)> {
            crate::app::with_connection(&app, |conn| {
                let user = match &token {
                    Some(t) => match &app.memory {
                        Some(memory) => memory.find(conn, t)?,
                        None => sessions::find(conn, t)?,
                    },
                    None => None,
                };
                let accounts = user.is_some() || glossary_core::accounts::users::any(conn)?;
                Ok((user, accounts))
            })
        })
        .await
    };
    let (user, accounts) = match found {
        Ok(found) => found,
        Err(e) => return failure(e),
    };
    let who = match user {
        Some(u) => Some(Who {
            name: Some(u.name),
            role: u.role,
            read_only: app.read_only,
        }),
        None if !accounts && app.owner_may_skip => Some(Who::owner(app.read_only)),
        None => None,
    };
    if who.is_none() && !open_to_all(req.uri().path()) {
        return sign_in_first(req).await;
    }
    // A failure is made a page here, where who is signed in is known (the
    // page says so); the CSRF token is the request's.
    let csrf = Csrf::of(&req);
    WHO.scope(who, async move {
        let res = next.run(req).await;
        crate::error::rendered(res, &csrf)
    })
    .await
}

/// The layer a route's rights are given by ([`crate::routes`]): refuses
/// (403) a request whose person lacks `needs` before its handler runs.
pub(crate) async fn needs(
    needs: Role,
    action: &'static str,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match require(needs, action) {
        Ok(_) => next.run(req).await,
        Err(e) => crate::error::failure(e),
    }
}

/// Who signed in, for a handler that needs to know (whose undo, whose
/// review): a request nobody signed in for never reaches it.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Who {
    type Rejection = crate::error::WebError;

    async fn from_request_parts(
        _: &mut axum::http::request::Parts,
        _: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        current().ok_or_else(|| {
            Error::Forbidden {
                action: "doing this".into(),
                needs: Role::Editor.as_str(),
                who: "nobody (not signed in)".into(),
                hint: None,
            }
            .into()
        })
    }
}
