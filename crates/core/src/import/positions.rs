//! Position bookkeeping: rows moved aside when a line takes their place
//! (a reorder), and the check that what an import placed runs 1, 2, 3...

use super::*;

/// The set of row ids one import has written or confirmed, per table: a
/// second line with the same natural key is then an error instead of a
/// silent overwrite. One bit per row id, in 4096-id pages allocated on use,
/// so it stays small however large the input (100 M rows: 12 MB).
#[derive(Default)]
pub(super) struct IdSet {
    pub(super) pages: HashMap<i64, Box<[u64; 64]>>,
}

impl IdSet {
    /// Adds `id`; false if it was there already.
    pub(super) fn insert(&mut self, id: i64) -> bool {
        let page = self
            .pages
            .entry(id.div_euclid(4096))
            .or_insert_with(|| Box::new([0; 64]));
        let bit = id.rem_euclid(4096) as usize;
        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
        let fresh = page[word] & mask == 0;
        page[word] |= mask;
        fresh
    }

    /// The ids in the set, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        self.pages.iter().flat_map(|(page, words)| {
            words.iter().enumerate().flat_map(move |(w, bits)| {
                (0..64)
                    .filter(move |b| bits & (1u64 << b) != 0)
                    .map(move |b| page * 4096 + (w as i64) * 64 + b)
            })
        })
    }

    pub(super) fn contains(&self, id: i64) -> bool {
        let bit = id.rem_euclid(4096) as usize;
        self.pages
            .get(&id.div_euclid(4096))
            .is_some_and(|p| p[bit / 64] & (1u64 << (bit % 64)) != 0)
    }
}

/// The parents (articles, terms) under which an import set positions, for
/// one table, and the file that set them: one bit per parent, so memory
/// stays small however many there are.
pub(super) struct Placed {
    pub(super) parents: IdSet,
    pub(super) file: String,
    pub(super) path: PathBuf,
    /// The column of that file naming the parent.
    pub(super) column: &'static str,
}

/// A row moved aside by a later line that took its position.
pub(super) struct Parked {
    pub(super) table: store::Positioned,
    pub(super) file: String,
    pub(super) line: u64,
    pub(super) id: i64,
}

