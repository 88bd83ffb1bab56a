//! The site's HTML templates, files under `templates/site/` compiled in
//! and rendered by minijinja with HTML auto-escaping, so text from the
//! database is escaped by the engine, never by hand. [`environment`] is
//! the one set of escaping and filters every page of glossary is rendered
//! with, the web editor's included; the editor's preview renders these
//! templates themselves: what an editor sees is what `render` writes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

use glossary_core::error::{Error, Result};

/// Every template, by the name templates use to include or extend it.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "site/base.html",
        include_str!("../templates/site/base.html"),
    ),
    (
        "site/senses.html",
        include_str!("../templates/site/senses.html"),
    ),
    (
        "site/article.html",
        include_str!("../templates/site/article.html"),
    ),
    (
        "site/term.html",
        include_str!("../templates/site/term.html"),
    ),
    (
        "site/index.html",
        include_str!("../templates/site/index.html"),
    ),
    (
        "site/letters.html",
        include_str!("../templates/site/letters.html"),
    ),
    (
        "site/listing.html",
        include_str!("../templates/site/listing.html"),
    ),
    (
        "site/pages.html",
        include_str!("../templates/site/pages.html"),
    ),
    (
        "site/letter.html",
        include_str!("../templates/site/letter.html"),
    ),
    ("site/404.html", include_str!("../templates/site/404.html")),
    (
        "site/search.html",
        include_str!("../templates/site/search.html"),
    ),
    (
        "site/redirect.html",
        include_str!("../templates/site/redirect.html"),
    ),
];

/// The site's stylesheet: `style.css` of a rendered site, inline in a page
/// rendered alone.
pub const SITE_STYLE: &str = include_str!("../templates/site/style.css");

/// The search page's script, `search.js` (see [`crate::search`]).
pub const SEARCH_SCRIPT: &str = include_str!("../templates/site/search.js");

/// The site's icon, `favicon.svg`.
pub const SITE_FAVICON: &str = include_str!("../templates/site/favicon.svg");

/// The site's files a theme may replace, as `theme init` writes them.
pub const THEME_FILES: &[&str] = &[
    "base.html",
    "article.html",
    "term.html",
    "index.html",
    "senses.html",
    "listing.html",
    "letter.html",
    "letters.html",
    "pages.html",
    "404.html",
    "search.html",
    "style.css",
    "favicon.svg",
];

/// A set of templates to render with: the built-in ones, or a theme's.
pub struct Templates {
    env: Environment<'static>,
    /// The theme's directory: its files replace the built-in site ones
    /// of the same name (`DIR/article.html` for `site/article.html`).
    theme: Option<PathBuf>,
}

/// What every environment has: the escaping, the filters, strict
/// variables (a misspelt one is an error, not an empty string).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // One escaping for the whole program ([`glossary_core::text::html`]): `/`
    // stays `/`, so links read as written.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if state.auto_escape() != AutoEscape::None && !value.is_safe() => {
            out.write_str(&glossary_core::text::html(s))?;
            Ok(())
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env.add_filter("lines", lines);
    env.add_filter("long_date", |d: &str| glossary_core::text::long_date(d));
    env
}

fn builtin_source(name: &str) -> Option<&'static str> {
    TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// A theme file's path for a template name, if the name is one a theme
/// may hold: `site/article.html` or a file of the theme's own
/// (`header.html`); never a path that climbs out of the directory.
fn theme_path(dir: &Path, name: &str) -> Option<PathBuf> {
    let rel = name.strip_prefix("site/").unwrap_or(name);
    let safe = !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    safe.then(|| dir.join(rel))
}

