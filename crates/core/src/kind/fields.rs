//! The fields of an entry and the columns of its CSV file: how each is
//! checked, stored and shown.

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
    /// A variant of a term ("EP"): its key must be no term's and no other
    /// variant's.
    VariantName,
    /// One of a variant's types (`store::variants::TYPES`).
    VariantType,
    /// A sense of the row's term, by number (stored as its id); empty:
    /// the whole term.
    SenseRef,
    /// The same, of the row's target term.
    TargetSenseRef,
    /// One of the relations (`store::relations::KINDS`).
    RelationKind,
    /// `yes` or `no` (stored as 1 or 0).
    YesNo,
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
    /// The values a field of this type may take, for lists to pick from
    /// (the web editor's); empty for free text.
    pub fn choices(self) -> &'static [&'static str] {
        match self {
            FieldType::VariantType => crate::store::variants::TYPES,
            FieldType::RelationKind => crate::store::relations::KINDS,
            FieldType::YesNo => &["yes", "no"],
            _ => &[],
        }
    }

    /// A value as it would be stored, for telling whether a new value
    /// changes anything: text kept exactly as typed (spaces and line
    /// breaks are content), everything else trimmed, a status in lower
    /// case. `edit` and the web editor's merge of concurrent saves both
    /// compare through it.
    pub fn stored(self, value: &str) -> String {
        match self {
            FieldType::Text | FieldType::OptionalText => value.to_string(),
            FieldType::Status => value.trim().to_ascii_lowercase(),
            FieldType::YesNo => match parse_yes_no(value) {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => value.trim().to_string(),
            },
            _ => value.trim().to_string(),
        }
    }
}

/// `yes`/`no` as people type it (any case; `true`/`false`, `1`/`0` too).
pub fn parse_yes_no(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
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

pub(crate) const fn field(
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

pub(crate) const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

pub(crate) const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}
