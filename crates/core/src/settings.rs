//! The published site's settings (migration V8): its title, base URL,
//! language, publisher and description, which every page `render` writes
//! uses. The SQL of `site_settings` is here.

use rusqlite::{params, Connection};
use serde::Serialize;

use crate::error::{Error, Result};

/// The file beside the CSV files of an export that holds the settings
/// (`key,value`), which `import` reads back: a site rebuilt from an export
/// keeps its title, canonical links and sitemap.
pub const FILE: &str = "site.csv";

/// Every setting set, as (key, value), in the order of [`KEYS`].
pub fn stored(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT key, value FROM site_settings")?;
    let mut all: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    all.sort_by_key(|(k, _)| KEYS.iter().position(|(known, _)| known == k));
    Ok(all)
}

/// The value `key` has now, if it is set.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT value FROM site_settings WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every setting, with what it is for (`glossary site` lists them).
pub const KEYS: &[(&str, &str)] = &[
    ("title", "the site's name, in every page's title and header (default: Glossary)"),
    ("base_url", "where the site is published, such as https://example.com/glossary/ (canonical links, sitemap, Open Graph)"),
    ("language", "the pages' language, such as en or en-GB (default: en)"),
    ("publisher", "who publishes the site: the author and publisher of the articles' structured data"),
    ("description", "one sentence on the glossary, for the front page's description"),
    ("autolink", "which mentions of a published term link to its page, with its definition on hover: first (in each section of a page; the default), all, or off"),
];

/// The settings, with defaults for those not set.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Settings {
    pub title: String,
    /// Ends with `/`.
    pub base_url: Option<String>,
    pub language: String,
    pub publisher: Option<String>,
    pub description: Option<String>,
    /// `first`, `all` or `off`.
    pub autolink: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            title: "Glossary".into(),
            base_url: None,
            language: "en".into(),
            publisher: None,
            description: None,
            autolink: "first".into(),
        }
    }
}

impl Settings {
    /// The absolute URL of `path` (relative to the site root), if the
    /// base URL is set.
    pub fn url(&self, path: &str) -> Option<String> {
        self.base_url.as_ref().map(|b| format!("{b}{path}"))
    }
}

pub fn load(conn: &Connection) -> Result<Settings> {
    let mut s = Settings::default();
    let mut stmt = conn.prepare_cached("SELECT key, value FROM site_settings")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        match key.as_str() {
            "title" => s.title = value,
            "base_url" => s.base_url = Some(value),
            "language" => s.language = value,
            "publisher" => s.publisher = Some(value),
            "description" => s.description = Some(value),
            "autolink" => s.autolink = value,
            _ => {}
        }
    }
    Ok(s)
}

/// The value as stored, or why it cannot be.
fn check(key: &str, value: &str) -> Result<String> {
    if !KEYS.iter().any(|(k, _)| *k == key) {
        let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        let close = crate::suggest::closest(key, known.iter().copied(), 1);
        return Err(Error::Invalid(match close.first() {
            Some(c) => format!("there is no site setting \"{key}\" (did you mean \"{c}\"?)"),
            None => format!(
                "there is no site setting \"{key}\" (the settings are {})",
                known.join(", ")
            ),
        }));
    }
    let value = value.trim();
    crate::edit::required(key, value)?;
    match key {
        "base_url" => {
            let ok = (value.starts_with("https://") || value.starts_with("http://"))
                && value.len() > "https://".len()
                && !value.contains(char::is_whitespace)
                && !value.contains(['?', '#']);
            if !ok {
                return Err(Error::BadValue {
                    field: key.into(),
                    problem: format!("must be an http or https address such as https://example.com/glossary/, not \"{value}\""),
                });
            }
            Ok(if value.ends_with('/') {
                value.to_string()
            } else {
                format!("{value}/")
            })
        }
        "language" => {
            let ok = value.split('-').enumerate().all(|(i, part)| {
                let letters = if i == 0 {
                    (2..=3).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphabetic())
                } else {
                    (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
                };
                letters
            });
            if !ok {
                return Err(Error::BadValue {
                    field: key.into(),
                    problem: format!(
                        "must be a language tag such as en, fr or en-GB, not \"{value}\""
                    ),
                });
            }
            Ok(value.to_string())
        }
        "autolink" => match value {
            "first" | "all" | "off" => Ok(value.to_string()),
            _ => Err(Error::BadValue {
                field: key.into(),
                problem: format!("must be first, all or off, not \"{value}\""),
            }),
        },
        _ => Ok(value.to_string()),
    }
}

/// Sets `key` to `value`; returns the value as stored.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<String> {
    let value = check(key, value)?;
    conn.execute(
        "INSERT INTO site_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(value)
}

/// Back to the default; whether it was set.
pub fn unset(conn: &Connection, key: &str) -> Result<bool> {
    check(key, "x").map(|_| ()).or_else(|e| match e {
        Error::BadValue { .. } => Ok(()),
        e => Err(e),
    })?;
    Ok(conn.execute("DELETE FROM site_settings WHERE key = ?1", [key])? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_kept() {
        let conn = crate::db::open_in_memory().unwrap();
        assert_eq!(load(&conn).unwrap(), Settings::default());
        assert_eq!(
            set(&conn, "base_url", " https://example.com/g ").unwrap(),
            "https://example.com/g/"
        );
        assert_eq!(set(&conn, "language", "en-GB").unwrap(), "en-GB");
        assert!(set(&conn, "language", "english!").is_err());
        assert!(set(&conn, "base_url", "example.com").is_err());
        assert!(set(&conn, "colour", "red").is_err());
        assert!(set(&conn, "title", "  ").is_err());
        let s = load(&conn).unwrap();
        assert_eq!(
            s.url("compare/a.html").as_deref(),
            Some("https://example.com/g/compare/a.html")
        );
        assert!(unset(&conn, "language").unwrap());
        assert_eq!(load(&conn).unwrap().language, "en");
        // The schema holds the same rules for the sqlite3 shell.
        assert!(conn
            .execute(
                "INSERT INTO site_settings VALUES ('base_url', 'ftp://x/')",
                []
            )
            .is_err());
        assert!(conn
            .execute("INSERT INTO site_settings VALUES ('colour', 'red')", [])
            .is_err());
    }
}
