//! Wrong passwords, counted so that guessing is slow and then stops:
//! by the name tried and by the address it came from.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Wrong passwords, by the name they were tried for (whether or not it
/// exists, so the answers never tell) and by the address they came from:
/// five in a row lock a name for a while, and thirty from one address lock
/// that address (one password tried on many names).
///
/// A guess counts from when it starts ([`Throttle::begin`]), not only when
/// Argon2 has answered: guesses sent at once cannot all slip in before the
/// first failure is known. Counts change under one lock, a lock is never
/// shortened, and a success ends nothing but the name's own count.
pub(crate) struct Throttle {
    keys: std::sync::Mutex<HashMap<String, Tries>>,
}

#[derive(Clone, Copy)]
pub(crate) struct Tries {
    failures: u32,
    /// Guesses started and not yet answered.
    pending: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

impl Tries {
    fn new(now: Instant) -> Tries {
        Tries {
            failures: 0,
            pending: 0,
            last: now,
            locked_until: None,
        }
    }

    fn locked(&self, now: Instant) -> Option<Duration> {
        self.locked_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    /// Forgets failures long past, and a lock that has run out.
    fn age(&mut self, now: Instant) {
        let lock_over = self.locked_until.is_some_and(|until| until <= now);
        let stale = self.locked_until.is_none() && now.duration_since(self.last) >= LOCK_FOR;
        if lock_over || stale {
            self.failures = 0;
            self.locked_until = None;
        }
    }
}

/// Why a guess may not start now.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Held {
    /// A lock: how long it still lasts, and which key it is on.
    Locked(Duration, Key),
    /// As many guesses are under way as would lock it if all were wrong.
    Busy(Key),
}

/// What a throttle key is: the name tried, or the address it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Name,
    Address,
}

/// A guess under way, counted for its keys until it is answered: a guess
/// dropped unanswered (the client went away) counts as a wrong one.
pub(crate) struct Guess<'a> {
    throttle: &'a Throttle,
    keys: Vec<(String, u32)>,
    settled: bool,
}

/// Wrong passwords in a row that lock a name.
pub(crate) const LOCK_AFTER: u32 = 5;
/// Wrong passwords from one address (within [`LOCK_FOR`]) that lock it.
/// Behind a proxy, --trusted-proxy makes this the client's address.
pub(crate) const LOCK_ADDRESS_AFTER: u32 = 30;
/// How long a lock lasts, and how long wrong passwords are remembered.
pub(crate) const LOCK_FOR: Duration = Duration::from_secs(15 * 60);
/// Keys remembered at most (each a name of at most
/// [`glossary_core::accounts::users::MAX_NAME`] characters, or an address): an attacker
/// trying many names cannot grow the server's memory without bound.
const REMEMBERED: usize = 10_000;

impl Throttle {
    pub fn new() -> Throttle {
        Throttle {
            keys: std::sync::Mutex::new(HashMap::new()),
        }
    }

    fn keys(&self) -> std::sync::MutexGuard<'_, HashMap<String, Tries>> {
        self.keys.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long `key` stays locked, if it is.
    #[cfg(test)]
    fn locked(&self, key: &str) -> Option<Duration> {
        let now = Instant::now();
        self.keys().get(key)?.locked(now)
    }

    /// Starts a guess for `name` (with [`LOCK_AFTER`]) and, if known, the
    /// address (with [`LOCK_ADDRESS_AFTER`]), or says why it may not.
    pub fn begin(&self, name: &str, address: Option<&str>) -> Result<Guess<'_>, Held> {
        let mut keys = vec![(name.to_string(), LOCK_AFTER, Key::Name)];
        if let Some(a) = address {
            keys.push((a.to_string(), LOCK_ADDRESS_AFTER, Key::Address));
        }
        let now = Instant::now();
        let mut all = self.keys();
        for (key, limit, which) in &keys {
            if let Some(tries) = all.get_mut(key) {
                tries.age(now);
                if let Some(wait) = tries.locked(now) {
                    return Err(Held::Locked(wait, *which));
                }
                if tries.failures + tries.pending >= *limit {
                    return Err(Held::Busy(*which));
                }
            }
        }
        for (key, _, _) in &keys {
            if !all.contains_key(key) {
                make_room(&mut all, now);
            }
            let tries = all.entry(key.clone()).or_insert_with(|| Tries::new(now));
            tries.pending += 1;
            tries.last = now;
        }
        Ok(Guess {
            throttle: self,
            keys: keys.into_iter().map(|(k, limit, _)| (k, limit)).collect(),
            settled: false,
        })
    }
}

/// Makes room for one more key: forgets what is stale, then the key
/// that matters least (no guess under way, no lock, or the lock nearest
/// its end).
pub(crate) fn make_room(all: &mut HashMap<String, Tries>, now: Instant) {
    if all.len() < REMEMBERED {
        return;
    }
    all.retain(|_, t| {
        t.pending > 0 || t.locked(now).is_some() || now.duration_since(t.last) < LOCK_FOR
    });
    if all.len() >= REMEMBERED {
        let least = all
            .iter()
            .filter(|(_, t)| t.pending == 0)
            .min_by_key(|(_, t)| (t.locked_until, t.last))
            .map(|(k, _)| k.clone());
        if let Some(k) = least {
            all.remove(&k);
        }
    }
}

