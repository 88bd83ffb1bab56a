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

    /// An action the content's rules do not allow as things stand, with
    /// every reason and the commands that would make it possible.
    #[error("cannot {action}:{}{}", list(reasons), hints.iter().map(|h| format!("\n  hint: {h}")).collect::<String>())]
    Refused {
        action: String,
        reasons: Vec<String>,
        hints: Vec<String>,
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
                | Error::NoSuchSense { .. }
                | Error::AlreadyExists { .. }
                | Error::Empty { .. }
                | Error::Invalid(_)
                | Error::Refused { .. }
        )
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Busy => EXIT_BUSY,
            Error::Usage(_) => 2,
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
