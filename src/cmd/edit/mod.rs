//! `edit`: with `--set`, in `$EDITOR`, or from a kept document (`--file`).

mod document;

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Context};
use rusqlite::Connection;

use super::done;
use super::pending::{on_version, read_maybe_pending, write_maybe_pending};
use glossary_core::db::{self, Mode};
use glossary_core::edit::{self, Entry};
use glossary_core::error::Error;
use glossary_core::kind::Kind;
use glossary_core::model::FieldChange;
use glossary_core::pending;

use crate::cmd::Globals;
use crate::cmd::{assignment, FormatFlag};
use clap::Args;
use std::path::PathBuf;

pub(crate) const EDIT_HELP: &str = "\
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
an unchanged or emptied document changes nothing. A term's document lists its
variants and relations too: add, change, reorder or delete their lines.

Examples:
  glossary edit faq producer-vs-executive-producer 3 --set answer='Often, yes.'
  glossary edit term Producer --set note='Also a role in music.'
  glossary edit row producer-vs-executive-producer 'Project Influence' --set position=1
  glossary edit comparison producer-vs-executive-producer
  glossary edit comparison producer-vs-executive-producer --pending";

#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// What to edit
    #[arg(value_enum)]
    pub(crate) kind: glossary_core::kind::Kind,
    /// Which one (see below)
    #[arg(required = true, value_name = "KEY")]
    pub(crate) keys: Vec<String>,
    /// FIELD=VALUE to set (repeatable); without it, opens $EDITOR
    #[arg(long, value_name = "FIELD=VALUE", value_parser = assignment)]
    pub(crate) set: Vec<(String, String)>,
    /// Apply a document kept by an earlier `edit` in $EDITOR (its path was
    /// printed) instead of opening the editor
    #[arg(long, value_name = "PATH", conflicts_with = "set")]
    pub(crate) file: Option<PathBuf>,
    /// Write to the entry's pending version, which readers do not see until
    /// it is published (see `glossary pending`); $EDITOR shows it as that
    /// version has it
    #[arg(long)]
    pub(crate) pending: bool,
    #[command(flatten)]
    pub(crate) report: FormatFlag,
}

/// Says what an edit changed: `updated faq SLUG 3` and `field: old → new`
/// lines, or as JSON the entry and its changes.
fn print_changes(report: &FormatFlag, label: &str, changes: &[FieldChange]) -> anyhow::Result<()> {
    let mut text = if changes.is_empty() {
        format!("no change to {label}")
    } else {
        format!("updated {label}")
    };
    for c in changes {
        text.push_str("\n    ");
        text.push_str(&crate::output::field_change(
            c.field,
            c.old.as_deref(),
            c.new.as_deref(),
        ));
    }
    done(
        report.format,
        &text,
        serde_json::json!({"entry": label, "changes": changes}),
    )
}

pub fn edit(ctx: &Globals, a: EditArgs) -> anyhow::Result<()> {
    let target = Target {
        kind: a.kind,
        keys: &a.keys,
        pending: a.pending,
    };
    if let Some(path) = &a.file {
        return edit_from_file(ctx, &target, path, &a.report);
    }
    if a.set.is_empty() {
        return edit_in_editor(ctx, &target, &a.report);
    }
    let (label, changes) = write_maybe_pending(ctx, a.pending, a.kind, &a.keys[0], |c| {
        set_named(c, &target, &a.set)
    })?;
    print_changes(&a.report, &target.said(label), &changes)
}

/// The entry an edit names, and whether it is its pending version.
struct Target<'a> {
    kind: Kind,
    keys: &'a [String],
    pending: bool,
}

impl Target<'_> {
    /// How a report names the entry: `faq a-vs-b 3 in its pending version`.
    fn said(&self, label: String) -> String {
        if self.pending {
            format!("{label} in its pending version")
        } else {
            label
        }
    }
}

/// Sets `assignments` on the entry `target` names (as `c` has it: live, or
/// in the pending version being changed); its label after, what changed,
/// and the fields set (which settle a conflict in a pending version).
#[allow(clippy::type_complexity)]
fn set_named(
    c: &Connection,
    target: &Target<'_>,
    assignments: &[(String, String)],
) -> glossary_core::error::Result<((String, Vec<FieldChange>), Vec<pending::Rebased>)> {
    let entry = edit::find(c, target.kind, target.keys)?;
    let changes = edit::set(c, &entry, assignments)?;
    // Every field named is a choice, changed or not: a pending text set
    // again as it is settles its conflict with live.
    let set = assignments
        .iter()
        .filter_map(|(name, _)| entry.kind.field(name).ok())
        .map(|f| (entry.kind, entry.id, f.name.to_string()))
        .collect();
    Ok(((label_now(c, &entry), changes), set))
}

