//! `serve`: the web editor ([`glossary_web`]).

use crate::cmd::Globals;
use std::io::Write;

use clap::Args;

pub(crate) const SERVE_HELP: &str = "\
Serves the web editor on the same database the other commands use: every
kind of entry in forms, search, a preview of each article as `render` makes
it, publish, history with undo, import by upload and export as a zip. The
CLI and the sqlite3 shell keep working beside it.

Two people saving the same field of the same entry: the second save is
refused with both texts side by side to merge; nothing typed is lost.

Accounts (`glossary user`): once the database has one, everyone signs in,
and changes are filed under the account's name. Editors change drafts and
put them up for review; publishers also publish and change what is
published; admins also import and undo anyone's change. Without accounts,
on loopback, the editor is its owner's alone: no sign-in, and changes are
filed under --author (or GLOSSARY_AUTHOR, git's user.name, the login name).
Any other address needs an admin account. Behind a reverse proxy with
TLS, --trusted-proxy names it (secure cookies, client addresses). See
README.md, \"Running a server\". Stop it with Ctrl-C or SIGTERM: requests in
flight finish first.

Examples:
  glossary serve
  glossary serve --listen 127.0.0.1:3000 --open
  glossary user add ana --role admin && glossary serve --listen 0.0.0.0:8080
  glossary serve --trusted-proxy 127.0.0.1 --session-hours 8
  glossary serve --read-only --db replica.db
  glossary serve --site /var/www/glossary   # the published site, kept in step
  ssh -L 8080:127.0.0.1:8080 server   # from your machine, to reach it";

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one); an address
    /// other than loopback needs an admin account
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub(crate) listen: std::net::SocketAddr,
    /// Open the editor in the default web browser
    #[arg(long)]
    pub(crate) open: bool,
    /// The reverse proxy's address: its X-Forwarded-Proto (HTTPS: secure
    /// cookies) and X-Forwarded-For (the client, in logs and throttling)
    /// are believed, from it alone
    #[arg(long, value_name = "IP")]
    pub(crate) trusted_proxy: Option<std::net::IpAddr>,
    /// Serve the database without changing it (a replica): no forms that
    /// write, sign-ins kept in memory
    #[arg(long)]
    pub(crate) read_only: bool,
    /// How long a sign-in lasts, in hours
    #[arg(long, value_name = "HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub(crate) session_hours: u32,
    /// A host name the editor is reached by (repeat for each): requests
    /// for any other name are refused, so that a web page cannot reach the
    /// editor through a name it points at this machine (DNS rebinding).
    /// Addresses, `localhost` and requests through --trusted-proxy are
    /// always accepted
    #[arg(long = "host", value_name = "NAME")]
    pub(crate) hosts: Vec<String>,
    /// Keep the published site in DIR in step: built as the server starts
    /// and again after every change, whoever makes it (only pages that
    /// changed are written)
    #[arg(long, value_name = "DIR")]
    pub(crate) site: Option<std::path::PathBuf>,
    /// The site's theme (see `glossary theme`)
    #[arg(long, value_name = "DIR", requires = "site")]
    pub(crate) theme: Option<std::path::PathBuf>,
}

pub fn serve(ctx: &Globals, a: ServeArgs) -> anyhow::Result<()> {
    let site = match a.site {
        Some(dir) => Some(glossary_web::SiteOptions {
            dir,
            templates: a
                .theme
                .as_deref()
                .map(glossary_site::templates::Templates::theme)
                .transpose()?,
        }),
        None => None,
    };
    let options = glossary_web::Options {
        listen: a.listen,
        open: a.open,
        trusted_proxy: a.trusted_proxy,
        read_only: a.read_only,
        hosts: a.hosts,
        session_seconds: u64::from(a.session_hours) * 3600,
        limits: glossary_web::Limits::default(),
        stop: None,
        site,
        // The address on stdout, first line, at once: scripts and tests
        // read it (with --listen 127.0.0.1:0, the port chosen).
        // Every logged value is the server's or escaped: one event, one line.
        log: std::sync::Arc::new(|line| {
            super::note!("glossary: {}", glossary_core::text::log_line(line))
        }),
        ready: Box::new(|url| {
            let mut out = std::io::stdout();
            let _ = writeln!(out, "{url}");
            let _ = out.flush();
            super::note!("glossary: the editor is at {url} (Ctrl-C stops it)");
        }),
    };
    glossary_web::serve(ctx.db(), options)?;
    super::note!("glossary: stopped");
    Ok(())
}
