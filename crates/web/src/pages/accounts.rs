//! Accounts on the web, for admins: the same operations as `glossary user`
//! ([`glossary_core::accounts::users`]), behind the admin role.

use axum::body::Body;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use glossary_core::accounts::users;
use glossary_core::accounts::users::Role;
use glossary_core::error::{Error, Result};

use crate::app::{read, write, Shared};
use crate::auth::session::{session_cookie, start_session};
use crate::auth::who::current;
use crate::client::peer;
use crate::csrf::{Csrf, Said};
use crate::error::WebError;
use crate::error::{failure, page};
use crate::forms::Posted;

/// The signed-in person's own account: their password.
pub(crate) async fn account_page(Query(said): Query<Said>, csrf: Csrf) -> Response {
    own_account(StatusCode::OK, &csrf, said.message(), None)
}

pub(crate) fn own_account(
    status: StatusCode,
    csrf: &Csrf,
    done: Option<String>,
    error: Option<String>,
) -> Response {
    page(
        status,
        "editor/account.html",
        csrf,
        minijinja::context! {
            title => "Your account", done, error, min_password => glossary_core::accounts::users::MIN_PASSWORD,
        },
    )
}

/// A new password, given with the current one: every other session of
/// the account ends (the schema's trigger), and this browser gets a new
/// one. A wrong current password counts as a wrong sign-in.
pub(crate) async fn change_password(
    State(app): State<Shared>,
    req: Request<Body>,
) -> Result<Response, WebError> {
    let headers = req.headers().clone();
    let peer = peer(&req);
    let posted = match Posted::from_request(req, &()).await {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let again = |status, message: String| own_account(status, &posted.csrf, None, Some(message));
    let Some(name) = current().and_then(|w| w.name) else {
        let e = Error::Invalid(
            "there is no account signed in here: the database has none (see `glossary user add`)"
                .into(),
        );
        return Err(e.into());
    };
    if app.read_only {
        return Ok(again(
            StatusCode::CONFLICT,
            "This is a read-only copy: change your password on the main server.".into(),
        ));
    }
    let (old, new) = (
        posted.get("current").to_string(),
        posted.get("password").to_string(),
    );
    if new != posted.get("again") {
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The two new passwords differ: nothing was changed.".into(),
        ));
    }
    let key = format!("name {}", name.to_lowercase());
    let Ok(guess) = app.throttle.begin(&key, None) else {
        return Ok(again(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many wrong passwords for this account: try again later.".into(),
        ));
    };
    let changed = {
        let app = app.clone();
        let name = name.clone();
        crate::app::blocking(move || -> Result<Option<String>> {
            let user = crate::app::with_connection(&app, |conn| {
                glossary_core::accounts::users::verify(conn, &name, &old)
            })?;
            let Some(user) = user else { return Ok(None) };
            crate::app::as_writer(&app, |conn| {
                glossary_core::accounts::users::set_password(conn, &user.name, &new)
            })?;
            start_session(&app, &user).map(Some)
        })
        .await
    };
    Ok(match changed {
        Ok(Some(token)) => {
            guess.succeeded();
            crate::app::log(&format!("{name} changed their password"));
            let said = "Your password is changed; your other sessions have ended.";
            let to = format!("/account?{}", Said::query(said));
            let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
            if let Ok(v) = HeaderValue::from_str(&session_cookie(&app, &headers, peer, &token)) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Ok(None) => {
            guess.failed();
            again(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The current password is wrong: nothing was changed.".into(),
            )
        }
        Err(e) => {
            guess.abandon();
            if e.is_about_input() {
                again(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            } else {
                failure(e)
            }
        }
    })
}

/// The accounts page, with a message on top (`done`) or a refusal and the
/// name that was being added (kept in the form).
pub(crate) async fn show(
    app: &Shared,
    csrf: &Csrf,
    status: StatusCode,
    done: Option<String>,
    refused: Option<(String, String)>,
) -> Response {
    match read(app, users::list).await {
        Ok(accounts) => {
            let (error, name) = refused.unzip();
            page(
                status,
                "editor/accounts.html",
                csrf,
                minijinja::context! {
                    title => "Accounts", accounts, done, error, name,
                    roles => [Role::Editor, Role::Publisher, Role::Admin].map(Role::as_str),
                    min_password => users::MIN_PASSWORD,
                },
            )
        }
        Err(e) => failure(e),
    }
}

pub(crate) fn role(s: &str) -> Result<Role, Error> {
    Role::parse(s).ok_or_else(|| Error::BadValue {
        field: "role".into(),
        problem: format!("\"{s}\" is not a role (editor, publisher or admin)"),
    })
}

/// One form of the page: add, role, password or remove.
pub(crate) async fn change(
    State(app): State<Shared>,
    posted: Posted,
) -> Result<Response, WebError> {
    let action = posted.get("action").to_string();
    let name = posted.get("name").trim().to_string();
    let fields = posted.fields.clone();
    let get = move |k: &str| fields.get(k).cloned().unwrap_or_default();
    let (what, name2) = (action.clone(), name.clone());
    let done = write(&app, format!("user {action}"), move |tx, _| {
        let password = || -> Result<String, Error> {
            let (p, again) = (get("password"), get("again"));
            if p != again {
                return Err(Error::BadValue {
                    field: "password".into(),
                    problem: "the two passwords differ".into(),
                });
            }
            Ok(p)
        };
        match what.as_str() {
            "add" => {
                let r = role(&get("role"))?;
                users::add(tx, &name2, r, &password()?)?;
                Ok(format!("Added {name2}, {}.", r.as_str()))
            }
            "role" => {
                let r = role(&get("role"))?;
                users::set_role(tx, &name2, r)?;
                Ok(format!("{name2} is now {}.", r.as_str()))
            }
            "password" => {
                users::set_password(tx, &name2, &password()?)?;
                Ok(format!(
                    "New password for {name2}; their sessions have ended."
                ))
            }
            "remove" => {
                users::remove(tx, &name2)?;
                Ok(format!("Removed {name2}; their sessions have ended."))
            }
            other => Err(Error::Invalid(format!(
                "the form asks for \"{other}\" (add, role, password or remove)"
            ))),
        }
    })
    .await;
    Ok(match done {
        // The page again, saying what was done (POST, then GET).
        Ok(said) => (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/accounts?{}", crate::csrf::Said::query(&said)),
            )],
        )
            .into_response(),
        Err(e) if e.is_about_input() => {
            let kept = if action == "add" { name } else { String::new() };
            show(
                &app,
                &posted.csrf,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some((e.to_string(), kept)),
            )
            .await
        }
        Err(e) => failure(e),
    })
}

pub(crate) async fn accounts(
    State(app): State<Shared>,
    axum::extract::Query(said): axum::extract::Query<crate::csrf::Said>,
    csrf: Csrf,
) -> Result<Response, WebError> {
    Ok(show(&app, &csrf, StatusCode::OK, said.message(), None).await)
}
