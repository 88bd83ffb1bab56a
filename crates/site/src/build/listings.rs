//! The pages that list others: the comparisons page by page, the terms A
//! to Z, and the sitemap files.

use std::fmt::Write as _;

use minijinja::context;

use super::*;

/// A page made from keyed inputs: its path, the key, and its text unless
/// the page on disk is it already.
type Keyed = (String, String, Option<String>);

/// Whether the page at a path, made from inputs with a key, is on disk as
/// the last build made it.
type Reuse<'a> = dyn Fn(&str, &str) -> bool + Sync + 'a;

/// The comparisons listed by slug, PER_PAGE to a page.
pub(super) fn comparison_listings(
    templates: &Templates,
    settings: &glossary_core::settings::Settings,
    articles: &[PublishedPage],
    fingerprint: &str,
    reuse: &Reuse<'_>,
) -> Result<Vec<Keyed>> {
    let pages = articles.len().div_ceil(PER_PAGE).max(1);
    let mut out = Vec::with_capacity(pages);
    for (i, chunk) in articles
        .chunks(PER_PAGE)
        .chain(articles.is_empty().then_some(&[][..]))
        .enumerate()
    {
        let n = i + 1;
        let rel = format!("comparisons/{n}.html");
        let (n_text, pages_text) = (n.to_string(), pages.to_string());
        let key = key_of(
            fingerprint,
            [n_text.as_str(), pages_text.as_str()]
                .into_iter()
                .chain(chunk.iter().flat_map(|e| {
                    [
                        e.path.as_str(),
                        e.title.as_str(),
                        e.published.as_deref().unwrap_or(""),
                    ]
                })),
        );
        if reuse(&rel, &key) {
            out.push((rel, key, None));
            continue;
        }
        let items: Vec<Listed<'_>> = chunk
            .iter()
            .map(|e| Listed {
                href: format!("../{}", e.path),
                title: &e.title,
                published: e.published.as_deref(),
            })
            .collect();
        let text = templates.render(
            "site/listing.html",
            context! {
                title => format!("Comparisons, page {n} of {pages}"),
                root => "../", site => settings,
                meta => Meta {
                    description: Some(format!("{}: every comparison, page {n} of {pages}.", settings.title)),
                    canonical: settings.url(&rel),
                    og_type: "website",
                    ..Meta::default()
                },
                items, n, pages,
                previous => (n > 1).then(|| format!("{}.html", n - 1)),
                next => (n < pages).then(|| format!("{}.html", n + 1)),
            },
        )?;
        out.push((rel, key, Some(text)));
    }
    Ok(out)
}

/// The terms under each initial: (initial, its terms: id, name, key).
type Initial<'t> = (String, Vec<&'t (TermId, String, String)>);

pub(super) fn initials(terms: &[(TermId, String, String)]) -> Vec<Initial<'_>> {
    let mut letters: Vec<Initial<'_>> = Vec::new();
    for t in terms {
        let initial = initial(&t.2);
        match letters.last_mut() {
            Some((l, list)) if *l == initial => list.push(t),
            _ => letters.push((initial, vec![t])),
        }
    }
    letters
}

