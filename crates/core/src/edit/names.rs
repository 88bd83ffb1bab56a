//! Naming entries: an entry found by the keys a person types (`faq SLUG
//! 3`, `variant TERM EP`), the keys of a row, and the rows a name refers
//! to (a term, a comparison, a sense).

use super::*;

/// Finds the entry `kind` named by `keys` (as typed after the kind).
pub fn find(conn: &Connection, kind: Kind, keys: &[String]) -> Result<Entry> {
    let want = |n: usize| -> Result<()> {
        if keys.len() == n {
            Ok(())
        } else {
            Err(Error::Usage(format!(
                "{} is named by {} ({} given)",
                kind.noun(),
                kind.key_names(),
                keys.len()
            )))
        }
    };
    let number = |field: &str, s: &str| parse_position(field, s).map_err(Error::Usage);
    // Labels name the entry as stored (`sense "Executive Producer" 2` for
    // `sense 'executive producer' 2`), in the form every command accepts.
    let term_name = |id: TermId| -> Result<String> { Ok(terms::get(conn, id)?.term) };
    let slug = |id: ComparisonId| comparisons::slug(conn, id);
    match kind {
        Kind::Term => {
            want(1)?;
            let id = term_id(conn, &keys[0])?;
            Ok(Entry {
                kind,
                id: id.0,
                parent: 0,
                label: kind.label(&[&term_name(id)?]),
            })
        }
        Kind::Comparison => {
            want(1)?;
            let id = comparison_id(conn, &keys[0])?;
            Ok(Entry {
                kind,
                id: id.0,
                parent: 0,
                label: kind.label(&[&slug(id)?]),
            })
        }
        Kind::Sense => {
            want(2)?;
            let term = term_id(conn, &keys[0])?;
            let n = number("sense", &keys[1])?;
            let sense = sense_id(conn, term, n)?;
            Ok(Entry {
                kind,
                id: sense.0,
                parent: term.0,
                label: kind.label(&[&term_name(term)?, &n.to_string()]),
            })
        }
        Kind::Example => {
            want(3)?;
            let term = term_id(conn, &keys[0])?;
            let n = number("sense", &keys[1])?;
            let sense = sense_id(conn, term, n)?;
            let pos = number("position", &keys[2])?;
            let label = kind.label(&[&term_name(term)?, &n.to_string(), &pos.to_string()]);
            child(conn, kind, sense.0, pos, label)
        }
        Kind::Relation => {
            want(2)?;
            let term = term_id(conn, &keys[0])?;
            let pos = number("position", &keys[1])?;
            let label = kind.label(&[&term_name(term)?, &pos.to_string()]);
            child(conn, kind, term.0, pos, label)
        }
        Kind::Difference | Kind::Faq => {
            want(2)?;
            let c = comparison_id(conn, &keys[0])?;
            let pos = number("position", &keys[1])?;
            let label = kind.label(&[&slug(c)?, &pos.to_string()]);
            child(conn, kind, c.0, pos, label)
        }
        Kind::Variant => {
            want(2)?;
            let term = term_id(conn, &keys[0])?;
            // By the variant (folded as terms are), else by position.
            let variants = crate::store::variants::for_term(conn, term)?;
            let wanted = keys[1].trim();
            let key = lookup_key(wanted);
            let found = variants
                .iter()
                .find(|v| lookup_key(&v.variant) == key)
                .or_else(|| {
                    let n: i64 = wanted.parse().ok()?;
                    variants.iter().find(|v| v.position == n)
                });
            match found {
                Some(v) => Ok(Entry {
                    kind,
                    id: v.id,
                    parent: term.0,
                    label: kind.label(&[&term_name(term)?, &v.variant]),
                }),
                None => {
                    let names: Vec<String> = variants.into_iter().map(|v| v.variant).collect();
                    Err(Error::NotFound {
                        kind: "variant",
                        name: keys[1].clone(),
                        suggestions: suggest::closest(&keys[1], &names, 3),
                    })
                }
            }
        }
        Kind::Row => {
            want(2)?;
            let c = comparison_id(conn, &keys[0])?;
            // By aspect as stored, else ignoring case and accents (like
            // terms), else by position: search shows both.
            let rows = crate::store::chart_rows::for_comparison(conn, c)?;
            let wanted = keys[1].trim();
            let found = rows
                .iter()
                .find(|r| r.aspect == wanted)
                .or_else(|| {
                    let key = lookup_key(wanted);
                    rows.iter().find(|r| lookup_key(&r.aspect) == key)
                })
                .or_else(|| {
                    let n: i64 = wanted.parse().ok()?;
                    rows.iter().find(|r| r.position == n)
                });
            match found {
                Some(r) => Ok(Entry {
                    kind,
                    id: r.id,
                    parent: c.0,
                    label: kind.label(&[&slug(c)?, &r.aspect]),
                }),
                None => {
                    let aspects: Vec<String> = rows.into_iter().map(|r| r.aspect).collect();
                    Err(Error::NotFound {
                        kind: "chart row",
                        name: keys[1].clone(),
                        suggestions: suggest::closest(&keys[1], &aspects, 3),
                    })
                }
            }
        }
    }
}

