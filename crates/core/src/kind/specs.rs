//! What each kind of entry is made of: its table, CSV file and columns,
//! keys, parent, position, fields and search index, one spec a kind.

use crate::kind::fields::{field, opt, req, Column, Field, FieldType::*};
use crate::kind::Kind;
use crate::store;
use crate::store::Positioned;

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

pub(crate) const TERM: &[Field] = &[
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
    field(
        "autolink",
        "autolink",
        YesNo,
        "yes: the site links its mentions in other pages; no: it leaves them as text",
    ),
];
pub(crate) const SENSE: &[Field] = &[
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
pub(crate) const EXAMPLE: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The example's place among the sense's examples.",
    ),
    field("text", "text", Text, "The example sentence."),
];
pub(crate) const VARIANT: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The variant's place among the term's variants.",
    ),
    field(
        "variant",
        "variant",
        VariantName,
        "Another way of writing the term: EP, producers, colour.",
    ),
    field(
        "type",
        "type",
        VariantType,
        "plural, abbreviation, spelling or form",
    ),
];
pub(crate) const RELATION: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The relation's place in the term's list.",
    ),
    field(
        "sense",
        "sense_id",
        SenseRef,
        "The term's sense it relates, by number (empty: the whole term).",
    ),
    field(
        "relation",
        "relation",
        RelationKind,
        "synonym, antonym, broader (the target is broader), narrower or related",
    ),
    field(
        "target",
        "target_term_id",
        TermRef,
        "The term it relates to.",
    ),
    field(
        "target_sense",
        "target_sense_id",
        TargetSenseRef,
        "The target's sense, by number (empty: the whole target term).",
    ),
];
pub(crate) const COMPARISON: &[Field] = &[
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
pub(crate) const DIFFERENCE: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The paragraph's place under Key Differences.",
    ),
    field("text", "text", Text, "The paragraph."),
];
pub(crate) const ROW: &[Field] = &[
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
pub(crate) const FAQ: &[Field] = &[
    field(
        "position",
        "position",
        Position,
        "The question's place in the list.",
    ),
    field("question", "question", Text, "The question."),
    field("answer", "answer", Text, "The answer."),
];

pub(crate) static TERM_SPEC: Spec = Spec {
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
        opt("autolink"),
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
        "autolink",
        "created_at",
    ],
};

pub(crate) static SENSE_SPEC: Spec = Spec {
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

pub(crate) static EXAMPLE_SPEC: Spec = Spec {
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

pub(crate) static VARIANT_SPEC: Spec = Spec {
    word: "variant",
    noun: "a variant",
    plural: "variants",
    table: "variants",
    file: "variants.csv",
    columns: &[req("term"), req("variant"), req("type")],
    keys: "TERM VARIANT",
    parent: Some(Kind::Term),
    positioned: Some(store::VARIANTS),
    fields: VARIANT,
    search_index: None,
    search_columns: &[],
    search_weights: &[],
    required_text: &["variant"],
    recorded: &["term_id", "position", "variant", "lookup_key", "type"],
};

pub(crate) static RELATION_SPEC: Spec = Spec {
    word: "relation",
    noun: "a relation",
    plural: "relations",
    table: "relations",
    file: "relations.csv",
    columns: &[
        req("term"),
        opt("sense"),
        req("relation"),
        req("target"),
        opt("target_sense"),
    ],
    keys: "TERM POSITION",
    parent: Some(Kind::Term),
    positioned: Some(store::RELATIONS),
    fields: RELATION,
    search_index: None,
    search_columns: &[],
    search_weights: &[],
    required_text: &[],
    recorded: &[
        "term_id",
        "position",
        "sense_id",
        "relation",
        "target_term_id",
        "target_sense_id",
    ],
};

pub(crate) static COMPARISON_SPEC: Spec = Spec {
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

pub(crate) static DIFFERENCE_SPEC: Spec = Spec {
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

pub(crate) static ROW_SPEC: Spec = Spec {
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

pub(crate) static FAQ_SPEC: Spec = Spec {
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
