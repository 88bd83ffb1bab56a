//! The command line: clap types only. The `///` comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

const ABOUT: &str = "Manage glossary and comparison content (\"Producer vs. Executive Producer\") in one SQLite file.";

const AFTER_HELP: &str = "\
Examples:
  glossary import seeds/                  Load the seed CSVs into ./glossary.db
  glossary query --term producer          Show a term, its senses and FAQs
  glossary --db site.db query --comparison producer-vs-executive-producer --format json

The database is --db PATH, else $GLOSSARY_DB, else ./glossary.db.
Exit status: 0 success, 1 error, 2 usage error, 3 database busy (try again).";

#[derive(Debug, Parser)]
#[command(name = "glossary", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// The SQLite database file [default: ./glossary.db]
    #[arg(long, global = true, env = "GLOSSARY_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import CSV files (a seed directory) into the database, all or nothing
    #[command(after_long_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Look up a term or a comparison article
    #[command(after_long_help = QUERY_HELP)]
    Query(QueryArgs),
}

const IMPORT_HELP: &str = "\
Reads terms.csv, senses.csv, examples.csv, comparisons.csv, differences.csv,
comparison_rows.csv and faqs.csv (any of them) and applies them in that order
in one transaction. Rows are matched by their natural key: new rows are
inserted, changed rows updated, rows not in the files left alone. If any row
is invalid, every problem is listed as FILE:LINE: message and nothing is written.

Examples:
  glossary import seeds/
  glossary import --dry-run seeds/        Show what would change, write nothing
  glossary import seeds/faqs.csv          Import one file";

const QUERY_HELP: &str = "\
Examples:
  glossary query --term producer
  glossary query --term 'EXECUTIVE PRODUCER' --format json
  glossary query --comparison producer-vs-executive-producer";

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Seed directories or CSV files named like the tables (faqs.csv...)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Check everything and list what would change, without writing
    #[arg(long)]
    pub dry_run: bool,

    /// How to print the summary
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Print no progress bar or summary line on stderr
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["term", "comparison"])))]
pub struct QueryArgs {
    /// A term, in any case and with or without accents
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,

    /// A comparison's slug (or its title)
    #[arg(long, value_name = "SLUG")]
    pub comparison: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