impl Templates {
    /// The templates compiled into glossary.
    pub fn builtin() -> &'static Templates {
        static BUILTIN: OnceLock<Templates> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut env = environment();
            for (name, source) in TEMPLATES {
                // The templates are part of the program: a broken one is a
                // bug that the tests of every page catch.
                env.add_template(name, source)
                    .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
            }
            Templates { env, theme: None }
        })
    }

    /// The theme in `dir`: its templates where it has them, the built-in
    /// ones elsewhere (as a site generator's templates override a theme's).
    pub fn theme(dir: &Path) -> Result<Templates> {
        if !dir.is_dir() {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no theme directory here (create one with `glossary theme init DIR`)",
                ),
            });
        }
        let mut env = environment();
        let root = dir.to_path_buf();
        env.set_loader(move |name| {
            if let Some(path) = theme_path(&root, name).filter(|p| p.is_file()) {
                return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("cannot read {}: {e}", path.display()),
                    )
                });
            }
            Ok(builtin_source(name).map(str::to_string))
        });
        Ok(Templates {
            env,
            theme: Some(dir.to_path_buf()),
        })
    }

    /// Renders template `name` with `context`. An error names the file and
    /// line: the theme's file where it came from there.
    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(context))
            .map_err(|e| Error::Template(self.describe(name, &e)))
    }

    /// The site's stylesheet: the theme's `style.css`, else the built-in.
    pub fn style(&self) -> Result<String> {
        self.asset("style.css", SITE_STYLE)
    }

    /// A file of the site that is not a template: the theme's, else the
    /// built-in `builtin`.
    fn asset(&self, file: &str, builtin: &str) -> Result<String> {
        match self
            .theme
            .as_ref()
            .map(|d| d.join(file))
            .filter(|p| p.is_file())
        {
            Some(path) => {
                std::fs::read_to_string(&path).map_err(|source| Error::Io { path, source })
            }
            None => Ok(builtin.to_string()),
        }
    }

    /// The built-in templates and the theme's files, with their text, for
    /// a site's fingerprint.
    pub fn files(&self) -> Result<Vec<(String, String)>> {
        // The built-in ones shape the pages too: a site built by a glossary
        // with other templates (whatever its version number) is rebuilt.
        let builtin = TEMPLATES
            .iter()
            .chain(&[("search.js", SEARCH_SCRIPT)])
            .map(|(n, t)| (format!("builtin:{n}"), (*t).to_string()));
        let mut files: Vec<(String, String)> = builtin.collect();
        let Some(dir) = &self.theme else {
            return Ok(files);
        };
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                files.push((entry.file_name().to_string_lossy().into_owned(), text));
            }
        }
        files.sort();
        Ok(files)
    }

    /// The site's icon: the theme's `favicon.svg`, else the built-in.
    pub fn favicon(&self) -> Result<String> {
        self.asset("favicon.svg", SITE_FAVICON)
    }

    fn describe(&self, asked: &str, e: &minijinja::Error) -> String {
        let name = e.name().unwrap_or(asked);
        let file = match self.theme.as_deref().and_then(|d| theme_path(d, name)) {
            Some(path) if path.is_file() => path.display().to_string(),
            _ => name.to_string(),
        };
        let place = match e.line() {
            Some(line) => format!("{file}:{line}"),
            None => file,
        };
        let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
        format!("{place}: {}{detail}", e.kind())
    }
}

/// Writes the built-in theme into `dir` (created if needed) to start a
/// theme from; refuses to replace a file there unless `force`. Returns the
/// files written.
pub fn init_theme(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let files: Vec<(PathBuf, &str)> = THEME_FILES
        .iter()
        .map(|f| {
            let source = if *f == "style.css" {
                SITE_STYLE
            } else if *f == "favicon.svg" {
                SITE_FAVICON
            } else {
                builtin_source(&format!("site/{f}")).expect("a built-in site template")
            };
            (dir.join(f), source)
        })
        .collect();
    let there: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !there.is_empty() && !force {
        return Err(Error::Refused {
            action: format!("write a theme into {}", dir.display()),
            reasons: vec![format!("these files exist: {}", there.join(", "))],
            hints: vec!["pass --force to replace them with the built-in ones".into()],
        });
    }
    let mut written = Vec::new();
    for (path, source) in files {
        std::fs::write(&path, source).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// Text with its line breaks kept: escaped, then each newline a `<br>`.
fn lines(text: Option<&str>) -> Value {
    let escaped = glossary_core::text::html(text.unwrap_or_default());
    Value::from_safe_string(escaped.replace('\n', "<br>\n"))
}

/// Renders built-in template `name` with `context`.
pub fn render(name: &str, context: impl Serialize) -> Result<String> {
    Templates::builtin().render(name, context)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `templates/` is compiled in, and every template
    /// compiles: a page that would fail at run time fails here.
    #[test]
    fn every_template_file_is_listed_and_compiles() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk = Vec::new();
        for dir in ["site"] {
            for f in std::fs::read_dir(root.join(dir)).unwrap() {
                let name = f.unwrap().file_name().into_string().unwrap();
                if name.ends_with(".html") {
                    on_disk.push(format!("{dir}/{name}"));
                }
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
        for (name, _) in TEMPLATES {
            Templates::builtin().env.get_template(name).unwrap();
        }
    }
}
