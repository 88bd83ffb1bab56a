//! The errors a user can meet, with the facts they need to act on them.
//!
//! Everything a person may cause (a typo in a term, a bad CSV row, a busy or
//! too-new database) is a variant here with its own message; the command
//! layer adds `anyhow` context naming the step that failed, and `main` maps
//! the variant to an exit code.

use std::fmt;
use std::path::PathBuf;

/// Exit status for "the database is locked by another writer": scripts can
/// retry on this one and only this one.
pub const EXIT_BUSY: i32 = 3;

/// One thing wrong with one line of one input file, printed as
/// `FILE:LINE: message` so that editors and terminals can jump to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// The 1-based line a person sees in a text editor; 0 when the problem
    /// concerns the whole file.
    pub line: u64,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no glossary database at {}\n  hint: create one with `glossary init` (empty) or `glossary import DIR` (from CSV files), or point --db (or GLOSSARY_DB) at an existing file", path.display())]
    NoDatabase { path: PathBuf },

    #[error("{} was written by a newer version of glossary (schema version {found}; this glossary knows up to {supported})\n  hint: upgrade glossary; this version leaves the file untouched", path.display())]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// Ctrl-C during a write that stopped for it: rolled back, whole.
    #[error("interrupted: nothing was written")]
    Interrupted,

    #[error("{} has an older schema (version {found}; this glossary needs {supported}), and a read-only server does not upgrade it\n  hint: upgrade the main database (any glossary command on it does, such as `glossary --db FILE check`) and copy it here again, or serve this copy with the glossary that wrote it", path.display())]
    OlderSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("{} is an SQLite database, but not a glossary database (it has tables glossary did not create)", path.display())]
    NotAGlossary { path: PathBuf },

    #[error("{} is not an SQLite database", path.display())]
    NotADatabase { path: PathBuf },

    #[error(
        "the database is busy: another program is writing to it\n  hint: try again in a moment"
    )]
    Busy,

    /// A term, comparison or chart row named that does not exist: the same
    /// words whether an import row or a command names it.
    #[error("unknown {kind} \"{name}\"{}", did_you_mean(suggestions))]
    NotFound {
        kind: &'static str,
        name: String,
        suggestions: Vec<String>,
    },

    #[error("term \"{term}\" has no sense {number} ({})", senses_had(has))]
    NoSuchSense {
        term: String,
        number: i64,
        /// The sense numbers it has, in order.
        has: Vec<i64>,
    },

    #[error("{what} \"{name}\" already exists{}", hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default())]
    AlreadyExists {
        what: &'static str,
        name: String,
        hint: Option<String>,
    },

    /// A value that breaks its field's rule (a date, a slug, a position, a
    /// status): `published: "2023-02-30" is not a day of the calendar`.
    #[error("{field}: {problem}")]
    BadValue { field: String, problem: String },

    /// A position that holds no entry: `faq SLUG 30: there is no faq at
    /// position 30 (positions are 1 to 20)`.
    #[error("{entry}: there is no {word} at position {position} ({})", positions_had(*count))]
    NoSuchPosition {
        entry: String,
        word: &'static str,
        position: i64,
        count: i64,
    },

    /// A new entry's position past the end of the list it goes in.
    #[error("position {position} is past the end (there are {count}; use 1 to {})", count + 1)]
    PastTheEnd { position: i64, count: i64 },

    #[error("unknown field \"{name}\"{}; {noun}'s fields are {}", did_you_mean(suggestions), fields.join(", "))]
    UnknownField {
        noun: &'static str,
        name: String,
        suggestions: Vec<String>,
        fields: Vec<&'static str>,
    },

    #[error("a comparison needs two different terms; left and right are both \"{term}\"")]
    SameTerms { term: String },

    /// The entry moved or changed between showing it and writing.
    #[error("{entry} changed while you were asked (someone else edited it); nothing was written: run the command again to see it as it is now")]
    Changed { entry: String },

    /// Required text left blank: `the definition cannot be empty`.
    #[error("{field} cannot be empty")]
    Empty { field: String },

    #[error("{}", import_summary(problems, *truncated))]
    Import {
        problems: Vec<Problem>,
        /// More problems existed than were collected.
        truncated: bool,
    },

    #[error("{0}")]
    Invalid(String),

    #[error("there is no change {id} (see `glossary history`)")]
    NoSuchChange { id: i64 },

    /// An entry a form or link named by its row id is no longer there:
    /// someone removed it meanwhile.
    #[error("{what} you opened (number {id}) is no longer there: someone removed it meanwhile")]
    Gone { what: &'static str, id: i64 },

    /// A page template failed to render: a bug in glossary or in a theme.
    #[error("template {0}")]
    Template(String),

    /// An action the content's rules do not allow as things stand, with
    /// every reason and the commands that would make it possible.
    #[error("cannot {action}:{}{}", list(reasons), hints.iter().map(|h| format!("\n  hint: {h}")).collect::<String>())]
    Refused {
        action: String,
        reasons: Vec<String>,
        hints: Vec<String>,
    },

    /// What a web editor's account may not do: which role it needs.
    #[error("{action} needs the {needs} role: you are signed in as {who}{}", hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
    Forbidden {
        action: String,
        needs: &'static str,
        who: String,
        hint: Option<String>,
    },

    /// A command-line combination that cannot work (exit status 2).
    #[error("{0}")]
    Usage(String),

    #[error("database error: {0}")]
    Sqlite(#[source] rusqlite::Error),

    #[error("could not update the database schema: {0}")]
    Migration(#[source] Box<refinery::Error>),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if is_busy(&e) {
            Error::Busy
        } else {
            Error::Sqlite(e)
        }
    }
}

