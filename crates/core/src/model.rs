//! The content model: ids, natural keys and the value rules shared by the
//! importer, the editing commands and the queries.

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    };
}

id_type!(
    /// `terms.id`; a distinct type so a sense id is never passed as a term id.
    TermId
);
id_type!(
    /// `senses.id`.
    SenseId
);
id_type!(
    /// `comparisons.id`.
    ComparisonId
);

/// Whether an entry is live: drafts are left out of rendering and of
/// `export --published-only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Draft,
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
        }
    }

    /// Parses `draft` or `published`, in any case.
    pub fn parse(s: &str) -> Result<Status, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "draft" => Ok(Status::Draft),
            "published" => Ok(Status::Published),
            _ => Err(format!("status must be draft or published, got \"{s}\"")),
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Status {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        Status::parse(s).map_err(|e| rusqlite::types::FromSqlError::Other(e.into()))
    }
}

/// The key a term is found by: Unicode case folding with combining marks
/// removed and white space collapsed, so `Père`, `pere` and ` PÈRE ` are one
/// term. SQLite's NOCASE folds ASCII only, hence this column of its own.
pub fn lookup_key(term: &str) -> String {
    // ASCII folds to lower case and has nothing to decompose: the same key
    // at a fraction of the cost (an import folds every name it reads).
    if term.is_ascii() {
        return term
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    unicode_key(term)
}

/// [`lookup_key`] by the full Unicode rules.
fn unicode_key(term: &str) -> String {
    let folded = caseless::default_case_fold_str(term);
    let stripped: String = folded
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .nfc()
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name inside an entry's name (`sense "Executive Producer" 5`, `row
/// SLUG "Role in Production"`), quoted so that the whole line can be pasted
/// after `glossary edit` or `history` in a shell: in double quotes, unless
/// the name holds a character a shell treats specially inside them.
pub fn quote_name(name: &str) -> String {
    if name.contains(['"', '$', '`', '\\', '!']) {
        shlex::try_quote(name).map_or_else(|_| format!("'{name}'"), |q| q.into_owned())
    } else {
        format!("\"{name}\"")
    }
}

/// A command-line argument as a person would type it: bare when it is one
/// plain word, else quoted as [`quote_name`] does.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if plain {
        word.to_string()
    } else {
        quote_name(word)
    }
}

/// A term name as stored: surrounding white space removed.
pub fn clean_term(term: &str) -> &str {
    term.trim()
}

/// Checks a `YYYY-MM-DD` calendar date; the message says what was wrong.
pub fn check_date(s: &str) -> Result<(), String> {
    let bad = || {
        let mut msg = format!("\"{s}\" is not a date in the form YYYY-MM-DD");
        if s.contains('/') || s.contains('.') {
            msg.push_str(" (spreadsheets often rewrite dates: format the column as text)");
        }
        msg
    };
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(bad());
    };
    if !(1..=12).contains(&month) {
        return Err(format!("\"{s}\" has no month {month}"));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days {
        return Err(format!("\"{s}\" is not a day of the calendar"));
    }
    Ok(())
}

/// Checks a comparison slug: lowercase ASCII letters, digits and single
/// hyphens, as the `comparisons.slug` CHECK constraint requires.
pub fn check_slug(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if ok {
        Ok(())
    } else {
        let hint = slugify(s);
        let mut msg =
            format!("\"{s}\" is not a valid slug (lowercase letters, digits and single hyphens)");
        if !hint.is_empty() && hint != s {
            msg.push_str(&format!("; try \"{hint}\""));
        }
        Err(msg)
    }
}

/// Makes a slug from free text: `Producer vs. Executive Producer` becomes
/// `producer-vs-executive-producer`.
pub fn slugify(s: &str) -> String {
    slug_of_key(&lookup_key(s))
}

