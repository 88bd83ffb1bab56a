//! glossary's content and everything done to it, without a terminal, a
//! page or a server: the model and its registry ([`kind`]), the database
//! ([`db`]: the only place that opens transactions and sets pragmas), the
//! SQL of every table ([`store`]), history by change ([`change`],
//! [`history`]), editing ([`edit`]), CSV import and export, lookups
//! ([`view`], [`search`], [`list`]), consistency checks ([`check`]),
//! what readers may see ([`publication`]), review, the site's settings,
//! and the editors' accounts ([`accounts`]).
//!
//! It prints nothing: the binary prints, the site renders, the web
//! answers, all from what this returns.
#![deny(unreachable_pub)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod accounts;
pub mod change;
pub mod check;
pub mod db;
pub mod edit;
pub mod error;
pub mod export;
pub mod files;
pub mod history;
pub mod ideas;
pub mod import;
pub mod interrupt;
pub mod kind;
pub mod list;
pub mod model;
pub mod pending;
pub mod publication;
pub mod redirects;
pub mod review;
pub mod schedule;
pub mod search;
pub mod settings;
pub mod store;
pub mod suggest;
pub mod text;
pub mod view;

pub use error::{Error, Problem, Result};
pub use kind::Kind;
