//! The `$EDITOR` round trip of `glossary edit`: an entry as a small TOML
//! document with a comment on each field, like `git commit` does, the
//! editor launched on it, and the text read back.
//!
//! The document is written to a file that outlives a failure: if the
//! editor fails or the text cannot be applied, the file is kept and its
//! path printed, so nothing typed is lost.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use glossary_core::edit::Entry;
use glossary_core::error::{Error, Result};
use glossary_core::kind::{Field, FieldType, Kind};
use glossary_core::suggest;

const ERROR_MARK: &str = "# ERROR: ";

/// The document for `entry` with its current values.
pub fn render(entry: &Entry, values: &[(&'static Field, String)]) -> String {
    let mut out = format!(
        "# glossary: editing {}\n\
         # Change the values, then save and close the editor to apply them.\n\
         # Lines starting with # are ignored. Leave the document as it is, or\n\
         # delete everything, to change nothing.\n",
        entry.label
    );
    for (f, value) in values {
        out.push('\n');
        out.push_str(&format!("# {}\n", f.help));
        let rendered = match f.ty {
            FieldType::Position if value.parse::<i64>().is_ok() => value.clone(),
            _ => toml::Value::String(value.clone()).to_string(),
        };
        out.push_str(&format!("{} = {rendered}\n", f.name));
    }
    out
}

/// True when nothing but comments and blank lines is left.
pub fn is_empty(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#'))
}

const ORIGINAL_MARK: &str = "# glossary-original: ";

/// The text as it is kept in a file for later (`edit --file`), with the
/// values the editor was shown in a comment at its end: applying it then
/// changes only what the person changed, as the live round trip does, and
/// not what someone else changed meanwhile.
pub fn for_later(text: &str, shown: &[(&'static Field, String)]) -> String {
    let original: serde_json::Map<String, serde_json::Value> = shown
        .iter()
        .map(|(f, v)| (f.name.to_string(), serde_json::Value::String(v.clone())))
        .collect();
    let body: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(ORIGINAL_MARK))
        .collect();
    format!(
        "{}\n{ORIGINAL_MARK}{}\n",
        body.join("\n").trim_end(),
        serde_json::Value::Object(original)
    )
}

/// The values a kept document was shown with, if it says.
pub fn shown(text: &str) -> Option<Vec<(String, String)>> {
    let line = text.lines().find_map(|l| l.strip_prefix(ORIGINAL_MARK))?;
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).ok()?;
    Some(
        map.into_iter()
            .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
            .collect(),
    )
}

/// The text with an error message on top (replacing an earlier one).
pub fn with_error(text: &str, error: &str) -> String {
    let body: Vec<&str> = text
        .lines()
        .skip_while(|l| l.starts_with(ERROR_MARK) || l.starts_with("#   "))
        .collect();
    let mut out = String::new();
    for (i, line) in error.lines().enumerate() {
        out.push_str(if i == 0 { ERROR_MARK } else { "#   " });
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&body.join("\n"));
    out.push('\n');
    out
}

/// Reads the edited document into (field, value) pairs, in document order.
pub fn parse(kind: Kind, text: &str) -> Result<Vec<(String, String)>> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Error::Invalid(format!("the document is not valid TOML: {}", e.message()))
    })?;
    let names: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
    if let Some(key) = table.keys().find(|k| !names.contains(&k.as_str())) {
        // The same error as `--set` gives for the name.
        return Err(kind
            .field(key)
            .err()
            .unwrap_or_else(|| Error::UnknownField {
                noun: kind.noun(),
                name: key.clone(),
                suggestions: suggest::closest(key, &names, 1),
                fields: names.clone(),
            }));
    }
    // In the order the document shows them, whatever order they came in.
    let mut out = Vec::new();
    for name in names {
        let text = match table.get(name) {
            None => continue,
            Some(toml::Value::String(s)) => s.clone(),
            Some(toml::Value::Integer(n)) => n.to_string(),
            Some(other) => {
                return Err(Error::Invalid(format!(
                    "{name} must be text in quotes (or a number for a position), not {}",
                    other.type_str()
                )))
            }
        };
        out.push((name.to_string(), text));
    }
    Ok(out)
}