/// The `$EDITOR` round trip: the entry as a document, edited, validated and
/// applied; an invalid document goes back to the editor with the error on
/// top (on a terminal) or is kept in a file whose path is printed.
fn edit_in_editor(ctx: &Globals, target: &Target<'_>, report: &FormatFlag) -> anyhow::Result<()> {
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    let (entry, values) = read_maybe_pending(
        &mut conn,
        target.pending,
        target.kind,
        target.keys,
        |c, e| Ok((e.clone(), shown(c, e)?)),
    )?;
    let original = document::render(&entry, &values);
    let mut text = original.clone();
    let interactive = std::io::stdin().is_terminal();
    // Keeps what the person typed, with how to apply it later.
    let keep = |file: document::DocumentFile, typed: &str| -> anyhow::Result<String> {
        let kept = file
            .keep_text(&document::for_later(typed, &values))
            .context("keeping your text")?;
        Ok(format!(
            "your text is kept in {}; apply it with `glossary edit {}{} --file {}`",
            kept.display(),
            entry.label,
            if target.pending { " --pending" } else { "" },
            glossary_core::model::shell_word(&kept.to_string_lossy())
        ))
    };
    loop {
        let file = document::DocumentFile::create(&text).context("writing the document to edit")?;
        let edited = match file.edit() {
            Ok(t) => t,
            Err(e) => {
                // Keep the file only if it holds something typed since.
                let now = file.text().unwrap_or_default();
                if now == text || now.trim().is_empty() {
                    drop(file);
                    return Err(e.into());
                }
                let kept = keep(file, &now)?;
                return Err(anyhow::anyhow!("{e}\n{kept}"));
            }
        };
        if document::is_empty(&edited) {
            let text = format!("empty document: no change to {}", entry.label);
            return done(
                report.format,
                &text,
                serde_json::json!({"entry": entry.label, "changes": []}),
            );
        }
        if edited == original {
            return print_changes(report, &target.said(entry.label.clone()), &[]);
        }
        match apply_document(&mut conn, &ctx.actor, target, &values, &edited) {
            Ok((label, changes)) => {
                return print_changes(report, &target.said(label), &changes);
            }
            Err(Error::Busy) => {
                let kept = keep(file, &edited)?;
                return Err(anyhow::anyhow!(Error::Busy)).context(kept);
            }
            Err(e) if interactive => {
                text = document::with_error(&edited, &e.to_string());
            }
            Err(e) => {
                let kept = keep(file, &edited)?;
                bail!("{e}\nnothing was changed; {kept}");
            }
        }
    }
}

/// What the document of `entry` shows: its fields, and a term's lists.
fn shown(c: &Connection, entry: &Entry) -> glossary_core::error::Result<document::Shown> {
    let mut lists = Vec::new();
    if entry.kind == Kind::Term {
        for kind in edit::lists::TERM_LISTS {
            lists.push((kind, edit::lists::items(c, kind, entry.id)?));
        }
    }
    Ok(document::Shown {
        fields: edit::values(c, entry)?,
        lists,
    })
}

/// `edit KIND KEY --file PATH`: applies a document kept by an earlier
/// round trip (or written by hand in the same form). A kept document says
/// what it was shown, so only what was typed is applied; a hand-written one
/// sets every field it has.
fn edit_from_file(
    ctx: &Globals,
    target: &Target<'_>,
    path: &Path,
    report: &FormatFlag,
) -> anyhow::Result<()> {
    let kind = target.kind;
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if document::is_empty(&text) {
        bail!("{} holds no fields: nothing to apply", path.display());
    }
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    let shown = match document::shown(&text) {
        Some((pairs, lists)) => document::Shown {
            fields: pairs
                .into_iter()
                .filter_map(|(name, v)| Some((kind.field(&name).ok()?, v)))
                .collect(),
            lists,
        },
        None => document::Shown {
            fields: Vec::new(),
            lists: Vec::new(),
        },
    };
    let (label, changes) = apply_document(&mut conn, &ctx.actor, target, &shown, &text)
        .with_context(|| format!("applying {}", path.display()))?;
    print_changes(report, &target.said(label), &changes)
}

/// How the entry is named after the edit: a renamed term by its new name,
/// a moved FAQ by its new position (what a person types next).
fn label_now(conn: &rusqlite::Connection, entry: &Entry) -> String {
    edit::by_id(conn, entry.kind, entry.id).map_or_else(|_| entry.label.clone(), |e| e.label)
}

/// Sets what `text` (the document) changed from `values` (what it showed)
/// on the entry `target` names, as one write; its label after, and what
/// changed.
fn apply_document(
    conn: &mut Connection,
    actor: &glossary_core::change::Actor,
    target: &Target<'_>,
    shown: &document::Shown,
    text: &str,
) -> glossary_core::error::Result<(String, Vec<FieldChange>)> {
    let document = document::parse(target.kind, text)?;
    // Only what differs from what the editor was shown is set, so a field
    // changed by someone else meanwhile is not overwritten unawares.
    let assignments: Vec<(String, String)> = document
        .fields
        .into_iter()
        .filter(|(name, value)| {
            shown
                .fields
                .iter()
                .find(|(f, _)| f.name == name)
                .is_none_or(|(_, old)| old != value)
        })
        .collect();
    let by = actor.name();
    db::write(conn, actor, |tx| {
        on_version(tx, target.pending, target.kind, &target.keys[0], &by, |c| {
            let entry = edit::find(c, target.kind, target.keys)?;
            let ((label, mut changes), mut settled) = set_named(c, target, &assignments)?;
            for (kind, wanted) in &document.lists {
                // A list the document was not shown with (written by
                // hand) replaces the current one.
                let was = match shown.lists.iter().find(|(k, _)| k == kind) {
                    Some((_, items)) => items.clone(),
                    None => edit::lists::items(c, *kind, entry.id)?,
                };
                let (change, set) = edit::lists::apply(c, *kind, entry.id, &was, wanted)?;
                changes.extend(change);
                settled.extend(set);
            }
            Ok(((label, changes), settled))
        })
    })
}
