//! `glossary check`: what the schema cannot prevent.
//!
//! The sqlite3 shell runs with foreign keys off unless told otherwise, and
//! a database may be edited with constraints dropped or by older tools. So
//! this looks for orphans, duplicate, gapped or transient positions, blank
//! text, self-comparisons, bad dates and slugs, lookup keys that no longer
//! match their term, plus SQLite's own integrity check. Each finding has a
//! stable code; errors fail the run, warnings do not. `fix` repairs what is
//! safe to repair: positions are renumbered in their current order, and
//! lookup keys recomputed where no other term has the key, search indexes
//! rebuilt from their tables.
//!
//! Its SQL stays here rather than in `store/`: it audits the schema itself
//! (rows that break rules the store's writes never break), generated per
//! table from the registry of kinds.

use rusqlite::{params, Connection};
use serde::Serialize;

use crate::error::Result;
use crate::kind::Kind;
use crate::model::{check_date, check_slug, lookup_key, quote_name, PARKED_OFFSET};
use crate::store::Positioned;

mod fix;
mod pending;
mod relations;
pub use fix::fix;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable: scripts may match on it. E… are errors, W… warnings.
    pub code: &'static str,
    pub severity: Severity,
    pub table: &'static str,
    /// The row concerned, when there is one.
    pub row: Option<i64>,
    /// The entry as a person names it.
    pub key: String,
    pub message: String,
    /// Whether `check --fix` repairs it.
    pub fixable: bool,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.table)?;
        if let Some(row) = self.row {
            write!(f, "[{row}]")?;
        }
        write!(f, " {}: {}", self.key, self.message)
    }
}

/// How a parent row is named in findings about its children.
fn parent_name(p: &Positioned) -> &'static str {
    match p.parent {
        "term_id" => "(SELECT 'term \"' || term || '\"' FROM terms WHERE id = t.term_id)",
        "sense_id" => {
            "(SELECT 'sense \"' || terms.term || '\" ' || senses.sense_number FROM senses JOIN terms ON terms.id = senses.term_id WHERE senses.id = t.sense_id)"
        }
        _ => "(SELECT 'comparison ' || slug FROM comparisons WHERE id = t.comparison_id)",
    }
}

fn error(
    code: &'static str,
    table: &'static str,
    row: Option<i64>,
    key: String,
    message: String,
) -> Finding {
    Finding {
        code,
        severity: Severity::Error,
        table,
        row,
        key,
        message,
        fixable: false,
    }
}

fn warning(
    code: &'static str,
    table: &'static str,
    row: Option<i64>,
    key: String,
    message: String,
) -> Finding {
    Finding {
        severity: Severity::Warning,
        ..error(code, table, row, key, message)
    }
}

/// Indexes and triggers that the migrations create but the database lacks,
/// with the SQL that creates them, taken from a fresh in-memory database at
/// the same schema version.
pub(super) fn missing_schema(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let reference = crate::db::open_in_memory()?;
    let mut stmt = reference.prepare(
        "SELECT type, name, sql FROM sqlite_schema
         WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY type, name",
    )?;
    let expected: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut missing = Vec::new();
    for (kind, name, sql) in expected {
        let present: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = ?1 AND name = ?2)",
            params![kind, name],
            |r| r.get(0),
        )?;
        if !present {
            missing.push((kind, name, sql));
        }
    }
    Ok(missing)
}

/// The errors that make an export wrong: rows that break the content's
/// rules (orphans, positions, blank text, comparisons, lookup keys), which
/// `import` would refuse. Not SQLite's integrity or the search indexes,
/// which an export does not read.
pub fn content(conn: &Connection) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    content_errors(conn, &mut out)?;
    Ok(out)
}

fn content_errors(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    foreign_keys(conn, out)?;
    for p in crate::kind::positioned() {
        positions(conn, &p, out)?;
    }
    blank_text(conn, out)?;
    comparisons(conn, out)?;
    relations::cycles(conn, out)?;
    lookup_keys(conn, out)
}

