//! `serve`: the web editor ([`glossary_web`]).

use std::io::Write;
use std::path::Path;

use crate::cli::ServeArgs;

pub fn serve(db_path: &Path, a: ServeArgs) -> anyhow::Result<()> {
    let options = glossary_web::Options {
        listen: a.listen,
        open: a.open,
        trusted_proxy: a.trusted_proxy,
        read_only: a.read_only,
        hosts: a.hosts,
        session_seconds: u64::from(a.session_hours) * 3600,
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
    glossary_web::serve(db_path, options)?;
    super::note!("glossary: stopped");
    Ok(())
}
