//! `sessions`: sign-ins to the web editor (migration V10), kept by the
//! hash of their token only. The rules (tokens, their shape) are in
//! [`crate::accounts::sessions`]; this is their SQL.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::store::users::{self, User};

/// Clears the sessions that have expired.
pub fn delete_expired(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM sessions WHERE expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        [],
    )?;
    Ok(())
}

/// A session of the account `user` under `token_hash`, for `seconds`
/// from now (none if there is no such account).
pub fn insert(conn: &Connection, token_hash: &str, user: &str, seconds: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, expires_at)
         SELECT ?1, id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || ?3 || ' seconds')
         FROM users WHERE name = ?2",
        params![token_hash, user, seconds],
    )?;
    Ok(())
}

/// The account of the unexpired session under `token_hash`.
pub fn user(conn: &Connection, token_hash: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM sessions AS s JOIN users AS u ON u.id = s.user_id
             WHERE s.token_hash = ?1
               AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            users::COLUMNS
        ))?
        .query_row([token_hash], users::from_row)
        .optional()?)
}

pub fn delete(conn: &Connection, token_hash: &str) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}
