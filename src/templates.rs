//! The HTML templates: the site's pages (`render`) and the web editor's
//! (`serve`), files under `templates/` compiled into the binary and
//! rendered by minijinja with HTML auto-escaping, so text from the
//! database or a form is escaped by the engine, never by hand. The editor's
//! preview renders the site's own article template: what an editor sees is
//! what `render` writes.

use std::sync::OnceLock;

use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

use crate::error::{Error, Result};

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
        "editor/base.html",
        include_str!("../templates/editor/base.html"),
    ),
    (
        "editor/macros.html",
        include_str!("../templates/editor/macros.html"),
    ),
    (
        "editor/dashboard.html",
        include_str!("../templates/editor/dashboard.html"),
    ),
    (
        "editor/list.html",
        include_str!("../templates/editor/list.html"),
    ),
    (
        "editor/search.html",
        include_str!("../templates/editor/search.html"),
    ),
    (
        "editor/results.html",
        include_str!("../templates/editor/results.html"),
    ),
    (
        "editor/term.html",
        include_str!("../templates/editor/term.html"),
    ),
    (
        "editor/comparison.html",
        include_str!("../templates/editor/comparison.html"),
    ),
    (
        "editor/new.html",
        include_str!("../templates/editor/new.html"),
    ),
    (
        "editor/history.html",
        include_str!("../templates/editor/history.html"),
    ),
    (
        "editor/change.html",
        include_str!("../templates/editor/change.html"),
    ),
    (
        "editor/conflict.html",
        include_str!("../templates/editor/conflict.html"),
    ),
    (
        "editor/import.html",
        include_str!("../templates/editor/import.html"),
    ),
    (
        "editor/message.html",
        include_str!("../templates/editor/message.html"),
    ),
];

/// The site's stylesheet: `style.css` of a rendered site, inline in a page
/// rendered alone.
pub const SITE_STYLE: &str = include_str!("../templates/site/style.css");

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            // The templates are part of the program: a broken one is a bug
            // that the tests of every page catch.
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
        }
        // One escaping for the whole program ([`crate::text::html`]): `/`
        // stays `/`, so links read as written.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(s) if state.auto_escape() != AutoEscape::None && !value.is_safe() => {
                out.write_str(&crate::text::html(s))?;
                Ok(())
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        env.add_filter("lines", lines);
        env.add_filter("long_date", |d: &str| crate::text::long_date(d));
        env
    })
}

/// Text with its line breaks kept: escaped, then each newline a `<br>`.
fn lines(text: Option<&str>) -> Value {
    let escaped = crate::text::html(text.unwrap_or_default());
    Value::from_safe_string(escaped.replace('\n', "<br>\n"))
}

/// Renders template `name` with `context`.
pub fn render(name: &str, context: impl Serialize) -> Result<String> {
    environment()
        .get_template(name)
        .and_then(|t| t.render(context))
        .map_err(|e| Error::Template(format!("{name}: {e:#}")))
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
        for dir in ["site", "editor"] {
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
            environment().get_template(name).unwrap();
        }
    }
}