/// The terms A to Z: a page per initial, PER_PAGE terms to a page; each
/// page's path and text.
pub(super) fn letter_pages(
    templates: &Templates,
    settings: &glossary_core::settings::Settings,
    letters: &[Initial<'_>],
    term_files: &HashMap<TermId, String>,
    letter_links: &[minijinja::Value],
    fingerprint: &str,
    reuse: &Reuse<'_>,
) -> Result<Vec<Keyed>> {
    let mut out = Vec::new();
    let initials: Vec<&str> = letters.iter().map(|(l, _)| l.as_str()).collect();
    for (letter, list) in letters {
        let pages = list.len().div_ceil(PER_PAGE);
        let file = |n: usize| {
            if n == 1 {
                format!("terms-{letter}.html")
            } else {
                format!("terms-{letter}-{n}.html")
            }
        };
        for (i, chunk) in list.chunks(PER_PAGE).enumerate() {
            let n = i + 1;
            let rel = file(n);
            let (n_text, pages_text) = (n.to_string(), pages.to_string());
            let key = key_of(
                fingerprint,
                [letter.as_str(), n_text.as_str(), pages_text.as_str()]
                    .into_iter()
                    .chain(initials.iter().copied())
                    .chain(
                        chunk
                            .iter()
                            .flat_map(|(id, name, _)| [term_files[id].as_str(), name.as_str()]),
                    ),
            );
            if reuse(&rel, &key) {
                out.push((rel, key, None));
                continue;
            }
            let items: Vec<_> = chunk
                .iter()
                .map(|(id, name, _)| context! { href => format!("terms/{}", term_files[id]), name })
                .collect();
            let text = templates.render(
                "site/letter.html",
                context! {
                    title => format!("Terms: {}{}", letter.to_uppercase(), if pages > 1 { format!(", page {n} of {pages}") } else { String::new() }),
                    root => "", site => settings,
                    meta => Meta {
                        description: Some(format!("{}: the terms under {}.", settings.title, letter.to_uppercase())),
                        canonical: settings.url(&rel),
                        og_type: "website",
                        ..Meta::default()
                    },
                    letters => letter_links, items,
                    previous => (n > 1).then(|| file(n - 1)),
                    next => (n < pages).then(|| file(n + 1)),
                },
            )?;
            out.push((rel, key, Some(text)));
        }
    }
    Ok(out)
}

/// The A–Z page a term's key files under: its first letter (`a`...`z`),
/// or `0` for anything else.
pub(super) fn initial(key: &str) -> String {
    match key.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_lowercase().to_string(),
        _ => "0".to_string(),
    }
}

/// The sitemap files for `urls` (address, day of last change): one
/// `sitemap.xml`, or, past `per_file` addresses, `sitemap-N.xml` files and
/// a `sitemap.xml` that indexes them.
pub(super) fn sitemaps(
    base: &str,
    urls: &[(String, Option<String>)],
    per_file: usize,
) -> Vec<(String, String)> {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const NS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
    let files: Vec<String> = urls
        .chunks(per_file.max(1))
        .map(|chunk| {
            let mut xml = format!("{HEAD}<urlset {NS}>\n");
            for (loc, day) in chunk {
                let _ = write!(xml, "<url><loc>{}</loc>", glossary_core::text::html(loc));
                if let Some(d) = day {
                    let _ = write!(xml, "<lastmod>{d}</lastmod>");
                }
                xml.push_str("</url>\n");
            }
            xml.push_str("</urlset>\n");
            xml
        })
        .collect();
    if files.len() <= 1 {
        return files
            .into_iter()
            .map(|x| ("sitemap.xml".to_string(), x))
            .collect();
    }
    let mut index = format!("{HEAD}<sitemapindex {NS}>\n");
    let mut out = Vec::new();
    for (i, xml) in files.into_iter().enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc></sitemap>",
            glossary_core::text::html(&format!("{base}{name}"))
        );
        out.push((name, xml));
    }
    index.push_str("</sitemapindex>\n");
    out.push(("sitemap.xml".to_string(), index));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::listings::initial;

    #[test]
    fn a_long_sitemap_is_split_under_an_index() {
        let urls: Vec<(String, Option<String>)> = (0..5)
            .map(|i| {
                (
                    format!("https://e.org/p{i}.html"),
                    (i % 2 == 0).then(|| "2024-01-02".to_string()),
                )
            })
            .collect();
        let one = sitemaps("https://e.org/", &urls, 10);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert_eq!(one[0].1.matches("<url>").count(), 5);
        assert!(one[0]
            .1
            .contains("<url><loc>https://e.org/p0.html</loc><lastmod>2024-01-02</lastmod></url>"));
        let split = sitemaps("https://e.org/", &urls, 2);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        assert!(split[3]
            .1
            .contains("<sitemap><loc>https://e.org/sitemap-3.xml</loc></sitemap>"));
        assert_eq!(split[2].1.matches("<url>").count(), 1);
    }

    #[test]
    fn terms_file_under_their_first_letter() {
        assert_eq!(initial("producer"), "p");
        assert_eq!(initial("3d printing"), "0");
        assert_eq!(initial(""), "0");
    }
}
