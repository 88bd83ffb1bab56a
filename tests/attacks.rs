//! What an adversarial test and a new editor found (#19), each pinned by a
//! test that failed before its fix: the server's limits under concurrent
//! and slow clients, what a read-only server may touch, rebinding, and the
//! smaller holes of the web editor.

use std::path::Path;

use crate::robust::make_version_2;
use crate::team::{sign_in, team_env};
use crate::util::{stderr, Env};
use crate::webclient::Server;

/// The files in the database's folder whose names start with the
/// database's: the file itself and any `-wal`, `-shm` or `.bak` beside it.
fn beside(db: &Path) -> Vec<String> {
    let name = db.file_name().unwrap().to_string_lossy().into_owned();
    let mut found: Vec<String> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name))
        .collect();
    found.sort();
    found
}

/// Pages a reader of a replica would open, signed in as a publisher: the
/// files beside the database while the server still runs.
fn browse_read_only(env: &Env) -> Vec<String> {
    let server = Server::start_args(env, &["--listen", "127.0.0.1:0", "--read-only"], &[]);
    let mut b = sign_in(&server, "pia");
    for path in [
        "/",
        "/terms",
        "/comparisons",
        "/compare/producer-vs-executive-producer",
        "/history",
        "/search?q=producer",
    ] {
        let page = b.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
    }
    let running = beside(&env.db());
    assert!(server.stop().success());
    running
}

#[test]
fn a_read_only_server_leaves_a_rollback_journal_file_byte_identical() {
    let env = team_env();
    env.conn()
        .query_row("PRAGMA journal_mode = DELETE", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap();
    let (before, files) = (env.db_bytes(), beside(&env.db()));
    assert_eq!(files, ["glossary.db"]);
    let running = browse_read_only(&env);
    assert!(
        env.db_bytes() == before,
        "the read-only server wrote to the file"
    );
    assert_eq!(running, files, "it made files beside the database");
    assert_eq!(beside(&env.db()), files);
}

#[test]
fn a_read_only_server_makes_no_wal_beside_a_wal_file() {
    let env = team_env();
    let (before, files) = (env.db_bytes(), beside(&env.db()));
    // Closed cleanly: a WAL database with nothing beside it.
    assert_eq!(files, ["glossary.db"]);
    let running = browse_read_only(&env);
    assert!(
        env.db_bytes() == before,
        "the read-only server wrote to the file"
    );
    assert_eq!(running, files, "it made files beside the database");
    assert_eq!(beside(&env.db()), files);
}

#[test]
fn a_read_only_server_refuses_an_older_or_newer_schema_and_upgrades_nothing() {
    let env = team_env();
    make_version_2(&env);
    let before = env.db_bytes();
    let out = env
        .cmd()
        .args(["serve", "--read-only", "--listen", "127.0.0.1:0"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("older schema (version 2;") && said.contains("does not upgrade it"),
        "{said}"
    );
    assert!(env.db_bytes() == before, "the schema was upgraded");
    assert_eq!(
        beside(&env.db()),
        ["glossary.db"],
        "a copy or a WAL was made"
    );

    let env = team_env();
    env.conn().pragma_update(None, "user_version", 999).unwrap();
    let before = env.db_bytes();
    let out = env
        .cmd()
        .args(["serve", "--read-only", "--listen", "127.0.0.1:0"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("newer version of glossary"),
        "{}",
        stderr(&out)
    );
    assert!(env.db_bytes() == before);
}
