//! `completions` and `man`: generated from the same clap definitions as
//! the parser and `--help`, so they cannot drift from what the parser takes.

use std::io::Write;

use anyhow::Context;
use std::path::PathBuf;

use clap::Args;

pub(crate) const MAN_HELP: &str = "Examples:\n  glossary man | man -l -\n  glossary man --out ~/.local/share/man/man1     (then: man glossary-import)";

pub(crate) const COMPLETIONS_HELP: &str = "Install (pick your shell):\n  glossary completions bash > ~/.local/share/bash-completion/completions/glossary\n  glossary completions zsh > ~/.zfunc/_glossary        (with fpath+=~/.zfunc in ~/.zshrc)\n  glossary completions fish > ~/.config/fish/completions/glossary.fish";

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write glossary.1 and glossary-COMMAND.1 for every command here
    /// (created if missing) instead of printing glossary(1)
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
}

/// `command` is the whole command line (`Cli::command()`), passed in so
/// this module does not depend on the one that lists it.
pub fn completions(a: CompletionsArgs, command: clap::Command) -> anyhow::Result<()> {
    let mut command = command;
    let mut out = std::io::stdout().lock();
    clap_complete::generate(a.shell, &mut command, "glossary", &mut out);
    out.flush().context("writing the completion script")
}

pub fn man(a: ManArgs, command: clap::Command) -> anyhow::Result<()> {
    let Some(dir) = a.out else {
        let mut out = std::io::stdout().lock();
        clap_mangen::Man::new(command)
            .render(&mut out)
            .context("writing the manual page")?;
        return out.flush().context("writing the manual page");
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    // glossary.1, and glossary-import.1 and so on for each command.
    let mut pages = vec![("glossary".to_string(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("glossary-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut text = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut text)
            .context("rendering a manual page")?;
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    super::note!("wrote the manual pages to {}", dir.display());
    Ok(())
}
