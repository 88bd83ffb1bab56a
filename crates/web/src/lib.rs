//! `glossary serve`: the web editor.
//!
//! One process serves the same SQLite file the CLI and the sqlite3 shell
//! use, with the same rules: handlers call the library (the registry of
//! kinds in [`glossary_core::kind`], [`glossary_core::edit`], [`glossary_core::db`]'s write path,
//! [`glossary_core::history`]), never SQL of their own. Pages are the templates
//! under `templates/editor/`, plain forms that POST and redirect, so
//! everything works without JavaScript; `editor.js` only makes it quicker.
//!
//! - [`app`]: the server's state, its connections, reads and the one write
//!   path; [`listen`]: the accept loop and its [`Limits`].
//! - [`routes`]: every route and the rights it needs; [`urls`]: every
//!   address the pages link to.
//! - [`auth`]: who is asking (the gate, sessions, sign-in, the throttle,
//!   the rules of each role); [`guard`]: what stands before every handler
//!   (host and origin checks, security headers, static files).
//! - [`pages`]: each family of pages, what it shows and what its forms
//!   change; [`error`]: pages and failures; [`csrf`], [`forms`],
//!   [`cookies`], [`client`]: what a request carries.
//! - [`due`]: what is scheduled, published at its time; [`site`]: the
//!   published site rebuilt after every change (`--site DIR`).

mod app;
mod auth;
mod client;
mod cookies;
mod csrf;
mod due;
mod error;
mod forms;
mod guard;
mod listen;

pub use listen::Limits;
pub use site::SiteOptions;
mod pages;
mod routes;
mod site;
mod templates;
mod urls;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};

use glossary_core::db;
use glossary_core::error::{Error, Result};

use crate::app::{mode, App, LOG};
use crate::routes::router;

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
    /// The accept loop's limits.
    pub limits: Limits,
    /// Stops the server (requests in flight finish first); `None` for
    /// Ctrl-C or SIGTERM, as `glossary serve` runs.
    pub stop: Option<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>>,
    /// Keep a static site in step with the database (`serve --site`).
    pub site: Option<SiteOptions>,
}

/// Where the server's log lines go.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// The server's state for `options`, once the database is known to open
/// and the address to be allowed.
fn state(db_path: &Path, options: &Options) -> Result<Arc<App>> {
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
    let seconds = options.session_seconds.max(60);
    Ok(Arc::new(App {
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
        memory: options
            .read_only
            .then(|| crate::auth::replica::Memory::new(seconds)),
        throttle: crate::auth::throttle::Throttle::new(),
    }))
}

/// The editor's router for `options`, every route and layer as `serve`
/// serves them, without listening: for serving it some other way, and for
/// tests that drive it in process (`tower::ServiceExt::oneshot`). A
/// request must carry its peer's address (`axum::extract::ConnectInfo`),
/// as the accept loop gives it.
pub fn router_for(db_path: &Path, options: Options) -> Result<axum::Router> {
    let app = state(db_path, &options)?;
    let _ = LOG.set(options.log);
    Ok(router(app))
}

/// Runs the editor until Ctrl-C or SIGTERM (or `options.stop`); requests
/// in flight finish first, and a write is one transaction, so nothing is
/// left half-written.
pub fn serve(db_path: &Path, options: Options) -> Result<()> {
    let app = state(db_path, &options)?;
    let _ = LOG.set(options.log);
    let grace = options.limits.grace;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Each blocking thread keeps a connection (three open files):
        // bounded, so that connections never run the server out of files.
        .max_blocking_threads(64)
        .build()
        .map_err(|e| Error::Invalid(format!("cannot start the web server: {e}")))?;
    // The site's thread stops with the server (a build under way is cut
    // off: the next one finishes what it left).
    let stopping = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let on_stop = Arc::clone(&stopping);
    let served = runtime.block_on(async move {
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
        let limits = options.limits;
        if !options.read_only {
            tokio::spawn(due::every_minute(db_path.to_path_buf()));
        }
        if let Some(site) = options.site {
            let mode = mode(options.read_only);
            site::keep_in_step(db_path.to_path_buf(), mode, site, Arc::clone(&stopping));
        }
        let stop = options.stop.unwrap_or_else(|| Box::pin(stopped()));
        listen::serve(listener, router(app), stop, limits)
            .await
            .map_err(|e| Error::Invalid(format!("the web server stopped: {e}")))
    });
    on_stop.store(true, std::sync::atomic::Ordering::Relaxed);
    served?;
    // Blocking work still running past the grace (a write is one
    // transaction: cut off, it is rolled back) does not hold the exit.
    runtime.shutdown_timeout(grace);
    Ok(())
}

pub(crate) async fn stopped() {
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

pub(crate) fn open_browser(url: &str) {
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
