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
/// (terms carry theirs in `lookup_key`): no folding per candidate.
pub fn closest_folded<I>(wanted: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = (String, String)>,
{
    let mut matcher = Matcher::new(wanted, limit);
    for (name, key) in candidates {
        matcher.offer(&name, &key);
    }
    matcher.best()
}

/// Scores candidates against one wanted name as they stream past, keeping
/// only the best few: a miss among 150,000 terms costs milliseconds, with
/// no allocation per candidate but for the ones kept.
pub struct Matcher {
    key: String,
    key_chars: Vec<char>,
    max_distance: usize,
    limit: usize,
    scored: Vec<(usize, String)>,
    other: Vec<char>,
    rows: [Vec<usize>; 3],
}

impl Matcher {
    pub fn new(wanted: &str, limit: usize) -> Matcher {
        let key = lookup_key(wanted);
        let key_chars: Vec<char> = key.chars().collect();
        let max_distance = (key_chars.len() / 3).clamp(1, 4);
        Matcher {
            key,
            key_chars,
            max_distance,
            limit,
            scored: Vec::new(),
            other: Vec::new(),
            rows: [Vec::new(), Vec::new(), Vec::new()],
        }
    }

    /// Considers one candidate: its display `name` and folded `key`.
    pub fn offer(&mut self, name: &str, key: &str) {
        if self.key.is_empty() {
            return;
        }
        let key_len = self.key_chars.len();
        let other_len = key.chars().count();
        let near = other_len.abs_diff(key_len) <= self.max_distance;
        if near {
            self.other.clear();
            self.other.extend(key.chars());
        }
        let score = if let Some(d) = near.then(|| self.distance()).flatten() {
            d
        } else if key_len >= 3 && key.contains(&self.key) {
            // A fragment of a longer name ranks after every near-typo.
            100 + (other_len - key_len).min(99)
        } else if other_len.abs_diff(key_len) > key_len / 2
            || self
                .key
                .get(..3)
                .is_none_or(|prefix| !key.starts_with(prefix))
        {
            // Jaro-Winkler is for a shortened middle: the start must agree.
            return;
        } else {
            let similarity = strsim::jaro_winkler(&self.key, key);
            if similarity < 0.9 {
                return;
            }
            200 + ((1.0 - similarity) * 100.0) as usize
        };
        if self.scored.iter().any(|(_, n)| n == name) {
            return;
        }
        self.scored.push((score, name.to_string()));
        if self.scored.len() > self.limit * 8 {
            self.sort();
            self.scored.truncate(self.limit);
        }
    }

    fn sort(&mut self) {
        self.scored
            .sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    }

    /// The best candidates, best first.
    pub fn best(mut self) -> Vec<String> {
        self.sort();
        self.scored
            .into_iter()
            .take(self.limit)
            .map(|(_, n)| n)
            .collect()
    }

    /// The optimal-string-alignment distance (edits and transpositions)
    /// between the wanted key and `self.other`, if it is at most
    /// `max_distance`; gives up as soon as a row of the table exceeds it.
    fn distance(&mut self) -> Option<usize> {
        let (a, b, max) = (&self.key_chars, &self.other, self.max_distance);
        if a.len().abs_diff(b.len()) > max {
            return None;
        }
        let [prev2, prev, cur] = &mut self.rows;
        for row in [&mut *prev2, &mut *prev, &mut *cur] {
            row.clear();
            row.resize(b.len() + 1, 0);
        }
        for (j, cell) in prev.iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            cur[0] = i;
            let mut row_min = i;
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(prev2[j - 2] + 1);
                }
                cur[j] = d;
                row_min = row_min.min(d);
            }
            if row_min > max {
                return None;
            }
            std::mem::swap(prev2, prev);
            std::mem::swap(prev, cur);
        }
        let d = prev[b.len()];
        (d <= max).then_some(d)
    }
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
    fn bounded_distance_matches_strsim() {
        for (a, b) in [
            ("producer", "prodcuer"),
            ("producer", "producers"),
            ("abc", "xyz"),
            ("ab", "ba"),
            ("kitten", "sitting"),
        ] {
            let mut m = Matcher::new(a, 3);
            m.other = b.chars().collect();
            let want = strsim::osa_distance(a, b);
            assert_eq!(
                m.distance(),
                (want <= m.max_distance).then_some(want),
                "{a} {b}"
            );
        }
    }

    #[test]
    fn nothing_close_gives_nothing() {
        assert!(closest("zebra", ["Producer"], 3).is_empty());
        assert!(closest("", ["Producer"], 3).is_empty());
    }
}
