//! The web editor's HTML templates, files under `templates/editor/`
//! compiled in and rendered with the site's escaping and filters
//! ([`glossary_site::templates::environment`]): text from the database or a
//! form is escaped by the engine, never by hand.

use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use glossary_core::error::{Error, Result};

/// Every editor template, by the name templates use to include or extend it.
const TEMPLATES: &[(&str, &str)] = &[
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
        "editor/ideas.html",
        include_str!("../templates/editor/ideas.html"),
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
    (
        "editor/login.html",
        include_str!("../templates/editor/login.html"),
    ),
    (
        "editor/resume.html",
        include_str!("../templates/editor/resume.html"),
    ),
    (
        "editor/review.html",
        include_str!("../templates/editor/review.html"),
    ),
    (
        "editor/accounts.html",
        include_str!("../templates/editor/accounts.html"),
    ),
    (
        "editor/account.html",
        include_str!("../templates/editor/account.html"),
    ),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = glossary_site::templates::environment();
        for (name, source) in TEMPLATES {
            // The templates are part of the program: a broken one is a
            // bug that the tests of every page catch.
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
        }
        env
    })
}

/// Renders editor template `name` with `context`.
pub(crate) fn render(name: &str, context: impl Serialize) -> Result<String> {
    environment()
        .get_template(name)
        .and_then(|t| t.render(context))
        .map_err(|e| {
            let place = match e.line() {
                Some(line) => format!("{}:{line}", e.name().unwrap_or(name)),
                None => e.name().unwrap_or(name).to_string(),
            };
            let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
            Error::Template(format!("{place}: {}{detail}", e.kind()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `templates/editor/` is compiled in, and every
    /// template compiles: a page that would fail at run time fails here.
    #[test]
    fn every_template_file_is_listed_and_compiles() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/editor");
        let mut on_disk = Vec::new();
        for f in std::fs::read_dir(root).unwrap() {
            let name = f.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".html") {
                on_disk.push(format!("editor/{name}"));
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
