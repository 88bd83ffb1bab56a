//! The registry of what the content is made of: the nine kinds of entry
//! (term, sense, example, variant, relation, comparison, key difference,
//! chart row, FAQ), and
//! for each its table, its CSV file and columns, how an entry is named
//! (`faq SLUG 3`) and by which keys, its parent, whether it has a position,
//! the fields a person may edit and its search index.
//!
//! Every part of glossary that needs to know what kinds exist (import,
//! export, edit, remove, history, check, search, list, the command line)
//! reads it here, so a new kind or column is added in one place and the
//! parts cannot disagree.

mod fields;
mod specs;

use serde::{Deserialize, Serialize};
use specs::{
    Spec, COMPARISON_SPEC, DIFFERENCE_SPEC, EXAMPLE_SPEC, FAQ_SPEC, RELATION_SPEC, ROW_SPEC,
    SENSE_SPEC, TERM_SPEC, VARIANT_SPEC,
};

use crate::error::{Error, Result};
use crate::store::Positioned;
use crate::suggest;
pub use fields::{parse_yes_no, Column, Field, FieldType};

/// A kind of entry, as typed on the command line (`edit faq ...`). The
/// order is the dependency order: parents before children, the order an
/// import applies files in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Term,
    Sense,
    Example,
    Variant,
    Relation,
    Comparison,
    Difference,
    Row,
    Faq,
}

impl Kind {
    /// Every kind, parents first.
    pub const ALL: [Kind; 9] = [
        Kind::Term,
        Kind::Sense,
        Kind::Example,
        Kind::Variant,
        Kind::Relation,
        Kind::Comparison,
        Kind::Difference,
        Kind::Row,
        Kind::Faq,
    ];

    pub fn spec(self) -> &'static Spec {
        match self {
            Kind::Term => &TERM_SPEC,
            Kind::Sense => &SENSE_SPEC,
            Kind::Example => &EXAMPLE_SPEC,
            Kind::Variant => &VARIANT_SPEC,
            Kind::Relation => &RELATION_SPEC,
            Kind::Comparison => &COMPARISON_SPEC,
            Kind::Difference => &DIFFERENCE_SPEC,
            Kind::Row => &ROW_SPEC,
            Kind::Faq => &FAQ_SPEC,
        }
    }

    /// The kind stored in `table`.
    pub fn of_table(table: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.table() == table)
    }

    /// The kind of a CSV file, by its name (any case).
    pub fn of_file(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.file_name().eq_ignore_ascii_case(name))
    }

    pub fn word(self) -> &'static str {
        self.spec().word
    }

    pub fn noun(self) -> &'static str {
        self.spec().noun
    }

    pub fn table(self) -> &'static str {
        self.spec().table
    }

    pub fn file_name(self) -> &'static str {
        self.spec().file
    }

    pub fn columns(self) -> &'static [Column] {
        self.spec().columns
    }

    /// How a person names one entry of this kind, in the form every
    /// command takes back: the kind's word, then its keys, names quoted
    /// (`sense "Executive Producer" 2`, `row producer-vs-director "Focus"`)
    /// and slugs and numbers bare. The one place labels are made: `edit`,
    /// `history`, search, `check` and import all print these.
    pub fn label(self, keys: &[&str]) -> String {
        // Which keys are names (a term, a chart row's aspect).
        let named = |i: usize| match self {
            Kind::Term | Kind::Sense | Kind::Example | Kind::Relation => i == 0,
            Kind::Row => i == 1,
            Kind::Variant => i <= 1,
            Kind::Comparison | Kind::Difference | Kind::Faq => false,
        };
        let mut label = self.word().to_string();
        for (i, key) in keys.iter().enumerate() {
            label.push(' ');
            if named(i) {
                label.push_str(&crate::model::quote_name(key));
            } else {
                label.push_str(key.trim());
            }
        }
        label
    }

    /// The term or comparison whose page shows entries of this kind (and
    /// whose pending version, review and schedule hold them): the root of
    /// its parents.
    pub fn owner(self) -> Kind {
        let mut kind = self;
        while let Some(parent) = kind.spec().parent {
            kind = parent;
        }
        kind
    }

    /// The names of the keys that pick one entry, for messages.
    pub fn key_names(self) -> &'static str {
        self.spec().keys
    }

    pub fn positioned(self) -> Option<Positioned> {
        self.spec().positioned
    }

    pub fn fields(self) -> &'static [Field] {
        self.spec().fields
    }

    /// The field `name` (any case), or an error naming the fields there are.
    pub fn field(self, name: &str) -> Result<&'static Field> {
        let wanted = name.trim().to_ascii_lowercase();
        self.fields()
            .iter()
            .find(|f| f.name == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = self.fields().iter().map(|f| f.name).collect();
                let suggestions = suggest::closest(&wanted, &names, 1);
                Error::UnknownField {
                    noun: self.noun(),
                    name: wanted.clone(),
                    suggestions,
                    fields: names,
                }
            })
    }
}

