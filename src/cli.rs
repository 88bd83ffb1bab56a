//! The command line: clap types only. The `///` comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::{Format, TEXT_JSON};
use glossary_core::model::{check_date, parse_position, Status};

/// `--position N`, a sense number: a whole number from 1 up, checked by
/// clap, so a bad one is a usage error (exit 2) with the rule in it.
fn position(s: &str) -> Result<i64, String> {
    parse_position("the position", s)
}

fn sense_number(s: &str) -> Result<i64, String> {
    parse_position("the sense number", s)
}

/// A `YYYY-MM-DD` calendar date.
fn date(s: &str) -> Result<String, String> {
    check_date(s.trim()).map(|()| s.trim().to_string())
}

/// `--set FIELD=VALUE`: the field and the value (which may hold `=`).
fn assignment(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((field, value)) => Ok((field.trim().to_string(), value.to_string())),
        None => Err(format!(
            "expected FIELD=VALUE, such as answer='Often, yes.', got \"{s}\""
        )),
    }
}

fn status(s: &str) -> Result<Status, String> {
    Status::parse(s)
}

/// How a command that changes something says what it did.
#[derive(Debug, Args)]
pub struct Report {
    /// text for people, or json for scripts (what was done, with the
    /// entry's name and number)
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub format: Format,
}

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

    /// Print no messages, progress or summaries (errors and requested data
    /// still go out; the exit status tells the rest)
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Who makes the changes, for the history [default: $GLOSSARY_AUTHOR,
    /// else git's user.name, else the login name]; with history: whose
    /// changes to list
    #[arg(long, global = true, value_name = "NAME")]
    pub author: Option<String>,

    /// Say more: import lists each row it writes
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty glossary database (import creates one too)
    #[command(
        after_long_help = "Only `init` and `import` create a database: every other command refuses a path\nwhere there is none, so a typo in --db is an error, not a new empty file.\nOn an existing glossary database, init brings its schema up to date.\n\nExamples:\n  glossary init\n  glossary --db team.db init"
    )]
    Init(InitArgs),
    /// Import CSV files (a seed directory) into the database, all or nothing
    #[command(after_long_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Look up a term or a comparison article
    #[command(after_long_help = QUERY_HELP)]
    Query(QueryArgs),
    /// Add a term
    #[command(after_long_help = "Example:\n  glossary add-term Director --part-of-speech noun")]
    AddTerm(AddTermArgs),
    /// Add a sense (a numbered definition) to a term, after its last one
    #[command(
        after_long_help = "Example:\n  glossary add-sense Director --domain film \\\n      --definition 'A person who directs a film.' --example 'The director called cut.'"
    )]
    AddSense(AddSenseArgs),
    /// Add an example sentence to a sense of a term
    #[command(
        after_long_help = "Example:\n  glossary add-example Producer 6 'The region is a major producer of wine.'"
    )]
    AddExample(AddExampleArgs),
    /// Add a comparison article between two terms
    #[command(
        after_long_help = "Examples:\n  glossary add-comparison --left Producer --right Director\n      (the slug is derived: producer-vs-director)\n  glossary add-comparison producer-or-director --left Producer --right Director --published 2024-01-15"
    )]
    AddComparison(AddComparisonArgs),
    /// Add a "Key Differences" paragraph to a comparison
    #[command(
        after_long_help = "Example:\n  glossary add-difference producer-vs-executive-producer 'Producers ...' --position 2"
    )]
    AddDifference(AddDifferenceArgs),
    /// Add a row to a comparison's chart
    #[command(
        after_long_help = "Example:\n  glossary add-row producer-vs-executive-producer --aspect 'Typical Employer' \\\n      --left 'Production company' --right 'Studio or network'"
    )]
    AddRow(AddRowArgs),
    /// Add a FAQ to a comparison (on a terminal, asks for what is missing)
    #[command(
        after_long_help = "Examples:\n  glossary add-faq producer-vs-executive-producer --question 'Who hires the producer?' --answer 'Usually the executive producer.'\n  glossary add-faq producer-vs-executive-producer --position 1 ...   (the others move down)"
    )]
    AddFaq(AddFaqArgs),
    /// Change an entry: with --set FIELD=VALUE, or in your $EDITOR without
    #[command(after_long_help = EDIT_HELP)]
    Edit(EditArgs),
    /// Remove an entry and what belongs to it
    #[command(after_long_help = REMOVE_HELP)]
    Remove(RemoveArgs),
    /// Mark a comparison (or with --term, a term) as published
    #[command(after_long_help = PUBLISH_HELP)]
    Publish(PublishArgs),
    /// Mark a comparison (or with --term, a term) as a draft again
    #[command(
        after_long_help = "A term that published comparisons show cannot become a draft on its own:\n\
                           they would go off the site with it. --with-comparisons takes them down\n\
                           too.\n\n\
                           Examples:\n  glossary unpublish producer-vs-executive-producer\n  \
                           glossary unpublish --term Producer --with-comparisons"
    )]
    Unpublish(UnpublishArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(
        after_long_help = "Install (pick your shell):\n  glossary completions bash > ~/.local/share/bash-completion/completions/glossary\n  glossary completions zsh > ~/.zfunc/_glossary        (with fpath+=~/.zfunc in ~/.zshrc)\n  glossary completions fish > ~/.config/fish/completions/glossary.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page, or write one per command to a directory
    #[command(
        after_long_help = "Examples:\n  glossary man | man -l -\n  glossary man --out ~/.local/share/man/man1     (then: man glossary-import)"
    )]
    Man(ManArgs),
    /// Find problems the schema cannot prevent (after editing by hand)
    #[command(after_long_help = CHECK_HELP)]
    Check(CheckArgs),
    /// List changes to the content, newest first
    #[command(
        after_long_help = "One line per change: its number, when, who, what ran, and what it did\n(+1 faq, −1 term, −7 senses..., 18 faqs moved). Changes typed into the\nsqlite3 shell are changes too, one per statement.\n\nExamples:\n  glossary history\n  glossary history 57                                   (one change in full)\n  glossary history comparison producer-vs-executive-producer\n  glossary history --author Ada --since 2024-03-01 --format jsonl"
    )]
    History(HistoryArgs),
    /// Undo one change whole (as a new change), by its number
    #[command(
        after_long_help = "Undoes everything the change did: a removed term comes back with its senses,\nexamples, comparisons and their parts, each at its number and position. Refused,\nwith nothing written, when a later change touched the same entries (revert that\none first). Reverting a revert redoes the change.\n\nExample:\n  glossary history faq producer-vs-executive-producer 3\n  glossary revert 57"
    )]
    Revert(RevertArgs),
    /// List entries of any kind, with their numbers and counts
    #[command(
        after_long_help = "Examples:\n  glossary list terms\n  glossary list comparisons --status draft\n  glossary list senses --term Producer\n  glossary list differences producer-vs-executive-producer\n  glossary list rows producer-vs-executive-producer --format json\n  glossary list faqs --comparison producer-vs-executive-producer --format csv"
    )]
    List(ListArgs),
    /// Count the rows of each table
    #[command(after_long_help = "Example:\n  glossary stats --format json")]
    Stats(StatsArgs),
    /// Write the content as the CSV files import reads
    #[command(after_long_help = EXPORT_HELP)]
    Export(ExportArgs),
    /// Render a comparison as an article (Markdown or HTML), or the whole site
    #[command(after_long_help = RENDER_HELP)]
    Render(RenderArgs),
    /// Copy the database to FILE, consistently, while others keep working
    #[command(
        after_long_help = "Uses SQLite's online backup API: the copy is a consistent snapshot even\nwhile imports and edits run. It is written under a temporary name and\nrenamed into place when complete.\n\nExample:\n  glossary backup backups/glossary-2024-01-15.db"
    )]
    Backup(BackupArgs),
    /// Edit the glossary in a web browser
    #[command(after_long_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// Start a theme: templates for the site that render uses
    #[command(after_long_help = THEME_HELP)]
    Theme(ThemeArgs),
    /// Show or change the published site's settings (title, base URL, language...)
    #[command(after_long_help = SITE_HELP)]
    Site(SiteArgs),
    /// Manage the web editor's accounts
    #[command(after_long_help = USER_HELP)]
    User(UserArgs),
    /// The review queue: drafts put up for review, publish them or send them back
    #[command(after_long_help = REVIEW_HELP)]
    Review(ReviewArgs),
}

