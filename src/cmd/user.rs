//! `user`: the web editor's accounts ([`glossary_core::accounts::users`]).

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context};

use super::{done, write};
use crate::cmd::Globals;
use crate::output::Format;
use glossary_core::accounts::users;
use glossary_core::db::{self, Mode};

use crate::output::TEXT_JSON;
use clap::{Args, Subcommand};

pub(crate) const USER_HELP: &str = "\
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
pub(crate) struct UserArgs {
    #[command(subcommand)]
    pub(crate) command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
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

/// A password: asked for twice without echo on a terminal, else one line
/// of standard input. Never an argument, which `ps` and shell history show.
fn read_password(for_whom: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("password for {for_whom}: "))
            .context("reading the password")?;
        let again = rpassword::prompt_password("again: ").context("reading the password")?;
        if first != again {
            bail!("the two passwords differ: nothing was changed");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

pub fn user(ctx: &Globals, a: UserArgs) -> anyhow::Result<()> {
    match a.command {
        UserCommand::Add { name, role } => {
            // The file must be there before a password is asked for.
            db::open(ctx.db(), Mode::Existing)?;
            let password = read_password(&name)?;
            write(ctx, |c| users::add(c, &name, role, &password))?;
            let text = format!("added {} {name}", role.as_str());
            done(Format::Text, &text, serde_json::json!({}))
        }
        UserCommand::Passwd { name } => {
            // An unknown name is said before the password is typed.
            users::find(&db::open(ctx.db(), Mode::Existing)?, &name)?;
            let password = read_password(&name)?;
            write(ctx, |c| users::set_password(c, &name, &password))?;
            done(
                Format::Text,
                &format!("changed the password of {name}"),
                serde_json::json!({}),
            )
        }
        UserCommand::Role { name, role } => {
            write(ctx, |c| users::set_role(c, &name, role))?;
            done(
                Format::Text,
                &format!("{name} is now {}", role.as_str()),
                serde_json::json!({}),
            )
        }
        UserCommand::Remove { name } => {
            write(ctx, |c| users::remove(c, &name))?;
            done(
                Format::Text,
                &format!("removed {name}"),
                serde_json::json!({}),
            )
        }
        UserCommand::List { format } => {
            let conn = db::open(ctx.db(), Mode::Existing)?;
            let list = users::list(&conn)?;
            let mut text = String::new();
            for u in &list {
                text.push_str(&format!(
                    "{:<24} {:<10} since {}\n",
                    u.name,
                    u.role.as_str(),
                    &u.created_at[..10.min(u.created_at.len())]
                ));
            }
            if list.is_empty() {
                text.push_str(
                    "no accounts yet (add one with `glossary user add NAME --role admin`)",
                );
            }
            done(format, text.trim_end(), serde_json::to_value(&list)?)
        }
    }
}