/// The content tables, parents first.
pub fn tables() -> impl Iterator<Item = &'static str> {
    Kind::ALL.into_iter().map(Kind::table)
}

/// The kinds with a position within a parent, and how it is kept.
pub fn positioned() -> impl Iterator<Item = Positioned> {
    Kind::ALL.into_iter().filter_map(Kind::positioned)
}

/// The kinds that are searched, with their index.
pub fn searched() -> impl Iterator<Item = (Kind, &'static str)> {
    Kind::ALL
        .into_iter()
        .filter_map(|k| k.spec().search_index.map(|i| (k, i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_found_by_its_table_file_and_word() {
        for kind in Kind::ALL {
            assert_eq!(Kind::of_table(kind.table()), Some(kind));
            assert_eq!(Kind::of_file(&kind.file_name().to_uppercase()), Some(kind));
            assert_eq!(kind.file_name(), format!("{}.csv", kind.table()));
            #[cfg(feature = "clap")]
            {
                let typed = <Kind as clap::ValueEnum>::from_str(kind.word(), true).unwrap();
                assert_eq!(typed, kind);
            }
        }
    }

    #[test]
    fn labels_quote_names_and_leave_slugs_and_numbers_bare() {
        assert_eq!(
            Kind::Term.label(&["Executive Producer"]),
            "term \"Executive Producer\""
        );
        assert_eq!(
            Kind::Sense.label(&["Producer", "2"]),
            "sense \"Producer\" 2"
        );
        assert_eq!(
            Kind::Example.label(&["Producer", "2", "1"]),
            "example \"Producer\" 2 1"
        );
        assert_eq!(Kind::Comparison.label(&["a-vs-b"]), "comparison a-vs-b");
        assert_eq!(Kind::Faq.label(&["a-vs-b", "3"]), "faq a-vs-b 3");
        assert_eq!(
            Kind::Row.label(&["a-vs-b", "Focus"]),
            "row a-vs-b \"Focus\""
        );
        assert_eq!(Kind::Term.label(&["Say \"hi\""]), "term 'Say \"hi\"'");
    }

    #[test]
    fn paragraphs_are_multiline_and_lines_are_not() {
        let of = |k: Kind, name: &str| *k.fields().iter().find(|f| f.name == name).unwrap();
        assert!(of(Kind::Sense, "definition").multiline());
        assert!(of(Kind::Faq, "answer").multiline());
        assert!(!of(Kind::Sense, "domain").multiline());
        assert!(!of(Kind::Comparison, "title").multiline());
        assert!(!of(Kind::Row, "aspect").multiline());
        assert!(!of(Kind::Term, "term").multiline());
        assert_eq!(FieldType::Text.stored(" a \n"), " a \n");
        assert_eq!(FieldType::Slug.stored(" a-vs-b "), "a-vs-b");
        assert_eq!(FieldType::Status.stored(" Published"), "published");
    }

    #[test]
    fn every_kind_belongs_to_a_term_or_a_comparison() {
        for kind in Kind::ALL {
            assert!(
                matches!(kind.owner(), Kind::Term | Kind::Comparison),
                "{kind:?}"
            );
        }
        assert_eq!(Kind::Example.owner(), Kind::Term);
        assert_eq!(Kind::Relation.owner(), Kind::Term);
        assert_eq!(Kind::Faq.owner(), Kind::Comparison);
    }

    #[test]
    fn parents_come_before_their_children() {
        for kind in Kind::ALL {
            if let Some(parent) = kind.spec().parent {
                assert!(parent < kind, "{kind:?}");
            }
            assert_eq!(
                kind.spec().parent.is_some(),
                kind.positioned().is_some(),
                "{kind:?}: children have positions"
            );
        }
    }
}