const REVIEW_HELP: &str = "\
An editor puts a draft up for review (in the web editor: \"Ready for review\";
here: `review ready`). A publisher sees the queue with what changed in each
since it was last published, and publishes it (`approve`, with the rules of
`publish`) or sends it back with a comment the editor sees on its page.
SLUG is a comparison's slug or a term.

Examples:
  glossary review list
  glossary review list --format json
  glossary review ready producer-vs-executive-producer
  glossary review approve producer-vs-executive-producer --with-terms
  glossary review reject director-vs-producer --comment \"Cite the guild rules\"";

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(subcommand)]
    pub command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// List what waits for review, with the changes since each was published
    List {
        /// Also the entries sent back
        #[arg(long)]
        all: bool,
        /// Output format
        #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
        format: Format,
    },
    /// Put a draft up for review
    Ready { slug: String },
    /// Publish an entry waiting for review
    Approve {
        slug: String,
        /// Publish its draft terms with it
        #[arg(long)]
        with_terms: bool,
    },
    /// Send an entry back to its editor, with a comment
    Reject {
        slug: String,
        /// What to change (required: the editor reads it)
        #[arg(long, short)]
        comment: String,
    },
}

const USER_HELP: &str = "\
Accounts for the web editor, kept in the database with their passwords as
Argon2id hashes. A password is never given on the command line: it is asked
for (twice) on a terminal, or read as one line from standard input.

