//! `render`: one article, or the whole site.

use std::io::Write;
use std::time::Instant;

use anyhow::Context;

use glossary_core::db::{self, Mode};
use glossary_site::render;
use glossary_site::templates::Templates;

use crate::cmd::Globals;
use crate::output::{Format, TEXT_JSON};
use clap::{Args, Subcommand};

pub(crate) const SITE_HELP: &str = "\
The settings every page `render` writes uses, kept in the database:
  title        the site's name (default: Glossary)
  base_url     where it is published: canonical links, sitemap, Open Graph
  language     the pages' language tag (default: en)
  publisher    the articles' author and publisher in their structured data
  description  one sentence on the glossary, for the front page

Examples:
  glossary site
  glossary site set base_url https://example.com/glossary/
  glossary site set title 'The Film Glossary'
  glossary site unset publisher";

pub(crate) const THEME_HELP: &str = "\
A theme is a directory of minijinja templates (https://docs.rs/minijinja)
and a style.css. `render --theme DIR` uses the files DIR has and the
built-in ones for the rest, so a theme may hold only the page it changes.
`theme init DIR` writes the built-in theme there to start from: base.html
(the page around everything), article.html, term.html, index.html,
senses.html (a term's numbered senses) and style.css. Text is escaped by
the engine; a template error names the file and line. Article and term
pages may call autolink(text, section, domain): the text with its mentions
of published terms linked, their definitions as tooltips (the site setting
autolink: first, all or off).

Examples:
  glossary theme init mytheme
  glossary render --all --out site/ --theme mytheme";

pub(crate) const RENDER_HELP: &str = "\
Examples:
  glossary render producer-vs-executive-producer              (Markdown)
  glossary render producer-vs-executive-producer --format html > page.html
  glossary render --all --out site/                           (a static site)

Drafts are left out (render of a draft is refused) unless --drafts.
--theme DIR renders with a theme's templates (see `glossary theme`).";

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["comparison", "all"])))]
pub(crate) struct RenderArgs {
    /// The comparison's slug
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub(crate) comparison: Option<String>,
    /// Every published comparison and term, as a static HTML site (needs --out)
    #[arg(long, requires = "out")]
    pub(crate) all: bool,
    /// With --all: the directory to write the site to
    #[arg(long, value_name = "DIR", requires = "all")]
    pub(crate) out: Option<std::path::PathBuf>,
    /// markdown or html (for one comparison)
    #[arg(long, value_enum, default_value_t = RenderFormat::Markdown)]
    pub(crate) format: RenderFormat,
    /// Include drafts
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Templates to use where DIR has them (see `glossary theme init`)
    #[arg(long, value_name = "DIR")]
    pub(crate) theme: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SiteArgs {
    #[command(subcommand)]
    pub(crate) command: Option<SiteCommand>,
    /// Output format (of the settings shown)
    #[arg(long, default_value = "text", value_parser = Format::only(TEXT_JSON))]
    pub(crate) format: Format,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SiteCommand {
    /// Set KEY to VALUE
    Set { key: String, value: String },
    /// Put KEY back to its default
    Unset { key: String },
}

#[derive(Debug, Args)]
pub(crate) struct ThemeArgs {
    #[command(subcommand)]
    pub(crate) command: ThemeCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ThemeCommand {
    /// Write the built-in theme into DIR, to change
    Init {
        /// The theme's directory (created if needed)
        dir: std::path::PathBuf,
        /// Replace files of the same names there
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum RenderFormat {
    Markdown,
    Html,
}

pub fn render(ctx: &Globals, a: RenderArgs) -> anyhow::Result<()> {
    let conn = db::open(ctx.db(), Mode::Existing)?;
    if a.all {
        // A site reads most of the file: through a memory map, no copy
        // per page read.
        db::tune(&conn, db::Tuning::Build)?;
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
            "{}, {}, {}the listings, the front page and the search index",
            super::plural(report.comparisons, "comparison page"),
            super::plural(report.terms, "term page"),
            match report.redirects {
                0 => String::new(),
                n => format!("{} from old addresses, ", super::plural(n, "redirect")),
            }
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
pub fn theme(a: ThemeArgs) -> anyhow::Result<()> {
    let ThemeCommand::Init { dir, force } = a.command;
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
pub fn site_settings(ctx: &Globals, a: SiteArgs) -> anyhow::Result<()> {
    use glossary_core::settings;
    match a.command {
        Some(SiteCommand::Set { key, value }) => {
            let stored = super::write(ctx, |c| settings::set(c, &key, &value))?;
            super::done(
                a.format,
                &format!("{key} = {stored}"),
                serde_json::json!({ "key": key, "value": stored }),
            )
        }
        Some(SiteCommand::Unset { key }) => {
            let was = super::write(ctx, |c| settings::unset(c, &key))?;
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
            let conn = db::open(ctx.db(), Mode::Existing)?;
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