/// Every finding, errors first in a stable order.
pub fn run(conn: &Connection) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    integrity(conn, &mut out)?;
    for index in crate::search::check_indexes(conn)? {
        out.push(Finding {
            fixable: true,
            ..error(
                "E110",
                "database",
                None,
                format!("search index {index}"),
                "does not match its table (changed with its triggers off?): searches may miss or invent hits".into(),
            )
        });
    }
    for (kind, name, _) in missing_schema(conn)? {
        out.push(Finding {
            fixable: true,
            ..error(
                "E111",
                "database",
                None,
                format!("{kind} {name}"),
                "is missing (dropped by hand?): the rules it keeps are not kept".into(),
            )
        });
    }
    let deferred: i64 = conn.query_row("SELECT count(*) FROM fts_deferred", [], |r| r.get(0))?;
    if deferred > 0 {
        out.push(Finding {
            fixable: true,
            ..error(
                "E112",
                "fts_deferred",
                None,
                "fts_deferred".into(),
                "is not empty, so changes are not being indexed for search and do not touch their term or comparison (it must stay empty outside an import)".into(),
            )
        });
    }
    let marker: i64 = conn.query_row("SELECT count(*) FROM current_change", [], |r| r.get(0))?;
    if marker > 0 {
        out.push(Finding {
            fixable: true,
            ..error(
                "E113",
                "current_change",
                None,
                "current_change".into(),
                "is not empty, so edits made in SQL are filed under a change that is not theirs (it must stay empty outside a glossary write)".into(),
            )
        });
    }
    content_errors(conn, &mut out)?;
    warnings(conn, &mut out)?;
    out.sort_by_key(|f| f.severity == Severity::Warning);
    Ok(out)
}

fn integrity(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            out.push(error(
                "E100",
                "database",
                None,
                "integrity_check".into(),
                line,
            ));
        }
    }
    Ok(())
}

fn foreign_keys(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (table, id, parent) in rows {
        out.push(error(
            "E101",
            static_table(&table),
            id,
            orphan_name(conn, &table, id)?,
            format!("refers to a row of {parent} that does not exist (an orphan: delete it, or restore its {parent} row)"),
        ));
    }
    Ok(())
}