Roles: an editor writes drafts; a publisher also publishes and edits what is
published; an admin also manages accounts, imports and reverts. A new
password or a removal signs the user out everywhere; a role change applies
to their next request. The last admin can be neither removed nor demoted.

Examples:
  glossary user add ana --role editor
  printf '%s\\n' \"$PASSWORD\" | glossary user add ci-bot --role publisher
  glossary user list
  glossary user passwd ana
  glossary user role ana publisher
  glossary user remove ana";

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account (the password is asked for, or read from stdin)
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: glossary_core::accounts::users::Role,
    },
    /// List the accounts
    List {
        /// Output format
        #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
        format: Format,
    },
    /// Set an account's password (asked for, or read from stdin)
    Passwd { name: String },
    /// Change an account's role
    Role {
        name: String,
        #[arg(value_enum)]
        role: glossary_core::accounts::users::Role,
    },
    /// Remove an account
    Remove { name: String },
}

const SITE_HELP: &str = "\
The settings every page `render` writes uses, kept in the database:
  title        the site's name (default: Glossary)
  base_url     where it is published: canonical links, sitemap, Open Graph
  language     the pages' language tag (default: en)
  publisher    the articles' author and publisher in their structured data
  description  one sentence on the glossary, for the front page

Examples:
  glossary site
  glossary site set base_url https://example.com/glossary/
  glossary site set title 'The Film Glossary'
  glossary site unset publisher";

