//! Synthetic seed directories in the shape of a real glossary site, for
//! benchmarks (`examples/gen/main.rs`) and stress tests: N comparisons with 5
//! differences, 5 chart rows and 22 FAQs each; about 1.5 terms per
//! comparison, shared between comparisons, with 1-8 senses each, most with
//! an example. Text has realistic lengths and exercises CSV quoting:
//! commas, double quotes, line breaks and non-ASCII letters.

use std::error::Error;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use glossary_core::model::slugify;

/// SplitMix64: small, fast, and deterministic across platforms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const SYLLABLES: &[&str] = &[
    "ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu", "va",
    "we", "xi", "yo", "zu", "bré", "ça", "dö", "fü",
];

const WORDS: &[&str] = &[
    "project",
    "budget",
    "team",
    "production",
    "film",
    "series",
    "market",
    "plant",
    "system",
    "process",
    "role",
    "decision",
    "strategy",
    "funding",
    "schedule",
    "crew",
    "audience",
    "quality",
    "resource",
    "contract",
    "studio",
    "network",
    "season",
    "release",
    "design",
    "review",
    "policy",
    "growth",
    "energy",
    "value",
    "risk",
    "client",
    "service",
    "record",
];

const DOMAINS: &[&str] = &[
    "film",
    "business",
    "ecology",
    "agriculture",
    "music",
    "law",
    "medicine",
    "finance",
    "television",
    "computing",
];

/// A unique, pronounceable name for term number `n`.
fn term_name(n: u64) -> String {
    let mut n = n;
    let mut word = String::new();
    loop {
        word.push_str(SYLLABLES[(n % SYLLABLES.len() as u64) as usize]);
        n /= SYLLABLES.len() as u64;
        if n == 0 {
            break;
        }
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => word,
    }
}

/// A sentence of about `words` words, now and then with a comma, a quoted
/// phrase, a line break or a non-ASCII word.
fn sentence(rng: &mut Rng, words: u64) -> String {
    let n = words / 2 + rng.below(words.max(1)) + 1;
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else if rng.chance(3) {
            s.push('"');
            s.push_str(w);
            s.push('"');
        } else if rng.chance(2) {
            s.push_str("café");
        } else {
            s.push_str(w);
        }
        if i + 1 < n && rng.chance(8) {
            s.push(',');
        }
    }
    if rng.chance(1) {
        s.push_str(".\nNext line");
    }
    s.push('.');
    s
}

fn writer(
    dir: &Path,
    name: &str,
    header: &[&str],
) -> Result<csv::Writer<BufWriter<File>>, Box<dyn Error>> {
    let file = BufWriter::with_capacity(1 << 20, File::create(dir.join(name))?);
    let mut w = csv::Writer::from_writer(file);
    w.write_record(header)?;
    Ok(w)
}

type Csv = csv::Writer<BufWriter<File>>;

/// The files of terms, senses and examples, their headers written.
fn term_writers(dir: &Path) -> Result<[Csv; 3], Box<dyn Error>> {
    Ok([
        writer(
            dir,
            "terms.csv",
            &["term", "part_of_speech", "note", "status"],
        )?,
        writer(
            dir,
            "senses.csv",
            &["term", "sense", "domain", "definition"],
        )?,
        writer(dir, "examples.csv", &["term", "sense", "example"])?,
    ])
}