/// The keys that name the row `id` of `kind` (`[term, sense number]`,
/// `[slug, aspect]`, ...), as [`find`] takes them; the first is the term or
/// comparison whose page shows it.
pub fn keys_of(conn: &Connection, kind: Kind, id: i64) -> Result<Vec<String>> {
    let sql = match kind {
        Kind::Term => "SELECT term FROM terms WHERE id = ?1",
        Kind::Comparison => "SELECT slug FROM comparisons WHERE id = ?1",
        Kind::Sense => {
            "SELECT t.term, s.sense_number FROM senses AS s
             JOIN terms AS t ON t.id = s.term_id WHERE s.id = ?1"
        }
        Kind::Example => {
            "SELECT t.term, s.sense_number, e.position FROM examples AS e
             JOIN senses AS s ON s.id = e.sense_id JOIN terms AS t ON t.id = s.term_id
             WHERE e.id = ?1"
        }
        Kind::Variant => {
            "SELECT t.term, v.variant FROM variants AS v
             JOIN terms AS t ON t.id = v.term_id WHERE v.id = ?1"
        }
        Kind::Relation => {
            "SELECT t.term, r.position FROM relations AS r
             JOIN terms AS t ON t.id = r.term_id WHERE r.id = ?1"
        }
        Kind::Difference => {
            "SELECT c.slug, d.position FROM differences AS d
             JOIN comparisons AS c ON c.id = d.comparison_id WHERE d.id = ?1"
        }
        Kind::Row => {
            "SELECT c.slug, x.aspect FROM comparison_rows AS x
             JOIN comparisons AS c ON c.id = x.comparison_id WHERE x.id = ?1"
        }
        Kind::Faq => {
            "SELECT c.slug, f.position FROM faqs AS f
             JOIN comparisons AS c ON c.id = f.comparison_id WHERE f.id = ?1"
        }
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let width = stmt.column_count();
    let keys = stmt
        .query_row([id], |r| {
            (0..width)
                .map(|i| {
                    Ok(match r.get::<_, Value>(i)? {
                        Value::Integer(n) => n.to_string(),
                        Value::Text(t) => t,
                        other => format!("{other:?}"),
                    })
                })
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .optional()?;
    keys.ok_or_else(|| Error::Gone {
        what: kind.noun(),
        id,
    })
}

/// The entry that is row `id` of `kind`. The web editor's forms name rows
/// by id: a reorder made meanwhile cannot point a form at another row.
pub fn by_id(conn: &Connection, kind: Kind, id: i64) -> Result<Entry> {
    find(conn, kind, &keys_of(conn, kind, id)?)
}

fn child(
    conn: &Connection,
    kind: Kind,
    parent: i64,
    position: i64,
    label: String,
) -> Result<Entry> {
    let table = kind.positioned().expect("a positioned kind");
    match table.holder(conn, parent, position)? {
        Some((id, _)) => Ok(Entry {
            kind,
            id,
            parent,
            label,
        }),
        None => Err(Error::NoSuchPosition {
            entry: label,
            word: kind.word(),
            position,
            count: table.count(conn, parent)?,
        }),
    }
}

/// Text that must not be blank, as one rule for commands and import rows.
pub fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::Empty {
            field: field.to_string(),
        })
    } else {
        Ok(())
    }
}

/// The id of the term `name` folds to, or NotFound with suggestions.
pub fn term_id(conn: &Connection, name: &str) -> Result<TermId> {
    terms::find_id(conn, name)?.ok_or_else(|| terms::not_found(conn, name))
}

/// The id of comparison `slug` (or of a title typed instead of a slug).
pub fn comparison_id(conn: &Connection, slug: &str) -> Result<ComparisonId> {
    let wanted = slug.trim();
    if let Some(id) = comparisons::find_id(conn, wanted)? {
        return Ok(id);
    }
    if let Some(id) = comparisons::find_id(conn, &slugify(wanted))? {
        return Ok(id);
    }
    Err(comparisons::not_found(conn, wanted))
}

pub(super) fn sense_id(conn: &Connection, term: TermId, number: i64) -> Result<SenseId> {
    match senses::find(conn, term, number)? {
        Some(s) => Ok(s.id),
        None => Err(senses::no_such(conn, term, number)?),
    }
}
