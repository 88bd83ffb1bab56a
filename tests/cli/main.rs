//! The command line: the real `glossary` binary against real SQLite files,
//! each test in a temp dir of its own.

mod autolink;
mod check;
mod database;
mod edit;
mod editor;
mod export;
mod fuzz;
#[path = "../../examples/gen/generator.rs"]
mod generator;
mod history;
mod import;
mod import_errors;
mod import_lines;
mod messages;
mod pending;
mod publish;
mod query;
mod readme;
mod redirects;
mod related;
mod relations;
mod render;
mod revert;
mod robust;
mod schedule;
mod search;
mod site;
mod site_search;
mod snapshots;
mod term_document;
mod usage;
mod users;
#[path = "../util.rs"]
mod util;
mod variants;
