//! Accounts on the web, for admins: the same operations as `glossary user`
//! ([`glossary_core::accounts::users`]), behind the admin role.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth;
use super::guard::{Csrf, Posted};
use super::{failure, page, read, write, Shared};
use glossary_core::accounts::users::{self, Role};
use glossary_core::error::Error;

/// The accounts page, with a message on top (`done`) or a refusal and the
/// name that was being added (kept in the form).
async fn show(
    app: &Shared,
    csrf: &Csrf,
    status: StatusCode,
    done: Option<String>,
    refused: Option<(String, String)>,
) -> Response {
    match read(app, |conn| users::list(conn)).await {
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
        Err(e) => failure(&e, csrf),
    }
}

fn role(s: &str) -> Result<Role, Error> {
    Role::parse(s).ok_or_else(|| Error::BadValue {
        field: "role".into(),
        problem: format!("\"{s}\" is not a role (editor, publisher or admin)"),
    })
}

/// One form of the page: add, role, password or remove.
pub(crate) async fn change(State(app): State<Shared>, posted: Posted) -> Response {
    if let Err(e) = auth::require(Role::Admin, "managing accounts") {
        return failure(&e, &posted.csrf);
    }
    let action = posted.get("action").to_string();
    let name = posted.get("name").trim().to_string();
    let fields = posted.fields.clone();
    let get = move |k: &str| fields.get(k).cloned().unwrap_or_default();
    let (what, name2) = (action.clone(), name.clone());
    let done = write(&app, format!("user {action}"), move |tx| {
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
    match done {
        // The page again, saying what was done (POST, then GET).
        Ok(said) => (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/accounts?{}", super::guard::Said::query(&said)),
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
        Err(e) => failure(&e, &posted.csrf),
    }
}

pub(crate) async fn accounts(
    State(app): State<Shared>,
    axum::extract::Query(said): axum::extract::Query<super::guard::Said>,
    csrf: Csrf,
) -> Response {
    if let Err(e) = auth::require(Role::Admin, "managing accounts") {
        return failure(&e, &csrf);
    }
    show(&app, &csrf, StatusCode::OK, said.message(), None).await
}
