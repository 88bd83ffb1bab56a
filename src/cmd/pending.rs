//! `pending`: the changes to published entries that readers do not see
//! yet ([`glossary_core::pending`]); and the `--pending` of `edit`, the
//! `add-*` commands and `remove`, which write to them.

use clap::{Args, Subcommand};
use rusqlite::Connection;

use super::{done, write};
use crate::cmd::Globals;
use crate::output::{Format, TEXT_JSON};
use glossary_core::db::{self, Mode};
use glossary_core::edit::Entry;
use glossary_core::error::Result;
use glossary_core::kind::Kind;
use glossary_core::pending::{self, Rebased};
use glossary_core::schedule::Action;

pub(crate) const PENDING_HELP: &str = "\
A published comparison or term can have a pending version: changes that
readers do not see until a publisher publishes them, so the live page stays
up while it is improved. `--pending` on `edit`, the `add-*` commands and
`remove` writes to it (the entry's parts are named as they are in the
pending version); the web editor saves an editor's changes to a published
entry there. Publishing applies it as one change of the history (undone
whole by `glossary revert`), filed under the publisher, naming who wrote it.

If the live entry changed meanwhile (a direct fix, an import), a field
changed on one side only merges; a field changed on both is a conflict:
`pending show` shows both, `pending publish` refuses and names it, and
`edit --pending ... --set FIELD=VALUE` settles it with the value to keep.

`pending publish ... --at TIME` publishes it at a time instead (see `glossary
schedule`), as it is when planned: a version saved again before then is not
published unseen (the plan says why; plan it again).

Examples:
  glossary edit faq producer-vs-executive-producer 3 --pending --set answer='Often, yes.'
  glossary add-faq producer-vs-executive-producer --pending --question 'Q?' --answer 'A.'
  glossary pending
  glossary pending show comparison producer-vs-executive-producer
  glossary query --comparison producer-vs-executive-producer --pending
  glossary pending publish comparison producer-vs-executive-producer
  glossary pending publish term Producer --at '2027-01-05 09:00'
  glossary pending discard term Producer";

#[derive(Debug, Args)]
pub(crate) struct PendingArgs {
    #[command(subcommand)]
    pub(crate) command: Option<PendingCommand>,
    /// Output format
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON), global = true)]
    pub(crate) format: Format,
}

