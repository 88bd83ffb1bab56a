//! Who is asking: sign-in, sessions, throttling and roles.
//!
//! Every request but the sign-in page and static files passes
//! [`identify`]: a valid session cookie names the user (their role read
//! fresh from `users`, so a role change applies at once); without one, a
//! page asks to sign in and a posted form comes back to be sent again after
//! signing in, so nothing typed is lost to an expired session.
//!
//! A database with no accounts, served on loopback, is its owner's alone:
//! the editor asks no one to sign in and the owner may do everything, as
//! with the CLI. Served on any other address it always asks.
//!
//! Roles are checked in two places: routes that are a role's by nature
//! (import: admin; review decisions: publisher) say so with [`require`];
//! every write is checked for what it touched (published content needs a
//! publisher) in [`super::write`], whatever route made it.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::guard::{Csrf, Posted, Said};
use super::throttle::{Held, Key};
use super::{failure, page, Shared};
use glossary_core::accounts::sessions;
use glossary_core::accounts::users::{Role, User};
use glossary_core::error::{Error, Result};

pub(crate) const COOKIE: &str = "glossary_session";

/// The person a request is served for.
#[derive(Clone, Debug, Serialize)]
#[serde(into = "Shown")]
pub(crate) struct Who {
    /// Their account; None for the owner of an account-less database.
    pub name: Option<String>,
    pub role: Role,
    /// The server is a read-only copy: pages show no forms that change.
    pub read_only: bool,
}

/// What pages know of the person (`me`): who, and what they may do, so
/// that templates ask about rights, never compare role names.
#[derive(Serialize)]
struct Shown {
    name: Option<String>,
    role: Role,
    read_only: bool,
    may_write: bool,
    may_publish: bool,
    may_admin: bool,
}

impl From<Who> for Shown {
    fn from(w: Who) -> Shown {
        Shown {
            may_write: !w.read_only,
            may_publish: w.may(Role::Publisher),
            may_admin: w.may(Role::Admin),
            name: w.name,
            role: w.role,
            read_only: w.read_only,
        }
    }
}

impl Who {
    /// Whether they may do what `needs` may, here (a read-only copy lets
    /// nobody change anything).
    pub fn may(&self, needs: Role) -> bool {
        !self.read_only && self.role >= needs
    }

    /// Whether they may change an entry with `status`: a draft, anyone who
    /// writes; a published one, a publisher (the rule [`super::write`]
    /// checks on what a change touched).
    pub fn may_change(&self, status: glossary_core::model::Status) -> bool {
        self.may(match status {
            glossary_core::model::Status::Published => Role::Publisher,
            glossary_core::model::Status::Draft => Role::Editor,
        })
    }

    /// The refusal of `action`, which needs `needs`.
    pub fn forbidden(&self, needs: Role, action: String, hint: Option<String>) -> Error {
        Error::Forbidden {
            action,
            needs: needs.as_str(),
            who: self.described(),
            hint,
        }
    }

    fn owner(read_only: bool) -> Who {
        Who {
            name: None,
            role: Role::Admin,
            read_only,
        }
    }

    /// "ana, an editor", for the messages that refuse.
    pub fn described(&self) -> String {
        let article = match self.role {
            Role::Admin | Role::Editor => "an",
            Role::Publisher => "a",
        };
        match &self.name {
            Some(n) => format!("{n}, {article} {}", self.role.as_str()),
            None => "the owner".to_string(),
        }
    }
}

tokio::task_local! {
    /// Who the request on this task is for: set by [`identify`] around the
    /// handler, carried to its blocking work by [`acting`].
    static WHO: Option<Who>;
}

/// Who the current request is for (None on the sign-in page itself).
pub(crate) fn current() -> Option<Who> {
    WHO.try_with(Clone::clone).ok().flatten()
}

/// Runs `work` (on a blocking thread) as the request `who` is for, so that
/// [`current`] answers there too.
pub(crate) fn acting<T>(who: Option<Who>, work: impl FnOnce() -> T) -> T {
    WHO.sync_scope(who, work)
}

