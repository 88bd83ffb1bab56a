//! A segment of the index: its records, numbered from 0 (articles and
//! their FAQs first, then terms, so the kind filter is a comparison), as
//! the files the search page fetches.
//!
//! Lists of record numbers are stored as the gaps between them (small
//! numbers, short in JSON); a word's list has each gap shifted left by 3
//! with the word's weight in the record below (1 to 7).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Coded, Doc};

/// Records shown per `d-N.json` file: a page of results fetches a few of
/// these, each a few kilobytes.
pub(crate) const PER_FILE: usize = 32;
/// A word file is closed once it passes this many bytes (a word with a
/// longer list has a file of its own).
const WORD_FILE_BYTES: usize = 32 * 1024;

/// A segment's files, paths relative to its directory.
pub(crate) struct Segment {
    /// `s-` and the hash of its files: a new segment is a new directory,
    /// so a reader's cache never mixes two.
    pub(crate) name: String,
    pub(crate) files: Vec<(String, String)>,
    pub(crate) domains: Vec<String>,
}

/// Writes `ids` (ascending) as gaps.
fn gaps(ids: impl IntoIterator<Item = u32>, out: &mut String) {
    out.push('[');
    let mut prev = 0;
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", id - prev);
        prev = id;
    }
    out.push(']');
}

/// The segment of `docs` (each with its coded words; articles before
/// terms), whose words are named in `words`, that replaces the records
/// `dead` of the segment before it.
pub(crate) fn build(docs: &[(Doc, Coded)], words: &[Box<str>], dead: &[u32]) -> Segment {
    let terms = docs.iter().position(|(d, _)| d.term).unwrap_or(docs.len());
    debug_assert!(docs[terms..].iter().all(|(d, _)| d.term));
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
    for (id, (_, coded)) in docs.iter().enumerate() {
        for code in coded {
            postings[(code >> 3) as usize].push(((id as u32) << 3) | (code & 7));
        }
    }
    let mut used: Vec<usize> = (0..words.len())
        .filter(|w| !postings[*w].is_empty())
        .collect();
    used.sort_unstable_by(|a, b| words[*a].cmp(&words[*b]));

    let mut files: Vec<(String, String)> = Vec::new();
    let mut firsts: Vec<&str> = Vec::new();
    let mut chunk = String::new();
    let close = |chunk: &mut String, files: &mut Vec<(String, String)>| {
        chunk.push('}');
        files.push((format!("w-{}.json", files.len()), std::mem::take(chunk)));
    };
    let mut entry = String::new();
    for w in used {
        // A word is letters and digits only: nothing to escape.
        entry.clear();
        let _ = write!(entry, "\"{}\":[", words[w]);
        let mut prev = 0;
        for (i, p) in postings[w].iter().enumerate() {
            if i > 0 {
                entry.push(',');
            }
            let id = p >> 3;
            let _ = write!(entry, "{}", ((id - prev) << 3) | (p & 7));
            prev = id;
        }
        entry.push(']');
        // A long list has a file of its own: a rare word never brings a
        // common one's list with it.
        if !chunk.is_empty() && entry.len() >= WORD_FILE_BYTES {
            close(&mut chunk, &mut files);
        }
        if chunk.is_empty() {
            firsts.push(&words[w]);
            chunk.push('{');
        } else {
            chunk.push(',');
        }
        chunk.push_str(&entry);
        if chunk.len() >= WORD_FILE_BYTES {
            close(&mut chunk, &mut files);
        }
    }
    if !chunk.is_empty() {
        close(&mut chunk, &mut files);
    }

    let mut by_domain: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (id, (d, _)) in docs.iter().enumerate() {
        for domain in &d.domains {
            by_domain.entry(domain).or_default().push(id as u32);
        }
    }
    let mut domain_files = serde_json::Map::new();
    for (i, (domain, ids)) in by_domain.iter().enumerate() {
        let mut text = String::new();
        gaps(ids.iter().copied(), &mut text);
        files.push((format!("x-{i}.json"), text));
        domain_files.insert((*domain).to_string(), i.into());
    }

    for (i, group) in docs.chunks(PER_FILE).enumerate() {
        let shown: Vec<serde_json::Value> = group
            .iter()
            .map(|(d, _)| serde_json::json!([d.url, d.title, d.excerpt]))
            .collect();
        files.push((
            format!("d-{i}.json"),
            serde_json::Value::Array(shown).to_string(),
        ));
    }

    let mut dead_text = String::new();
    gaps(dead.iter().copied(), &mut dead_text);
    let meta = serde_json::json!({
        "docs": docs.len(),
        "terms": terms,
        "per": PER_FILE,
        "words": firsts,
        "domains": domain_files,
        "dead": serde_json::from_str::<serde_json::Value>(&dead_text).unwrap_or_default(),
    });
    files.push(("meta.json".to_string(), meta.to_string()));

    let mut hash = 0xcbf2_9ce4_8422_2325;
    for (name, text) in &files {
        hash = crate::build::fnv(name.as_bytes(), hash);
        hash = crate::build::fnv(text.as_bytes(), hash);
    }
    Segment {
        name: format!("s-{hash:016x}"),
        files,
        domains: by_domain.keys().map(|d| (*d).to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{tokens::STOP, Interner};

    fn doc(url: &str, term: bool, text: &str, domains: &[&str]) -> Doc {
        Doc {
            url: url.into(),
            title: url.into(),
            excerpt: String::new(),
            domains: domains.iter().map(|d| d.to_string()).collect(),
            term,
            fields: vec![(1, text.into())],
        }
    }

    #[test]
    fn a_segment_lists_each_word_with_its_records_as_gaps_and_weights() {
        let interner = Interner::default();
        let docs: Vec<(Doc, Coded)> = [
            doc("a.html", false, "film budget", &["film"]),
            doc("b.html", false, "budget", &[]),
            doc("t.html", true, "budget film film", &["film"]),
        ]
        .into_iter()
        .map(|d| {
            let c = interner.code(&d, STOP);
            (d, c)
        })
        .collect();
        let words = interner.into_words();
        let s = build(&docs, &words, &[3, 7]);
        let file = |name: &str| {
            serde_json::from_str::<serde_json::Value>(
                &s.files.iter().find(|(n, _)| n == name).unwrap().1,
            )
            .unwrap()
        };
        let meta = file("meta.json");
        assert_eq!(meta["docs"], 3);
        assert_eq!(meta["terms"], 2);
        assert_eq!(meta["words"], serde_json::json!(["budget"]));
        assert_eq!(meta["dead"], serde_json::json!([3, 4]));
        // budget: records 0, 1, 2 (gaps 0, 1, 1), weight 1 each.
        let w = file("w-0.json");
        assert_eq!(w["budget"], serde_json::json!([1, 9, 9]));
        assert_eq!(w["film"], serde_json::json!([1, 17]));
        assert_eq!(file("x-0.json"), serde_json::json!([0, 2]));
        assert_eq!(meta["domains"]["film"], 0);
        assert_eq!(file("d-0.json")[2][0], "t.html");
        assert_eq!(s.domains, ["film"]);
        assert!(s.name.starts_with("s-"));
    }
}
