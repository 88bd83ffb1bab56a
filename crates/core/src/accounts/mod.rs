//! The editors' accounts: who may sign in with which role ([`users`]),
//! and the sessions they hold ([`sessions`]).

pub mod sessions;
pub mod users;
