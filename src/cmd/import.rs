use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{done, note, quiet, verbose};
use crate::cmd::Globals;
use crate::output::{self, Format};
use glossary_core::db::{self, Mode};
use glossary_core::import::{self, Observer, Options};
use glossary_core::model::Outcome;

use crate::cmd::FormatFlag;
use crate::output::TEXT_JSON;
use clap::Args;
use std::path::PathBuf;

pub(crate) const INIT_HELP: &str = "Only `init` and `import` create a database: every other command refuses a path\nwhere there is none, so a typo in --db is an error, not a new empty file.\nOn an existing glossary database, init brings its schema up to date.\n\nExamples:\n  glossary init\n  glossary --db team.db init";

pub(crate) const IMPORT_HELP: &str = "\
Reads terms.csv, senses.csv, examples.csv, comparisons.csv, differences.csv,
comparison_rows.csv and faqs.csv (any of them) and applies them in that order
in one transaction. Rows are matched by their natural key: new rows are
inserted, changed rows updated, rows not in the files left alone. If any row
is invalid, every problem is listed as FILE:LINE: message and nothing is written.

Examples:
  glossary import seeds/
  glossary import --dry-run seeds/        Show what would change, write nothing
  glossary import seeds/faqs.csv          Import one file";

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// Seed directories or CSV files named like the tables (faqs.csv...)
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Check everything and list what would change, without writing
    #[arg(long)]
    pub(crate) dry_run: bool,

    /// How to print the summary
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub(crate) format: Format,
}

/// Prints a dry run's planned changes as they are found, and drives the
/// progress bar.
struct Printer<'a> {
    out: &'a mut dyn Write,
    list_rows: bool,
    bar: Option<ProgressBar>,
    rows: u64,
    started: Instant,
    error: Option<std::io::Error>,
}

impl Observer for Printer<'_> {
    fn row(&mut self, file: &str, line: u64, entry: &str, outcome: &Outcome) {
        self.rows += 1;
        if self.list_rows && self.error.is_none() {
            if let Err(e) = output::planned_row(self.out, file, line, entry, outcome) {
                self.error = Some(e);
            }
        }
    }

    fn progress(&mut self, done: u64, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total.max(1));
            bar.set_position(done);
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!(
                "{} rows, {:.0} rows/s",
                self.rows,
                self.rows as f64 / secs
            ));
        }
    }
}

pub fn run(ctx: &Globals, args: ImportArgs) -> anyhow::Result<()> {
    // A dry run must not create the database, and a failed first import
    // must not leave an empty one behind: either would be a write.
    let existed = ctx.db().exists();
    let mut conn = if args.dry_run && !existed {
        db::open_in_memory()?
    } else {
        db::open(ctx.db(), Mode::Create)?
    };
    let stderr_is_terminal = std::io::stderr().is_terminal();
    let bar = (!quiet() && stderr_is_terminal).then(|| {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {percent:>3}% {msg} (ETA {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });
    let mut stdout = crate::output::stdout();
    let started = Instant::now();
    let mut printer = Printer {
        out: &mut stdout,
        // A dry run lists what it would do; -v lists what an import does.
        list_rows: (args.dry_run || verbose()) && args.format == Format::Text,
        bar,
        rows: 0,
        started,
        error: None,
    };
    let options = Options {
        dry_run: args.dry_run,
    };
    let result = if args.dry_run {
        db::read_only(&mut conn, |c| {
            import::import(c, &ctx.actor, &args.paths, options, &mut printer)
        })
    } else {
        import::import(&mut conn, &ctx.actor, &args.paths, options, &mut printer)
    };
    if let Some(bar) = printer.bar.take() {
        bar.finish_and_clear();
    }
    let rows = printer.rows;
    if result.is_err() && !existed && !args.dry_run {
        drop(conn);
        db::remove(ctx.db());
    }
    if let Some(e) = printer.error.take() {
        return Err(e).context("writing the dry run");
    }
    let report = result?;
    match args.format {
        Format::Json => output::json(&mut stdout, &report),
        _ if quiet() => Ok(()),
        _ => output::import_report(&mut stdout, &report),
    }
    .context("writing the summary")?;
    stdout.flush().context("writing the summary")?;
    if !stderr_is_terminal {
        let secs = started.elapsed().as_secs_f64();
        let (verb, preposition) = if args.dry_run {
            ("checked", "against")
        } else {
            ("imported", "into")
        };
        note!(
            "{verb} {} from {} {preposition} {} in {secs:.1} s ({:.0} rows/s){}",
            super::plural(rows, "row"),
            super::plural(report.files.len(), "file"),
            ctx.db().display(),
            rows as f64 / secs.max(0.001),
            if args.dry_run {
                "; nothing was written"
            } else {
                ""
            }
        );
    }
    Ok(())
}

pub fn init(ctx: &Globals, a: InitArgs) -> anyhow::Result<()> {
    let existed = ctx.db().exists();
    db::open(ctx.db(), Mode::Create)?;
    let text = if existed {
        format!(
            "{} is already a glossary database (schema version {})",
            ctx.db().display(),
            db::latest_version()
        )
    } else {
        format!("created the glossary database {}", ctx.db().display())
    };
    let json = serde_json::json!({
        "database": ctx.db().display().to_string(),
        "created": !existed,
        "schema_version": db::latest_version(),
    });
    done(a.report.format, &text, json)
}