/// SQLite reports a lock held by another connection as BUSY (or LOCKED for a
/// shared-cache conflict); both mean "try again later", not "broken".
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Whether `e` is SQLite refusing a write by a rule of the schema (a
/// CHECK, UNIQUE or a trigger's RAISE).
pub fn is_constraint(e: &Error) -> bool {
    matches!(e, Error::Sqlite(s) if s.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation))
}

impl Error {
    /// The process exit status for this error: 1 for anything the user
    /// should fix, [`EXIT_BUSY`] when retrying may succeed.
    /// Whether the error is about what a person wrote (one import row, one
    /// command's values), as opposed to the run itself (I/O, a busy or
    /// broken database): an import reports the first kind and reads on.
    pub fn is_about_input(&self) -> bool {
        matches!(
            self,
            Error::NotFound { .. }
                | Error::NoSuchChange { .. }
                | Error::NoSuchSense { .. }
                | Error::AlreadyExists { .. }
                | Error::Empty { .. }
                | Error::BadValue { .. }
                | Error::NoSuchPosition { .. }
                | Error::PastTheEnd { .. }
                | Error::UnknownField { .. }
                | Error::SameTerms { .. }
                | Error::Invalid(_)
                | Error::Refused { .. }
        )
    }

    /// The field an input error is about, where it names one: a form shows
    /// the message next to it.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Empty { field } | Error::BadValue { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A value that breaks its field's rule.
    pub fn bad(field: &str) -> impl FnOnce(String) -> Error + '_ {
        move |problem| Error::BadValue {
            field: field.to_string(),
            problem,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Busy => EXIT_BUSY,
            Error::Usage(_) => 2,
            Error::Interrupted => 130,
            _ => 1,
        }
    }
}

/// `(did you mean "producer"?)`, or nothing when there is no close name.
pub fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean \"{one}\"?)"),
        many => {
            let quoted: Vec<String> = many.iter().map(|s| format!("\"{s}\"")).collect();
            format!(" (did you mean one of {}?)", quoted.join(", "))
        }
    }
}

/// `positions are 1 to 20`, `there is only 1`, `there are none yet`.
fn positions_had(count: i64) -> String {
    match count {
        0 => "there are none yet".to_string(),
        1 => "there is only 1".to_string(),
        n => format!("positions are 1 to {n}"),
    }
}

/// `it has senses 1–7`, `it has sense 1`, `it has no senses yet`.
fn senses_had(has: &[i64]) -> String {
    match has {
        [] => "it has no senses yet".to_string(),
        [one] => format!("it has sense {one}"),
        [first, .., last] => format!("it has senses {first}–{last}"),
    }
}

/// One reason inline, several as a list.
fn list(reasons: &[String]) -> String {
    match reasons {
        [one] => format!(" {one}"),
        many => many.iter().map(|r| format!("\n  - {r}")).collect(),
    }
}

fn import_summary(problems: &[Problem], truncated: bool) -> String {
    let n = problems.len();
    let count = if truncated {
        format!("more than {n} problems")
    } else if n == 1 {
        "1 problem".to_string()
    } else {
        format!("{n} problems")
    };
    format!("import failed with {count}; nothing was written")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
