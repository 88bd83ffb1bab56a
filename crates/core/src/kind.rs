//! The registry of what the content is made of: the seven kinds of entry
//! (term, sense, example, comparison, key difference, chart row, FAQ), and
//! for each its table, its CSV file and columns, how an entry is named
//! (`faq SLUG 3`) and by which keys, its parent, whether it has a position,
//! the fields a person may edit and its search index.
//!
//! Every part of glossary that needs to know what kinds exist (import,
//! export, edit, remove, history, check, search, list, the command line)
//! reads it here, so a new kind or column is added in one place and the
//! parts cannot disagree.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::{self, Positioned};
use crate::suggest;

/// A kind of entry, as typed on the command line (`edit faq ...`). The
/// order is the dependency order: parents before children, the order an
/// import applies files in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Term,
    Sense,
    Example,
    Comparison,
    Difference,
    Row,
    Faq,
}

/// How a field's text is checked and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text that must not be blank.
    Text,
    /// Text that may be empty (stored as NULL).
    OptionalText,
    /// The entry's place among its siblings; setting it moves the entry.
    Position,
    /// A term's name: renaming also changes its lookup key.
    TermName,
    /// A reference to a term, by name.
    TermRef,
    Slug,
    /// `YYYY-MM-DD`, or empty.
    Date,
    Status,
}

/// One editable field of a kind of entry.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub column: &'static str,
    pub ty: FieldType,
    /// Says what the field is, for `--help` and the editor document.
    pub help: &'static str,
}

impl FieldType {
    /// A value as it would be stored, for telling whether a new value
    /// changes anything: text kept exactly as typed (spaces and line
    /// breaks are content), everything else trimmed, a status in lower
    /// case. `edit` and the web editor's merge of concurrent saves both
    /// compare through it.
    pub fn stored(self, value: &str) -> String {
        match self {
            FieldType::Text | FieldType::OptionalText => value.to_string(),
            FieldType::Status => value.trim().to_ascii_lowercase(),
            _ => value.trim().to_string(),
        }
    }
}

impl Field {
    /// Whether the field holds paragraphs (a definition, an answer), shown
    /// as a text area, rather than a line (a name, a title, an aspect).
    pub fn multiline(&self) -> bool {
        matches!(self.ty, FieldType::Text | FieldType::OptionalText)
            && !matches!(self.name, "part_of_speech" | "domain" | "title" | "aspect")
    }
}

const fn field(
    name: &'static str,
    column: &'static str,
    ty: FieldType,
    help: &'static str,
) -> Field {
    Field {
        name,
        column,
        ty,
        help,
    }
}

/// A column of a kind's CSV file, and whether every row must fill it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

/// Everything glossary knows about one kind of entry.
#[derive(Debug)]
pub struct Spec {
    /// The word that names the kind on the command line and in entry names.
    pub word: &'static str,
    /// With its article, for sentences: "a FAQ".
    pub noun: &'static str,
    /// The plural, for counts: "faqs" reads as the table does.
    pub plural: &'static str,
    pub table: &'static str,
    /// The CSV file of `import` and `export`, and its columns in the order
    /// export writes them (the README's layout).
    pub file: &'static str,
    pub columns: &'static [Column],
    /// The keys that pick one entry, after the kind: `SLUG POSITION`.
    pub keys: &'static str,
    /// The kind whose entries own these (and whose removal removes them).
    pub parent: Option<Kind>,
    /// Their place within the parent, for kinds that have one.
    pub positioned: Option<Positioned>,
    /// What a person may change, in the order documents show it.
    pub fields: &'static [Field],
    /// The FTS5 index over its text, for kinds that are searched, and the
    /// columns it indexes (see the V3 migration).
    pub search_index: Option<&'static str>,
    pub search_columns: &'static [&'static str],
    /// The weight of a match in each of those columns (the `rank` of the
    /// V3 migration: a title, an aspect, a question count more).
    pub search_weights: &'static [f64],
    /// Text columns that may not be blank (the schema's CHECKs, which
    /// `check` verifies for rows written with the checks off).
    pub required_text: &'static [&'static str],
    /// The columns the history triggers record (see the V2 migration).
    pub recorded: &'static [&'static str],
}

use FieldType::*;

const TERM: &[Field] = &[
    field(
        "term",
        "term",
        TermName,
        "The term as displayed; renaming keeps its senses and comparisons.",
    ),
    field(
        "part_of_speech",
        "part_of_speech",
        OptionalText,
        "noun, verb, adjective... (may be empty)",
    ),
    field(
        "note",
        "note",
        OptionalText,
        "A note about the term (may be empty).",
    ),
    field("status", "status", Status, "draft or published"),
];
const SENSE: &[Field] = &[
    field(
        "sense",
        "sense_number",
        Position,
        "The sense's number; changing it moves the sense.",
    ),
    field(
        "domain",
        "domain",
        OptionalText,
        "The field it belongs to: film, ecology, business... (may be empty)",
    ),
    field("definition", "definition", Text, "The definition."),
];
const EXAMPLE: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The example's place among the sense's examples.",
    ),
    field("text", "text", Text, "The example sentence."),
];
const COMPARISON: &[Field] = &[
    field(
        "slug",
        "slug",
        Slug,
        "The article's name in URLs: lowercase letters, digits, hyphens.",
    ),
    field("left", "left_term_id", TermRef, "The term on the left."),
    field("right", "right_term_id", TermRef, "The term on the right."),
    field(
        "title",
        "title",
        OptionalText,
        "The article's title (may be empty).",
    ),
    field(
        "summary",
        "summary",
        OptionalText,
        "The one-paragraph answer under the title (may be empty).",
    ),
    field(
        "published",
        "published",
        Date,
        "Publication date, YYYY-MM-DD (may be empty).",
    ),
    field("status", "status", Status, "draft or published"),
];
const DIFFERENCE: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The paragraph's place under Key Differences.",
    ),
    field("text", "text", Text, "The paragraph."),
];
const ROW: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The row's place in the chart.",
    ),
    field("aspect", "aspect", Text, "What the row compares."),
    field("left", "left_value", Text, "The left term's value."),
    field("right", "right_value", Text, "The right term's value."),
];
const FAQ: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The question's place in the list.",
    ),
    field("question", "question", Text, "The question."),
    field("answer", "answer", Text, "The answer."),
];

