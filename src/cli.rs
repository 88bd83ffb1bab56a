//! The command line's globals and its commands: which command runs which
//! module of [`crate::cmd`] (each keeps its arguments, help and `run`
//! together). The `///` comments are the help text.

use std::path::PathBuf;

use std::sync::atomic::Ordering;

use clap::{CommandFactory, Parser, Subcommand};

use crate::cmd::Globals;
use crate::cmd::{
    self, add, backup, check, docs, edit, export, history, import, list, pending, publish, query,
    redirect, remove, render, review, schedule, serve, suggest, user,
};
use glossary_core::change::Actor;
use glossary_core::db;

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
pub(crate) struct Cli {
    /// The SQLite database file [default: ./glossary.db]
    #[arg(long, global = true, env = "GLOSSARY_DB", value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,

    /// Print no messages, progress or summaries (errors and requested data
    /// still go out; the exit status tells the rest)
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,

    /// Who makes the changes, for the history [default: $GLOSSARY_AUTHOR,
    /// else git's user.name, else the login name]; with history: whose
    /// changes to list
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) author: Option<String>,

    /// Say more: import lists each row it writes
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create an empty glossary database (import creates one too)
    #[command(after_long_help = import::INIT_HELP)]
    Init(import::InitArgs),
    /// Import CSV files (a seed directory) into the database, all or nothing
    #[command(after_long_help = import::IMPORT_HELP)]
    Import(import::ImportArgs),
    /// Look up a term or a comparison article
    #[command(after_long_help = query::QUERY_HELP)]
    Query(query::QueryArgs),
    /// Add a term
    #[command(after_long_help = add::ADD_TERM_HELP)]
    AddTerm(add::AddTermArgs),
    /// Add a sense (a numbered definition) to a term, after its last one
    #[command(after_long_help = add::ADD_SENSE_HELP)]
    AddSense(add::AddSenseArgs),
    /// Add an example sentence to a sense of a term
    #[command(after_long_help = add::ADD_EXAMPLE_HELP)]
    AddExample(add::AddExampleArgs),
    /// Add a variant of a term: an abbreviation, a plural, another spelling or form
    #[command(after_long_help = add::ADD_VARIANT_HELP)]
    AddVariant(add::AddVariantArgs),
    /// Relate a term or one of its senses to another: synonym, antonym, broader, narrower, related
    #[command(after_long_help = add::ADD_RELATION_HELP)]
    AddRelation(add::AddRelationArgs),
    /// Add a comparison article between two terms
    #[command(after_long_help = add::ADD_COMPARISON_HELP)]
    AddComparison(add::AddComparisonArgs),
    /// Add a "Key Differences" paragraph to a comparison
    #[command(after_long_help = add::ADD_DIFFERENCE_HELP)]
    AddDifference(add::AddDifferenceArgs),
    /// Add a row to a comparison's chart
    #[command(after_long_help = add::ADD_ROW_HELP)]
    AddRow(add::AddRowArgs),
    /// Add a FAQ to a comparison (on a terminal, asks for what is missing)
    #[command(after_long_help = add::ADD_FAQ_HELP)]
    AddFaq(add::AddFaqArgs),
    /// Change an entry: with --set FIELD=VALUE, or in your $EDITOR without
    #[command(after_long_help = edit::EDIT_HELP)]
    Edit(edit::EditArgs),
    /// Remove an entry and what belongs to it
    #[command(after_long_help = remove::REMOVE_HELP)]
    Remove(remove::RemoveArgs),
    /// Mark a comparison (or with --term, a term) as published
    #[command(after_long_help = publish::PUBLISH_HELP)]
    Publish(publish::PublishArgs),
    /// Mark a comparison (or with --term, a term) as a draft again
    #[command(after_long_help = publish::UNPUBLISH_HELP)]
    Unpublish(publish::UnpublishArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_long_help = docs::COMPLETIONS_HELP)]
    Completions(docs::CompletionsArgs),
    /// Print the manual page, or write one per command to a directory
    #[command(after_long_help = docs::MAN_HELP)]
    Man(docs::ManArgs),
    /// Find problems the schema cannot prevent (after editing by hand)
    #[command(after_long_help = check::CHECK_HELP)]
    Check(check::CheckArgs),
    /// List changes to the content, newest first
    #[command(after_long_help = history::HISTORY_HELP)]
    History(history::HistoryArgs),
    /// Undo one change whole (as a new change), by its number
    #[command(after_long_help = history::REVERT_HELP)]
    Revert(history::RevertArgs),
    /// List entries of any kind, with their numbers and counts
    #[command(after_long_help = list::LIST_HELP)]
    List(list::ListArgs),
    /// Count the rows of each table
    #[command(after_long_help = list::STATS_HELP)]
    Stats(list::StatsArgs),
    /// Write the content as the CSV files import reads
    #[command(after_long_help = export::EXPORT_HELP)]
    Export(export::ExportArgs),
    /// Render a comparison as an article (Markdown or HTML), or the whole site
    #[command(after_long_help = render::RENDER_HELP)]
    Render(render::RenderArgs),
    /// Copy the database to FILE, consistently, while others keep working
    #[command(after_long_help = backup::BACKUP_HELP)]
    Backup(backup::BackupArgs),
    /// Edit the glossary in a web browser
    #[command(after_long_help = serve::SERVE_HELP)]
    Serve(serve::ServeArgs),
    /// Start a theme: templates for the site that render uses
    #[command(after_long_help = render::THEME_HELP)]
    Theme(render::ThemeArgs),
    /// Show or change the published site's settings (title, base URL, language...)
    #[command(after_long_help = render::SITE_HELP)]
    Site(render::SiteArgs),
    /// Manage the web editor's accounts
    #[command(after_long_help = user::USER_HELP)]
    User(user::UserArgs),
    /// The review queue: drafts put up for review, publish them or send them back
    #[command(after_long_help = review::REVIEW_HELP)]
    Review(review::ReviewArgs),
    /// Ideas for content: comparisons readers would want that are not written yet
    #[command(after_long_help = suggest::SUGGEST_HELP)]
    Suggest(suggest::SuggestArgs),
    /// Old addresses of renamed comparisons and terms, kept working on the site
    #[command(after_long_help = redirect::REDIRECT_HELP)]
    Redirect(redirect::RedirectArgs),
    /// What is planned to be published or taken down, and when
    #[command(after_long_help = schedule::SCHEDULE_HELP)]
    Schedule(schedule::ScheduleArgs),
    /// Publish and take down what is scheduled for now (run it from a timer)
    #[command(after_long_help = schedule::PUBLISH_DUE_HELP)]
    PublishDue(schedule::PublishDueArgs),
    /// Changes to published entries that readers do not see yet: list, show, publish, discard
    #[command(after_long_help = pending::PENDING_HELP)]
    Pending(pending::PendingArgs),
}

