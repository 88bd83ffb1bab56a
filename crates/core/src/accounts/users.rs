//! Accounts for the web editor (migration V9): names, roles, and passwords
//! kept only as Argon2id hashes. The SQL of `users` is here.
//!
//! Roles, from least to most: an editor writes drafts; a publisher also
//! publishes and edits what is published; an admin also manages accounts,
//! imports and reverts. The CLI, run by the owner of the file, is not bound
//! by them.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Editor,
    Publisher,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Publisher => "publisher",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "editor" => Some(Role::Editor),
            "publisher" => Some(Role::Publisher),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// An account, as listed (never with its hash).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub password_changed_at: String,
}

/// The shortest password accepted: long enough that a stolen hash is not
/// worth guessing through Argon2id.
pub const MIN_PASSWORD: usize = 10;

fn check_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(Error::BadValue {
            field: "password".into(),
            problem: format!("must be at least {MIN_PASSWORD} characters long (this one has {n})"),
        });
    }
    if n > 1024 {
        return Err(Error::BadValue {
            field: "password".into(),
            problem: "must be at most 1024 characters long".into(),
        });
    }
    Ok(())
}

/// The Argon2id hash of `password` with a fresh random salt, as a PHC
/// string (`$argon2id$v=19$m=...`).
fn hash(password: &str) -> Result<String> {
    check_password(password)?;
    let salt = SaltString::encode_b64(&crate::accounts::tokens::random_bytes::<16>())
        .map_err(|e| Error::Invalid(format!("salt: {e}")))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| Error::Invalid(format!("cannot hash the password: {e}")))?
        .to_string())
}

fn not_found(conn: &Connection, name: &str) -> Error {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM users")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    Error::NotFound {
        kind: "user",
        name: name.to_string(),
        suggestions: crate::suggest::closest(name, names.iter(), 3),
    }
}

/// The account `name` (any case), or NotFound with the closest names.
pub fn find(conn: &Connection, name: &str) -> Result<User> {
    named(conn, name)?.ok_or_else(|| not_found(conn, name))
}

/// The longest account name, in characters (the schema's CHECK too).
pub const MAX_NAME: usize = 64;

/// Whether `name` could be an account's: 1 to [`MAX_NAME`] characters,
/// none of them a control character (a line break in a name would forge
/// lines in the server's log). Sign-in checks it before anything else, so
/// a megabyte of "name" costs neither memory nor log.
pub fn check_name(name: &str) -> Result<()> {
    crate::edit::required("name", name)?;
    if name.chars().count() > MAX_NAME {
        return Err(Error::BadValue {
            field: "name".into(),
            problem: format!("must be at most {MAX_NAME} characters long"),
        });
    }
    if name.chars().any(char::is_control) {
        return Err(Error::BadValue {
            field: "name".into(),
            problem: "may not contain control characters (line breaks, tabs)".into(),
        });
    }
    Ok(())
}

pub fn add(conn: &Connection, name: &str, role: Role, password: &str) -> Result<()> {
    let name = name.trim();
    check_name(name)?;
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?;
    if exists {
        return Err(Error::AlreadyExists {
            what: "user",
            name: name.to_string(),
            hint: Some(format!(
                "change the password with `glossary user passwd {name}`"
            )),
        });
    }
    let hashed = hash(password)?;
    conn.execute(
        "INSERT INTO users (name, role, password_hash) VALUES (?1, ?2, ?3)",
        params![name, role.as_str(), hashed],
    )?;
    Ok(())
}

/// The columns [`from_row`] reads, in its order (for `users AS u`).
pub(crate) const COLUMNS: &str = "u.name, u.role, u.created_at, u.password_changed_at";

/// An account from a row of [`COLUMNS`].
pub(crate) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        name: r.get(0)?,
        role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Editor),
        created_at: r.get(2)?,
        password_changed_at: r.get(3)?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM users AS u ORDER BY u.name"))?;
    let users = stmt.query_map([], from_row)?;
    Ok(users.collect::<rusqlite::Result<_>>()?)
}

/// The account `name` (in any case), if there is one.
pub fn named(conn: &Connection, name: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM users AS u WHERE u.name = ?1"
        ))?
        .query_row([name.trim()], from_row)
        .optional()?)
}

/// Sets a new password, which ends the user's sessions (V10's trigger).
pub fn set_password(conn: &Connection, name: &str, password: &str) -> Result<()> {
    let hashed = hash(password)?;
    let n = conn.execute(
        "UPDATE users SET password_hash = ?2,
                          password_changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE name = ?1",
        params![name.trim(), hashed],
    )?;
    if n == 0 {
        return Err(not_found(conn, name));
    }
    Ok(())
}

pub fn set_role(conn: &Connection, name: &str, role: Role) -> Result<()> {
    if role != Role::Admin && last_admin(conn, name)? {
        return Err(keep_an_admin(&format!(
            "make {} {}",
            name.trim(),
            role.as_str()
        )));
    }
    let n = conn.execute(
        "UPDATE users SET role = ?2 WHERE name = ?1",
        params![name.trim(), role.as_str()],
    )?;
    if n == 0 {
        return Err(not_found(conn, name));
    }
    Ok(())
}

