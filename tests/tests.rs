//! Integration tests: one binary that drives the real `glossary` executable
//! against real SQLite files, each test in a temp dir of its own.

mod attacks;
mod browser;
mod check;
mod corners;
mod database;
mod edit;
mod fuzz;
#[path = "../examples/gen/generator.rs"]
mod generator;
mod history;
mod import;
mod publish;
mod query;
mod readme;
mod regressions;
mod robust;
mod serve;
mod snapshots;
mod team;
mod usage;
mod users;
mod util;
mod webclient;
