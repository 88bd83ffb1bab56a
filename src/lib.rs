//! `glossary`: a content manager for glossary and comparison content
//! ("Producer vs. Executive Producer: What's the Difference?") kept in one
//! SQLite file that editors may also open directly.
//!
//! Module map:
//! - [`db`]: opening the database, pragmas, migrations.
//! - [`kind`]: the registry of the kinds of entry, their tables, files, keys and fields.
//! - [`model`]: ids, natural keys, value rules (lookup keys, dates, slugs).
//! - [`store`]: the SQL of each table.
//! - [`import`]: CSV files into the database in one transaction.
//! - [`query`]: assembling a term or an article for display.
//! - [`edit`] and [`editor`]: adding, changing and removing entries.
//! - [`check`]: consistency checks; [`change`] and [`history`]: changes
//!   (who did what), their revisions, and revert.
//! - [`search`]: full-text search (FTS5).
//! - [`list`] and [`export`]: listings, statistics, CSV export;
//!   [`documents`]: Markdown and JSON documents for other site generators.
//! - [`render`]: Markdown and HTML articles; [`site`]: the static site;
//!   [`templates`]: the HTML templates of the site and the web editor.
//! - [`publication`]: what is public, and the rules for publishing;
//!   [`settings`]: the published site's title, base URL, language.
//! - [`output`]: text, JSON, CSV and Markdown printers.
//! - [`text`]: escaping for HTML and Markdown, dates as people read them.
//! - [`serve`]: the web editor, on the same library; [`users`]: its accounts.
//! - [`cli`] and `cmd`: the command line; the only code that prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod change;
pub mod check;
pub mod cli;
mod cmd;
pub mod db;
pub mod documents;
pub mod edit;
pub mod editor;
pub mod error;
pub mod export;
pub mod files;
pub mod history;
pub mod import;
pub mod interrupt;
pub mod kind;
pub mod list;
pub mod model;
pub mod output;
pub mod publication;
pub mod query;
pub mod render;
pub mod review;
pub mod search;
pub mod serve;
pub mod sessions;
pub mod settings;
pub mod site;
pub mod store;
pub mod suggest;
pub mod templates;
pub mod text;
pub mod users;

pub use cmd::run;
pub use error::{Error, Problem};
