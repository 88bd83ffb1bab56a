//! The command layer: runs one subcommand, prints its results. The only
//! place (with `output`) that writes to stdout and stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod check;
mod edit;
mod import;
mod publish;
mod query;

use crate::cli::{Cli, Command};
use crate::db;

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let db_path = cli.db.unwrap_or_else(db::default_path);
    let result = dispatch(&db_path, cli.command);
    if let Some(notice) = db::take_notice() {
        eprintln!("note: {notice}");
    }
    result
}

fn dispatch(db_path: &std::path::Path, command: Command) -> anyhow::Result<()> {
    let db_path = db_path.to_path_buf();
    match command {
        Command::Init => import::init(&db_path),
        Command::Import(args) => import::run(&db_path, args),
        Command::Query(args) => query::run(&db_path, args),
        Command::AddTerm(a) => edit::add_term(&db_path, a),
        Command::AddSense(a) => edit::add_sense(&db_path, a),
        Command::AddExample(a) => edit::add_example(&db_path, a),
        Command::AddComparison(a) => edit::add_comparison(&db_path, a),
        Command::AddDifference(a) => edit::add_difference(&db_path, a),
        Command::AddRow(a) => edit::add_row(&db_path, a),
        Command::AddFaq(a) => edit::add_faq(&db_path, a),
        Command::Edit(a) => edit::edit(&db_path, a),
        Command::Remove(a) => edit::remove(&db_path, a),
        Command::Publish(a) => edit::publish(&db_path, a),
        Command::Unpublish(a) => edit::unpublish(&db_path, a),
        Command::Check(a) => check::check(&db_path, a),
        Command::History(a) => check::history(&db_path, a),
        Command::Revert(a) => check::revert(&db_path, a),
        Command::List(a) => query::list(&db_path, a),
        Command::Stats(a) => query::stats(&db_path, a),
        Command::Export(a) => publish::export(&db_path, a),
        Command::Render(a) => publish::render(&db_path, a),
        Command::Backup(a) => publish::backup(&db_path, a),
    }
}
