//! Accounts for the web editor (migration V9): names, roles, and passwords
//! kept only as Argon2id hashes: the rules; the SQL is [`crate::store::users`].
//!
//! Roles, from least to most: an editor writes drafts; a publisher also
//! publishes and edits what is published; an admin also manages accounts,
//! imports and reverts. The CLI, run by the owner of the file, is not bound
//! by them.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::Connection;

use crate::store::users as table;

use crate::error::{Error, Result};

pub use crate::store::users::{Role, User};

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
    let names = table::names(conn).unwrap_or_default();
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
    if table::exists(conn, name)? {
        return Err(Error::AlreadyExists {
            what: "user",
            name: name.to_string(),
            hint: Some(format!(
                "change the password with `glossary user passwd {name}`"
            )),
        });
    }
    table::insert(conn, name, role, &hash(password)?)
}

pub fn list(conn: &Connection) -> Result<Vec<User>> {
    table::all(conn)
}

/// The account `name` (in any case), if there is one.
pub fn named(conn: &Connection, name: &str) -> Result<Option<User>> {
    table::named(conn, name.trim())
}

/// Sets a new password, which ends the user's sessions (V10's trigger).
pub fn set_password(conn: &Connection, name: &str, password: &str) -> Result<()> {
    let n = table::update_password_hash(conn, name.trim(), &hash(password)?)?;
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
    let n = table::update_role(conn, name.trim(), role)?;
    if n == 0 {
        return Err(not_found(conn, name));
    }
    Ok(())
}

pub fn remove(conn: &Connection, name: &str) -> Result<()> {
    if table::others(conn, name.trim())? > 0 && last_admin(conn, name)? {
        return Err(keep_an_admin(&format!("remove {}", name.trim())));
    }
    let n = table::delete(conn, name.trim())?;
    if n == 0 {
        return Err(not_found(conn, name));
    }
    Ok(())
}

/// Whether `name` is the only admin account.
fn last_admin(conn: &Connection, name: &str) -> Result<bool> {
    table::is_last_admin(conn, name.trim())
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
    let Some((stored_name, stored)) = table::password_hash(conn, name.trim())? else {
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
    table::any(conn)
}

/// Whether an admin account exists: `serve` on a network address needs one.
pub fn any_admin(conn: &Connection) -> Result<bool> {
    table::any_admin(conn)
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
                    rusqlite::params![name, hash],
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
