//! `glossary serve`: the web editor.
//!
//! One process serves the same SQLite file the CLI and the sqlite3 shell
//! use, with the same rules: handlers call the library (the registry of
//! kinds in [`glossary_core::kind`], [`glossary_core::edit`], [`glossary_core::db`]'s write path,
//! [`glossary_core::history`]), never SQL of their own. Pages are the templates
//! under `templates/editor/`, plain forms that POST and redirect, so
//! everything works without JavaScript; `editor.js` only makes it quicker.
//!
//! - [`pages`]: what the editor shows (GET).
//! - [`forms`]: what it changes (POST), with the merge of concurrent edits.
//! - [`transfer`]: import uploads and the export download.
//! - [`guard`]: CSRF tokens, security headers, size limits.
//! - [`auth`]: sign-in, sessions, roles; [`throttle`]: wrong passwords.
//! - [`review`]: drafts put up for review, and the publishers' queue.

mod accounts;
mod auth;
mod forms;
mod guard;
mod listen;
mod pages;
mod review;
mod templates;
mod throttle;
mod transfer;

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rusqlite::Connection;
use serde::Serialize;

use glossary_core::change::Actor;
use glossary_core::db::{self, Mode};
use glossary_core::error::{Error, Result};

use glossary_core::accounts::users::Role;

/// How `serve` was asked to run.
pub struct Options {
    pub listen: SocketAddr,
    /// Opens the editor in the default browser once it listens.
    pub open: bool,
    /// The reverse proxy whose `X-Forwarded-Proto` and `X-Forwarded-For`
    /// are believed (HTTPS for the cookies, the client's address).
    pub trusted_proxy: Option<IpAddr>,
    /// Serve a copy that is only read (a replica): no changes, sessions
    /// kept in memory.
    pub read_only: bool,
    /// How long a sign-in lasts.
    pub session_seconds: u64,
    /// Host names the editor answers to besides addresses and `localhost`.
    pub hosts: Vec<String>,
    /// Called with the editor's address once it listens.
    pub ready: Box<dyn FnOnce(&str) + Send>,
    /// Told what an administrator would want in a log: sign-ins, and
    /// wrong passwords with the address they came from.
    pub log: Log,
}

/// Where the server's log lines go.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// What every request shares.
pub(crate) struct App {
    pub db: PathBuf,
    /// One writer at a time: SQLite allows no more, and waiting here keeps
    /// the busy timeout for writers outside this process.
    pub writer: Mutex<()>,
    /// Uploads checked by a dry run, waiting to be applied, by token.
    pub uploads: Mutex<HashMap<String, transfer::Upload>>,
    /// Served on loopback: a database without accounts is its owner's and
    /// needs no sign-in.
    pub owner_may_skip: bool,
    pub trusted_proxy: Option<IpAddr>,
    /// Host names it answers to (lower case, without a port), besides
    /// addresses and `localhost`: see [`guard::host_allowed`].
    pub hosts: Vec<String>,
    pub read_only: bool,
    pub session_seconds: u64,
    /// Sessions of a read-only server (None: they are in the database).
    pub memory: Option<auth::Memory>,
    pub throttle: throttle::Throttle,
}

/// The server's log: set once, when it starts (one server a process).
static LOG: std::sync::OnceLock<Log> = std::sync::OnceLock::new();

/// Writes `line` to the server's log.
pub(crate) fn log(line: &str) {
    if let Some(log) = LOG.get() {
        log(line);
    }
}

pub(crate) type Shared = Arc<App>;

