//! `user`: the web editor's accounts ([`glossary_core::accounts::users`]).

use std::io::{BufRead, IsTerminal};
use std::path::Path;

use anyhow::{bail, Context};

use super::{done, write};
use crate::cli::{UserArgs, UserCommand};
use crate::output::Format;
use glossary_core::accounts::users;
use glossary_core::db::{self, Mode};

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

pub fn user(db_path: &Path, a: UserArgs) -> anyhow::Result<()> {
    match a.command {
        UserCommand::Add { name, role } => {
            // The file must be there before a password is asked for.
            db::open(db_path, Mode::Existing)?;
            let password = read_password(&name)?;
            write(db_path, |c| users::add(c, &name, role, &password))?;
            let text = format!("added {} {name}", role.as_str());
            done(Format::Text, &text, serde_json::json!({}))
        }
        UserCommand::Passwd { name } => {
            // An unknown name is said before the password is typed.
            users::find(&db::open(db_path, Mode::Existing)?, &name)?;
            let password = read_password(&name)?;
            write(db_path, |c| users::set_password(c, &name, &password))?;
            done(
                Format::Text,
                &format!("changed the password of {name}"),
                serde_json::json!({}),
            )
        }
        UserCommand::Role { name, role } => {
            write(db_path, |c| users::set_role(c, &name, role))?;
            done(
                Format::Text,
                &format!("{name} is now {}", role.as_str()),
                serde_json::json!({}),
            )
        }
        UserCommand::Remove { name } => {
            write(db_path, |c| users::remove(c, &name))?;
            done(
                Format::Text,
                &format!("removed {name}"),
                serde_json::json!({}),
            )
        }
        UserCommand::List { format } => {
            let conn = db::open(db_path, Mode::Existing)?;
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
