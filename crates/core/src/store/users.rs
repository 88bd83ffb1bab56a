//! `users`: the accounts of the web editor (migration V9). The rules
//! (names, passwords, keeping an admin) are in [`crate::accounts::users`];
//! this is their SQL. Nothing here reads or writes a password, only its
//! hash.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;

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

/// The columns [`from_row`] reads, in its order (for `users AS u`).
pub const COLUMNS: &str = "u.name, u.role, u.created_at, u.password_changed_at";

/// An account from a row of [`COLUMNS`].
pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        name: r.get(0)?,
        role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Editor),
        created_at: r.get(2)?,
        password_changed_at: r.get(3)?,
    })
}

/// Every account's name.
pub fn names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM users")?;
    let names = stmt.query_map([], |r| r.get(0))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

pub fn exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

pub fn insert(conn: &Connection, name: &str, role: Role, password_hash: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO users (name, role, password_hash) VALUES (?1, ?2, ?3)",
        params![name, role.as_str(), password_hash],
    )?;
    Ok(())
}

/// Every account, by name.
pub fn all(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM users AS u ORDER BY u.name"))?;
    let users = stmt.query_map([], from_row)?;
    Ok(users.collect::<rusqlite::Result<_>>()?)
}

/// The account `name` (in any case: the column's collation), if any.
pub fn named(conn: &Connection, name: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM users AS u WHERE u.name = ?1"
        ))?
        .query_row([name], from_row)
        .optional()?)
}

/// The stored name (as it is spelt) and password hash of `name`.
pub fn password_hash(conn: &Connection, name: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT name, password_hash FROM users WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Sets `name`'s password hash (which ends their sessions: V10's
/// trigger); returns how many accounts it changed.
pub fn update_password_hash(conn: &Connection, name: &str, hash: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE users SET password_hash = ?2,
                          password_changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE name = ?1",
        params![name, hash],
    )?)
}

/// Sets `name`'s role; returns how many accounts it changed.
pub fn update_role(conn: &Connection, name: &str, role: Role) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE users SET role = ?2 WHERE name = ?1",
        params![name, role.as_str()],
    )?)
}

/// Removes `name`; returns how many accounts it removed.
pub fn delete(conn: &Connection, name: &str) -> Result<usize> {
    Ok(conn.execute("DELETE FROM users WHERE name = ?1", [name])?)
}

/// How many accounts there are besides `name`.
pub fn others(conn: &Connection, name: &str) -> Result<i64> {
    Ok(
        conn.query_row("SELECT count(*) FROM users WHERE name <> ?1", [name], |r| {
            r.get(0)
        })?,
    )
}

/// Whether `name` is the only admin account.
pub fn is_last_admin(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT role = 'admin' AND (SELECT count(*) FROM users WHERE role = 'admin') = 1
             FROM users WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// Whether any account exists.
pub fn any(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
}

/// Whether an admin account exists.
pub fn any_admin(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')",
        [],
        |r| r.get(0),
    )?)
}
