//! Random tokens and their digests: the one source of randomness for
//! sessions, CSRF tokens, salts and upload names, and the one way to
//! compare a secret without telling how much of it matched.

use blake2::{Blake2s256, Digest};

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // Without the operating system's random numbers nothing here is safe:
    // a process that cannot get them stops rather than guess.
    getrandom::fill(&mut bytes).expect("the operating system's random numbers");
    bytes
}

/// `N` random bytes as `2 * N` hex digits.
pub fn random_hex<const N: usize>() -> String {
    hex(&random_bytes::<N>())
}

/// A fresh token for a browser's cookie: 32 random bytes as hex.
pub fn new_token() -> String {
    random_hex::<32>()
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The BLAKE2s digest, as hex, of `parts` one after another.
pub fn digest(parts: &[&[u8]]) -> String {
    let mut h = Blake2s256::new();
    for p in parts {
        h.update(p);
    }
    hex(&h.finalize())
}

/// Whether two secrets are equal, in a time that depends on their length
/// only, not on where they first differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_hex_of_their_length() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(random_hex::<16>().len(), 32);
    }

    #[test]
    fn same_compares_whole_secrets() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
        assert_eq!(digest(&[b"a", b"b"]), digest(&[b"ab"]));
        assert_ne!(digest(&[b"a"]), digest(&[b"b"]));
    }
}
