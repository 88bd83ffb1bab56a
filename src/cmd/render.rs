//! `render`: one article, or the whole site.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;

use crate::cli::{RenderArgs, RenderFormat};
use glossary_core::db::{self, Mode};
use glossary_site::render;
use glossary_site::templates::Templates;

pub fn render(db_path: &Path, a: RenderArgs) -> anyhow::Result<()> {
    let conn = db::open(db_path, Mode::Existing)?;
    if a.all {
        // A site reads most of the file: through a memory map, no copy
        // per page read.
        conn.pragma_update(None, "mmap_size", 1i64 << 32)?;
    }
    let theme;
    let templates = match &a.theme {
        Some(dir) => {
            theme = Templates::theme(dir)?;
            &theme
        }
        None => Templates::builtin(),
    };
    if a.all {
        let dir = a.out.as_deref().context("--all needs --out DIR")?;
        let started = Instant::now();
        let report = glossary_site::build::site(&conn, dir, a.drafts, templates, |_| {})?;
        let what = format!(
            "{}, {}, the listings and the index",
            super::plural(report.comparisons, "comparison page"),
            super::plural(report.terms, "term page")
        );
        let summary = super::built(&report, &what, dir);
        if !super::quiet() {
            println!("{summary}");
        }
        let secs = started.elapsed().as_secs_f64();
        super::note!(
            "rendered {} pages in {secs:.1} s ({:.0} pages/s)",
            report.files,
            report.files as f64 / secs.max(0.001)
        );
        return Ok(());
    }
    let slug = a
        .comparison
        .as_deref()
        .context("name a comparison, or use --all --out DIR")?;
    let mut out = std::io::stdout().lock();
    render::one(
        &conn,
        slug,
        a.drafts,
        a.format == RenderFormat::Html,
        templates,
        &mut out,
    )?;
    out.flush().context("writing the page")?;
    Ok(())
}

/// `theme init DIR`: the built-in theme, written out to start one from.
pub fn theme(a: crate::cli::ThemeArgs) -> anyhow::Result<()> {
    let crate::cli::ThemeCommand::Init { dir, force } = a.command;
    let written = glossary_site::templates::init_theme(&dir, force)?;
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    if !super::quiet() {
        println!(
            "wrote {} to {}: {}",
            super::plural(written.len() as u64, "file"),
            dir.display(),
            names.join(", ")
        );
    }
    super::note!(
        "render with it: glossary render --all --out site/ --theme {}",
        dir.display()
    );
    Ok(())
}

/// `site`: the settings, or one set or unset.
pub fn site_settings(db_path: &Path, a: crate::cli::SiteArgs) -> anyhow::Result<()> {
    use crate::cli::SiteCommand;
    use glossary_core::settings;
    match a.command {
        Some(SiteCommand::Set { key, value }) => {
            let stored = super::write(db_path, |c| settings::set(c, &key, &value))?;
            super::done(
                a.format,
                &format!("{key} = {stored}"),
                serde_json::json!({ "key": key, "value": stored }),
            )
        }
        Some(SiteCommand::Unset { key }) => {
            let was = super::write(db_path, |c| settings::unset(c, &key))?;
            let text = if was {
                format!("{key} is back to its default")
            } else {
                format!("{key} was not set")
            };
            super::done(
                a.format,
                &text,
                serde_json::json!({ "key": key, "unset": was }),
            )
        }
        None => {
            let conn = db::open(db_path, Mode::Existing)?;
            let s = settings::load(&conn)?;
            let json = serde_json::to_value(&s)?;
            let mut text = String::new();
            for (key, help) in settings::KEYS {
                let value = match json.get(*key) {
                    Some(serde_json::Value::String(v)) => v.clone(),
                    _ => "(not set)".to_string(),
                };
                text.push_str(&format!("{key:<12} {value}\n             {help}\n"));
            }
            super::done(a.format, text.trim_end(), json)
        }
    }
}