impl Guess<'_> {
    /// The guess was wrong: counted, and a key at its limit locked (from
    /// now, or later than a lock it has: never shorter). How many wrong
    /// guesses in a row the name has had.
    pub fn failed(mut self) -> u32 {
        self.settle(false)
    }

    /// The guess was right: the name's count starts again, unless a lock
    /// was set meanwhile (by guesses sent beside it), which stays.
    pub fn succeeded(mut self) {
        self.settle(true);
    }

    /// The guess got no answer about the password (the database failed):
    /// it no longer counts as under way, nor as wrong.
    pub fn abandon(mut self) {
        self.settled = true;
        let mut all = self.throttle.keys();
        for (key, _) in &self.keys {
            if let Some(tries) = all.get_mut(key) {
                tries.pending = tries.pending.saturating_sub(1);
            }
        }
    }

    fn settle(&mut self, right: bool) -> u32 {
        self.settled = true;
        let now = Instant::now();
        let mut all = self.throttle.keys();
        let mut name_failures = 0;
        for (i, (key, limit)) in self.keys.iter().enumerate() {
            let tries = all.entry(key.clone()).or_insert_with(|| Tries::new(now));
            tries.pending = tries.pending.saturating_sub(1);
            tries.last = now;
            if right {
                if i == 0 && tries.locked(now).is_none() {
                    tries.failures = 0;
                }
                continue;
            }
            tries.failures += 1;
            if tries.failures >= *limit {
                let until = now + LOCK_FOR;
                tries.locked_until = Some(tries.locked_until.map_or(until, |u| u.max(until)));
            }
            if i == 0 {
                name_failures = tries.failures;
            }
        }
        name_failures
    }
}

impl Drop for Guess<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.settle(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_passwords_lock_a_key_at_its_limit_and_a_success_forgets_them() {
        let t = Throttle::new();
        for n in 1..LOCK_AFTER {
            assert_eq!(t.begin("name ana", None).unwrap().failed(), n);
            assert!(t.locked("name ana").is_none());
        }
        assert_eq!(t.begin("name ana", None).unwrap().failed(), LOCK_AFTER);
        let wait = t.locked("name ana").unwrap();
        assert!(wait > LOCK_FOR - Duration::from_secs(5) && wait <= LOCK_FOR);
        assert!(matches!(
            t.begin("name ana", None),
            Err(Held::Locked(_, Key::Name))
        ));
        assert!(t.locked("name bo").is_none());
        t.begin("name bo", None).unwrap().failed();
        t.begin("name bo", None).unwrap().succeeded();
        assert_eq!(t.begin("name bo", None).unwrap().failed(), 1);
    }

    #[test]
    fn guesses_sent_at_once_count_from_their_start_and_a_late_answer_shortens_no_lock() {
        let t = Throttle::new();
        // Nine at once: only as many start as could lock the name.
        let started: Vec<_> = (0..9)
            .filter_map(|_| t.begin("name ana", None).ok())
            .collect();
        assert_eq!(started.len(), LOCK_AFTER as usize);
        assert_eq!(t.begin("name ana", None).err(), Some(Held::Busy(Key::Name)));
        let mut started = started.into_iter();
        let slowest = started.next().unwrap();
        for g in started {
            g.failed();
        }
        assert!(
            t.locked("name ana").is_none(),
            "four wrong ones lock nothing"
        );
        assert_eq!(t.begin("name ana", None).err(), Some(Held::Busy(Key::Name)));
        slowest.failed();
        let first = t.locked("name ana").unwrap();
        assert!(first > LOCK_FOR - Duration::from_secs(5));
        // Wrong answers arriving after the lock extend it, never restart
        // the count or shorten it.
        assert!(t.begin("name ana", None).is_err());
        assert!(t.locked("name ana").unwrap() <= first);
    }

    #[test]
    fn a_right_password_under_way_when_a_lock_falls_does_not_lift_it() {
        let t = Throttle::new();
        let from = Some("address 10.0.0.2");
        let right = t.begin("name ana", from).unwrap();
        for i in 1..LOCK_ADDRESS_AFTER {
            t.begin(&format!("name n{i}"), from).unwrap().failed();
        }
        assert!(t.locked("address 10.0.0.2").is_none());
        assert!(
            t.begin("name other", from).is_err(),
            "29 wrong and one under way"
        );
        // The client went away before its answer: counted as wrong.
        let gone = t.begin("name bo", Some("address 10.0.0.3")).unwrap();
        drop(gone);
        assert_eq!(t.begin("name bo", None).unwrap().failed(), 2);
        right.failed();
        let wait = t.locked("address 10.0.0.2").unwrap();
        // A right password for another name from there changes nothing.
        assert!(t.begin("name ana", from).is_err());
        assert!(t.locked("address 10.0.0.2").unwrap() <= wait);
    }

    #[test]
    fn the_address_lock_holds_across_names_and_the_memory_is_bounded() {
        let t = Throttle::new();
        for i in 0..LOCK_ADDRESS_AFTER {
            t.begin(&format!("name n{i}"), Some("address 10.0.0.1"))
                .unwrap()
                .failed();
        }
        assert!(matches!(
            t.begin("name someone", Some("address 10.0.0.1")),
            Err(Held::Locked(_, Key::Address))
        ));
        for i in 0..REMEMBERED + 50 {
            t.begin(&format!("name m{i}"), None).unwrap().failed();
        }
        assert!(t.keys().len() <= REMEMBERED);
        assert!(
            t.locked("address 10.0.0.1").is_some(),
            "a lock was forgotten"
        );
    }
}
