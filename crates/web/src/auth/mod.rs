//! Who is asking: the signed-in account and its rights ([`who`]), sessions
//! ([`session`]: the cookie, the middleware that finds the account),
//! signing in and out ([`login`]), wrong passwords held back
//! ([`throttle`]), and sessions kept in memory on a read-only replica
//! ([`replica`]).

pub(crate) mod gate;
pub(crate) mod login;
pub(crate) mod replica;
pub(crate) mod session;
pub(crate) mod throttle;
pub(crate) mod who;
