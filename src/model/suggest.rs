//! "Did you mean": the nearest known word to a misspelled one.
#![deny(clippy::print_stdout, clippy::print_stderr)]

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = (len / 3).max(2);
    let word = word.to_lowercase();
    candidates
        .into_iter()
        // The distance is at least the difference in length: most candidates end here, so a
        // manifest of thousands of unknown names stays cheap.
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (distance(&word, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_only() {
        assert_eq!(nearest("polices", ["policies", "manifests", "exclude"]), Some("policies"));
        assert_eq!(nearest("READ_CONTACT", ["READ_CONTACTS", "READ_CALENDAR"]), Some("READ_CONTACTS"));
        assert_eq!(nearest("zzz", ["policies"]), None);
    }
}