static TERM_SPEC: Spec = Spec {
    word: "term",
    noun: "a term",
    plural: "terms",
    table: "terms",
    file: "terms.csv",
    columns: &[
        req("term"),
        opt("part_of_speech"),
        opt("note"),
        opt("status"),
    ],
    keys: "TERM",
    parent: None,
    positioned: None,
    fields: TERM,
    search_index: None,
    search_columns: &[],
    search_weights: &[],
    required_text: &["term"],
    recorded: &[
        "term",
        "lookup_key",
        "part_of_speech",
        "note",
        "status",
        "created_at",
    ],
};

static SENSE_SPEC: Spec = Spec {
    word: "sense",
    noun: "a sense",
    plural: "senses",
    table: "senses",
    file: "senses.csv",
    columns: &[req("term"), req("sense"), opt("domain"), req("definition")],
    keys: "TERM SENSE",
    parent: Some(Kind::Term),
    positioned: Some(store::SENSES),
    fields: SENSE,
    search_index: Some("senses_fts"),
    search_columns: &["definition"],
    search_weights: &[1.0],
    required_text: &["definition"],
    recorded: &["term_id", "sense_number", "domain", "definition"],
};

static EXAMPLE_SPEC: Spec = Spec {
    word: "example",
    noun: "an example",
    plural: "examples",
    table: "examples",
    file: "examples.csv",
    columns: &[req("term"), req("sense"), req("example")],
    keys: "TERM SENSE POSITION",
    parent: Some(Kind::Sense),
    positioned: Some(store::EXAMPLES),
    fields: EXAMPLE,
    search_index: Some("examples_fts"),
    search_columns: &["text"],
    search_weights: &[1.0],
    required_text: &["text"],
    recorded: &["sense_id", "position", "text"],
};

static COMPARISON_SPEC: Spec = Spec {
    word: "comparison",
    noun: "a comparison",
    plural: "comparisons",
    table: "comparisons",
    file: "comparisons.csv",
    columns: &[
        req("comparison"),
        req("left"),
        req("right"),
        opt("title"),
        opt("summary"),
        opt("published"),
        opt("status"),
    ],
    keys: "SLUG",
    parent: None,
    positioned: None,
    fields: COMPARISON,
    search_index: Some("comparisons_fts"),
    search_columns: &["title", "summary"],
    search_weights: &[3.0, 1.0],
    required_text: &[],
    recorded: &[
        "slug",
        "left_term_id",
        "right_term_id",
        "title",
        "summary",
        "published",
        "status",
        "created_at",
    ],
};

static DIFFERENCE_SPEC: Spec = Spec {
    word: "difference",
    noun: "a difference",
    plural: "differences",
    table: "differences",
    file: "differences.csv",
    columns: &[req("comparison"), req("position"), req("text")],
    keys: "SLUG POSITION",
    parent: Some(Kind::Comparison),
    positioned: Some(store::DIFFERENCES),
    fields: DIFFERENCE,
    search_index: Some("differences_fts"),
    search_columns: &["text"],
    search_weights: &[1.0],
    required_text: &["text"],
    recorded: &["comparison_id", "position", "text"],
};

static ROW_SPEC: Spec = Spec {
    word: "row",
    noun: "a chart row",
    plural: "comparison rows",
    table: "comparison_rows",
    file: "comparison_rows.csv",
    columns: &[
        req("comparison"),
        req("position"),
        req("aspect"),
        req("left"),
        req("right"),
    ],
    keys: "SLUG ASPECT",
    parent: Some(Kind::Comparison),
    positioned: Some(store::ROWS),
    fields: ROW,
    search_index: Some("comparison_rows_fts"),
    search_columns: &["aspect", "left_value", "right_value"],
    search_weights: &[2.0, 1.0, 1.0],
    required_text: &["aspect", "left_value", "right_value"],
    recorded: &[
        "comparison_id",
        "position",
        "aspect",
        "left_value",
        "right_value",
    ],
};

static FAQ_SPEC: Spec = Spec {
    word: "faq",
    noun: "a FAQ",
    plural: "faqs",
    table: "faqs",
    file: "faqs.csv",
    columns: &[
        req("comparison"),
        req("position"),
        req("question"),
        req("answer"),
    ],
    keys: "SLUG POSITION",
    parent: Some(Kind::Comparison),
    positioned: Some(store::FAQS),
    fields: FAQ,
    search_index: Some("faqs_fts"),
    search_columns: &["question", "answer"],
    search_weights: &[2.0, 1.0],
    required_text: &["question", "answer"],
    recorded: &["comparison_id", "position", "question", "answer"],
};

impl Kind {
    /// Every kind, parents first.
    pub const ALL: [Kind; 7] = [
        Kind::Term,
        Kind::Sense,
        Kind::Example,
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
            Kind::Term | Kind::Sense | Kind::Example => i == 0,
            Kind::Row => i == 1,
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