/// Runs the command line: sets how much to say and who is acting, then
/// the command.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    let level = if cli.quiet {
        -1
    } else {
        i8::try_from(cli.verbose).unwrap_or(i8::MAX)
    };
    cmd::VERBOSITY.store(level, Ordering::Relaxed);
    let ctx = Globals {
        db: cli.db.unwrap_or_else(db::default_path),
        actor: Actor::new(cli.author, cmd::command_line()),
    };
    if !matches!(cli.command, Command::Serve(_)) {
        // serve stops on Ctrl-C itself, letting requests finish.
        glossary_core::interrupt::install();
    }
    let result = dispatch(&ctx, cli.command);
    if result.is_ok() && glossary_core::interrupt::ignored() {
        cmd::note!("note: Ctrl-C came after the change was committed: it is complete");
    }
    if let Some(notice) = db::take_notice() {
        cmd::note!("note: {notice}");
    }
    result
}

fn dispatch(ctx: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Init(a) => import::init(ctx, a),
        Command::Completions(a) => docs::completions(a, Cli::command()),
        Command::Man(a) => docs::man(a, Cli::command()),
        Command::Import(args) => import::run(ctx, args),
        Command::Query(args) => query::run(ctx, args),
        Command::AddTerm(a) => add::add_term(ctx, a),
        Command::AddSense(a) => add::add_sense(ctx, a),
        Command::AddExample(a) => add::add_example(ctx, a),
        Command::AddVariant(a) => add::add_variant(ctx, a),
        Command::AddRelation(a) => add::add_relation(ctx, a),
        Command::AddComparison(a) => add::add_comparison(ctx, a),
        Command::AddDifference(a) => add::add_difference(ctx, a),
        Command::AddRow(a) => add::add_row(ctx, a),
        Command::AddFaq(a) => add::add_faq(ctx, a),
        Command::Edit(a) => edit::edit(ctx, a),
        Command::Remove(a) => remove::remove(ctx, a),
        Command::Publish(a) => publish::publish(ctx, a),
        Command::Unpublish(a) => publish::unpublish(ctx, a),
        Command::Check(a) => check::check(ctx, a),
        Command::History(a) => history::history(ctx, a),
        Command::Revert(a) => history::revert(ctx, a),
        Command::List(a) => list::list(ctx, a),
        Command::Stats(a) => list::stats(ctx, a),
        Command::Export(a) => export::export(ctx, a),
        Command::Render(a) => render::render(ctx, a),
        Command::Backup(a) => backup::backup(ctx, a),
        Command::Serve(a) => serve::serve(ctx, a),
        Command::Theme(a) => render::theme(a),
        Command::Site(a) => render::site_settings(ctx, a),
        Command::User(a) => user::user(ctx, a),
        Command::Review(a) => review::review(ctx, a),
        Command::Redirect(a) => redirect::redirect(ctx, a),
        Command::Suggest(a) => suggest::suggest(ctx, a),
        Command::Schedule(a) => schedule::schedule(ctx, a),
        Command::PublishDue(a) => schedule::publish_due(ctx, a),
        Command::Pending(a) => pending::pending(ctx, a),
    }
}

/// The fix for a slip clap refused, where there is a likely one: `glossary
/// query producer` means `glossary query --term producer`.
pub(crate) fn usage_hint(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    if arg.starts_with('-') {
        return None;
    }
    let args: Vec<String> = std::env::args().collect();
    let query = args.iter().position(|a| a == "query")?;
    args.iter().skip(query + 1).find(|a| *a == arg)?;
    let word = glossary_core::model::shell_word(arg);
    Some(if arg.contains("-vs-") {
        format!(
            "to open an article, name it with --comparison: `glossary query --comparison {word}`"
        )
    } else {
        format!("to look up a term, name it with --term: `glossary query --term {word}` (or search with `--search {word}`)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
