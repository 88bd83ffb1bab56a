//! `glossary user`: the web editor's accounts.

use crate::util::{stderr, stdout, Env};

fn add(env: &Env, name: &str, role: &str, password: &str) -> std::process::Output {
    env.cmd()
        .args(["user", "add", name, "--role", role])
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap()
}

#[test]
fn accounts_are_added_listed_changed_and_removed() {
    let env = Env::new();
    env.import_seeds();
    let out = add(&env, "ana", "editor", "correct horse battery");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "added editor ana\n");
    let hash: String = env
        .conn()
        .query_row(
            "SELECT password_hash FROM users WHERE name = 'ana'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains("horse"));
    // Refused: the same name in another case, a short password, a password
    // on the command line, an unknown role.
    let out = add(&env, "ANA", "admin", "another long password");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("user \"ANA\" already exists"),
        "{}",
        stderr(&out)
    );
    let out = add(&env, "bo", "admin", "short");
    assert!(
        stderr(&out).contains("password: must be at least 10 characters"),
        "{}",
        stderr(&out)
    );
    let out = env
        .cmd()
        .args([
            "user",
            "add",
            "bo",
            "--role",
            "admin",
            "--password",
            "xxxxxxxxxxxx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .cmd()
        .args(["user", "add", "bo", "--role", "owner"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Changed: the password (a new hash), the role.
    let out = env
        .cmd()
        .args(["user", "passwd", "ana"])
        .write_stdin("a brand new password\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let new_hash: String = env
        .conn()
        .query_row(
            "SELECT password_hash FROM users WHERE name = 'ana'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(hash, new_hash);
    env.cmd()
        .args(["user", "role", "ana", "publisher"])
        .assert()
        .success();
    let list = env.json(&["user", "list", "--format", "json"]);
    assert_eq!(list[0]["name"], "ana");
    assert_eq!(list[0]["role"], "publisher");
    assert!(list[0].get("password_hash").is_none(), "the hash is listed");
    // An unknown name is said before a password is asked for.
    let out = env.cmd().args(["user", "passwd", "anna"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown user \"anna\" (did you mean \"ana\"?)"));
    // Accounts are not content: not in the export, not in the history.
    let export = env.dir.path().join("export");
    env.cmd().arg("export").arg(&export).assert().success();
    for f in std::fs::read_dir(&export).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.contains("argon2"));
    }
    assert_eq!(
        env.count("SELECT count(*) FROM revisions WHERE table_name = 'users'"),
        0
    );
    env.cmd().args(["user", "remove", "ana"]).assert().success();
    let out = env.cmd().args(["user", "list"]).output().unwrap();
    assert!(stdout(&out).contains("no accounts yet"));
}