/// Writes a seed directory with `comparisons` comparisons into `dir`; the
/// same arguments always give the same bytes.
pub fn generate(comparisons: u64, dir: &Path, seed: u64) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(seed);
    let term_count = (comparisons * 3 / 2).max(2);

    let [mut terms, mut senses, mut examples] = term_writers(dir)?;
    for t in 0..term_count {
        let name = term_name(t);
        let note = if rng.chance(10) {
            sentence(&mut rng, 8)
        } else {
            String::new()
        };
        terms.write_record([
            name.as_str(),
            rng.pick(&["noun", "verb", "adjective"]),
            &note,
            "published",
        ])?;
        for s in 1..=(1 + rng.below(8)) {
            let domain = if rng.chance(60) {
                rng.pick(DOMAINS)
            } else {
                ""
            };
            senses.write_record([&name, &s.to_string(), domain, &sentence(&mut rng, 16)])?;
            if rng.chance(80) {
                examples.write_record([&name, &s.to_string(), &sentence(&mut rng, 12)])?;
            }
        }
    }
    terms.flush()?;
    senses.flush()?;
    examples.flush()?;

    let mut comps = writer(
        dir,
        "comparisons.csv",
        &[
            "comparison",
            "left",
            "right",
            "title",
            "summary",
            "published",
            "status",
        ],
    )?;
    let mut diffs = writer(dir, "differences.csv", &["comparison", "position", "text"])?;
    let mut rows = writer(
        dir,
        "comparison_rows.csv",
        &["comparison", "position", "aspect", "left", "right"],
    )?;
    let mut faqs = writer(
        dir,
        "faqs.csv",
        &["comparison", "position", "question", "answer"],
    )?;
    for c in 0..comparisons {
        // Distinct pairs: each left term meets a different right term each
        // time round.
        let left = c % term_count;
        let right = (left + 1 + c / term_count) % term_count;
        let (l, r) = (term_name(left), term_name(right));
        let slug = format!("{}-vs-{}", slugify(&l), slugify(&r));
        let date = format!(
            "20{:02}-{:02}-{:02}",
            10 + rng.below(16),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        comps.write_record([
            slug.as_str(),
            &l,
            &r,
            &format!("{l} vs. {r}: What's the Difference?"),
            &sentence(&mut rng, 24),
            &date,
            "published",
        ])?;
        for p in 1..=5 {
            diffs.write_record([&slug, &p.to_string(), &sentence(&mut rng, 45)])?;
        }
        for p in 1..=5 {
            let aspect = format!("{} {p}", rng.pick(WORDS));
            rows.write_record([
                &slug,
                &p.to_string(),
                &aspect,
                &sentence(&mut rng, 4),
                &sentence(&mut rng, 4),
            ])?;
        }
        for p in 1..=22 {
            let question = format!(
                "Question {p}: {}?",
                sentence(&mut rng, 8).trim_end_matches('.')
            );
            faqs.write_record([&slug, &p.to_string(), &question, &sentence(&mut rng, 20)])?;
        }
    }
    comps.flush()?;
    diffs.flush()?;
    rows.flush()?;
    faqs.flush()?;
    Ok(())
}

/// Writes a dictionary the shape of WordNet into `dir`: `terms` terms with
/// their senses and examples, about 1.33 variants a term (every term's
/// plural, and a spelling for one in three) and 2 relations a term (each
/// term broader-related to a parent, making a tree four wide, and related
/// to the term two on), and no comparisons. 150,000 terms make about
/// 200,000 variants and 300,000 relations, WordNet's size.
pub fn generate_dictionary(terms: u64, dir: &Path, seed: u64) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(seed);
    let [mut term_file, mut senses, mut examples] = term_writers(dir)?;
    let mut variants = writer(dir, "variants.csv", &["term", "variant", "type"])?;
    let mut relations = writer(
        dir,
        "relations.csv",
        &["term", "sense", "relation", "target", "target_sense"],
    )?;
    for t in 0..terms {
        let name = term_name(t);
        term_file.write_record([
            name.as_str(),
            rng.pick(&["noun", "verb", "adjective"]),
            "",
            "published",
        ])?;
        for s in 1..=(1 + rng.below(3)) {
            let domain = if rng.chance(40) {
                rng.pick(DOMAINS)
            } else {
                ""
            };
            senses.write_record([&name, &s.to_string(), domain, &sentence(&mut rng, 14)])?;
            if rng.chance(60) {
                examples.write_record([&name, &s.to_string(), &sentence(&mut rng, 10)])?;
            }
        }
        // Names are consonant-vowel syllables: one ending in "s", or in a
        // doubled vowel, is no term's and no other term's variant.
        variants.write_record([&name, &format!("{name}s"), "plural"])?;
        if t % 3 == 0 {
            let last = name.chars().last().unwrap_or('a');
            variants.write_record([&name, &format!("{name}{last}"), "spelling"])?;
        }
        if t > 0 {
            let sense = if t % 3 == 0 { "1" } else { "" };
            relations.write_record([&name, sense, "broader", &term_name(t / 4), ""])?;
        }
        if t >= 1 && t + 2 < terms {
            relations.write_record([&name, "", "related", &term_name(t + 2), ""])?;
        }
    }
    for w in [
        &mut term_file,
        &mut senses,
        &mut examples,
        &mut variants,
        &mut relations,
    ] {
        w.flush()?;
    }
    Ok(())
}
