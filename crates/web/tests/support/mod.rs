//! What the in-process tests of the web crate start from.

use std::path::{Path, PathBuf};

use glossary_core::accounts::users;
use glossary_web::{Limits, Options};

/// A database in `dir` holding the seeds and `accounts` (none: a server
/// its owner runs without accounts).
pub fn database(dir: &Path, accounts: &[(&str, users::Role)]) -> PathBuf {
    let db = dir.join("glossary.db");
    let mut conn = glossary_core::db::open(&db, glossary_core::db::Mode::Create).unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    glossary_core::import::import(
        &mut conn,
        &glossary_core::change::Actor::new(Some("test".into()), "import"),
        &[seeds],
        glossary_core::import::Options::default(),
        &mut glossary_core::import::Quiet,
    )
    .unwrap();
    for (name, role) in accounts {
        users::add(&conn, name, *role, "correct horse battery").unwrap();
    }
    db
}

/// The options `glossary serve` runs with on loopback, with `limits`.
pub fn options(listen: &str, limits: Limits) -> Options {
    Options {
        listen: listen.parse().unwrap(),
        open: false,
        trusted_proxy: None,
        read_only: false,
        session_seconds: 3600,
        hosts: Vec::new(),
        ready: Box::new(|_| {}),
        log: std::sync::Arc::new(|_: &str| {}),
        limits,
        stop: None,
        site: None,
    }
}