const THEME_HELP: &str = "\
A theme is a directory of minijinja templates (https://docs.rs/minijinja)
and a style.css. `render --theme DIR` uses the files DIR has and the
built-in ones for the rest, so a theme may hold only the page it changes.
`theme init DIR` writes the built-in theme there to start from: base.html
(the page around everything), article.html, term.html, index.html,
senses.html (a term's numbered senses) and style.css. Text is escaped by
the engine; a template error names the file and line.

Examples:
  glossary theme init mytheme
  glossary render --all --out site/ --theme mytheme";

const SERVE_HELP: &str = "\
Serves the web editor on the same database the other commands use: every
kind of entry in forms, search, a preview of each article as `render` makes
it, publish, history with undo, import by upload and export as a zip. The
CLI and the sqlite3 shell keep working beside it.

Two people saving the same field of the same entry: the second save is
refused with both texts side by side to merge; nothing typed is lost.

Accounts (`glossary user`): once the database has one, everyone signs in,
and changes are filed under the account's name. Editors change drafts and
put them up for review; publishers also publish and change what is
published; admins also import and undo anyone's change. Without accounts,
on loopback, the editor is its owner's alone: no sign-in, and changes are
filed under --author (or GLOSSARY_AUTHOR, git's user.name, the login name).
Any other address needs an admin account. Behind a reverse proxy with
TLS, --trusted-proxy names it (secure cookies, client addresses). See
README.md, \"Running a server\". Stop it with Ctrl-C or SIGTERM: requests in
flight finish first.

Examples:
  glossary serve
  glossary serve --listen 127.0.0.1:3000 --open
  glossary user add ana --role admin && glossary serve --listen 0.0.0.0:8080
  glossary serve --trusted-proxy 127.0.0.1 --session-hours 8
  glossary serve --read-only --db replica.db
  ssh -L 8080:127.0.0.1:8080 server   # from your machine, to reach it";

const EXPORT_HELP: &str = "\
Writes terms.csv, senses.csv, examples.csv, comparisons.csv, differences.csv,
comparison_rows.csv and faqs.csv, rows in natural-key order, so the same
content always gives the same bytes and a change is a small diff.
`glossary import DIR` reads them back unchanged.

Examples:
  glossary export seeds/
  glossary export --published-only public/
  glossary export --spreadsheet-safe for-excel/   (not lossless: see --help)";

const RENDER_HELP: &str = "\
Examples:
  glossary render producer-vs-executive-producer              (Markdown)
  glossary render producer-vs-executive-producer --format html > page.html
  glossary render --all --out site/                           (a static site)

Drafts are left out (render of a draft is refused) unless --drafts.
--theme DIR renders with a theme's templates (see `glossary theme`).";

const CHECK_HELP: &str = "\
Codes (E = error, fails the run; W = warning):
  E100 SQLite integrity_check failed     E101 orphan (a missing parent row)
  E102 repeated positions                E103 positions with gaps
  E104 empty text                        E105 a term compared with itself
  E106 invalid published date            E107 lookup key does not match the term
  E108 position left mid-move            E109 invalid slug
  E110 a search index out of step with its table
  E111 an index or trigger of the schema is missing
  E112 fts_deferred is not empty (search indexing is off)
  E113 current_change is not empty (history filed wrongly)
  W201 sense without an example          W202 term without senses
  W203 comparison with no content yet
  W204 published comparison hidden by a draft term
--fix repairs E102, E103, E108 (renumbering in the current order), E107
(recomputing the key), E110 (rebuilding the index), E111 (recreating it)
and E112 (emptying it); any write of glossary empties current_change (E113).

Examples:
  glossary check
  glossary check --fix
  glossary check --format json";

const EDIT_HELP: &str = "\
KIND and KEY name the entry:
  term TERM                 sense TERM N              example TERM N POSITION
  comparison SLUG           difference SLUG POSITION  row SLUG ASPECT
  faq SLUG POSITION

Fields:
  term:        term, part_of_speech, note, status
  sense:       sense, domain, definition
  example:     position, text
  comparison:  slug, left, right, title, summary, published, status
  difference:  position, text
  row:         position, aspect, left, right
  faq:         position, question, answer
An empty VALUE clears an optional field. Setting position (or sense) moves
the entry; the others shift. Renaming a term keeps everything that refers to it.

Without --set, the entry opens in $VISUAL or $EDITOR as a small TOML document;
save and close to apply it. An invalid document is reopened with the error at
the top (or, when not on a terminal, kept in a file whose path is printed);
an unchanged or emptied document changes nothing.

Examples:
  glossary edit faq producer-vs-executive-producer 3 --set answer='Often, yes.'
  glossary edit term Producer --set note='Also a role in music.'
  glossary edit row producer-vs-executive-producer 'Project Influence' --set position=1
  glossary edit comparison producer-vs-executive-producer";

const REMOVE_HELP: &str = "\
Says what goes with the entry (a term's senses, examples and comparisons...)
and, on a terminal, asks before removing; --yes skips the question and is
required when not on a terminal. The entries after it move up.

Examples:
  glossary remove faq producer-vs-executive-producer 20
  glossary remove term Producer --yes";

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
--search quotes each word you type, so punctuation is just text
(day-to-day, producer's); a word ending in * matches as a prefix. With --raw
the text is FTS5 syntax: \"exact phrase\", produc*, budget AND NOT music,
NEAR(funding studio, 5). Hits are ranked by relevance (bm25).

Examples:
  glossary query --term producer
  glossary query --term 'EXECUTIVE PRODUCER' --format json
  glossary query --comparison producer-vs-executive-producer --format markdown
  glossary query --search 'day-to-day'
  glossary query --search 'budget OR funding' --raw --limit 5 --format csv";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write glossary.1 and glossary-COMMAND.1 for every command here
    /// (created if missing) instead of printing glossary(1)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Seed directories or CSV files named like the tables (faqs.csv...)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Check everything and list what would change, without writing
    #[arg(long)]
    pub dry_run: bool,

    /// How to print the summary
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["term", "comparison", "search"])))]
pub struct QueryArgs {
    /// A term, in any case and with or without accents
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,

