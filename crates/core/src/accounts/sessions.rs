//! Sign-ins to the web editor (migration V10): the rules; the SQL is
//! [`crate::store::sessions`].
//!
//! A session is a random token in the browser's cookie; the database keeps
//! only the token's hash, the user and when it expires. It ends at logout,
//! at expiry, and (by the schema's triggers, whoever does it) when the
//! user's password changes or the user is removed. A role change applies to
//! the next request: the role is read with the session, never stored in it.

use rusqlite::Connection;

use crate::accounts::tokens::{self, new_token};
use crate::accounts::users::User;
use crate::error::Result;
use crate::store::sessions as table;

/// What the database keeps of a token: its hash, so that a copy of the
/// file (a backup, a replica) signs nobody in.
pub fn token_hash(token: &str) -> String {
    tokens::digest(&[token.as_bytes()])
}

/// The CSRF token of the forms a browser signed in with `token` gets:
/// neither the token nor what the database keeps of it ([`token_hash`]).
pub fn csrf_token(token: &str) -> String {
    tokens::digest(&[b"glossary csrf\0", token.as_bytes()])
}

/// Whether `token` has the shape [`tokens::new_token`] gives: anything else is not
/// looked up at all.
pub fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Starts a session for `user` that lasts `seconds`; returns its token.
/// Sessions that expired are cleared on the way.
pub fn start(conn: &Connection, user: &str, seconds: u64) -> Result<String> {
    table::delete_expired(conn)?;
    let token = new_token();
    let seconds = i64::try_from(seconds.max(1)).unwrap_or(i64::MAX);
    table::insert(conn, &token_hash(&token), user, seconds)?;
    Ok(token)
}

/// The user signed in with `token`, if the session exists and has not
/// expired.
pub fn find(conn: &Connection, token: &str) -> Result<Option<User>> {
    if !well_formed(token) {
        return Ok(None);
    }
    table::user(conn, &token_hash(token))
}

/// Ends the session of `token` (logout).
pub fn end(conn: &Connection, token: &str) -> Result<()> {
    table::delete(conn, &token_hash(token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::users::{self, Role};

    #[test]
    fn sessions_end_at_expiry_logout_password_change_and_removal() {
        let conn = crate::db::open_in_memory().unwrap();
        users::add(&conn, "ana", Role::Editor, "correct horse battery").unwrap();
        let token = start(&conn, "ana", 3600).unwrap();
        assert_eq!(find(&conn, &token).unwrap().unwrap().name, "ana");
        // Only the hash is stored.
        let stored: String = conn
            .query_row("SELECT token_hash FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert_ne!(stored, token);
        assert!(find(&conn, &new_token()).unwrap().is_none());
        assert!(find(&conn, "not a token").unwrap().is_none());

        // A role change shows at once.
        users::set_role(&conn, "ana", Role::Publisher).unwrap();
        assert_eq!(find(&conn, &token).unwrap().unwrap().role, Role::Publisher);

        end(&conn, &token).unwrap();
        assert!(find(&conn, &token).unwrap().is_none());

        let token = start(&conn, "ana", 3600).unwrap();
        users::set_password(&conn, "ana", "another long password").unwrap();
        assert!(find(&conn, &token).unwrap().is_none());

        let token = start(&conn, "ana", 3600).unwrap();
        conn.execute(
            "UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z', created_at = '1999-01-01T00:00:00.000Z'",
            [],
        )
        .unwrap();
        assert!(find(&conn, &token).unwrap().is_none());

        let token = start(&conn, "ana", 3600).unwrap();
        // Removed with foreign keys off, as the sqlite3 shell does by default.
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        users::remove(&conn, "ana").unwrap();
        assert!(find(&conn, &token).unwrap().is_none());
        let left: i64 = conn
            .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }
}
