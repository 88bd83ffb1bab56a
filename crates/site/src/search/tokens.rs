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
/// In order, none longer than five letters ([`keep`] relies on both).
pub(crate) const STOP: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "has",
    "have", "how", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "to", "vs", "was", "were", "what", "when",
    "where", "which", "who", "why", "will", "with",
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
    let mut flat = Vec::new();
    flatten(text, &mut flat);
    for word in flat.split(|b| *b == b' ') {
        if keep(word, stop) {
            // Whole characters: the separators are spaces.
            each(std::str::from_utf8(word).unwrap_or_default());
        }
    }
}

/// Appends `text` as its words separated by single spaces (and some empty
/// words between runs of separators), lowercased, accents off, and a space:
/// UTF-8, split only at spaces. One buffer for all the texts of a record,
/// so the words are slices of it, not a string each. ASCII, most of
/// any English text, goes a run at a time through a table.
pub(crate) fn flatten(text: &str, bytes: &mut Vec<u8>) {
    /// Each ASCII byte as it is written: lowercased, or a space.
    const ASCII: [u8; 128] = {
        let mut t = [b' '; 128];
        let mut b = 0;
        while b < 128 {
            let c = b as u8;
            if c.is_ascii_alphanumeric() {
                t[b] = c.to_ascii_lowercase();
            }
            b += 1;
        }
        t
    };
    bytes.reserve(text.len() + 1);
    let push = |bytes: &mut Vec<u8>, c: char| {
        bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    };
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        bytes.extend(run.bytes().map(|b| ASCII[usize::from(b)]));
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            if c.is_alphanumeric() {
                decompose_canonical(c, |d| {
                    if !is_combining_mark(d) {
                        d.to_lowercase().for_each(|l| push(bytes, l));
                    }
                });
            } else if !is_combining_mark(c) {
                bytes.push(b' ');
            }
        }
        rest = chars.as_str();
    }
    bytes.push(b' ');
}

/// Whether a word of [`flatten`]'s is indexed: two characters or more, at
/// most [`LONGEST`], not a stop word (`stop` is sorted).
pub(crate) fn keep(word: &[u8], stop: &[&str]) -> bool {
    let n = if word.is_ascii() {
        word.len()
    } else {
        // Characters: the bytes that do not continue one.
        word.iter().filter(|b| (**b & 0xC0) != 0x80).count()
    };
    (2..=LONGEST).contains(&n)
        && (n > 5 || stop.binary_search_by(|s| s.as_bytes().cmp(word)).is_err())
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
    fn the_stop_words_are_in_order_and_short() {
        assert!(STOP.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP.iter().all(|w| w.len() <= 5));
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
