//! `serve --read-only`: shows everything, changes nothing, not a byte
//! of the file, and refuses a schema it would have to upgrade.

use std::path::Path;

use crate::setup::{faq, save, sign_in, team_env};
use crate::util::{make_version_2, stderr, Env, SLUG};
use crate::webclient::Server;

#[test]
fn a_read_only_server_shows_everything_and_changes_nothing() {
    let env = team_env();
    let before = env.db_bytes();
    let server = Server::start_args(&env, &["--listen", "127.0.0.1:0", "--read-only"], &[]);
    let mut b = sign_in(&server, "pia");
    let page = b.get(&format!("/compare/{SLUG}"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("read-only copy"));
    assert!(!page.text().contains(">Unpublish</button>"));
    let id = faq(&env, SLUG, 1);
    let r = save(&mut b, id, "answer", "Changed.", "x");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("read-only copy"));
    // Signed in with nothing written: the sessions are in memory.
    assert_eq!(env.count("SELECT count(*) FROM sessions"), 0);
    assert!(
        env.db_bytes() == before,
        "the read-only server wrote to the file"
    );
    // A replica restored over the file (a new file renamed into place, as
    // a restore from a timer does) is served from the next request.
    let restored = env.dir.path().join("restored.db");
    env.conn()
        .execute("VACUUM INTO ?1", [restored.to_str().unwrap()])
        .unwrap();
    rusqlite::Connection::open(&restored)
        .unwrap()
        .execute(
            &format!("UPDATE faqs SET answer = 'Restored from the replica.' WHERE id = {id}"),
            [],
        )
        .unwrap();
    std::fs::rename(&restored, env.db()).unwrap();
    let page = b.get(&format!("/compare/{SLUG}"));
    assert!(page.text().contains("Restored from the replica."));
}

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

/// Browses a read-only server on `env`'s database (alone in its folder):
/// the file stays byte-identical, and nothing appears beside it.
fn browse_and_find_it_untouched(env: &Env) {
    let (before, files) = (env.db_bytes(), beside(&env.db()));
    assert_eq!(files, ["glossary.db"]);
    let running = browse_read_only(env);
    assert!(
        env.db_bytes() == before,
        "the read-only server wrote to the file"
    );
    assert_eq!(running, files, "it made files beside the database");
    assert_eq!(beside(&env.db()), files);
}

#[test]
fn a_read_only_server_leaves_a_rollback_journal_file_byte_identical() {
    let env = team_env();
    env.conn()
        .query_row("PRAGMA journal_mode = DELETE", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap();
    browse_and_find_it_untouched(&env);
}

#[test]
fn a_read_only_server_makes_no_wal_beside_a_wal_file() {
    let env = team_env();
    // Closed cleanly: a WAL database with nothing beside it.
    browse_and_find_it_untouched(&env);
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