/// Runs the editor until Ctrl-C or SIGTERM; requests in flight finish
/// first, and a write is one transaction, so nothing is left half-written.
pub fn serve(db_path: &Path, options: Options) -> Result<()> {
    // The database must be there and readable before anyone is told the
    // address: a typo in --db is said now, not on the first page.
    let conn = db::open(db_path, mode(options.read_only))?;
    let loopback = options.listen.ip().is_loopback();
    if !loopback && !glossary_core::accounts::users::any_admin(&conn)? {
        return Err(Error::Refused {
            action: format!("listen on {}", options.listen),
            reasons: vec![
                "the database has no admin account: on a network address everyone must sign in, and someone must be able to manage the accounts".into(),
            ],
            hints: vec![
                "create one first: `glossary user add NAME --role admin` (it asks for the password)".into(),
                "or listen on loopback (127.0.0.1 or [::1]) and reach it through an SSH tunnel".into(),
            ],
        });
    }
    drop(conn);
    READ_ONLY.store(options.read_only, std::sync::atomic::Ordering::Relaxed);
    let seconds = options.session_seconds.max(60);
    let app = Arc::new(App {
        db: db_path.to_path_buf(),
        writer: Mutex::new(()),
        uploads: Mutex::new(HashMap::new()),
        owner_may_skip: loopback,
        trusted_proxy: options.trusted_proxy,
        hosts: options
            .hosts
            .iter()
            .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
            .collect(),
        read_only: options.read_only,
        session_seconds: seconds,
        memory: options.read_only.then(|| auth::Memory::new(seconds)),
        throttle: throttle::Throttle::new(),
    });
    let _ = LOG.set(options.log);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Each blocking thread keeps a connection (three open files):
        // bounded, so that connections never run the server out of files.
        .max_blocking_threads(64)
        .build()
        .map_err(|e| Error::Invalid(format!("cannot start the web server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| Error::Invalid(format!("cannot listen on {}: {e}", options.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Invalid(format!("cannot listen on {}: {e}", options.listen)))?;
        let url = format!("http://{addr}/");
        (options.ready)(&url);
        if options.open {
            open_browser(&url);
        }
        listen::serve(listener, router(app), stopped())
            .await
            .map_err(|e| Error::Invalid(format!("the web server stopped: {e}")))
    })?;
    // Blocking work still running past the grace (a write is one
    // transaction: cut off, it is rolled back) does not hold the exit.
    runtime.shutdown_timeout(listen::GRACE);
    Ok(())
}

/// Every route of the editor.
pub(crate) fn router(app: Shared) -> Router {
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/account",
            get(auth::account_page).post(auth::change_password),
        )
        .route("/accounts", get(accounts::accounts).post(accounts::change))
        .route("/review", get(review::queue))
        .route("/review/ready", post(review::ready))
        .route("/review/decide", post(review::decide))
        .route("/terms", get(pages::terms))
        .route("/comparisons", get(pages::comparisons))
        .route("/search", get(pages::search))
        .route("/term/{name}", get(pages::term))
        .route("/compare/{slug}", get(pages::comparison))
        .route("/compare/{slug}/preview", get(pages::preview))
        .route("/new", get(pages::new))
        .route("/new/term", post(forms::new_term))
        .route("/new/comparison", post(forms::new_comparison))
        .route("/save", post(forms::save))
        .route("/add", post(forms::add))
        .route("/remove", post(forms::remove))
        .route("/move", post(forms::move_entry))
        .route("/status", post(forms::status))
        .route("/history", get(pages::history))
        .route("/history/{id}", get(pages::change))
        .route("/history/{id}/undo", post(forms::undo))
        .route(
            "/import",
            get(transfer::import_page)
                .post(transfer::upload)
                .layer(axum::extract::DefaultBodyLimit::max(guard::UPLOAD_LIMIT)),
        )
        .route("/import/apply", post(transfer::apply))
        .route("/export.zip", get(transfer::export))
        .route("/static/{file}", get(guard::asset))
        .route("/site/style.css", get(guard::site_style))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            auth::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            guard::headers,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(guard::FORM_LIMIT))
        .with_state(app)
}

async fn stopped() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// How the server opens the database: a read-only one never writes to
/// the file (nor migrates it, nor makes a WAL beside it).
fn mode(read_only: bool) -> Mode {
    if read_only {
        Mode::ReadOnly
    } else {
        Mode::Existing
    }
}

/// `serve --read-only`: every connection the server opens is query-only.
static READ_ONLY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

thread_local! {
    /// Each worker thread keeps its connection: opening one (and checking
    /// the schema) per request would cost more than most pages. With it,
    /// on a read-only server, the identity of the file it opened: a
    /// replica restored over it, or a file changed in place, is opened
    /// anew instead of served from the old view for ever.
    static CONNECTION: RefCell<Option<(Connection, db::Identity)>> = const { RefCell::new(None) };
}

pub(crate) fn with_connection<T>(
    db: &Path,
    work: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    CONNECTION.with(|cell| {
        let mut slot = cell.borrow_mut();
        let read_only = READ_ONLY.load(std::sync::atomic::Ordering::Relaxed);
        let identity = if read_only { db::identity(db) } else { None };
        if slot.as_ref().is_some_and(|(_, opened)| *opened != identity) {
            *slot = None;
        }
        if slot.is_none() {
            // A replica is opened read-only and query-only: whatever a
            // request tries, SQLite writes nothing.
            let conn = db::open(db, mode(read_only))?;
            // A long-lived connection reads pages through a memory map
            // (no copy per page read), and keeps more of them.
            conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
            conn.pragma_update(None, "cache_size", -32_768)?;
            *slot = Some((conn, identity));
        }
        let conn = &mut slot.as_mut().expect("opened above").0;
        let result = work(conn);
        if matches!(result, Err(Error::Sqlite(_))) && !conn.is_autocommit() {
            // A connection left inside a transaction is not reused.
            *slot = None;
        }
        result
    })
}

/// Runs `work` off the async threads (SQLite and Argon2 block), as the
/// person the request is for.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let who = auth::current();
    tokio::task::spawn_blocking(move || auth::acting(who, work))
        .await
        .map_err(|e| Error::Invalid(format!("a request failed: {e}")))?
}

/// Runs `work` on this thread's connection as the one writer (call it
/// off the async threads, from [`blocking`]).
pub(crate) fn as_writer<T>(
    app: &App,
    work: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    let _one_writer = app.writer.lock().unwrap_or_else(|e| e.into_inner());
    with_connection(&app.db, work)
}

