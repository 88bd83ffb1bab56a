//! Did-you-mean: the names closest to one that was not found.

use crate::model::lookup_key;

/// Up to `limit` candidates close to `wanted`, best first: an edit distance
/// small for the name's length, then names that contain what was typed, then
/// names alike by Jaro-Winkler (which forgives an abbreviated middle, as in
/// `producer-vs-exec-producer`). Compared on folded keys, so case and
/// accents never count.
pub fn closest<I, S>(wanted: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    closest_folded(
        wanted,
        candidates.into_iter().map(|c| {
            let name = c.as_ref().to_string();
            let key = lookup_key(&name);
            (name, key)
        }),
        limit,
    )
}

/// [`closest`] for candidates that come with their folded key already
/// (terms carry theirs in `lookup_key`): no folding per candidate, and a
/// length check before any edit distance, so a miss among 150,000 terms
/// costs a few milliseconds.
pub fn closest_folded<I>(wanted: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = (String, String)>,
{
    let key = lookup_key(wanted);
    if key.is_empty() {
        return Vec::new();
    }
    let key_len = key.chars().count();
    let max_distance = (key_len / 3).clamp(1, 4);
    let mut scored: Vec<(usize, String)> = Vec::new();
    for (name, other) in candidates {
        let other_len = other.chars().count();
        let near_length = other_len.abs_diff(key_len) <= max_distance;
        let contains = key_len >= 3 && other.contains(&key);
        // Optimal string alignment: edits and transpositions, without the
        // allocations of full Damerau-Levenshtein.
        let distance = if near_length {
            strsim::osa_distance(&key, &other)
        } else {
            usize::MAX
        };
        let score = if distance <= max_distance {
            distance
        } else if contains {
            // A fragment of a longer name ranks after every near-typo.
            100 + (other.len() - key.len()).min(99)
        } else if other_len.abs_diff(key_len) > key_len / 2
            || key.get(..3).is_none_or(|prefix| !other.starts_with(prefix))
        {
            // Jaro-Winkler is for a shortened middle: the start must agree.
            continue;
        } else {
            let similarity = strsim::jaro_winkler(&key, &other);
            if similarity < 0.9 {
                continue;
            }
            200 + ((1.0 - similarity) * 100.0) as usize
        };
        if !scored.iter().any(|(_, n)| *n == name) {
            scored.push((score, name));
        }
        // Keep the list short: only the best few can be shown.
        if scored.len() > limit * 8 {
            scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            scored.truncate(limit);
        }
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_finds_the_term() {
        let names = ["Producer", "Executive Producer", "Director"];
        assert_eq!(closest("prodcer", names, 3), vec!["Producer"]);
        assert_eq!(closest("PRODUCR", names, 3), vec!["Producer"]);
    }

    #[test]
    fn fragment_finds_longer_names_after_typos() {
        let names = ["Producer", "Executive Producer", "Director"];
        assert_eq!(
            closest("producer", names, 3),
            vec!["Producer", "Executive Producer"]
        );
        assert_eq!(closest("exec", names, 3), vec!["Executive Producer"]);
    }

    #[test]
    fn abbreviation_finds_the_slug() {
        let slugs = ["producer-vs-executive-producer", "director-vs-producer"];
        assert_eq!(
            closest("producer-vs-exec-producer", slugs, 3),
            vec!["producer-vs-executive-producer"]
        );
    }

    #[test]
    fn nothing_close_gives_nothing() {
        assert!(closest("zebra", ["Producer"], 3).is_empty());
        assert!(closest("", ["Producer"], 3).is_empty());
    }
}