/// A term or a comparison, as `comparison SLUG` or `term NAME`.
#[derive(Debug, Args)]
pub(crate) struct Owner {
    /// comparison or term
    #[arg(value_enum)]
    pub(crate) kind: Kind,
    /// The slug, or the term
    pub(crate) key: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PendingCommand {
    /// Show a pending version field by field against the live entry
    Show(Owner),
    /// Apply a pending version to the live entry, as one change
    Publish {
        #[command(flatten)]
        owner: Owner,
        /// Publish it at this time instead (RFC 3339, or a local YYYY-MM-DD HH:MM)
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Throw a pending version away; the live entry stays as it is
    Discard(Owner),
}

pub fn pending(ctx: &Globals, a: PendingArgs) -> anyhow::Result<()> {
    match a.command {
        None => list(ctx, a.format),
        Some(PendingCommand::Show(o)) => show(ctx, &o, a.format),
        Some(PendingCommand::Publish {
            owner,
            at: Some(at),
        }) => crate::cmd::publish::plan(
            ctx,
            (owner.kind, owner.key),
            Action::PublishPending,
            Default::default(),
            &at,
            &crate::cmd::FormatFlag { format: a.format },
        ),
        Some(PendingCommand::Publish { owner: o, at: None }) => {
            let published = write(ctx, |c| {
                pending::publish(c, &pending::entry(c, o.kind, &o.key)?)
            })?;
            let text = format!(
                "published the pending version of {} (written by {})",
                published.entry,
                published.written_by.join(", ")
            );
            done(a.format, &text, serde_json::to_value(&published)?)
        }
        Some(PendingCommand::Discard(o)) => {
            let gone = write(ctx, |c| {
                pending::discard(c, &pending::entry(c, o.kind, &o.key)?)
            })?;
            let text = format!("discarded the pending version of {}", gone.label);
            done(
                a.format,
                &text,
                serde_json::json!({"discarded": gone.label, "written_by": gone.authors()}),
            )
        }
    }
}

fn list(ctx: &Globals, format: Format) -> anyhow::Result<()> {
    let conn = db::open(ctx.db(), Mode::Existing)?;
    let all = pending::all(&conn)?;
    let mut text = String::new();
    let mut json = Vec::new();
    for p in &all {
        let removed = p.entry_id.is_none();
        text.push_str(&format!(
            "{}  {} edit{}, by {}, saved {}{}\n",
            p.label,
            p.edits.0.len(),
            if p.edits.0.len() == 1 { "" } else { "s" },
            p.authors().join(", "),
            p.updated_at,
            if removed {
                " (its entry was removed: `glossary check` says more)"
            } else {
                ""
            }
        ));
        json.push(serde_json::json!({
            "entry": p.label,
            "kind": p.kind,
            "removed": removed,
            "edits": p.edits.0.len(),
            "written_by": p.authors(),
            "started_by": p.started_by,
            "started_at": p.started_at,
            "updated_by": p.updated_by,
            "updated_at": p.updated_at,
        }));
    }
    if all.is_empty() {
        text.push_str("no pending versions (write one with `glossary edit --pending`)");
    }
    done(format, text.trim_end(), serde_json::Value::Array(json))
}

fn show(ctx: &Globals, o: &Owner, format: Format) -> anyhow::Result<()> {
    let mut conn = db::open(ctx.db(), Mode::Existing)?;
    let shown = db::read_only(&mut conn, |c| {
        let tx = c.transaction()?;
        pending::show(&tx, &pending::entry(&tx, o.kind, &o.key)?)
    })?;
    let mut text = format!(
        "pending version of {} (written by {}; saved {} by {})\n",
        shown.entry,
        shown.written_by.join(", "),
        shown.updated_at,
        shown.updated_by
    );
    for r in &shown.rows {
        text.push_str(&format!("  {} {}\n", r.action, r.entry));
        if let Some(m) = &r.position {
            text.push_str(&format!(
                "      place: {} → {}\n",
                m.live.map_or("-".into(), |p| p.to_string()),
                m.pending.map_or("-".into(), |p| p.to_string())
            ));
        }
        for f in &r.fields {
            text.push_str("      ");
            text.push_str(&crate::output::field_change(
                &f.field,
                f.live.as_deref(),
                f.pending.as_deref(),
            ));
            text.push('\n');
        }
    }
    if shown.rows.is_empty() {
        text.push_str("  nothing differs from the live entry any more\n");
    }
    for c in &shown.conflicts {
        text.push_str(&format!("  conflict: {}\n", c.sentence()));
        if let (Some(live), Some(mine)) = (&c.live, &c.pending) {
            text.push_str(&format!("      live:    {live}\n      pending: {mine}\n"));
        }
    }
    done(format, text.trim_end(), serde_json::to_value(&shown)?)
}

/// Runs `work` as one write: on the live rows, or with `pending` on the
/// pending version of the entry of `kind` named `key` (the term or
/// comparison a part belongs to), where `work` sees the entry as that
/// version makes it. `work` returns what it set explicitly, which settles
/// a conflict on those fields.
pub(crate) fn write_maybe_pending<T>(
    ctx: &Globals,
    pending_version: bool,
    kind: Kind,
    key: &str,
    work: impl FnOnce(&Connection) -> Result<(T, Vec<Rebased>)>,
) -> anyhow::Result<T> {
    let by = ctx.actor.name();
    write(ctx, |c| {
        on_version(c, pending_version, kind, key, &by, work)
    })
}

/// [`write_maybe_pending`] in the caller's write transaction `tx`, by `by`.
pub(crate) fn on_version<T>(
    tx: &Connection,
    pending_version: bool,
    kind: Kind,
    key: &str,
    by: &str,
    work: impl FnOnce(&Connection) -> Result<(T, Vec<Rebased>)>,
) -> Result<T> {
    if !pending_version {
        return work(tx).map(|(v, _)| v);
    }
    let owner: Entry = pending::entry(tx, pending::owner_kind(kind), key)?;
    pending::change(tx, &owner, by, |c, _| work(c))
}

/// Reads with `read` the entry of `kind` named `keys` as `owner`'s pending
/// version makes it (`pending`), else live, in a transaction rolled back.
pub(crate) fn read_maybe_pending<T>(
    conn: &mut Connection,
    pending_version: bool,
    kind: Kind,
    keys: &[String],
    read: impl Fn(&Connection, &Entry) -> Result<T>,
) -> Result<T> {
    db::read_only(conn, |c| {
        let tx = c.transaction()?;
        if !pending_version {
            return read(&tx, &glossary_core::edit::find(&tx, kind, keys)?);
        }
        let owner = pending::entry(&tx, pending::owner_kind(kind), &keys[0])?;
        pending::may_change(&tx, &owner)?;
        pending::viewed(&tx, &owner, |c, _| {
            read(c, &glossary_core::edit::find(c, kind, keys)?)
        })
    })
}
