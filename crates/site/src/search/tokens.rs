//! The words of a text as the search index holds them, and as the search
//! page's script reads a query (`search.js` does the same steps: the two
//! must agree, and a test of each side pins them).
//!
//! A word is a run of letters and digits, lowercased, with its accents
//! taken off ("Rôle" and "role" are one word), two characters or more and
//! at most [`LONGEST`]. English sites leave out the [`STOP`] words, which
//! every page has and no search is about.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Words longer than this are not indexed (a URL, a chemical name).
pub(crate) const LONGEST: usize = 40;

/// Words an English page has whatever it is about: left out of the index
/// and of queries. Written into the index, so the script drops the same.
pub(crate) const STOP: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "has",
    "have", "how", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "to", "was", "were", "what", "when", "where",
    "which", "who", "why", "will", "with", "vs",
];

/// The stop words of a site in `language` (a BCP 47 tag): English ones
/// for English, none for others (better a larger index than a lost word).
pub(crate) fn stop_words(language: &str) -> &'static [&'static str] {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    if primary.eq_ignore_ascii_case("en") {
        STOP
    } else {
        &[]
    }
}

/// Calls `each` with every word of `text`, in order, repeats included.
pub(crate) fn words(text: &str, stop: &[&str], mut each: impl FnMut(&str)) {
    let mut word = String::new();
    let mut flush = |word: &mut String| {
        let n = word.chars().count();
        if (2..=LONGEST).contains(&n) && !stop.contains(&word.as_str()) {
            each(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            } else {
                flush(&mut word);
            }
        } else if c.is_alphanumeric() {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    word.extend(d.to_lowercase());
                }
            });
        } else if !is_combining_mark(c) {
            flush(&mut word);
        }
    }
    flush(&mut word);
}

/// How many words `text` has, as the index counts them (for the weight of
/// a name: see [`super::name_weight`]).
pub(crate) fn count(text: &str, stop: &[&str]) -> usize {
    let mut n = 0;
    words(text, stop, |_| n += 1);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(text, STOP, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_are_lowercased_without_accents_and_split_at_anything_else() {
        assert_eq!(
            all("The Producer's rôle: CAFÉ-owner, 2nd cut (vs. EP)"),
            ["producer", "role", "cafe", "owner", "2nd", "cut", "ep"]
        );
    }

    #[test]
    fn short_long_and_stop_words_are_left_out() {
        assert_eq!(all("a I x of the film"), ["film"]);
        let long = "x".repeat(LONGEST + 1);
        assert!(all(&long).is_empty());
        assert_eq!(all(&"y".repeat(LONGEST)).len(), 1);
    }

    #[test]
    fn only_english_sites_leave_stop_words_out() {
        assert_eq!(stop_words("en-GB"), STOP);
        assert!(stop_words("fr").is_empty());
        let mut out = Vec::new();
        words("the film", stop_words("de"), |w| out.push(w.to_string()));
        assert_eq!(out, ["the", "film"]);
    }

    #[test]
    fn letters_of_other_scripts_are_words() {
        assert_eq!(all("Ψυχή und Übermaß"), ["ψυχη", "und", "ubermaß"]);
    }
}