    /// A comparison's slug (or its title)
    #[arg(long, value_name = "SLUG")]
    pub comparison: Option<String>,

    /// Full-text search of definitions, examples, articles, charts and FAQs
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,

    /// With --search: TEXT is FTS5 query syntax (phrases, prefix*, AND/OR/NOT, NEAR)
    #[arg(long, requires = "search")]
    pub raw: bool,

    /// With --search: how many hits to show
    #[arg(long, default_value_t = 20, requires = "search")]
    pub limit: i64,

    /// Output format: text, json, jsonl or markdown; csv too with --search
    /// (a list of hits), not with --term or --comparison (one entry)
    #[arg(long, default_value = "text", value_parser = Format::only(&[Format::Text, Format::Json, Format::Jsonl, Format::Markdown, Format::Csv]))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AddTermArgs {
    /// The term as it is displayed
    pub term: String,
    /// Part of speech: noun, verb...
    #[arg(long, value_name = "P")]
    pub part_of_speech: Option<String>,
    /// A note about the term
    #[arg(long, value_name = "N")]
    pub note: Option<String>,
    /// Mark it published at once (new entries are drafts)
    #[arg(long)]
    pub publish: bool,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct AddSenseArgs {
    /// The term (any case)
    pub term: String,
    /// The definition
    #[arg(long, value_name = "D")]
    pub definition: String,
    /// The field it belongs to: film, ecology, business...
    #[arg(long, value_name = "X")]
    pub domain: Option<String>,
    /// An example sentence (repeat for more)
    #[arg(long, value_name = "E")]
    pub example: Vec<String>,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct AddExampleArgs {
    /// The term (any case)
    pub term: String,
    /// The sense's number
    #[arg(value_parser = sense_number)]
    pub sense: i64,
    /// The example sentence
    pub text: String,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct AddComparisonArgs {
    /// The slug [default: derived from the terms, LEFT-vs-RIGHT]
    pub slug: Option<String>,
    /// The term on the left
    #[arg(long, value_name = "TERM")]
    pub left: String,
    /// The term on the right
    #[arg(long, value_name = "TERM")]
    pub right: String,
    /// The title
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// The one-paragraph summary
    #[arg(long, value_name = "S")]
    pub summary: Option<String>,
    /// Publication date
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub published: Option<String>,
    /// Mark it published at once (new entries are drafts)
    #[arg(long)]
    pub publish: bool,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct AddDifferenceArgs {
    /// The comparison's slug
    pub comparison: String,
    /// The paragraph
    pub text: String,
    /// Where to insert it (the others move down) [default: at the end]
    #[arg(long, value_name = "N", value_parser = position)]
    pub position: Option<i64>,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct AddRowArgs {
    /// The comparison's slug
    pub comparison: String,
    /// What the row compares
    #[arg(long, value_name = "A")]
    pub aspect: String,
    /// The left term's value
    #[arg(long, value_name = "L")]
    pub left: String,
    /// The right term's value
    #[arg(long, value_name = "R")]
    pub right: String,
    /// Where to insert it (the others move down) [default: at the end]
    #[arg(long, value_name = "N", value_parser = position)]
    pub position: Option<i64>,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct AddFaqArgs {
    /// The comparison's slug
    pub comparison: String,
    /// The question (asked for on a terminal when missing)
    #[arg(long, value_name = "Q")]
    pub question: Option<String>,
    /// The answer (asked for on a terminal when missing)
    #[arg(long, value_name = "A")]
    pub answer: Option<String>,
    /// Where to insert it (the others move down) [default: at the end]
    #[arg(long, value_name = "N", value_parser = position)]
    pub position: Option<i64>,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// What to edit
    #[arg(value_enum)]
    pub kind: glossary_core::kind::Kind,
    /// Which one (see below)
    #[arg(required = true, value_name = "KEY")]
    pub keys: Vec<String>,
    /// FIELD=VALUE to set (repeatable); without it, opens $EDITOR
    #[arg(long, value_name = "FIELD=VALUE", value_parser = assignment)]
    pub set: Vec<(String, String)>,
    /// Apply a document kept by an earlier `edit` in $EDITOR (its path was
    /// printed) instead of opening the editor
    #[arg(long, value_name = "PATH", conflicts_with = "set")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// What to remove
    #[arg(value_enum)]
    pub kind: glossary_core::kind::Kind,
    /// Which one (as for edit)
    #[arg(required = true, value_name = "KEY")]
    pub keys: Vec<String>,
    /// Do not ask for confirmation
    #[arg(long, short)]
    pub yes: bool,
    #[command(flatten)]
    pub report: Report,
}

const PUBLISH_HELP: &str = "\
A comparison is on the public site (render, export --published-only) when it
and both its terms are published. So publishing one whose terms are drafts is
refused (--with-terms publishes them in the same change), and so is publishing
one with no summary, no date, or no key differences, chart rows or FAQs
(--force publishes it as it is).

Examples:
  glossary publish producer-vs-executive-producer
  glossary publish director-vs-producer --with-terms
  glossary publish --term Producer";

/// What `publish` and `unpublish` act on: a comparison, or a term.
#[derive(Debug, Args)]
pub struct Target {
    /// The comparison's slug
    #[arg(required_unless_present = "term", conflicts_with = "term")]
    pub comparison: Option<String>,
    /// A term instead of a comparison
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub target: Target,
    /// Publish the comparison's draft terms with it
    #[arg(long, conflicts_with = "term")]
    pub with_terms: bool,
    /// Publish a comparison without summary, date or content
    #[arg(long, conflicts_with = "term")]
    pub force: bool,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct UnpublishArgs {
    #[command(flatten)]
    pub target: Target,
    /// Also unpublish the published comparisons that show the term
    #[arg(long, requires = "term")]
    pub with_comparisons: bool,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list
    #[arg(value_enum)]
    pub what: glossary_core::list::What,
    /// Whose: a comparison's slug (differences, rows, faqs) or a term
    /// (senses, examples)
    #[arg(value_name = "PARENT")]
    pub parent: Option<String>,
    /// Only entries with this status (of their term or comparison)
    #[arg(long, value_name = "draft|published", value_parser = status)]
    pub status: Option<Status>,
    /// Only this comparison's entries
    #[arg(long, value_name = "SLUG", conflicts_with = "parent")]
    pub comparison: Option<String>,
    /// Only this term's entries (senses, examples, comparisons)
    #[arg(long, value_name = "TERM", conflicts_with = "parent")]
    pub term: Option<String>,
    /// At most this many
    #[arg(long, value_name = "N")]
    pub limit: Option<i64>,
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(&[Format::Text, Format::Json, Format::Jsonl, Format::Csv, Format::Markdown]))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory to write the CSV files to (created if missing)
    pub dir: std::path::PathBuf,
    /// Only published terms and comparisons (a comparison only with both terms published)
    #[arg(long)]
    pub published_only: bool,
    /// Prefix cells starting with = + - @ with ' so spreadsheets show them
    /// as text instead of running them as formulas. The export is then no
    /// longer lossless: do not import it back
    #[arg(long)]
    pub spreadsheet_safe: bool,
    /// What to write: the CSV files import reads, or one Markdown or JSON
    /// document per published article and term (for Hugo, Zola, Jekyll, Astro)
    #[arg(long = "as", value_enum, default_value_t = ExportAs::Csv)]
    pub as_: ExportAs,
    /// Export a database that `glossary check` finds errors in: orphans
    /// (rows whose term or comparison is gone) are left out, other errors
    /// are written as they are, and import will refuse them until fixed
    #[arg(long)]
    pub force: bool,
    /// With --as markdown: the front matter's language
    #[arg(long, value_enum, default_value_t = glossary_site::documents::FrontMatter::Yaml)]
    pub front_matter: glossary_site::documents::FrontMatter,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportAs {
    Csv,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["comparison", "all"])))]
pub struct RenderArgs {
    /// The comparison's slug
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub comparison: Option<String>,
    /// Every published comparison and term, as a static HTML site (needs --out)
    #[arg(long, requires = "out")]
    pub all: bool,
    /// With --all: the directory to write the site to
    #[arg(long, value_name = "DIR", requires = "all")]
    pub out: Option<std::path::PathBuf>,
    /// markdown or html (for one comparison)
    #[arg(long, value_enum, default_value_t = RenderFormat::Markdown)]
    pub format: RenderFormat,
    /// Include drafts
    #[arg(long)]
    pub drafts: bool,
    /// Templates to use where DIR has them (see `glossary theme init`)
    #[arg(long, value_name = "DIR")]
    pub theme: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    #[command(subcommand)]
    pub command: Option<SiteCommand>,
    /// Output format (of the settings shown)
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Set KEY to VALUE
    Set { key: String, value: String },
    /// Put KEY back to its default
    Unset { key: String },
}

#[derive(Debug, Args)]
pub struct ThemeArgs {
    #[command(subcommand)]
    pub command: ThemeCommand,
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Write the built-in theme into DIR, to change
    Init {
        /// The theme's directory (created if needed)
        dir: std::path::PathBuf,
        /// Replace files of the same names there
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    Markdown,
    Html,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one); an address
    /// other than loopback needs an admin account
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Open the editor in the default web browser
    #[arg(long)]
    pub open: bool,
    /// The reverse proxy's address: its X-Forwarded-Proto (HTTPS: secure
    /// cookies) and X-Forwarded-For (the client, in logs and throttling)
    /// are believed, from it alone
    #[arg(long, value_name = "IP")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Serve the database without changing it (a replica): no forms that
    /// write, sign-ins kept in memory
    #[arg(long)]
    pub read_only: bool,
    /// How long a sign-in lasts, in hours
    #[arg(long, value_name = "HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_hours: u32,
    /// A host name the editor is reached by (repeat for each): requests
    /// for any other name are refused, so that a web page cannot reach the
    /// editor through a name it points at this machine (DNS rebinding).
    /// Addresses, `localhost` and requests through --trusted-proxy are
    /// always accepted
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy
    pub file: std::path::PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Repair what can be repaired safely, and say what was done
    #[arg(long)]
    pub fix: bool,
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// A change's number (its details), or KIND KEY... as for edit (the
    /// changes to that entry; a comparison's include its paragraphs, chart
    /// rows and FAQs)
    #[arg(value_name = "CHANGE | KIND KEY")]
    pub entry: Vec<String>,
    /// Only changes at or after this date (YYYY-MM-DD) or time
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// How many changes to show
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(&[Format::Text, Format::Json, Format::Jsonl]))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RevertArgs {
    /// The change's number, from `glossary history`
    pub change: i64,
    #[command(flatten)]
    pub report: Report,
}

/// The fix for a slip clap refused, where there is a likely one: `glossary
/// query producer` means `glossary query --term producer`.
pub fn usage_hint(error: &clap::Error) -> Option<String> {
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
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
