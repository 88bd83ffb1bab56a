//! A pending version from what an entry looks like with it: the rows and
//! fields that differ from the live entry, each field with the live value
//! it started from.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::apply::Applied;
use super::edits::{Edits, FieldEdit, RowEdit};
use super::tree::Node;
use crate::kind::Kind;

/// A field someone set explicitly, having seen the live value: its
/// starting point becomes the live value (a conflict on it is resolved).
pub type Rebased = (Kind, i64, String);

/// The edits that turn `live` into `state` (the entry as it will be,
/// after `applied` and the person's own change), keeping from `old` who
/// wrote what and where each field started; `by` is who changes it now.
pub(super) fn derive(
    live: &[Node],
    state: &[Node],
    old: &Edits,
    applied: &Applied,
    by: &str,
    rebased: &[Rebased],
) -> Edits {
    let live_map: HashMap<(Kind, i64), &Node> = live.iter().map(|n| ((n.kind, n.id), n)).collect();
    let in_state: HashSet<(Kind, i64)> = state.iter().map(|n| (n.kind, n.id)).collect();
    let mut next_key = old
        .lowest_key()
        .min(applied.keys.keys().copied().min().unwrap_or(0))
        - 1;
    // Rows added in this step get keys of their own.
    let mut fresh: HashMap<(Kind, i64), i64> = HashMap::new();
    let mut out = Vec::new();
    let keep_by = |prev: Option<&RowEdit>, same: bool| -> String {
        match prev {
            Some(p) if same && !p.by.is_empty() => p.by.clone(),
            _ => by.to_string(),
        }
    };

    // Moves among live rows: only where the live rows' order changed (a
    // removal or an addition shifts the others without moving them).
    let mut reordered: HashSet<(Kind, i64)> = HashSet::new();
    let mut lists: BTreeMap<(Kind, i64), Vec<(i64, i64)>> = BTreeMap::new();
    for s in state.iter().filter(|s| s.position.is_some()) {
        if let Some(l) = live_map.get(&(s.kind, s.id)) {
            lists
                .entry((s.kind, s.parent))
                .or_default()
                .push((l.position.unwrap_or(0), s.position.unwrap_or(0)));
        }
    }
    for (list, mut pairs) in lists {
        pairs.sort();
        if pairs.windows(2).any(|w| w[0].1 > w[1].1) {
            reordered.insert(list);
        }
    }

    for s in state {
        let parent_kind = s.kind.spec().parent;
        if let Some(l) = live_map.get(&(s.kind, s.id)) {
            let prev = old.get(s.kind, s.id);
            let mut set = BTreeMap::new();
            for (field, value) in &s.values {
                let now = l.values.get(field).cloned().unwrap_or_default();
                if *value == now {
                    continue;
                }
                let was = prev.and_then(|p| p.set.get(field));
                let rebase = rebased
                    .iter()
                    .any(|(k, id, f)| *k == s.kind && *id == s.id && f == field);
                let base = match was {
                    Some(w) if !rebase => w.base.clone(),
                    _ => now.clone(),
                };
                let field_by = match was {
                    Some(w) if w.value == *value && !w.by.is_empty() => w.by.clone(),
                    _ => by.to_string(),
                };
                set.insert(
                    field.clone(),
                    FieldEdit {
                        base,
                        value: value.clone(),
                        by: field_by,
                    },
                );
            }
            let moved = parent_kind.is_some()
                && reordered.contains(&(s.kind, s.parent))
                && s.position != l.position;
            let position = if moved { s.position } else { None };
            if set.is_empty() && position.is_none() {
                continue;
            }
            let same = prev.is_some_and(|p| p.set == set && p.position == position);
            out.push(RowEdit {
                kind: s.kind,
                id: s.id,
                label: s.label.clone(),
                by: keep_by(prev, same),
                parent: None,
                add: None,
                set,
                remove: false,
                position,
            });
        } else {
            let key = match applied.key_of(s.kind, s.id) {
                Some(k) => k,
                None => {
                    let k = next_key;
                    next_key -= 1;
                    fresh.insert((s.kind, s.id), k);
                    k
                }
            };
            let parent = parent_kind.map(|pk| {
                if live_map.contains_key(&(pk, s.parent)) {
                    s.parent
                } else if let Some(k) = applied.key_of(pk, s.parent) {
                    k
                } else {
                    fresh.get(&(pk, s.parent)).copied().unwrap_or(s.parent)
                }
            });
            let prev = old.get(s.kind, key);
            let add = Some(s.values.clone());
            let same = prev.is_some_and(|p| p.add == add && p.position == s.position);
            out.push(RowEdit {
                kind: s.kind,
                id: key,
                label: s.label.clone(),
                by: keep_by(prev, same),
                parent,
                add,
                set: BTreeMap::new(),
                remove: false,
                position: s.position,
            });
        }
    }

    for l in live {
        if in_state.contains(&(l.kind, l.id)) {
            continue;
        }
        // An example that went with its sense is not removed on its own.
        let parent_gone =
            l.kind.spec().parent.is_some_and(|pk| {
                pk.spec().parent.is_some() && !in_state.contains(&(pk, l.parent))
            });
        if parent_gone {
            continue;
        }
        let prev = old.get(l.kind, l.id);
        out.push(RowEdit {
            kind: l.kind,
            id: l.id,
            label: l.label.clone(),
            by: keep_by(prev, prev.is_some_and(|p| p.remove)),
            parent: None,
            add: None,
            set: BTreeMap::new(),
            remove: true,
            position: None,
        });
    }
    out.extend(applied.unapplied.iter().cloned());
    Edits(out)
}
