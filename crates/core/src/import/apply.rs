//! The row appliers: one CSV record of each kind checked, looked up by
//! its natural key, and inserted or updated (or left alone).

use super::*;

/// A record read by serde, every column as text (blank optional fields as
/// None) so that bad numbers and dates get our messages, not serde's.
#[derive(Deserialize)]
pub(super) struct TermRecord {
    pub(super) term: String,
    pub(super) part_of_speech: Option<String>,
    pub(super) note: Option<String>,
    pub(super) status: Option<String>,
    pub(super) autolink: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct SenseRecord {
    pub(super) term: String,
    pub(super) sense: String,
    pub(super) domain: Option<String>,
    pub(super) definition: String,
}

#[derive(Deserialize)]
pub(super) struct ExampleRecord {
    pub(super) term: String,
    pub(super) sense: String,
    pub(super) example: String,
}

#[derive(Deserialize)]
pub(super) struct ComparisonRecord {
    pub(super) comparison: String,
    pub(super) left: String,
    pub(super) right: String,
    pub(super) title: Option<String>,
    pub(super) summary: Option<String>,
    pub(super) published: Option<String>,
    pub(super) status: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct DifferenceRecord {
    pub(super) comparison: String,
    pub(super) position: String,
    pub(super) text: String,
}

#[derive(Deserialize)]
pub(super) struct ChartRowRecord {
    pub(super) comparison: String,
    pub(super) position: String,
    pub(super) aspect: String,
    pub(super) left: String,
    pub(super) right: String,
}

#[derive(Deserialize)]
pub(super) struct FaqRecord {
    pub(super) comparison: String,
    pub(super) position: String,
    pub(super) question: String,
    pub(super) answer: String,
}

/// A chart row or FAQ record, as [`Run::article_child`] applies it.
pub(super) struct Keyed<'r> {
    comparison: &'r str,
    position: &'r str,
    /// How the row is named in reports: `row "Aspect"`, `FAQ "Question?"`.
    label: String,
    /// The values compared with the stored ones, by field name.
    values: &'r [(&'static str, &'r str)],
}

/// Which optional columns a file has: an absent column leaves stored values
/// alone, while a present but empty cell clears them.
pub(super) struct Present(pub(super) Vec<&'static str>);

impl Present {
    pub(super) fn has(&self, column: &str) -> bool {
        self.0.contains(&column)
    }

    /// The value to store: the cell if the column is there, else the old one.
    pub(super) fn pick(
        &self,
        column: &str,
        cell: Option<String>,
        old: Option<&String>,
    ) -> Option<String> {
        if self.has(column) {
            cell
        } else {
            old.cloned()
        }
    }
}

/// The status to store: the cell's if the column is there and filled, else
/// the stored one, else a draft.
pub(super) fn parse_status(
    present: &Present,
    cell: Option<String>,
    old: Option<Status>,
) -> std::result::Result<Status, Fail> {
    match blank_to_none(cell) {
        Some(s) if present.has("status") => {
            Status::parse(&s).map_err(|m| Error::bad("status")(m).into())
        }
        _ => Ok(old.unwrap_or_default()),
    }
}

/// A blank optional cell means "no value".
pub(super) fn blank_to_none(cell: Option<String>) -> Option<String> {
    cell.filter(|s| !s.trim().is_empty())
}

pub(super) fn required(field: &str, value: &str) -> std::result::Result<(), Fail> {
    crate::edit::required(field, value).map_err(Fail::from)
}

impl Run<'_> {
    pub(super) fn term(&mut self, present: &Present, r: TermRecord) -> RowResult {
        required("term", &r.term)?;
        let name = clean_term(&r.term);
        let old = self.unless_new("terms", || terms::find(self.conn, name))?;
        let status = parse_status(present, r.status, old.as_ref().map(|t| t.status))?;
        // Empty: yes (the default); absent: as it was.
        let autolink = if present.has("autolink") {
            match blank_to_none(r.autolink) {
                None => true,
                Some(typed) => crate::kind::parse_yes_no(&typed).ok_or_else(|| {
                    Error::bad("autolink")(format!("\"{}\" is neither yes nor no", typed.trim()))
                })?,
            }
        } else {
            old.as_ref().is_none_or(|t| t.autolink)
        };
        let new = terms::Term {
            id: old.as_ref().map_or(TermId(0), |t| t.id),
            term: name.to_string(),
            part_of_speech: present.pick(
                "part_of_speech",
                blank_to_none(r.part_of_speech),
                old.as_ref().and_then(|t| t.part_of_speech.as_ref()),
            ),
            note: present.pick(
                "note",
                blank_to_none(r.note),
                old.as_ref().and_then(|t| t.note.as_ref()),
            ),
            status,
            autolink,
        };
        let outcome = match &old {
            None => Outcome::Inserted,
            Some(t) => {
                let mut d = Diff::default();
                d.field("term", Some(&t.term), Some(&new.term));
                d.field(
                    "part_of_speech",
                    t.part_of_speech.as_ref(),
                    new.part_of_speech.as_ref(),
                );
                d.field("note", t.note.as_ref(), new.note.as_ref());
                d.field("status", Some(t.status), Some(new.status));
                d.field("autolink", Some(t.autolink), Some(new.autolink));
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some(t), Outcome::Unchanged) => t.id,
            _ => terms::upsert(self.conn, &new)?,
        };
        self.first_time("terms", id.0, &format!("term \"{name}\""))?;
        self.last_term = Some((name.to_string(), id));
        Ok((name.to_string(), outcome))
    }

    pub(super) fn resolve_term(&mut self, name: &str) -> std::result::Result<TermId, Fail> {
        let name = clean_term(name);
        if let Some((last, id)) = &self.last_term {
            if last == name {
                return Ok(*id);
            }
        }
        match terms::find_id(self.conn, name)? {
            Some(id) => {
                self.last_term = Some((name.to_string(), id));
                Ok(id)
            }
            None => match self.refused_rows.term(name) {
                Some(at) => Err(Fail::Row(format!(
                    "term \"{name}\" was refused at {at}, so this row cannot be applied either"
                ))),
                None => Err(terms::not_found(self.conn, name).into()),
            },
        }
    }

    pub(super) fn resolve_sense(
        &mut self,
        term: &str,
        number: i64,
    ) -> std::result::Result<SenseId, Fail> {
        let term_id = self.resolve_term(term)?;
        if let Some((t, n, id)) = self.last_sense {
            if t == term_id && n == number {
                return Ok(id);
            }
        }
        match senses::find(self.conn, term_id, number)? {
            Some(s) => {
                self.last_sense = Some((term_id, number, s.id));
                Ok(s.id)
            }
            None => match self.refused_rows.sense(term, number) {
                Some(at) => Err(Fail::Row(format!(
                    "sense {number} of \"{}\" was refused at {at}, so this row cannot be applied either",
                    clean_term(term)
                ))),
                None => Err(senses::no_such(self.conn, term_id, number)?.into()),
            },
        }
    }

    pub(super) fn resolve_comparison(
        &mut self,
        slug: &str,
    ) -> std::result::Result<ComparisonId, Fail> {
        let slug = slug.trim();
        if let Some((last, id)) = &self.last_comparison {
            if last == slug {
                return Ok(*id);
            }
        }
        match comparisons::find_id(self.conn, slug)? {
            Some(id) => {
                self.last_comparison = Some((slug.to_string(), id));
                Ok(id)
            }
            None => match self.refused_rows.comparison(slug) {
                Some(at) => Err(Fail::Row(format!(
                    "comparison \"{slug}\" was refused at {at}, so this row cannot be applied either"
                ))),
                None => Err(comparisons::not_found(self.conn, slug).into()),
            },
        }
    }

    pub(super) fn sense(&mut self, present: &Present, r: SenseRecord) -> RowResult {
        required("term", &r.term)?;
        required("definition", &r.definition)?;
        let number = parse_position("sense", &r.sense).map_err(Fail::Row)?;
        let term_id = self.resolve_term(&r.term)?;
        let old = self.unless_new("senses", || senses::find(self.conn, term_id, number))?;
        let domain = present.pick(
            "domain",
            blank_to_none(r.domain),
            old.as_ref().and_then(|s| s.domain.as_ref()),
        );
        let outcome = match &old {
            None => Outcome::Inserted,
            Some(s) => {
                let mut d = Diff::default();
                d.field("domain", s.domain.as_deref(), domain.as_deref());
                d.field(
                    "definition",
                    Some(s.definition.as_str()),
                    Some(&r.definition),
                );
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some(s), Outcome::Unchanged) => s.id,
            _ => senses::upsert(self.conn, term_id, number, domain.as_deref(), &r.definition)?,
        };
        let entry = format!("{}, sense {number}", clean_term(&r.term));
        self.first_time("senses", id.0, &entry)?;
        self.placed(store::SENSES, term_id.0, &outcome);
        self.last_sense = Some((term_id, number, id));
        Ok((entry, outcome))
    }

    pub(super) fn example(&mut self, r: ExampleRecord) -> RowResult {
        required("term", &r.term)?;
        required("example", &r.example)?;
        let number = parse_position("sense", &r.sense).map_err(Fail::Row)?;
        let sense = self.resolve_sense(&r.term, number)?;
        let old = self.unless_new("examples", || {
            examples::find_id(self.conn, sense, &r.example)
        })?;
        let (id, outcome) = match old {
            Some(id) => (id, Outcome::Unchanged),
            None => (
                examples::append(self.conn, sense, &r.example)?,
                Outcome::Inserted,
            ),
        };
        let entry = format!("{}, sense {number}: \"{}\"", clean_term(&r.term), r.example);
        self.first_time("examples", id, &format!("example {entry}"))?;
        Ok((entry, outcome))
    }

    pub(super) fn comparison(&mut self, present: &Present, r: ComparisonRecord) -> RowResult {
        let slug = r.comparison.trim();
        required("comparison", slug)?;
        check_slug(slug).map_err(Error::bad("comparison"))?;
        required("left", &r.left)?;
        required("right", &r.right)?;
        let left = self.resolve_term(&r.left)?;
        let right = self.resolve_term(&r.right)?;
        if left == right {
            return Err(Error::SameTerms {
                term: terms::get(self.conn, left)?.term,
            }
            .into());
        }
        let published = blank_to_none(r.published).map(|p| p.trim().to_string());
        if let Some(p) = &published {
            check_date(p).map_err(Error::bad("published"))?;
        }
        let old = self.unless_new("comparisons", || comparisons::find(self.conn, slug))?;
        let status = parse_status(present, r.status, old.as_ref().map(|c| c.status))?;
        let new = comparisons::Comparison {
            id: old.as_ref().map_or(ComparisonId(0), |c| c.id),
            slug: slug.to_string(),
            left_term_id: left,
            right_term_id: right,
            title: present.pick(
                "title",
                blank_to_none(r.title),
                old.as_ref().and_then(|c| c.title.as_ref()),
            ),
            summary: present.pick(
                "summary",
                blank_to_none(r.summary),
                old.as_ref().and_then(|c| c.summary.as_ref()),
            ),
            published: present.pick(
                "published",
                published,
                old.as_ref().and_then(|c| c.published.as_ref()),
            ),
            status,
        };
        let outcome = match &old {
            None => Outcome::Inserted,
            Some(o) => {
                let mut d = Diff::default();
                if o.left_term_id != left {
                    d.field(
                        "left",
                        Some(terms::get(self.conn, o.left_term_id)?.term),
                        Some(clean_term(&r.left).to_string()),
                    );
                }
                if o.right_term_id != right {
                    d.field(
                        "right",
                        Some(terms::get(self.conn, o.right_term_id)?.term),
                        Some(clean_term(&r.right).to_string()),
                    );
                }
                d.field("title", o.title.as_deref(), new.title.as_deref());
                d.field("summary", o.summary.as_deref(), new.summary.as_deref());
                d.field(
                    "published",
                    o.published.as_deref(),
                    new.published.as_deref(),
                );
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some(o), Outcome::Unchanged) => o.id,
            _ => comparisons::upsert(self.conn, &new)?,
        };
        self.first_time("comparisons", id.0, &format!("comparison \"{slug}\""))?;
        self.last_comparison = Some((slug.to_string(), id));
        Ok((slug.to_string(), outcome))
    }

    pub(super) fn difference(&mut self, r: DifferenceRecord) -> RowResult {
        required("comparison", &r.comparison)?;
        required("text", &r.text)?;
        let position = parse_position("position", &r.position).map_err(Fail::Row)?;
        let comparison = self.resolve_comparison(&r.comparison)?;
        let old = self.unless_new("differences", || {
            differences::find(self.conn, comparison, position)
        })?;
        let outcome = match &old {
            None => Outcome::Inserted,
            Some((_, text)) => {
                let mut d = Diff::default();
                d.field("text", Some(text.as_str()), Some(r.text.as_str()));
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some((id, _)), Outcome::Unchanged) => *id,
            _ => differences::upsert(self.conn, comparison, position, &r.text)?,
        };
        let entry = format!("{}, difference {position}", r.comparison.trim());
        self.first_time("differences", id, &entry)?;
        self.placed(store::DIFFERENCES, comparison.0, &outcome);
        Ok((entry, outcome))
    }

    pub(super) fn chart_row(&mut self, r: ChartRowRecord) -> RowResult {
        required("comparison", &r.comparison)?;
        required("aspect", &r.aspect)?;
        required("left", &r.left)?;
        required("right", &r.right)?;
        let found = |c: &Connection, id: ComparisonId| {
            Ok(chart_rows::find(c, id, &r.aspect)?
                .map(|o| (o.id, o.position, vec![o.left, o.right])))
        };
        self.article_child(
            Kind::Row,
            Keyed {
                comparison: &r.comparison,
                position: &r.position,
                label: format!("row \"{}\"", r.aspect),
                values: &[("left", &r.left), ("right", &r.right)],
            },
            found,
            |c, id, position| chart_rows::upsert(c, id, position, &r.aspect, &r.left, &r.right),
        )
    }

    pub(super) fn faq(&mut self, r: FaqRecord) -> RowResult {
        required("comparison", &r.comparison)?;
        required("question", &r.question)?;
        required("answer", &r.answer)?;
        let found = |c: &Connection, id: ComparisonId| {
            Ok(faqs::find(c, id, &r.question)?.map(|o| (o.id, o.position, vec![o.answer])))
        };
        self.article_child(
            Kind::Faq,
            Keyed {
                comparison: &r.comparison,
                position: &r.position,
                label: format!("FAQ \"{}\"", r.question),
                values: &[("answer", &r.answer)],
            },
            found,
            |c, id, position| faqs::upsert(c, id, position, &r.question, &r.answer),
        )
    }

    /// A chart row or a FAQ: a row of an article found by its text (the
    /// aspect, the question) with a position and values; both are applied
    /// the same way, by this one piece.
    fn article_child(
        &mut self,
        kind: Kind,
        r: Keyed<'_>,
        find: impl FnOnce(&Connection, ComparisonId) -> Result<Option<(i64, i64, Vec<String>)>>,
        upsert: impl Fn(&Connection, ComparisonId, i64) -> rusqlite::Result<Option<i64>>,
    ) -> RowResult {
        let table = kind
            .positioned()
            .expect("an article's child has a position");
        let position = parse_position("position", r.position).map_err(Fail::Row)?;
        let comparison = self.resolve_comparison(r.comparison)?;
        let conn = self.conn;
        let old = self.unless_new(kind.table(), || find(conn, comparison))?;
        let outcome = match &old {
            None => Outcome::Inserted,
            Some((_, old_position, old_values)) => {
                let mut d = Diff::default();
                d.field("position", Some(unparked(*old_position)), Some(position));
                for ((name, new), old) in r.values.iter().zip(old_values) {
                    d.field(name, Some(old.as_str()), Some(*new));
                }
                d.outcome()
            }
        };
        let id = match (&old, &outcome) {
            (Some((id, _, _)), Outcome::Unchanged) => *id,
            _ => self.with_position(
                table,
                comparison,
                position,
                old.as_ref().map(|o| o.0),
                |c| upsert(c, comparison, position),
            )?,
        };
        let entry = format!("{}, {}", r.comparison.trim(), r.label);
        self.first_time(kind.table(), id, &entry)?;
        self.placed(table, comparison.0, &outcome);
        Ok((entry, outcome))
    }
}
