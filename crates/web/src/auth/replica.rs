//! Sessions kept in memory: a read-only server (a replica, or `serve
//! --read-only`) writes nothing, not even a sign-in, so its sessions live
//! in the process and end with it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use glossary_core::accounts::sessions;
use glossary_core::accounts::users::User;
use glossary_core::error::Result;

/// Sessions kept in memory, for a read-only server (a replica it cannot
/// write to). A session ends as a stored one does: at expiry, logout, a
/// new password or the user's removal (both seen in `users`).
pub(crate) struct Memory {
    seconds: u64,
    sessions: std::sync::Mutex<HashMap<String, Remembered>>,
}

pub(crate) struct Remembered {
    name: String,
    password_changed_at: String,
    expires: Instant,
}

impl Memory {
    pub fn new(seconds: u64) -> Memory {
        Memory {
            seconds,
            sessions: std::sync::Mutex::new(HashMap::new()),
        }
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Remembered>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn start(&self, user: &User) -> String {
        let token = glossary_core::accounts::tokens::new_token();
        let now = Instant::now();
        let mut all = self.sessions();
        all.retain(|_, s| s.expires > now);
        all.insert(
            sessions::token_hash(&token),
            Remembered {
                name: user.name.clone(),
                password_changed_at: user.password_changed_at.clone(),
                expires: now + Duration::from_secs(self.seconds),
            },
        );
        token
    }

    pub(crate) fn find(&self, conn: &rusqlite::Connection, token: &str) -> Result<Option<User>> {
        let (name, changed) = {
            let all = self.sessions();
            match all.get(&sessions::token_hash(token)) {
                Some(s) if s.expires > Instant::now() => {
                    (s.name.clone(), s.password_changed_at.clone())
                }
                _ => return Ok(None),
            }
        };
        let user = glossary_core::accounts::users::named(conn, &name)?
            .filter(|u| u.password_changed_at == changed);
        if user.is_none() {
            self.end(token);
        }
        Ok(user)
    }

    pub(crate) fn end(&self, token: &str) {
        self.sessions().remove(&sessions::token_hash(token));
    }
}