/// [`slugify`] of a name whose lookup key is `key` (as stored): the
/// folding is done already.
pub fn slug_of_key(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Parses a 1-based position or sense number.
pub fn parse_position(field: &str, s: &str) -> Result<i64, String> {
    let t = s.trim();
    match t.parse::<i64>() {
        Ok(n) if (1..=MAX_POSITION).contains(&n) => Ok(n),
        Ok(_) => Err(format!(
            "{field} must be a whole number from 1 to {MAX_POSITION}, got \"{s}\""
        )),
        Err(_) => Err(format!(
            "{field} must be a whole number (1, 2, 3...), got \"{s}\""
        )),
    }
}

/// The largest position accepted from input. Far above any real article,
/// and far below [`PARKED_OFFSET`], where the importer moves rows aside.
pub const MAX_POSITION: i64 = 1_000_000;

/// Where the importer parks a row whose position another row takes, until
/// the row's own new position comes along.
pub const PARKED_OFFSET: i64 = 1_000_000_000;

/// What writing one input row did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Outcome {
    Inserted,
    Updated { changes: Vec<FieldChange> },
    Unchanged,
}

/// One field of an updated row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Collects the fields that differ between the stored and the incoming row.
#[derive(Default)]
pub struct Diff(Vec<FieldChange>);

impl Diff {
    pub fn field<T: ToString + PartialEq>(
        &mut self,
        field: &'static str,
        old: Option<T>,
        new: Option<T>,
    ) {
        if old != new {
            self.0.push(FieldChange {
                field,
                old: old.map(|v| v.to_string()),
                new: new.map(|v| v.to_string()),
            });
        }
    }

    pub fn outcome(self) -> Outcome {
        if self.0.is_empty() {
            Outcome::Unchanged
        } else {
            Outcome::Updated { changes: self.0 }
        }
    }
}

/// The title of a comparison that has none of its own: the seed page's
/// form, "Producer vs. Executive Producer: What's the Difference?". The one
/// rule for it: the CLI, the editor and the site all say this.
pub fn comparison_title(title: Option<&str>, left: &str, right: &str) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_string(),
        None => format!("{left} vs. {right}: What's the Difference?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_fast_path_folds_as_the_unicode_rules_do() {
        for s in [
            "Executive Producer",
            "  MiXeD\tcase\x0bvertical\x0ctab\r\n end ",
            "A-B_c.d'e \"q\" 42",
            "",
            " ",
        ] {
            assert_eq!(lookup_key(s), unicode_key(s), "{s:?}");
        }
    }

    #[test]
    fn lookup_key_folds_case_accents_and_space() {
        assert_eq!(lookup_key("Père"), "pere");
        assert_eq!(lookup_key("PÈRE"), "pere");
        assert_eq!(lookup_key("  Executive   Producer "), "executive producer");
        assert_eq!(lookup_key("Straße"), "strasse");
        assert_eq!(lookup_key("naïve café"), "naive cafe");
    }

    #[test]
    fn dates_must_be_calendar_days() {
        assert!(check_date("2023-12-02").is_ok());
        assert!(check_date("2024-02-29").is_ok());
        assert!(check_date("2023-02-29").is_err());
        assert!(check_date("2023-13-01").is_err());
        assert!(check_date("2023-1-01").is_err());
        assert!(check_date("12/02/2023")
            .unwrap_err()
            .contains("spreadsheets"));
        assert!(check_date("２０２３-12-02").is_err());
    }

    #[test]
    fn slugs() {
        assert!(check_slug("producer-vs-executive-producer").is_ok());
        assert!(check_slug("Producer")
            .unwrap_err()
            .contains("try \"producer\""));
        assert!(check_slug("a--b").is_err());
        assert!(check_slug("-a").is_err());
        assert_eq!(
            slugify("Producer vs. Executive Producer"),
            "producer-vs-executive-producer"
        );
        assert_eq!(slugify("Père & Mère"), "pere-mere");
    }

    #[test]
    fn positions() {
        assert_eq!(parse_position("sense", " 3 "), Ok(3));
        assert!(parse_position("sense", "0").is_err());
        assert!(parse_position("sense", "99999999999999999999999").is_err());
        assert!(parse_position("sense", "two").is_err());
    }
}
