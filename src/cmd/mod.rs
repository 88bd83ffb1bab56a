//! The command layer: runs one subcommand, prints its results. The only
//! place (with `output`) that writes to stdout and stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod import;
mod query;

use crate::cli::{Cli, Command};
use crate::db;

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let db_path = cli.db.unwrap_or_else(db::default_path);
    match cli.command {
        Command::Import(args) => import::run(&db_path, args),
        Command::Query(args) => query::run(&db_path, args),
    }
}