impl Run<'_> {
    /// Runs an upsert that may collide with another row at the same
    /// position. A row this import has not written yet is moved aside (its
    /// own line may give it a new position later: a reorder); a row it has
    /// written means two lines claim one position, which is an error.
    pub(super) fn with_position(
        &mut self,
        table: store::Positioned,
        comparison: ComparisonId,
        position: i64,
        own_id: Option<i64>,
        upsert: impl Fn(&Connection) -> rusqlite::Result<Option<i64>>,
    ) -> std::result::Result<i64, Fail> {
        for _ in 0..2 {
            match upsert(self.conn) {
                Ok(Some(id)) => return Ok(id),
                Ok(None) => {
                    return Err(Fail::Fatal(Error::Invalid(format!(
                        "internal error: an upsert into {} changed nothing",
                        table.table
                    ))))
                }
                Err(e) if is_position_conflict(&e) => {
                    let Some((holder, label)) = table.holder(self.conn, comparison.0, position)?
                    else {
                        return Err(Fail::from(e));
                    };
                    if Some(holder) == own_id {
                        return Err(Fail::from(e));
                    }
                    if self
                        .seen
                        .get(table.table)
                        .is_some_and(|s| s.contains(holder))
                    {
                        return Err(Fail::Row(format!(
                            "position {position} is already taken by {} \"{label}\" on an earlier line",
                            table.label
                        )));
                    }
                    table.park(self.conn, holder)?;
                    self.parked.push(Parked {
                        table,
                        file: self.at_file.clone(),
                        line: self.at_line,
                        id: holder,
                    });
                }
                Err(e) => return Err(Fail::from(e)),
            }
        }
        Err(Fail::Fatal(Error::Invalid(format!(
            "internal error: position {position} of {} stayed taken",
            table.table
        ))))
    }

    /// Notes that this import inserted or moved a row under `parent`.
    pub(super) fn placed(&mut self, table: store::Positioned, parent: i64, outcome: &Outcome) {
        if *outcome == Outcome::Unchanged {
            return;
        }
        let (file, path) = (&self.at_file, &self.at_path);
        self.placed
            .entry(table.table)
            .or_insert_with(|| Placed {
                parents: IdSet::default(),
                file: file.clone(),
                path: path.clone(),
                column: if table.parent == "term_id" {
                    "term"
                } else {
                    "comparison"
                },
            })
            .parents
            .insert(parent);
    }

    /// Positions this import set that leave a gap (1, 2, 4): rendered
    /// articles would skip a number and editors' positions would be off.
    /// The line reported is found by reading the file again, which only
    /// happens when there is a gap.
    pub(super) fn check_gaps(&mut self) -> Result<()> {
        let placed = std::mem::take(&mut self.placed);
        let mut found: Vec<(String, u64, String)> = Vec::new();
        for (table, placed) in placed {
            if self.refused.contains(&table) {
                continue;
            }
            let p = [store::SENSES, store::DIFFERENCES, store::ROWS, store::FAQS]
                .into_iter()
                .find(|p| p.table == table)
                .expect("a positioned table");
            for parent in placed.parents.iter() {
                let (count, max) = p.count_and_max(self.conn, parent)?;
                if max == count {
                    continue;
                }
                let (what, of, name) = if p.column == "sense_number" {
                    let term = terms::get(self.conn, TermId(parent))?.term;
                    ("sense numbers", format!("term \"{term}\""), term)
                } else {
                    let slug = comparisons::slug(self.conn, ComparisonId(parent))?;
                    ("positions", format!("\"{slug}\""), slug)
                };
                if max >= PARKED_OFFSET
                    || (max - count) as u64 <= self.refused_rows.under(table, &name)
                {
                    // The rows refused under it (or one left parked) left
                    // these: their problems are said already.
                    continue;
                }
                let position_column = if p.column == "sense_number" {
                    "sense"
                } else {
                    "position"
                };
                let line = first_line(
                    &placed.path,
                    (placed.column, &name),
                    (position_column, count),
                );
                found.push((
                    placed.file.clone(),
                    line,
                    format!(
                        "the {what} of {of} run up to {max} but there are {count} {}: they must run 1, 2, 3... without gaps",
                        p.table.replace('_', " ")
                    ),
                ));
                if found.len() >= MAX_PROBLEMS {
                    break;
                }
            }
        }
        found.sort();
        for (file, line, message) in found {
            self.problem(&file, line, message);
        }
        Ok(())
    }

    /// Rows moved aside whose own line never came: their position was
    /// taken by a line of the file and they have none to go to.
    pub(super) fn check_parked(&mut self) -> Result<()> {
        let parked = std::mem::take(&mut self.parked);
        for p in parked {
            if self.refused.contains(&p.table.table) {
                continue;
            }
            if let Some((slug, position, label)) = p.table.still_parked(self.conn, p.id)? {
                // The row left in the transient range is this problem, not
                // also a gap in its article's positions (others' still are).
                self.refused_rows.parent(p.table.table, &slug);
                self.problem(
                    &p.file,
                    p.line,
                    format!(
                        "position {position} of \"{slug}\" belongs to {} \"{label}\", which this import does not move elsewhere; give it a new position in the file, or remove it first",
                        p.table.label
                    ),
                );
            }
        }
        Ok(())
    }
}

/// The position a row had before the import moved it aside.
pub(super) fn unparked(position: i64) -> i64 {
    if position > PARKED_OFFSET {
        position - PARKED_OFFSET
    } else {
        position
    }
}

pub(super) fn is_position_conflict(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) => {
            f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE && msg.ends_with(".position")
        }
        _ => false,
    }
}
