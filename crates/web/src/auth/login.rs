//! Signing in and out: the sign-in page, the check of a password (held
//! back by the throttle), and the form kept across a sign-in so that
//! nothing typed is lost when a session ran out.

use std::net::IpAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use glossary_core::accounts::sessions;
use glossary_core::error::Result;

use crate::app::Shared;
use crate::auth::session::{session_cookie, start_session, token};
use crate::auth::throttle::{Held, Key};
use crate::auth::who::current;
use crate::client::{client, peer};
use crate::cookies::SESSION;
use crate::csrf::Csrf;
use crate::error::{failure, page};
use crate::forms::Posted;
use crate::urls;

/// The answer to a request that needs a session and has none: a page
/// redirects to the sign-in form (and back after); a posted form is shown
/// in the sign-in page, to be sent again once signed in.
pub(crate) async fn sign_in_first(req: Request<Body>) -> Response {
    let csrf = Csrf::of(&req);
    let target = req
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    if req.method() == Method::GET || req.method() == Method::HEAD {
        let to = urls::login(&target);
        return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let mut kept: Vec<(String, String)> = Vec::new();
    if is_form {
        if let Ok(bytes) = axum::body::to_bytes(req.into_body(), crate::forms::FORM_LIMIT).await {
            kept = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        }
    }
    // Only a form of this editor's pages is kept to send again: another
    // site's form (which arrives without the session, SameSite=Lax) must
    // not come back as "your changes" for someone to send once signed in.
    let token = kept
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    let is_form = is_form && token.is_some_and(|t| csrf.accepts(t));
    // A form larger than any the editor's pages send is not shown back
    // (it would come back larger still, escaped and shown twice).
    let size: usize = kept.iter().map(|(k, v)| k.len() + v.len()).sum();
    let too_large = is_form && size > KEPT_FORM_LIMIT;
    let is_form = is_form && !too_large;
    if !is_form {
        kept.clear();
    }
    kept.retain(|(k, _)| k != "csrf");
    let context = SignIn {
        next: "/".into(),
        name: String::new(),
        message: Some(if is_form {
            "Your session has ended. Sign in, then send your changes again: they are kept below, not saved yet."
                .into()
        } else if too_large {
            "Your session has ended, and the form is too large to keep here: go back in your browser (what you typed is still there), copy it, then sign in and send it again.".into()
        } else {
            "Your session has ended: sign in and do it again.".into()
        }),
        resume_action: is_form.then_some(target),
        resume: kept,
    };
    sign_in_page(StatusCode::UNAUTHORIZED, &csrf, context)
}

/// The most text a form sent without a session is kept with, to send
/// again after signing in (a long article's form is well under it).
pub(crate) const KEPT_FORM_LIMIT: usize = 128 << 10;

pub(crate) fn sign_in_page(status: StatusCode, csrf: &Csrf, context: SignIn) -> Response {
    let context = minijinja::context! {
        title => "Sign in",
        ..minijinja::Value::from_serialize(context)
    };
    page(status, "editor/login.html", csrf, context)
}

/// What the sign-in page shows.
#[derive(Serialize, Default)]
pub(crate) struct SignIn {
    /// Where to go once signed in.
    next: String,
    name: String,
    message: Option<String>,
    /// A form that was refused for want of a session: where it goes, and
    /// its fields, to send again.
    resume_action: Option<String>,
    resume: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub(crate) struct AfterSignIn {
    next: Option<String>,
}

/// A place on this site to go after signing in: a path, never another
/// site (`//evil.example`, `https://...`).
pub(crate) fn local(next: Option<&str>) -> String {
    match next {
        // Printable ASCII only: browsers drop tabs and line breaks from a
        // URL, which would make `/\t/evil.example` another site.
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

pub(crate) async fn login_page(Query(q): Query<AfterSignIn>, csrf: Csrf) -> Response {
    let next = local(q.next.as_deref());
    if current().is_some() {
        // Already signed in: nothing to do here.
        return (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    }
    sign_in_page(
        StatusCode::OK,
        &csrf,
        SignIn {
            next,
            ..Default::default()
        },
    )
}

pub(crate) async fn login(State(app): State<Shared>, req: Request<Body>) -> Response {
    let headers = req.headers().clone();
    let peer = peer(&req);
    let posted = match Posted::from_request(req, &()).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let name = posted.get("name").trim().to_string();
    let password = posted.get("password").to_string();
    let next = local(Some(posted.get("next")));
    let resume_action = Some(posted.get("resume.action"))
        .filter(|a| !a.is_empty())
        .map(|a| local(Some(a)));
    let resume: Vec<(String, String)> = posted
        .fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("resume:")?.to_string(), v.clone())))
        .collect();
    let again = |status: StatusCode, message: String| {
        sign_in_page(
            status,
            &posted.csrf,
            SignIn {
                next: next.clone(),
                name: name.clone(),
                message: Some(message),
                resume_action: resume_action.clone(),
                resume: resume.clone(),
            },
        )
    };
    if glossary_core::accounts::users::check_name(&name).is_err() {
        // Not a name any account can have (a megabyte of it, a line
        // break): refused before it reaches the throttle, the log or the
        // page, none of which should hold it.
        return sign_in_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &posted.csrf,
            SignIn {
                next: next.clone(),
                message: Some(format!(
                    "An account name has 1 to {} characters, and no line breaks or tabs: check the name and try again.",
                    glossary_core::accounts::users::MAX_NAME
                )),
                resume_action: resume_action.clone(),
                resume: resume.clone(),
                ..Default::default()
            },
        );
    }
    let key = format!("name {}", name.to_lowercase());
    let address = client(&app, &headers, peer);
    let from = address.map(|a| format!("address {a}"));
    let guess = match app.throttle.begin(&key, from.as_deref()) {
        Ok(guess) => guess,
        Err(held) => return held_back(held, again),
    };
    let checked = {
        let app = app.clone();
        let name = name.clone();
        crate::app::blocking(move || -> Result<Option<String>> {
            let user = crate::app::with_connection(&app, |conn| {
                glossary_core::accounts::users::verify(conn, &name, &password)
            })?;
            user.map(|u| start_session(&app, &u)).transpose()
        })
        .await
    };
    match checked {
        Ok(Some(token)) => {
            guess.succeeded();
            crate::app::log(&format!("{name} signed in from {}", shown(address)));
            let cookie = session_cookie(&app, &headers, peer, &token);
            let mut r = match resume_action {
                // Signed in in the middle of sending a form: it is shown
                // once more, filled in, to send with one click.
                Some(action) => page(
                    StatusCode::OK,
                    "editor/resume.html",
                    // The form is sent with the new session.
                    &Csrf::for_session(&token),
                    minijinja::context! { title => "Signed in: send your changes", action, resume },
                ),
                None => (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response(),
            };
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Ok(None) => {
            let failures = guess.failed();
            // The third and fourth wrong password in a row for a name are
            // answered slowly (1 s, 2 s), the fifth too (3 s), then it locks.
            let delay = Duration::from_secs(u64::from(failures.saturating_sub(2)).min(4));
            crate::app::log(&format!(
                "a wrong name or password for \"{}\" from {}",
                name.escape_debug(),
                shown(address)
            ));
            tokio::time::sleep(delay).await;
            again(
                StatusCode::UNAUTHORIZED,
                "That name and password do not match an account. Check both and try again.".into(),
            )
        }
        Err(e) => {
            // Not an answer about the password (a busy database).
            guess.abandon();
            failure(e)
        }
    }
}

/// The answer (429, with Retry-After) to a guess the throttle holds back.
pub(crate) fn held_back(held: Held, again: impl Fn(StatusCode, String) -> Response) -> Response {
    let (wait, message) = match held {
        Held::Locked(wait, which) => {
            let what = match which {
                Key::Name => "for this name: signing in with it",
                Key::Address => "from your address: signing in",
            };
            let minutes = wait.as_secs().div_ceil(60);
            (
                wait,
                format!("Too many wrong passwords {what} is locked for {minutes} more minute{}. Try again later, or ask an admin to set a new password.", if minutes == 1 { "" } else { "s" }),
            )
        }
        Held::Busy(_) => (
            Duration::from_secs(5),
            "Too many sign-ins with this name are under way at once: wait a few seconds and try again.".into(),
        ),
    };
    let mut r = again(StatusCode::TOO_MANY_REQUESTS, message);
    if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

pub(crate) fn shown(address: Option<IpAddr>) -> String {
    address.map_or_else(|| "an unknown address".into(), |a| a.to_string())
}

pub(crate) async fn logout(
    State(app): State<Shared>,
    headers: HeaderMap,
    posted: Posted,
) -> Response {
    if let Some(token) = token(&headers) {
        let app2 = app.clone();
        let _ = crate::app::blocking(move || match &app2.memory {
            Some(memory) => {
                memory.end(&token);
                Ok(())
            }
            None => crate::app::as_writer(&app2, |conn| sessions::end(conn, &token)),
        })
        .await;
    }
    let _ = posted;
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    let gone = format!("{SESSION}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&gone) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_signing_in_only_paths_of_this_site() {
        for (next, to) in [
            (Some("/compare/a-vs-b?x=1#f"), "/compare/a-vs-b?x=1#f"),
            (Some("/term/caf%C3%A9"), "/term/caf%C3%A9"),
            (None, "/"),
            (Some(""), "/"),
            (Some("//evil.example/"), "/"),
            (Some("/\t/evil.example/"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("https://evil.example/"), "/"),
            (Some("javascript:alert(1)"), "/"),
            (Some("/caf\u{e9}"), "/"),
        ] {
            assert_eq!(local(next), to, "{next:?}");
        }
    }
}
