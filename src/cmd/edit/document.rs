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

use glossary_core::edit::lists::{self, Item};
use glossary_core::edit::Entry;
use glossary_core::error::{Error, Result};
use glossary_core::kind::{Field, FieldType, Kind};
use glossary_core::suggest;

const ERROR_MARK: &str = "# ERROR: ";

/// What a document shows: the entry's fields, and for a term its lists
/// (variants, the relations written from it).
pub struct Shown {
    pub fields: Vec<(&'static Field, String)>,
    pub lists: Vec<(Kind, Vec<Item>)>,
}

/// What a document holds: the fields it has, and the lists it has (a list
/// left out of a hand-written document is left as it is).
#[derive(Debug)]
pub struct Parsed {
    pub fields: Vec<(String, String)>,
    pub lists: Vec<(Kind, Vec<Item>)>,
}

/// The document for `entry` with its current values.
pub fn render(entry: &Entry, shown: &Shown) -> String {
    let values = &shown.fields;
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
    for (kind, items) in &shown.lists {
        out.push_str(&list(*kind, items));
    }
    out
}

/// A list as a TOML array of inline tables, one item a line, with what
/// each field means from the registry.
fn list(kind: Kind, items: &[Item]) -> String {
    let plural = kind.spec().plural;
    let mut out = format!(
        "\n# {}: add, change, reorder or delete lines (one per {}).\n",
        capitalized(plural),
        kind.word()
    );
    if kind == Kind::Relation {
        out.push_str("# Those written from another term are listed on its page.\n");
    }
    for f in kind.fields().iter().filter(|f| f.name != "position") {
        out.push_str(&format!("#   {}: {}\n", f.name, f.help));
    }
    if items.is_empty() {
        out.push_str(&format!("{plural} = []\n"));
        return out;
    }
    out.push_str(&format!("{plural} = [\n"));
    for item in items {
        let pairs: Vec<String> = item
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(name, v)| match v.parse::<i64>() {
                Ok(n) if name.ends_with("sense") => format!("{name} = {n}"),
                _ => format!("{name} = {}", toml::Value::String(v.clone())),
            })
            .collect();
        out.push_str(&format!("    {{ {} }},\n", pairs.join(", ")));
    }
    out.push_str("]\n");
    out
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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
pub fn for_later(text: &str, shown: &Shown) -> String {
    use serde_json::Value;
    let mut original: serde_json::Map<String, Value> = shown
        .fields
        .iter()
        .map(|(f, v)| (f.name.to_string(), Value::String(v.clone())))
        .collect();
    for (kind, items) in &shown.lists {
        let items = items
            .iter()
            .map(|item| {
                Value::Object(
                    item.iter()
                        .map(|(n, v)| (n.clone(), Value::String(v.clone())))
                        .collect(),
                )
            })
            .collect();
        original.insert(kind.spec().plural.to_string(), Value::Array(items));
    }
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

/// The values a kept document was shown with, if it says: its fields by
/// name, and its lists.
#[allow(clippy::type_complexity)]
pub fn shown(text: &str) -> Option<(Vec<(String, String)>, Vec<(Kind, Vec<Item>)>)> {
    let line = text.lines().find_map(|l| l.strip_prefix(ORIGINAL_MARK))?;
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).ok()?;
    let mut fields = Vec::new();
    let mut lists = Vec::new();
    for (k, v) in map {
        match v {
            serde_json::Value::String(s) => fields.push((k, s)),
            serde_json::Value::Array(items) => {
                let Some(kind) = lists::TERM_LISTS
                    .into_iter()
                    .find(|kind| kind.spec().plural == k)
                else {
                    continue;
                };
                // In the registry's order of fields, as the lists compare.
                let items = items
                    .iter()
                    .filter_map(|item| {
                        let item = item.as_object()?;
                        Some(
                            kind.fields()
                                .iter()
                                .filter_map(|f| {
                                    let v = item.get(f.name)?.as_str()?;
                                    Some((f.name.to_string(), v.to_string()))
                                })
                                .collect(),
                        )
                    })
                    .collect();
                lists.push((kind, items));
            }
            _ => {}
        }
    }
    Some((fields, lists))
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

/// Reads the edited document into (field, value) pairs, in document order,
/// and the lists it has.
pub fn parse(kind: Kind, text: &str) -> Result<Parsed> {
    let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Error::Invalid(format!("the document is not valid TOML: {}", e.message()))
    })?;
    let mut lists = Vec::new();
    if kind == Kind::Term {
        for list in lists::TERM_LISTS {
            if let Some(value) = table.remove(list.spec().plural) {
                lists.push((list, items(list, value)?));
            }
        }
    }
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
    Ok(Parsed { fields: out, lists })
}

