//! The `glossary` binary: the command line ([`cli`], one module a command
//! under [`cmd`]) and the printers ([`output`]), over the library crates
//! (`glossary-core`, `glossary-site`, `glossary-web`) that do the work.
//!
//! Parses the command line, runs it, and turns the outcome into an exit
//! status: 0 success, 1 error, 2 usage (clap), 3 database busy.

use std::process::ExitCode;

use clap::Parser;
use glossary_core::Error;

use crate::cli::Cli;

mod cli;
mod cmd;
mod output;

/// mimalloc: a site build allocates and frees a few small strings per
/// link, tooltip and escaped text, on every core at once, where glibc's
/// allocator spent about a seventh of the build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A bug should read as one, briefly, not as a backtrace dump. Whatever
    // the command was writing is rolled back: it commits only at its end.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "glossary stopped on an internal error{location}: {message}\n\
             Nothing was written by the interrupted command. This is a bug: please report it \
             to the glossary maintainers with the command you ran and this message."
        );
    }));
    let cli = Cli::try_parse().unwrap_or_else(|e| {
        // clap's own words, and where a likely slip has a fix, the fix.
        let _ = e.print();
        if let Some(hint) = cli::usage_hint(&e) {
            eprintln!("\n  hint: {hint}");
        }
        std::process::exit(e.exit_code());
    });
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report(&err),
    }
}

fn report(err: &anyhow::Error) -> ExitCode {
    // A closed pipe (`glossary query ... | head`) is the reader's choice.
    if let Some(io) = err.chain().find_map(|e| e.downcast_ref::<std::io::Error>()) {
        if io.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
    }
    let ours = err.chain().find_map(|e| e.downcast_ref::<Error>());
    if let Some(Error::Import { problems, .. }) = ours {
        for p in problems {
            eprintln!("{p}");
        }
    }
    // Each cause once: a cause whose words its parent already says (an
    // I/O error quoted in its message) is not said again.
    let mut said = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !said.contains(&text) {
            if !said.is_empty() {
                said.push_str(": ");
            }
            said.push_str(&text);
        }
    }
    eprintln!("error: {said}");
    ExitCode::from(ours.map_or(1, |e| e.exit_code()) as u8)
}