/// The file being edited.
pub struct DocumentFile {
    file: tempfile::NamedTempFile,
}

impl DocumentFile {
    pub fn create(text: &str) -> io::Result<DocumentFile> {
        let file = tempfile::Builder::new()
            .prefix("glossary-edit-")
            .suffix(".toml")
            .tempfile()?;
        std::fs::write(file.path(), text)?;
        Ok(DocumentFile { file })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Runs `$VISUAL`, else `$EDITOR`, else `vi` on the file and returns
    /// what it holds afterwards.
    pub fn edit(&self) -> Result<String> {
        let command = std::env::var("VISUAL")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| {
                std::env::var("EDITOR")
                    .ok()
                    .filter(|v| !v.trim().is_empty())
            })
            .unwrap_or_else(|| "vi".to_string());
        let words = shlex::split(&command)
            .filter(|w| !w.is_empty())
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "cannot read the editor command \"{command}\" (check its quotes)"
                ))
            })?;
        let status = Command::new(&words[0])
            .args(&words[1..])
            .arg(self.path())
            .status()
            .map_err(|e| {
                Error::Invalid(format!(
                    "could not start the editor \"{command}\": {e} (set VISUAL or EDITOR, or use --set)"
                ))
            })?;
        if !status.success() {
            return Err(Error::Invalid(format!(
                "the editor \"{command}\" failed ({status}); nothing was changed"
            )));
        }
        std::fs::read_to_string(self.path()).map_err(|e| Error::Io {
            path: self.path().to_path_buf(),
            source: e,
        })
    }

    /// What the file holds now.
    pub fn text(&self) -> Option<String> {
        std::fs::read_to_string(self.path()).ok()
    }

    /// Keeps the file with `text` in it; returns its path. (Dropping a
    /// draft that is not kept deletes it.)
    pub fn keep_text(self, text: &str) -> io::Result<PathBuf> {
        std::fs::write(self.path(), text)?;
        match self.file.keep() {
            Ok((_, path)) => Ok(path),
            Err(e) => Ok(e.file.path().to_path_buf()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use glossary_core::kind::Kind;

    fn faq_entry() -> Entry {
        Entry {
            kind: Kind::Faq,
            id: 1,
            parent: 1,
            label: "faq s 1".into(),
        }
    }

    #[test]
    fn render_then_parse_round_trips_awkward_text() {
        let fields = Kind::Faq.fields();
        let values = vec![
            (&fields[0], "3".to_string()),
            (&fields[1], "What's \"this\"?".to_string()),
            (
                &fields[2],
                "Two\nlines, with ''' and \"\"\" inside\\".to_string(),
            ),
        ];
        let text = render(&faq_entry(), &values);
        let parsed = parse(Kind::Faq, &text).unwrap();
        assert_eq!(
            parsed,
            vec![
                ("position".to_string(), "3".to_string()),
                ("question".to_string(), values[1].1.clone()),
                ("answer".to_string(), values[2].1.clone()),
            ]
        );
    }

    #[test]
    fn unknown_field_is_named() {
        let err = parse(Kind::Faq, "answr = \"x\"").unwrap_err().to_string();
        assert!(
            err.contains("unknown field \"answr\" (did you mean \"answer\"?)"),
            "{err}"
        );
    }

    #[test]
    fn errors_go_on_top_once() {
        let once = with_error("a = 1\n", "bad\nsecond line");
        let twice = with_error(&once, "worse");
        assert_eq!(twice, "# ERROR: worse\na = 1\n");
        assert!(is_empty("# only\n\n  # comments\n"));
        assert!(!is_empty("# c\na = 1"));
    }
}