/// A list read from the document: an array of tables whose fields are the
/// kind's (position aside: the order is the position).
fn items(kind: Kind, value: toml::Value) -> Result<Vec<Item>> {
    let plural = kind.spec().plural;
    let toml::Value::Array(array) = value else {
        return Err(Error::Invalid(format!(
            "{plural} must be a list in [ ], one {{ ... }} per {}",
            kind.word()
        )));
    };
    let names: Vec<&str> = kind
        .fields()
        .iter()
        .map(|f| f.name)
        .filter(|n| *n != "position")
        .collect();
    let mut out = Vec::new();
    for (i, value) in array.into_iter().enumerate() {
        let at = format!("{plural} {}", i + 1);
        let toml::Value::Table(table) = value else {
            return Err(Error::Invalid(format!(
                "{at}: write it as {{ {} = ... }}",
                names[0]
            )));
        };
        if let Some(key) = table.keys().find(|k| !names.contains(&k.as_str())) {
            let hint = suggest::closest(key, &names, 1)
                .first()
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            return Err(Error::Invalid(format!(
                "{at}: unknown field \"{key}\"{hint}; {} has {}",
                kind.noun(),
                names.join(", ")
            )));
        }
        let mut item = Item::new();
        for name in &names {
            let text = match table.get(*name) {
                None => String::new(),
                Some(toml::Value::String(s)) => s.clone(),
                Some(toml::Value::Integer(n)) => n.to_string(),
                Some(other) => {
                    return Err(Error::Invalid(format!(
                        "{at}: {name} must be text in quotes or a number, not {}",
                        other.type_str()
                    )))
                }
            };
            item.push((name.to_string(), text));
        }
        out.push(item);
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
        let shown = Shown {
            fields: values.clone(),
            lists: Vec::new(),
        };
        let text = render(&faq_entry(), &shown);
        let parsed = parse(Kind::Faq, &text).unwrap().fields;
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
    fn a_terms_lists_round_trip_awkward_text() {
        let entry = Entry {
            kind: Kind::Term,
            id: 1,
            parent: 0,
            label: "term T".into(),
        };
        let item = |pairs: &[(&str, &str)]| -> Item {
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        let lists = vec![
            (
                Kind::Variant,
                vec![item(&[("variant", "say \"hi\" ' \\"), ("type", "form")])],
            ),
            (
                Kind::Relation,
                vec![item(&[
                    ("sense", "2"),
                    ("relation", "synonym"),
                    ("target", "Tom's term"),
                    ("target_sense", ""),
                ])],
            ),
        ];
        let shown = Shown {
            fields: Vec::new(),
            lists: lists.clone(),
        };
        let text = render(&entry, &shown);
        assert!(
            text.contains("{ sense = 2, relation = \"synonym\""),
            "{text}"
        );
        let parsed = parse(Kind::Term, &text).unwrap();
        assert_eq!(parsed.lists, lists);
        // A kept document says what it showed, lists included.
        let (_, kept) = super::shown(&for_later(&text, &shown)).unwrap();
        assert_eq!(kept, lists);
        // Lists belong to terms only.
        assert!(parse(Kind::Faq, "variants = []").is_err());
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