pub fn remove(conn: &Connection, name: &str) -> Result<()> {
    let others: i64 = conn.query_row(
        "SELECT count(*) FROM users WHERE name <> ?1",
        [name.trim()],
        |r| r.get(0),
    )?;
    if others > 0 && last_admin(conn, name)? {
        return Err(keep_an_admin(&format!("remove {}", name.trim())));
    }
    let n = conn.execute("DELETE FROM users WHERE name = ?1", [name.trim()])?;
    if n == 0 {
        return Err(not_found(conn, name));
    }
    Ok(())
}

/// Whether `name` is the only admin account.
fn last_admin(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT role = 'admin' AND (SELECT count(*) FROM users WHERE role = 'admin') = 1
             FROM users WHERE name = ?1",
            [name.trim()],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// The refusal of a change that would leave accounts without an admin:
/// nobody could manage them on the web, and a server on a network address
/// would not start again.
fn keep_an_admin(action: &str) -> Error {
    Error::Refused {
        action: action.to_string(),
        reasons: vec!["it is the last admin account".into()],
        hints: vec!["make another account admin first (`glossary user role NAME admin`)".into()],
    }
}

/// The user `name` if `password` is theirs; None otherwise, the same for
/// an unknown name as for a wrong password (a login says neither).
pub fn verify(conn: &Connection, name: &str, password: &str) -> Result<Option<User>> {
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT name, password_hash FROM users WHERE name = ?1",
            [name.trim()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((stored_name, stored)) = found else {
        // As long as a wrong password takes: the time of the answer does
        // not tell that the name is unknown.
        let _ = Argon2::default().verify_password(password.as_bytes(), &unknown_hash()?);
        return Ok(None);
    };
    let Ok(parsed) = PasswordHash::new(&stored) else {
        return Ok(None);
    };
    if Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Ok(None);
    }
    named(conn, &stored_name)
}

/// The hash an unknown name's password is checked against (made once).
fn unknown_hash() -> Result<PasswordHash<'static>> {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = match HASH.get() {
        Some(h) => h,
        None => {
            let made = hash(&crate::accounts::tokens::new_token())?;
            HASH.get_or_init(|| made)
        }
    };
    PasswordHash::new(stored).map_err(|e| Error::Invalid(format!("password hash: {e}")))
}

/// Whether any account exists: without one, the editor on loopback is its
/// owner's alone and asks no one to sign in.
pub fn any(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
}

/// Whether an admin account exists: `serve` on a network address needs one.
pub fn any_admin(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_refuses_control_characters_in_names_whoever_writes() {
        let conn = crate::db::open_in_memory().unwrap();
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
        for name in ["eve\nadmin", "tab\there", "bell\u{7}"] {
            let e = conn
                .execute(
                    "INSERT INTO users (name, role, password_hash) VALUES (?1, 'editor', ?2)",
                    params![name, hash],
                )
                .unwrap_err();
            assert!(
                e.to_string().contains("control characters"),
                "{name:?}: {e}"
            );
        }
        conn.execute(
            "INSERT INTO users (name, role, password_hash) VALUES ('Zoë', 'editor', ?1)",
            [hash],
        )
        .unwrap();
        assert!(conn
            .execute(
                "UPDATE users SET name = 'Zo\u{1b}[2J' WHERE name = 'Zoë'",
                []
            )
            .is_err());
    }

    #[test]
    fn passwords_are_hashed_checked_and_verified() {
        let conn = crate::db::open_in_memory().unwrap();
        add(&conn, "ana", Role::Editor, "correct horse battery").unwrap();
        let stored: String = conn
            .query_row("SELECT password_hash FROM users", [], |r| r.get(0))
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("correct horse"));
        assert_eq!(
            verify(&conn, "ANA", "correct horse battery")
                .unwrap()
                .unwrap()
                .role,
            Role::Editor
        );
        assert!(verify(&conn, "ana", "wrong horse battery")
            .unwrap()
            .is_none());
        assert!(verify(&conn, "nobody", "correct horse battery")
            .unwrap()
            .is_none());
        assert!(matches!(
            add(&conn, "Ana", Role::Admin, "another long one"),
            Err(Error::AlreadyExists { .. })
        ));
        assert!(matches!(
            add(&conn, "bo", Role::Admin, "short"),
            Err(Error::BadValue { .. })
        ));
        set_password(&conn, "ana", "a brand new password").unwrap();
        assert!(verify(&conn, "ana", "correct horse battery")
            .unwrap()
            .is_none());
        assert!(verify(&conn, "ana", "a brand new password")
            .unwrap()
            .is_some());
        set_role(&conn, "ana", Role::Publisher).unwrap();
        assert_eq!(list(&conn).unwrap()[0].role, Role::Publisher);
        assert!(matches!(remove(&conn, "anna"), Err(Error::NotFound { .. })));
        remove(&conn, "ana").unwrap();
        assert!(list(&conn).unwrap().is_empty());
        // The schema refuses a password stored in the clear.
        assert!(conn
            .execute(
                "INSERT INTO users (name, role, password_hash) VALUES ('x', 'editor', 'hunter2')",
                []
            )
            .is_err());
    }
}