/// Refuses (403) unless the current request's person has `needs`.
pub(crate) fn require(needs: Role, action: &str) -> Result<Who> {
    let who = current().ok_or_else(|| Error::Forbidden {
        action: action.to_string(),
        needs: needs.as_str(),
        who: "nobody (not signed in)".into(),
        hint: None,
    })?;
    if who.role >= needs {
        Ok(who)
    } else {
        let hint = format!(
            "ask an admin to do it, or to give you the role (`glossary user role NAME {}`)",
            needs.as_str()
        );
        Err(who.forbidden(needs, action.to_string(), Some(hint)))
    }
}

/// Whether the request came over HTTPS: only a trusted proxy can say so
/// (`X-Forwarded-Proto`), since glossary itself serves plain HTTP.
pub(crate) fn https(app: &Shared, headers: &HeaderMap, peer: Option<IpAddr>) -> bool {
    trusted(app, peer)
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

fn trusted(app: &Shared, peer: Option<IpAddr>) -> bool {
    app.trusted_proxy.is_some() && peer == app.trusted_proxy
}

/// The client's address: the peer, or what a trusted proxy says it is
/// (the last address of `X-Forwarded-For`, the one the proxy added).
fn client(app: &Shared, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    if trusted(app, peer) {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer
}

/// The address the request came from (what the connection says).
pub(crate) fn peer(req: &Request<Body>) -> Option<IpAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

fn token(headers: &HeaderMap) -> Option<String> {
    super::guard::cookie(headers, COOKIE).filter(|t| sessions::well_formed(t))
}

/// The page anyone may see: the sign-in form (static files are open too,
/// and skip [`identify`]'s lookup).
fn open_to_all(path: &str) -> bool {
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
        super::blocking(move || -> Result<(Option<User>, bool)> {
            super::with_connection(&app.db, |conn| {
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
        Err(e) => return failure(&e, &Csrf::of(&req)),
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
    WHO.scope(who, next.run(req)).await
}

/// The answer to a request that needs a session and has none: a page
/// redirects to the sign-in form (and back after); a posted form is shown
/// in the sign-in page, to be sent again once signed in.
async fn sign_in_first(req: Request<Body>) -> Response {
    let csrf = Csrf::of(&req);
    let target = req
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    if req.method() == Method::GET || req.method() == Method::HEAD {
        let to = format!("/login?next={}", glossary_core::text::url_segment(&target));
        return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let mut kept: Vec<(String, String)> = Vec::new();
    if is_form {
        if let Ok(bytes) = axum::body::to_bytes(req.into_body(), super::guard::FORM_LIMIT).await {
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
const KEPT_FORM_LIMIT: usize = 128 << 10;

fn sign_in_page(status: StatusCode, csrf: &Csrf, context: SignIn) -> Response {
    let context = minijinja::context! {
        title => "Sign in",
        ..minijinja::Value::from_serialize(context)
    };
    page(status, "editor/login.html", csrf, context)
}

/// What the sign-in page shows.
#[derive(Serialize, Default)]
struct SignIn {
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
fn local(next: Option<&str>) -> String {
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
        super::blocking(move || -> Result<Option<String>> {
            let user = super::with_connection(&app.db, |conn| {
                glossary_core::accounts::users::verify(conn, &name, &password)
            })?;
            user.map(|u| start_session(&app, &u)).transpose()
        })
        .await
    };
    match checked {
        Ok(Some(token)) => {
            guess.succeeded();
            super::log(&format!("{name} signed in from {}", shown(address)));
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
            super::log(&format!(
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
            failure(&e, &posted.csrf)
        }
    }
}

/// The answer (429, with Retry-After) to a guess the throttle holds back.
fn held_back(held: Held, again: impl Fn(StatusCode, String) -> Response) -> Response {
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

/// Starts a session for `user` (blocking: it writes): its token.
fn start_session(app: &Shared, user: &User) -> Result<String> {
    match &app.memory {
        Some(memory) => Ok(memory.start(user)),
        None => super::as_writer(app, |conn| {
            sessions::start(conn, &user.name, app.session_seconds)
        }),
    }
}

/// The Set-Cookie value that gives the browser its session `token`.
fn session_cookie(app: &Shared, headers: &HeaderMap, peer: Option<IpAddr>, token: &str) -> String {
    let secure = if https(app, headers, peer) {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        app.session_seconds
    )
}

/// The signed-in person's own account: their password.
pub(crate) async fn account_page(Query(said): Query<Said>, csrf: Csrf) -> Response {
    own_account(StatusCode::OK, &csrf, said.message(), None)
}

fn own_account(
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
pub(crate) async fn change_password(State(app): State<Shared>, req: Request<Body>) -> Response {
    let headers = req.headers().clone();
    let peer = peer(&req);
    let posted = match Posted::from_request(req, &()).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let again = |status, message: String| own_account(status, &posted.csrf, None, Some(message));
    let Some(name) = current().and_then(|w| w.name) else {
        let e = Error::Invalid(
            "there is no account signed in here: the database has none (see `glossary user add`)"
                .into(),
        );
        return failure(&e, &posted.csrf);
    };
    if app.read_only {
        return again(
            StatusCode::CONFLICT,
            "This is a read-only copy: change your password on the main server.".into(),
        );
    }
    let (old, new) = (
        posted.get("current").to_string(),
        posted.get("password").to_string(),
    );
    if new != posted.get("again") {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The two new passwords differ: nothing was changed.".into(),
        );
    }
    let key = format!("name {}", name.to_lowercase());
    let Ok(guess) = app.throttle.begin(&key, None) else {
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many wrong passwords for this account: try again later.".into(),
        );
    };
    let changed = {
        let app = app.clone();
        let name = name.clone();
        super::blocking(move || -> Result<Option<String>> {
            let user = super::with_connection(&app.db, |conn| {
                glossary_core::accounts::users::verify(conn, &name, &old)
            })?;
            let Some(user) = user else { return Ok(None) };
            super::as_writer(&app, |conn| {
                glossary_core::accounts::users::set_password(conn, &user.name, &new)
            })?;
            start_session(&app, &user).map(Some)
        })
        .await
    };
    match changed {
        Ok(Some(token)) => {
            guess.succeeded();
            super::log(&format!("{name} changed their password"));
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
                failure(&e, &posted.csrf)
            }
        }
    }
}

fn shown(address: Option<IpAddr>) -> String {
    address.map_or_else(|| "an unknown address".into(), |a| a.to_string())
}

pub(crate) async fn logout(
    State(app): State<Shared>,
    headers: HeaderMap,
    posted: Posted,
) -> Response {
    if let Some(token) = token(&headers) {
        let app2 = app.clone();
        let _ = super::blocking(move || match &app2.memory {
            Some(memory) => {
                memory.end(&token);
                Ok(())
            }
            None => super::as_writer(&app2, |conn| sessions::end(conn, &token)),
        })
        .await;
    }
    let _ = posted;
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    let gone = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&gone) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// Sessions kept in memory, for a read-only server (a replica it cannot
/// write to). A session ends as a stored one does: at expiry, logout, a
/// new password or the user's removal (both seen in `users`).
pub(crate) struct Memory {
    seconds: u64,
    sessions: std::sync::Mutex<HashMap<String, Remembered>>,
}

struct Remembered {
    name: String,
    password_changed_at: String,
    expires: Instant,
}

impl Memory {
    pub fn new(seconds: u64) -> Memory {
        Memory {
            seconds,
            sessions: std::sync::Mutex::new(HashMap::new()),
        }
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Remembered>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn start(&self, user: &User) -> String {
        let token = sessions::new_token();
        let now = Instant::now();
        let mut all = self.sessions();
        all.retain(|_, s| s.expires > now);
        all.insert(
            sessions::token_hash(&token),
            Remembered {
                name: user.name.clone(),
                password_changed_at: user.password_changed_at.clone(),
                expires: now + Duration::from_secs(self.seconds),
            },
        );
        token
    }

    fn find(&self, conn: &rusqlite::Connection, token: &str) -> Result<Option<User>> {
        let (name, changed) = {
            let all = self.sessions();
            match all.get(&sessions::token_hash(token)) {
                Some(s) if s.expires > Instant::now() => {
                    (s.name.clone(), s.password_changed_at.clone())
                }
                _ => return Ok(None),
            }
        };
        let user = glossary_core::accounts::users::named(conn, &name)?
            .filter(|u| u.password_changed_at == changed);
        if user.is_none() {
            self.end(token);
        }
        Ok(user)
    }

    fn end(&self, token: &str) {
        self.sessions().remove(&sessions::token_hash(token));
    }
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
