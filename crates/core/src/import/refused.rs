//! Rows an import refused, remembered so that what follows from them is
//! said as such: an example of a sense whose row was refused is not told
//! that its term "has no sense 2 (it has senses 1-3)", but that the
//! sense's row was refused, and where; and the gap a refused FAQ leaves
//! is not a second problem, while the gaps of other articles still are.

use std::collections::HashMap;

use super::Kind;
use crate::model::lookup_key;

#[derive(Default)]
pub(crate) struct Refused {
    /// `term KEY`, `sense KEY N`, `comparison SLUG` → `FILE:LINE`.
    entries: HashMap<String, String>,
    /// (table, the parent's term key or slug) of refused child rows: how many.
    parents: HashMap<(&'static str, String), u64>,
    rows: usize,
}

impl Refused {
    /// Rows noted so far.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Notes a refused row of `kind` at `at`; false if it names no entry
    /// (a column it needs is missing), and the whole table is refused.
    /// A row whose parent does not exist (a mistyped slug: `exists` says)
    /// could have been meant for any: it names no parent, and its table
    /// is refused as a whole.
    pub(crate) fn note(
        &mut self,
        kind: Kind,
        headers: &csv::StringRecord,
        record: &csv::StringRecord,
        at: String,
        exists: impl Fn(&'static str, &str) -> bool,
    ) -> bool {
        let field = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let (entry, parent) = match kind {
            Kind::Term => (field("term").map(term), None),
            Kind::Sense => match (field("term"), field("sense")) {
                (Some(t), Some(n)) => (Some(sense(t, n)), Some(("senses", t.to_string()))),
                (Some(t), None) => (None, Some(("senses", t.to_string()))),
                _ => (None, None),
            },
            Kind::Comparison => (field("comparison").map(comparison), None),
            Kind::Example | Kind::Variant | Kind::Relation => {
                (None, field("term").map(|t| (kind.table(), t.to_string())))
            }
            Kind::Difference | Kind::Row | Kind::Faq => (
                None,
                field("comparison").map(|c| (kind.table(), c.to_string())),
            ),
        };
        let parent = match parent {
            Some((table, name)) if !exists(table, &name) => return false,
            p => p,
        };
        if entry.is_none() && parent.is_none() {
            return false;
        }
        self.rows += 1;
        if let Some(e) = entry {
            self.entries.entry(e).or_insert(at);
        }
        if let Some((table, name)) = parent {
            self.parent(table, &name);
        }
        true
    }

    /// Notes that a row of `table` under `name` (a term or a slug) was
    /// refused after it was read (left without a position).
    pub(crate) fn parent(&mut self, table: &'static str, name: &str) {
        let key = if table == "senses" {
            lookup_key(name)
        } else {
            name.to_string()
        };
        *self.parents.entry((table, key)).or_default() += 1;
    }

    /// Where the row of term `name` was refused, if it was.
    pub(crate) fn term(&self, name: &str) -> Option<&str> {
        self.entries.get(&term(name)).map(String::as_str)
    }

    /// Where the row of sense `number` of term `name` was refused, if it was.
    pub(crate) fn sense(&self, name: &str, number: i64) -> Option<&str> {
        self.entries
            .get(&sense(name, &number.to_string()))
            .map(String::as_str)
    }

    pub(crate) fn comparison(&self, slug: &str) -> Option<&str> {
        self.entries.get(&comparison(slug)).map(String::as_str)
    }

    /// How many rows of `table` under the parent named `name` (a term or a
    /// slug) were refused: as many missing positions are theirs, and any
    /// more are a gap of its own, said in the same run.
    pub(crate) fn under(&self, table: &str, name: &str) -> u64 {
        let key = if table == "senses" {
            lookup_key(name)
        } else {
            name.to_string()
        };
        self.parents
            .iter()
            .filter(|((t, n), _)| *t == table && *n == key)
            .map(|(_, count)| *count)
            .sum()
    }
}

// The refused rows, named as every command names them; keys are folded
// first, so `Producer` and `producer ` name one refused term.
fn term(name: &str) -> String {
    Kind::Term.label(&[&lookup_key(name)])
}

fn sense(name: &str, number: &str) -> String {
    Kind::Sense.label(&[&lookup_key(name), number])
}

fn comparison(slug: &str) -> String {
    Kind::Comparison.label(&[slug])
}
