//! The history: one line a change, and one change in full.

use std::io;
use std::io::Write;

use crate::output::{field_change, value_shown, DIM, LABEL, TITLE};

/// Revisions, newest first: `#57 2026-11-29T10:00:00.000Z update faq ... 3`
/// and the fields that changed.
/// The change list: one line each, newest first.
/// `none` says what an empty list means ("no changes by bob").
pub fn changes(
    out: &mut dyn Write,
    changes: &[glossary_core::history::ChangeLine],
    none: &str,
) -> io::Result<()> {
    if changes.is_empty() {
        return writeln!(out, "{none}");
    }
    for c in changes {
        let at = c.at.get(..19).unwrap_or(&c.at).replace('T', " ");
        let summary = if c.summary.is_empty() {
            String::new()
        } else {
            format!("  {}", c.summary)
        };
        writeln!(
            out,
            "{LABEL}{:>5}{LABEL:#}  {DIM}{at}{DIM:#}  {}  {}{summary}",
            c.change,
            author(c),
            c.command
        )?;
    }
    Ok(())
}

/// One change in full: what ran, then each revision (values inserted,
/// removed, or `field: old → new`), then the rows that only moved.
pub fn change_detail(
    out: &mut dyn Write,
    d: &glossary_core::history::ChangeDetail,
) -> io::Result<()> {
    let c = &d.change;
    writeln!(out, "{TITLE}change {}{TITLE:#}  {}", c.change, c.summary)?;
    writeln!(out, "{DIM}{} by {}: {}{DIM:#}", c.at, author(c), c.command)?;
    for a in &d.added {
        writeln!(out, "  + {a}")?;
    }
    for r in &d.revisions {
        let verb = match r.action.as_str() {
            "insert" => "added",
            "delete" => "removed",
            _ => "changed",
        };
        writeln!(out, "  {verb} {LABEL}{}{LABEL:#}", r.entry)?;
        for ch in &r.changes {
            // An update's field: old → new; what was added or removed: its value.
            if r.action == "update" {
                writeln!(
                    out,
                    "      {}",
                    field_change(ch.field, ch.old.as_deref(), ch.new.as_deref())
                )?;
            } else {
                let value = if ch.old.is_some() { &ch.old } else { &ch.new };
                writeln!(out, "      {}: {}", ch.field, value_shown(value.as_deref()))?;
            }
        }
    }
    for m in &d.moved {
        writeln!(out, "  {DIM}{m}{DIM:#}")?;
    }
    if d.more > 0 {
        writeln!(out, "  {DIM}… and {} more (see the summary){DIM:#}", d.more)?;
    }
    Ok(())
}

/// Who made a change: `pia`, or `pia (written by ana, ben)` for a
/// published pending version.
fn author(c: &glossary_core::history::ChangeLine) -> String {
    match &c.written_by {
        Some(w) => format!("{} (written by {w})", c.author),
        None => c.author.clone(),
    }
}
