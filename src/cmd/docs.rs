//! `completions` and `man`: generated from the same clap definitions as
//! the parser and `--help`, so they cannot drift from what the parser takes.

use std::io::Write;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};

pub fn completions(a: CompletionsArgs) -> anyhow::Result<()> {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(a.shell, &mut command, "glossary", &mut out);
    out.flush().context("writing the completion script")
}

pub fn man(a: ManArgs) -> anyhow::Result<()> {
    let command = Cli::command();
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
