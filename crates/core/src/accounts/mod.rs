//! The editors' accounts: who may sign in with which role ([`users`]),
//! the sessions they hold ([`sessions`]), and the random tokens and
//! digests both use ([`tokens`]).

pub mod sessions;
pub mod tokens;
pub mod users;