/// Runs `work` on a connection, off the async threads, in one read
/// transaction: a page is read from one snapshot of the database (and its
/// hundred small queries share one lock instead of taking one each).
pub(crate) async fn read<T: Send + 'static>(
    app: &Shared,
    work: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
) -> Result<T> {
    let app = app.clone();
    blocking(move || {
        with_connection(&app.db, |conn| {
            conn.execute_batch("BEGIN DEFERRED")?;
            let result = work(conn);
            // Nothing was written: ending it either way is the same.
            let _ = conn.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
            result
        })
    })
    .await
}

/// Runs `work` as one change of the history, written for the editor by
/// `command` (what it did, as the CLI would say it), off the async threads.
pub(crate) async fn write<T: Send + 'static>(
    app: &Shared,
    command: String,
    work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T> + Send + 'static,
) -> Result<T> {
    let app = app.clone();
    blocking(move || {
        let who = auth::current();
        if app.read_only {
            return Err(Error::Refused {
                action: "change the glossary here".into(),
                reasons: vec!["this editor serves a read-only copy (`serve --read-only`)".into()],
                hints: vec!["make the change on the main server".into()],
            });
        }
        let Some(who) = who else {
            return Err(auth::require(Role::Editor, "changing the glossary").unwrap_err());
        };
        let actor = Actor {
            // The account's name; the owner's changes are filed as the
            // CLI files them (--author, git's user.name, the login name).
            author: who.name.clone(),
            command: format!("serve: {command}"),
        };
        glossary_core::change::acting_as(actor, || {
            as_writer(&app, |conn| {
                db::write(conn, |tx| {
                    let done = work(tx)?;
                    if !who.may(Role::Publisher) {
                        let change = glossary_core::change::current(tx)?;
                        if let Some(entry) = glossary_core::history::touched_published(tx, change)? {
                            return Err(who.forbidden(
                                Role::Publisher,
                                format!("changing {entry}, which is published,"),
                                Some("an editor changes drafts: ask a publisher to unpublish it, or to make the change".into()),
                            ));
                        }
                    }
                    Ok(done)
                })
            })
        })
    })
    .await
}

/// Says what the request being written is, as the CLI would name it
/// (`edit faq SLUG 3`): the change's command is `serve: ` and that.
pub(crate) fn describe(command: impl std::fmt::Display) {
    glossary_core::change::describe(format!("serve: {command}"));
}

/// A whole page: the template's name, its status and what it shows.
pub(crate) struct Page {
    pub status: StatusCode,
    pub body: String,
}

/// Renders `template` for the editor; `context` is merged with what every
/// page has (the CSRF token for its forms).
pub(crate) fn page(
    status: StatusCode,
    template: &str,
    csrf: &guard::Csrf,
    context: impl Serialize,
) -> Response {
    let context = minijinja::context! {
        csrf => csrf.token(),
        me => auth::current(),
        ..minijinja::Value::from_serialize(context)
    };
    match templates::render(template, context) {
        Ok(body) => Page { status, body }.into_response(),
        Err(e) => failure(&e, csrf),
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            self.body,
        )
            .into_response()
    }
}

/// The page for an error: what went wrong, in the CLI's words, with the
/// status that says whose fault it is.
pub(crate) fn failure(error: &Error, csrf: &guard::Csrf) -> Response {
    let status = match error {
        Error::NotFound { .. }
        | Error::NoSuchChange { .. }
        | Error::NoSuchSense { .. }
        | Error::NoSuchPosition { .. } => StatusCode::NOT_FOUND,
        Error::Gone { .. } => StatusCode::GONE,
        Error::Busy => StatusCode::SERVICE_UNAVAILABLE,
        Error::Forbidden { .. } => StatusCode::FORBIDDEN,
        Error::Refused { .. } | Error::Changed { .. } => StatusCode::CONFLICT,
        e if e.is_about_input() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    failure_as(status, error, csrf)
}

/// [`failure`] with a status the request's handling chose (a refused
/// token, a request that could not be read), titled by that status.
pub(crate) fn failure_as(status: StatusCode, error: &Error, csrf: &guard::Csrf) -> Response {
    let title = match status {
        StatusCode::BAD_REQUEST => "Not understood",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::GONE => "No longer there",
        StatusCode::SERVICE_UNAVAILABLE => "Busy",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::CONFLICT => "Not done",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        StatusCode::MISDIRECTED_REQUEST => "Wrong address",
        StatusCode::UNPROCESSABLE_ENTITY => "Not saved",
        s if s.is_client_error() => "Not done",
        _ => "Something went wrong",
    };
    let message = if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        // What failed inside (a path on the server, an SQL error) is for
        // whoever runs the server, not for every person who sees the page.
        log(&format!("a request failed: {error}"));
        "The server could not do this; what went wrong is in its log. Nothing was saved: try again, and if it goes on, tell whoever runs the server.".to_string()
    } else {
        error.to_string()
    };
    let context = minijinja::context! {
        title, message, csrf => csrf.token(), me => auth::current(),
    };
    match templates::render("editor/message.html", context) {
        Ok(body) => Page { status, body }.into_response(),
        // The message page itself failed: say it plainly.
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{error}\n{e}")).into_response(),
    }
}