/// An orphan as a person knows it: what it says (a FAQ's question, the
/// start of a definition), since the parent that would name it is gone.
fn orphan_name(conn: &Connection, table: &str, id: Option<i64>) -> Result<String> {
    let kind = crate::kind::Kind::ALL
        .into_iter()
        .find(|k| k.table() == table);
    let (Some(kind), Some(id)) = (kind, id) else {
        return Ok(format!("{table} #{}", id.unwrap_or(0)));
    };
    let Some(column) = kind.spec().required_text.first() else {
        return Ok(format!("{} #{id}", kind.word()));
    };
    let text: Option<String> = conn
        .query_row(
            &format!("SELECT CAST({column} AS TEXT) FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap_or(None);
    Ok(match text {
        Some(t) => format!("{} {}", kind.word(), quote_name(&excerpt(&t, 60))),
        None => format!("{} #{id}", kind.word()),
    })
}

/// The start of `text`, at most `chars` characters, on one line.
fn excerpt(text: &str, chars: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= chars {
        one_line
    } else {
        let cut: String = one_line.chars().take(chars).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The table a position's parent column points at.
pub(super) fn parent_table(p: &Positioned) -> &'static str {
    match p.parent {
        "term_id" => "terms",
        "sense_id" => "senses",
        _ => "comparisons",
    }
}

fn static_table(table: &str) -> &'static str {
    crate::kind::tables()
        .into_iter()
        .find(|t| *t == table)
        .unwrap_or("database")
}

/// Duplicates, gaps and transient positions, per parent, in one grouped
/// pass over the (parent, position) index.
fn positions(conn: &Connection, p: &Positioned, out: &mut Vec<Finding>) -> Result<()> {
    // Orphans (whose parent is gone) are E101's: their positions are no
    // group's, and --fix leaves them for a person to delete or restore.
    let sql = format!(
        "SELECT t.{parent}, {name}, count(*), count(DISTINCT t.{col}), min(t.{col}), max(t.{col})
         FROM {table} AS t WHERE t.{parent} IN (SELECT id FROM {parents}) GROUP BY t.{parent}
         HAVING min(t.{col}) <> 1 OR max(t.{col}) <> count(*) OR count(DISTINCT t.{col}) <> count(*)",
        parent = p.parent,
        name = parent_name(p),
        col = p.column,
        table = p.table,
        parents = parent_table(p)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (parent, name, count, distinct, min, max) = row?;
        let key = name.unwrap_or_else(|| format!("{} #{parent}", p.parent));
        let what = if p.column == "sense_number" {
            "sense numbers"
        } else {
            "positions"
        };
        let (code, message) = if distinct < count {
            (
                "E102",
                format!("{what} repeat: {count} entries share {distinct} {what}"),
            )
        } else if max >= PARKED_OFFSET {
            ("E108", format!("{what} left in the transient range (from {PARKED_OFFSET}): an edit was interrupted"))
        } else {
            (
                "E103",
                format!("{what} should run 1 to {count} but run {min} to {max}"),
            )
        };
        out.push(Finding {
            fixable: true,
            ..error(code, p.table, None, key, message)
        });
    }
    Ok(())
}

/// Required text left blank: one pass over each table for all its
/// required columns (an export runs this too, so it should cost one read).
fn blank_text(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    for kind in crate::kind::Kind::ALL {
        let columns = kind.spec().required_text;
        if columns.is_empty() {
            continue;
        }
        let table = kind.table();
        let blank =
            |c: &str| format!("({c} IS NULL OR typeof({c}) <> 'text' OR length(trim({c})) = 0)");
        let tests: Vec<String> = columns.iter().map(|c| blank(c)).collect();
        let sql = format!(
            "SELECT id, {} FROM {table} WHERE {}",
            tests.join(", "),
            tests.join(" OR ")
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            for (i, column) in columns.iter().enumerate() {
                if r.get::<_, bool>(i + 1)? {
                    out.push(error(
                        "E104",
                        static_table(table),
                        Some(id),
                        format!("{table} #{id}"),
                        format!("{column} is empty"),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn comparisons(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    let mut stmt =
        conn.prepare("SELECT id, slug, left_term_id = right_term_id, published FROM comparisons")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (id, slug, same, published) = row?;
        let key = Kind::Comparison.label(&[&slug]);
        if same {
            out.push(error(
                "E105",
                "comparisons",
                Some(id),
                key.clone(),
                "compares a term with itself".into(),
            ));
        }
        if let Some(p) = published {
            if let Err(m) = check_date(&p) {
                out.push(error(
                    "E106",
                    "comparisons",
                    Some(id),
                    key.clone(),
                    format!("published: {m}"),
                ));
            }
        }
        if let Err(m) = check_slug(&slug) {
            out.push(error("E109", "comparisons", Some(id), key, m));
        }
    }
    Ok(())
}

/// Terms whose lookup key is not what glossary computes from their name:
/// renamed by hand to a non-ASCII name, or inserted with a key of their own.
fn lookup_keys(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, term, lookup_key FROM terms")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, term, key) = row?;
        let want = lookup_key(&term);
        if key.as_deref() != Some(want.as_str()) {
            out.push(Finding {
                fixable: true,
                ..error(
                    "E107",
                    "terms",
                    Some(id),
                    Kind::Term.label(&[&term]),
                    format!(
                        "lookup key is {} but should be \"{want}\", so the term is not found by its name",
                        key.map_or_else(|| "missing".to_string(), |k| format!("\"{k}\""))
                    ),
                )
            });
        }
    }
    Ok(())
}

fn warnings(conn: &Connection, out: &mut Vec<Finding>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT s.id, t.term, s.sense_number FROM senses AS s JOIN terms AS t ON t.id = s.term_id
         WHERE NOT EXISTS (SELECT 1 FROM examples AS e WHERE e.sense_id = s.id)
         ORDER BY t.term, s.sense_number",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (id, term, n) = row?;
        out.push(warning(
            "W201",
            "senses",
            Some(id),
            Kind::Sense.label(&[&term, &n.to_string()]),
            "has no example".into(),
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT id, term FROM terms AS t WHERE NOT EXISTS (SELECT 1 FROM senses AS s WHERE s.term_id = t.id) ORDER BY term",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, term) = row?;
        out.push(warning(
            "W202",
            "terms",
            Some(id),
            Kind::Term.label(&[&term]),
            "has no senses".into(),
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT id, slug FROM comparisons AS c
         WHERE NOT EXISTS (SELECT 1 FROM differences AS d WHERE d.comparison_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM comparison_rows AS r WHERE r.comparison_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM faqs AS f WHERE f.comparison_id = c.id)
         ORDER BY slug",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, slug) = row?;
        out.push(warning(
            "W203",
            "comparisons",
            Some(id),
            Kind::Comparison.label(&[&slug]),
            "has no key differences, chart or FAQs yet".into(),
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT c.id, c.slug, t.term FROM comparisons AS c
         JOIN terms AS t ON t.id IN (c.left_term_id, c.right_term_id)
         WHERE c.status = 'published' AND t.status = 'draft'
         ORDER BY c.slug, t.term",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (id, slug, term) = row?;
        out.push(warning(
            "W204",
            "comparisons",
            Some(id),
            Kind::Comparison.label(&[&slug]),
            format!(
                "is published but its term \"{term}\" is a draft, so it is not on the public site"
            ),
        ));
    }
    pending::pending(conn, out)?;
    // Five minutes late: a timer running every minute would have done it.
    for late in crate::schedule::overdue(conn, 300)? {
        out.push(warning(
            "W205",
            "schedules",
            Some(late.id),
            late.entry_kind().label(&[&late.key]),
            match &late.failure {
                Some(why) => format!(
                    "was to be {}ed at {} but could not be: {why}",
                    late.action, late.due_at
                ),
                None => format!(
                    "was to be {}ed at {} and has not been: nothing runs `glossary publish-due`",
                    late.action, late.due_at
                ),
            },
        ));
    }
    Ok(())
}
