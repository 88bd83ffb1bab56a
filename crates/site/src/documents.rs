//! `export --as markdown|json`: one document per published article and
//! term, for teams whose site is built by Hugo, Zola, Jekyll or Astro.
//!
//! Markdown files carry the structured fields in front matter (YAML, or
//! TOML) and the article as Markdown below; JSON files carry the whole
//! entry. Both are written as the site is ([`crate::build::Writer`]): only
//! files whose content changed, and what an earlier export wrote and this
//! one does not (an entry removed, renamed or unpublished) deleted.

use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;
use serde_json::{json, Value};

use crate::build::{comparison_slugs, term_files, Writer, Written};
use crate::render;
use glossary_core::error::{Error, Result};
use glossary_core::history;
use glossary_core::kind::Kind;
use glossary_core::view;

/// What the documents are written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Documents {
    Markdown(FrontMatter),
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum FrontMatter {
    /// `---` fenced YAML (Hugo, Jekyll, Astro, Zola)
    Yaml,
    /// `+++` fenced TOML (Hugo, Zola)
    Toml,
}

/// An article's structured fields, as front matter or JSON.
fn article_fields(p: &render::Page, updated: Option<&str>) -> Value {
    let h = &p.article.header;
    json!({
        "title": p.title(),
        "slug": h.comparison,
        "date": h.published,
        "updated": updated,
        "summary": h.summary,
        "terms": [h.left, h.right],
        "differences": p.article.differences.iter().map(|d| &d.text).collect::<Vec<_>>(),
        "chart": p.article.rows.iter().map(|r| json!({ "aspect": r.aspect, "left": r.left, "right": r.right })).collect::<Vec<_>>(),
        "faqs": p.article.faqs.iter().map(|f| json!({ "question": f.question, "answer": f.answer })).collect::<Vec<_>>(),
    })
}

fn term_fields(t: &view::TermEntry, slug: &str, updated: Option<&str>) -> Value {
    json!({
        "title": t.term,
        "slug": slug,
        "updated": updated,
        "part_of_speech": t.part_of_speech,
        "note": t.note,
        "senses": t.senses,
        "comparisons": t.comparisons.iter().map(|c| &c.comparison).collect::<Vec<_>>(),
    })
}

/// Markdown below the title: front matter carries the title.
fn body(markdown: &str) -> &str {
    match markdown.strip_prefix("# ") {
        Some(rest) => rest.split_once("\n\n").map_or("", |(_, b)| b),
        None => markdown,
    }
}

/// Values without nulls (TOML has none; YAML readers need not see them).
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// YAML in block style, every string double-quoted with JSON's escapes
/// (which YAML's double-quoted scalars share): no value can be read as
/// another type (`no`, `1.0`, a date) or break the document.
fn yaml(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::Object(m) if !m.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        yaml(v, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        yaml(v, indent, out);
                    }
                    _ => out.push_str(&format!("{pad}{k}: {}\n", scalar(v))),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        let mut inner = String::new();
                        yaml(item, indent + 2, &mut inner);
                        // The first key on the dash's line.
                        out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                    }
                    _ => out.push_str(&format!("{pad}- {}\n", scalar(item))),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        other => other.to_string(),
    }
}

fn front_matter(fields: Value, style: FrontMatter) -> Result<String> {
    let fields = without_nulls(fields);
    match style {
        FrontMatter::Yaml => {
            let mut out = String::from("---\n");
            yaml(&fields, 0, &mut out);
            out.push_str("---\n");
            Ok(out)
        }
        FrontMatter::Toml => {
            let text = toml::to_string(&fields)
                .map_err(|e| Error::Invalid(format!("cannot write TOML front matter: {e}")))?;
            Ok(format!("+++\n{text}+++\n"))
        }
    }
}

fn json_document(v: &impl Serialize) -> Result<String> {
    let mut text = serde_json::to_string_pretty(v)
        .map_err(|e| Error::Invalid(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// Writes `comparisons/SLUG.md|json` per public comparison and
/// `terms/NAME.md|json` per published term into `dir`.
pub fn export(conn: &Connection, dir: &Path, as_: Documents) -> Result<Written> {
    let mut out = Writer::new(dir);
    let mut report = Written::default();
    let ext = match as_ {
        Documents::Markdown(_) => "md",
        Documents::Json => "json",
    };
    let comparison_days = history::last_change_days(conn, Kind::Comparison)?;
    let term_days = history::last_change_days(conn, Kind::Term)?;
    for slug in comparison_slugs(conn, false)? {
        let p = render::page(conn, &slug)?;
        let updated = comparison_days
            .get(&p.article.header.id.0)
            .map(String::as_str);
        let text = match as_ {
            Documents::Markdown(style) => {
                let fields = article_fields(&p, updated);
                format!(
                    "{}\n{}",
                    front_matter(fields, style)?,
                    body(&render::markdown(&p))
                )
            }
            Documents::Json => {
                let mut doc =
                    serde_json::to_value(&p).map_err(|e| Error::Invalid(e.to_string()))?;
                doc["title"] = p.title().into();
                doc["updated"] = json!(updated);
                json_document(&doc)?
            }
        };
        out.put(Path::new(&format!("comparisons/{slug}.{ext}")), &text)?;
        report.comparisons += 1;
    }
    let (files, list) = term_files(conn, false)?;
    for (id, name, _) in &list {
        let t = view::term(conn, name)?;
        let stem = files[id].trim_end_matches(".html");
        let updated = term_days.get(&id.0).map(String::as_str);
        let text = match as_ {
            Documents::Markdown(style) => {
                let fields = term_fields(&t, stem, updated);
                format!(
                    "{}\n{}",
                    front_matter(fields, style)?,
                    body(&crate::term::term_markdown(&t))
                )
            }
            Documents::Json => {
                let mut doc =
                    serde_json::to_value(&t).map_err(|e| Error::Invalid(e.to_string()))?;
                doc["slug"] = stem.into();
                doc["updated"] = json!(updated);
                json_document(&doc)?
            }
        };
        out.put(Path::new(&format!("terms/{stem}.{ext}")), &text)?;
        report.terms += 1;
    }
    report.files = out.files;
    report.unchanged = out.unchanged;
    report.deleted = out.finish()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_quotes_every_string() {
        let v = json!({
            "title": "No: \"yes\" # not a comment",
            "date": "2023-12-02",
            "terms": ["Producer", "on"],
            "chart": [{ "aspect": "Role", "left": "a\nb" }],
            "faqs": [],
            "missing": null,
        });
        let text = front_matter(v, FrontMatter::Yaml).unwrap();
        assert_eq!(
            text,
            "---\ntitle: \"No: \\\"yes\\\" # not a comment\"\ndate: \"2023-12-02\"\nterms:\n- \"Producer\"\n- \"on\"\nchart:\n- aspect: \"Role\"\n  left: \"a\\nb\"\nfaqs: []\n---\n"
        );
        let toml_text = front_matter(
            json!({ "title": "T", "chart": [{ "aspect": "A" }], "x": null }),
            FrontMatter::Toml,
        )
        .unwrap();
        let parsed: toml::Value = toml::from_str(
            toml_text
                .trim_start_matches("+++\n")
                .trim_end_matches("+++\n"),
        )
        .unwrap();
        assert_eq!(parsed["chart"][0]["aspect"].as_str(), Some("A"));
    }

    #[test]
    fn the_body_leaves_out_the_title() {
        assert_eq!(body("# Title\n\nText.\n"), "Text.\n");
    }
}
