//! The appliers of the files that connect terms: `variants.csv` (a
//! variant found by its key, unique across terms and variants) and
//! `relations.csv` (a relation found by its two ends, whichever way round
//! it was stored).

use super::*;

#[derive(Deserialize)]
pub(super) struct VariantRecord {
    pub(super) term: String,
    pub(super) variant: String,
    #[serde(rename = "type")]
    pub(super) kind: String,
}

#[derive(Deserialize)]
pub(super) struct RelationRecord {
    pub(super) term: String,
    pub(super) sense: Option<String>,
    pub(super) relation: String,
    pub(super) target: String,
    pub(super) target_sense: Option<String>,
}

impl Run<'_> {
    /// A variant is found by its key, which no other term or variant may
    /// hold; a new one goes after the term's last, as examples do.
    pub(super) fn variant(&mut self, r: VariantRecord) -> RowResult {
        required("term", &r.term)?;
        required("variant", &r.variant)?;
        let kind = variants::parse_type(&r.kind).map_err(Error::bad("type"))?;
        let name = clean_term(&r.variant);
        let term = self.resolve_term(&r.term)?;
        let entry = format!("{}: variant \"{name}\"", clean_term(&r.term));
        // Looked up even in a first import: a key given twice, for one term
        // or two, gets its message here rather than the schema's.
        let key = crate::model::lookup_key(name);
        let old = variants::find_key(self.conn, &key)?;
        let outcome = match &old {
            Some(v) if v.term_id != term => {
                return Err(Fail::Row(format!(
                    "\"{name}\" is a variant of \"{}\" already (a name leads to one term)",
                    terms::get(self.conn, v.term_id)?.term
                )))
            }
            Some(v) => {
                let mut d = Diff::default();
                d.field("variant", Some(v.variant.as_str()), Some(name));
                d.field("type", Some(v.kind.as_str()), Some(kind));
                d.outcome()
            }
            None => Outcome::Inserted,
        };
        let id = match (&old, &outcome) {
            (Some(v), Outcome::Unchanged) => v.id,
            (Some(v), _) => {
                variants::set(self.conn, v.id, name, &key, kind)?;
                v.id
            }
            // A term's name: the schema refuses it (V19); looked up only
            // then, for the message.
            (None, _) => match self
                .take_position(store::VARIANTS, term.0)
                .and_then(|position| {
                    variants::insert_keyed(self.conn, term, position, name, &key, kind)
                }) {
                Err(e) if crate::error::is_constraint(&e) => {
                    return Err(match terms::find(self.conn, name)? {
                        Some(t) => Fail::Row(format!(
                            "\"{name}\" is the term \"{}\" (a variant cannot have a term's name)",
                            t.term
                        )),
                        None => Fail::Fatal(e),
                    })
                }
                other => other?,
            },
        };
        self.first_time("variants", id, &format!("variant \"{name}\""))?;
        Ok((entry, outcome))
    }

    /// A relation is found by its two ends, whichever way round it was
    /// stored; a new one goes at the end of its term's list.
    pub(super) fn relation(&mut self, r: RelationRecord) -> RowResult {
        use store::relations::{self, End};
        required("term", &r.term)?;
        required("relation", &r.relation)?;
        required("target", &r.target)?;
        let relation = relations::parse(&r.relation).map_err(Error::bad("relation"))?;
        let number = |field: &str, cell: Option<String>| {
            blank_to_none(cell)
                .map(|c| parse_position(field, &c).map_err(Fail::Row))
                .transpose()
        };
        let sense = number("sense", r.sense)?;
        let target_sense = number("target_sense", r.target_sense)?;
        let mut end = |term: &str, sense: Option<i64>| -> std::result::Result<End, Fail> {
            Ok(match sense {
                Some(n) => End {
                    term: self.resolve_term(term)?,
                    sense: Some(self.resolve_sense(term, n)?),
                },
                None => End {
                    term: self.resolve_term(term)?,
                    sense: None,
                },
            })
        };
        let from = end(&r.term, sense)?;
        let to = end(&r.target, target_sense)?;
        let name = |term: &str, sense: Option<i64>| match sense {
            Some(n) => format!("{} {n}", clean_term(term)),
            None => clean_term(term).to_string(),
        };
        let entry = format!(
            "{} {relation} {}",
            name(&r.term, sense),
            name(&r.target, target_sense)
        );
        if from == to {
            return Err(Fail::Row(format!(
                "{} cannot be related to itself",
                name(&r.term, sense)
            )));
        }
        let old = relations::between(self.conn, from, to)?;
        let (id, outcome) = match &old {
            Some(old) => {
                // As stored: from the other end, the inverse.
                let stored = if old.from == from {
                    relation
                } else {
                    relations::inverse(relation)
                };
                let mut d = Diff::default();
                d.field("relation", Some(old.relation.as_str()), Some(stored));
                let outcome = d.outcome();
                if outcome != Outcome::Unchanged {
                    relations::set_relation(self.conn, old.id, stored)?;
                }
                (old.id, outcome)
            }
            None => {
                let position = self.take_position(store::RELATIONS, from.term.0)?;
                let id = relations::insert(self.conn, position, from, relation, to)?;
                (id, Outcome::Inserted)
            }
        };
        // The relation as it now stands, for the cycle check: not read back.
        let stored = match &old {
            Some(o) => relations::Relation {
                relation: if o.from == from {
                    relation
                } else {
                    relations::inverse(relation)
                }
                .to_string(),
                ..o.clone()
            },
            None => relations::Relation {
                id,
                position: 0,
                from,
                relation: relation.to_string(),
                to,
            },
        };
        crate::edit::refuse_cycle_of(self.conn, &stored)?;
        self.first_time("relations", id, &format!("relation {entry}"))?;
        Ok((entry, outcome))
    }
}
