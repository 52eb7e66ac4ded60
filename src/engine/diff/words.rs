//! Words: the formatting-blind key that decides whether two sentences say the same thing, and
//! the word-level diff shown inside a reworded sentence.
//!
//! A key keeps only the words, lower-cased: punctuation, quotes (curly or straight), emphasis
//! markers, whitespace and wrapping never make two sentences differ.
//!
//! The word diff is the [bounded](super::bounded) patience diff over tokens (words, space runs,
//! other characters): `similar`'s own for a sentence pair of up to
//! [`SMALL`](super::bounded::SMALL) tokens, and for longer ones linear in their length, so a
//! reworded sentence of 40,000 words drawn from ten costs milliseconds. A long stretch of such
//! words with no word that occurs once on each side shows as replaced whole.

use similar::DiffTag;

use super::bounded;

/// The words of a sentence, lower-cased and joined by single spaces.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            // Most policy text: lower-case bytes without the Unicode tables.
            let start = out.len();
            out.push_str(w);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(w.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// The distinct words of a key, sorted: what [`similarity`] compares.
pub fn word_set(key: &str) -> Vec<&str> {
    let mut v: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// How alike two word sets are: their Dice coefficient (0.0 to 1.0).
pub fn similarity(a: &[&str], b: &[&str]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// What a piece of a reworded sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// In both versions.
    Same,
    /// Only in the old version.
    Removed,
    /// Only in the new version.
    Added,
}

/// A run of text with one mark.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    /// Same, removed or added.
    pub mark: Mark,
    /// The text, as written in the version it comes from (serialized as display text: see
    /// `escape`).
    #[serde(serialize_with = "crate::model::escape::serialize_visible")]
    pub text: String,
}

/// One token of a sentence: a word, a space run or one other character.
#[derive(Debug, Clone)]
struct Token<'a> {
    text: &'a str,
    /// What it is compared by: lower-cased words; quotes folded; spaces as one.
    norm: String,
}

impl PartialEq for Token<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.norm == other.norm
    }
}
impl Eq for Token<'_> {}
impl std::hash::Hash for Token<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.norm.hash(state);
    }
}
impl PartialOrd for Token<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Token<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.norm.cmp(&other.norm)
    }
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let class = |c: char| {
            if c.is_alphanumeric() {
                0
            } else if c.is_whitespace() {
                1
            } else {
                2
            }
        };
        let k = class(c);
        let mut end = start + c.len_utf8();
        if k != 2 {
            while let Some(&(i, d)) = chars.peek() {
                if class(d) != k {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
        }
        let piece = &text[start..end];
        let norm = match k {
            0 => piece.to_lowercase(),
            1 => " ".to_string(),
            _ => match c {
                '‘' | '’' | '\'' | '`' | '´' => "'".to_string(),
                '“' | '”' | '"' | '„' => "\"".to_string(),
                '–' | '—' | '‐' => "-".to_string(),
                _ => piece.to_string(),
            },
        };
        out.push(Token { text: piece, norm });
    }
    out
}

/// The word-level diff of two versions of a sentence: pieces of the old text (same and
/// removed) and of the new text (same and added), in one interleaved sequence. A run of
/// spaces between two replacements joins them, so a changed phrase reads as one change.
pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    let (a, b) = (tokens(old), tokens(new));
    // Runs: text in both, or a change (old text, new text).
    let mut runs: Vec<(Option<String>, String, String)> = Vec::new();
    for op in bounded::diff(&a, &b) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            runs.push((Some(b[new_range].iter().map(|t| t.text).collect()), String::new(), String::new()));
            continue;
        }
        let removed: String = a[old_range].iter().map(|t| t.text).collect();
        let added: String = b[new_range].iter().map(|t| t.text).collect();
        match runs.as_slice() {
            // change, space, change: one change, when old text and new text both change.
            [.., (None, r1, a1), (Some(ws), _, _)]
                if ws.trim().is_empty()
                    && (!r1.is_empty() || !removed.is_empty())
                    && (!a1.is_empty() || !added.is_empty()) =>
            {
                let Some((Some(ws), _, _)) = runs.pop() else { unreachable!("matched above") };
                let (_, r1, a1) = runs.last_mut().expect("matched above");
                // Appended in place: a sentence of many such changes stays linear.
                for (text, more) in [(r1, removed), (a1, added)] {
                    text.push_str(&ws);
                    text.push_str(&more);
                }
            }
            _ => runs.push((None, removed, added)),
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |mark: Mark, text: String| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.mark == mark => last.text.push_str(&text),
            _ => out.push(Piece { mark, text }),
        }
    };
    for (same, removed, added) in runs {
        match same {
            Some(text) => push(Mark::Same, text),
            None => {
                push(Mark::Removed, removed);
                push(Mark::Added, added);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.mark {
                Mark::Same => p.text.clone(),
                Mark::Removed => format!("[-{}-]", p.text),
                Mark::Added => format!("{{+{}+}}", p.text),
            })
            .collect()
    }

    #[test]
    fn keys_ignore_formatting() {
        assert_eq!(key("We don’t sell  your *data*."), key("We don't sell your data"));
        assert_eq!(key("**Basic account information: **"), "basic account information");
        assert_ne!(key("Woo Shipping"), key("WooCommerce Shipping"));
    }

    #[test]
    fn similarity_is_dice_of_word_sets() {
        let sim = |a: &str, b: &str| similarity(&word_set(a), &word_set(b));
        assert_eq!(sim("a b c", "c b a a"), 1.0);
        assert_eq!(sim("a b", "c d"), 0.0);
        assert!((sim("a b c d", "a b c e") - 0.75).abs() < 1e-9);
    }

    #[test]
    fn word_diff_groups_a_changed_phrase() {
        let d = diff("We share your data with partners.", "We share your listening history with advertising partners.");
        assert_eq!(show(&d), "We share your [-data-]{+listening history+} with {+advertising +}partners.");
    }

    #[test]
    fn quote_style_is_not_a_change() {
        let d = diff("We don’t sell it.", "We don't sell it, ever.");
        assert_eq!(show(&d), "We don't sell it{+, ever+}.");
    }
}
