//! Alignment: which old section is which new section, and which sentences of a section pair
//! were removed, added or reworded.
//!
//! Sections are matched in three passes, each only among sections still unmatched: the same
//! heading (k-th occurrence with k-th occurrence); then the most sentences in common (a renamed
//! section keeps its body); then a similar heading ("Geolocation data" / "General geolocation
//! data"). A matched pair out of document order is a moved section. Within a pair, sentences
//! are aligned by their formatting-blind keys with the [bounded](super::bounded) patience diff
//! (`similar`'s own for a section pair of up to [`SMALL`](super::bounded::SMALL) sentences); a
//! removed and an added sentence that share most words are one reworded sentence. All passes
//! are linear in the number of sentences (inverted indexes, a bounded search window, a diff
//! with a bounded cost), so a rewritten megabyte policy costs milliseconds, not a quadratic
//! blow-up, and so does a section of thousands of sentences that repeat.

use std::collections::{HashMap, VecDeque};

use similar::DiffTag;

use super::bounded;
use super::words::{similarity, word_set};

/// How far ahead, among the added sentences of one changed run, a removed sentence looks for
/// its reworded version.
const WINDOW: usize = 16;

/// Two sentences that share at least this much of their words (Dice) are one reworded
/// sentence; below it, one was removed and another added.
pub const REWORDED: f64 = 0.5;

/// Two sections whose bodies share at least this share of the smaller one's sentences are
/// the same section under another heading.
const SHARED_BODY: f64 = 0.5;

/// Two headings this alike (Dice of words) name the same section.
const SIMILAR_HEADING: f64 = 0.5;

/// One version's sections, reduced to what alignment compares.
pub struct Outline<'a> {
    /// Each section's heading key ("" for the text before the first heading).
    pub headings: Vec<String>,
    /// Each section's body: its own sentences' keys, with the sentence index.
    pub bodies: Vec<Vec<(usize, &'a str)>>,
}

/// A step of a section pair's sentence alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The same sentence (old index, new index).
    Same(usize, usize),
    /// Only in the old version.
    Removed(usize),
    /// Only in the new version.
    Added(usize),
    /// Reworded: old index, new index.
    Reworded(usize, usize),
    /// The same words, split into sentences differently (a paragraph that became a list):
    /// how many old and new sentences.
    Resplit(usize, usize),
}

/// For every new section, the old section it continues, if any.
pub fn match_sections(old: &Outline, new: &Outline) -> Vec<Option<usize>> {
    let (n_old, n_new) = (old.headings.len(), new.headings.len());
    let mut to_old: Vec<Option<usize>> = vec![None; n_new];
    let mut taken = vec![false; n_old];
    let pair = |j: usize, i: usize, to_old: &mut Vec<Option<usize>>, taken: &mut Vec<bool>| {
        to_old[j] = Some(i);
        taken[i] = true;
    };
    // 1. The same heading, in order of occurrence.
    let mut by_heading: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, h) in old.headings.iter().enumerate() {
        by_heading.entry(h.as_str()).or_default().push_back(i);
    }
    for (j, h) in new.headings.iter().enumerate() {
        // The text before the first heading is matched by heading only when both versions
        // have some: a title that becomes a heading leaves an empty preamble behind, and the
        // old preamble belongs to the new title's section (matched by body below).
        if h.is_empty() && (new.bodies[j].is_empty() || old.bodies.first().is_none_or(Vec::is_empty)) {
            continue;
        }
        if let Some(i) = by_heading.get_mut(h.as_str()).and_then(VecDeque::pop_front) {
            pair(j, i, &mut to_old, &mut taken);
        }
    }
    // 2. The most sentences in common: a renamed section.
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, body) in old.bodies.iter().enumerate().filter(|(i, _)| !taken[*i]) {
        for (_, k) in body {
            index.entry(k).or_default().push(i);
        }
    }
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (j, body) in new.bodies.iter().enumerate().filter(|(j, _)| to_old[*j].is_none()) {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for (_, k) in body {
            for &i in index.get(k).into_iter().flatten() {
                *counts.entry(i).or_default() += 1;
            }
        }
        for (i, shared) in counts {
            let smaller = body.len().min(old.bodies[i].len()).max(1);
            let share = shared as f64 / smaller as f64;
            if share >= SHARED_BODY {
                candidates.push((shared as f64 / body.len().max(old.bodies[i].len()) as f64, i, j));
            }
        }
    }
    greedy(candidates, &mut to_old, &mut taken);
    // 3. A similar heading. Candidates share a word that is not common to many headings
    // ("your", "data"): a word in more than COMMON headings finds no candidates, which keeps
    // this pass linear when a rewrite leaves hundreds of headings unmatched.
    const COMMON: usize = 8;
    let old_sets: Vec<Vec<&str>> = old.headings.iter().map(|h| word_set(h)).collect();
    let mut words: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, set) in old_sets.iter().enumerate().filter(|(i, _)| !taken[*i]) {
        for w in set {
            words.entry(w).or_default().push(i);
        }
    }
    let mut candidates = Vec::new();
    for (j, h) in new.headings.iter().enumerate().filter(|(j, _)| to_old[*j].is_none()) {
        let mine = word_set(h);
        let mut seen: Vec<usize> =
            mine.iter().filter_map(|w| words.get(w)).filter(|olds| olds.len() <= COMMON).flatten().copied().collect();
        seen.sort_unstable();
        seen.dedup();
        for i in seen {
            let score = similarity(&mine, &old_sets[i]);
            if score >= SIMILAR_HEADING {
                candidates.push((score, i, j));
            }
        }
    }
    greedy(candidates, &mut to_old, &mut taken);
    to_old
}

/// Assigns the best-scoring pairs first; ties go to document order.
fn greedy(mut candidates: Vec<(f64, usize, usize)>, to_old: &mut [Option<usize>], taken: &mut [bool]) {
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
    for (_, i, j) in candidates {
        if to_old[j].is_none() && !taken[i] {
            to_old[j] = Some(i);
            taken[i] = true;
        }
    }
}

/// The matched new sections whose old section is out of order: those outside the longest
/// run of pairs that keeps the old order (a longest increasing subsequence).
pub fn moved(to_old: &[Option<usize>]) -> Vec<bool> {
    let pairs: Vec<(usize, usize)> = to_old.iter().enumerate().filter_map(|(j, i)| i.map(|i| (j, i))).collect();
    // Patience sorting: tails[k] = index into `pairs` of the smallest tail of a run of k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (p, &(_, i)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < i);
        prev[p] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(p);
        } else {
            tails[k] = p;
        }
    }
    let mut keep = vec![false; pairs.len()];
    let mut at = tails.last().copied();
    while let Some(p) = at {
        keep[p] = true;
        at = prev[p];
    }
    let mut out = vec![false; to_old.len()];
    for (p, &(j, _)) in pairs.iter().enumerate() {
        out[j] = !keep[p];
    }
    out
}

/// Aligns two sections' sentences (given as keys with their sentence indexes).
pub fn sentences(old: &[(usize, &str)], new: &[(usize, &str)]) -> Vec<Step> {
    let a: Vec<&str> = old.iter().map(|(_, k)| *k).collect();
    let b: Vec<&str> = new.iter().map(|(_, k)| *k).collect();
    let mut out = Vec::new();
    for op in bounded::diff(&a, &b) {
        let (tag, ra, rb) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            out.extend(ra.zip(rb).map(|(x, y)| Step::Same(old[x].0, new[y].0)));
            continue;
        }
        pair_run(&old[ra], &new[rb], &mut out);
    }
    out
}

/// Pairs a run of removed sentences with a run of added ones: each removed sentence takes the
/// most similar added sentence within the window after the last pair, when it is similar
/// enough; pairs keep both orders. The best match being the very same sentence (a large run
/// that the diff replaced whole) is no change.
///
/// Linear in the run's text: an added sentence whose word set is too much larger or smaller
/// to reach [`REWORDED`] is not compared word by word, and the checks for a re-split
/// paragraph compare at most [`SPLIT_BUDGET`] × the run's bytes in all (a run that could make
/// them go over, like thousands of one-word sentences against one long sentence of the same
/// words, is then read sentence by sentence).
fn pair_run(removed: &[(usize, &str)], added: &[(usize, &str)], out: &mut Vec<Step>) {
    let sets: Vec<Vec<&str>> = added.iter().map(|(_, k)| word_set(k)).collect();
    let bytes: usize = removed.iter().chain(added).map(|(_, k)| k.len()).sum();
    let mut budget = SPLIT_BUDGET.saturating_mul(bytes).saturating_add(SPLIT_BUDGET << 10);
    let mut next = 0; // the first added sentence not yet emitted
    let mut r = 0;
    while r < removed.len() {
        let (i, k) = removed[r];
        if next < added.len() {
            if let Some(m) = split_into(k, &added[next..], &mut budget) {
                out.push(Step::Resplit(1, m));
                next += m;
                r += 1;
                continue;
            }
            if let Some(m) = split_into(added[next].1, &removed[r..], &mut budget) {
                out.push(Step::Resplit(m, 1));
                next += 1;
                r += m;
                continue;
            }
        }
        r += 1;
        let mine = word_set(k);
        let best = (next..added.len().min(next + WINDOW))
            .filter(|&j| could_reword(mine.len(), sets[j].len()))
            .map(|j| (similarity(&mine, &sets[j]), j))
            .filter(|(s, _)| *s >= REWORDED)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        match best {
            Some((_, j)) => {
                out.extend(added[next..j].iter().map(|(n, _)| Step::Added(*n)));
                out.push(if added[j].1 == k { Step::Same(i, added[j].0) } else { Step::Reworded(i, added[j].0) });
                next = j + 1;
            }
            None => out.push(Step::Removed(i)),
        }
    }
    out.extend(added[next..].iter().map(|(n, _)| Step::Added(*n)));
}

/// How many bytes of sentence text, per byte of a changed run, the re-split checks of that run
/// may compare (plus this many KiB).
const SPLIT_BUDGET: usize = 8;

/// Whether word sets of these sizes can share [`REWORDED`] of their words at best (the Dice
/// coefficient of a pair is at most 2 × the smaller size / both sizes).
fn could_reword(a: usize, b: usize) -> bool {
    a + b == 0 || 2.0 * a.min(b) as f64 / (a + b) as f64 >= REWORDED
}

/// How many of `parts` (two or more), read in order, make exactly `whole`. Each byte compared
/// is taken from `budget`; with the budget spent, the answer is no.
fn split_into(whole: &str, parts: &[(usize, &str)], budget: &mut usize) -> Option<usize> {
    let mut at = 0; // bytes of `whole` matched so far
    for (m, (_, part)) in parts.iter().enumerate() {
        let rest = &whole[at..];
        let rest = rest.strip_prefix(' ').filter(|_| m > 0).unwrap_or(rest);
        let cost = part.len().min(rest.len()).max(1);
        if *budget < cost {
            return None;
        }
        *budget -= cost;
        if part.is_empty() || !rest.starts_with(part) {
            return None;
        }
        at = whole.len() - rest.len() + part.len();
        if at == whole.len() {
            return (m >= 1).then_some(m + 1);
        }
        if !whole[at..].starts_with(' ') {
            return None; // the part ends inside a word
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline<'a>(sections: &[(&str, &[&'a str])]) -> Outline<'a> {
        let mut n = 0;
        Outline {
            headings: sections.iter().map(|(h, _)| h.to_string()).collect(),
            bodies: sections
                .iter()
                .map(|(_, body)| {
                    body.iter()
                        .map(|k| {
                            n += 1;
                            (n - 1, *k)
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn sections_match_by_heading_then_body_then_similar_heading() {
        let old = outline(&[
            ("", &["intro"]),
            ("your choices", &["you can opt out", "you can delete"]),
            ("geolocation data", &["we log ip addresses"]),
            ("cookies", &["we use cookies"]),
        ]);
        let new = outline(&[
            ("", &["intro"]),
            ("cookies", &["we use cookies"]),
            ("your rights and choices", &["you can opt out", "you can delete"]),
            ("general geolocation data", &["we log full ip addresses"]),
            ("children", &["no children"]),
        ]);
        let m = match_sections(&old, &new);
        assert_eq!(m, vec![Some(0), Some(3), Some(1), Some(2), None]);
        assert_eq!(moved(&m), vec![false, true, false, false, false]);
    }

    #[test]
    fn a_reworded_sentence_pairs_and_an_unrelated_one_does_not() {
        let old = [(0, "we collect your email"), (1, "we share data with partners"), (2, "contact us")];
        let new = [
            (0, "we collect your email"),
            (1, "we share your data with advertising partners"),
            (2, "we sell nothing at all"),
            (3, "contact us"),
        ];
        assert_eq!(
            sentences(&old, &new),
            vec![Step::Same(0, 0), Step::Reworded(1, 1), Step::Added(2), Step::Same(2, 3)]
        );
    }

    #[test]
    fn a_paragraph_split_into_a_list_is_no_change() {
        let old = [(0, "we use it to 1 run the service or 2 comply with law"), (1, "end")];
        let new = [(0, "we use it to"), (1, "1 run the service or"), (2, "2 comply with law"), (3, "end")];
        assert_eq!(sentences(&old, &new), vec![Step::Resplit(1, 3), Step::Same(1, 3)]);
        assert_eq!(sentences(&new, &old), vec![Step::Resplit(3, 1), Step::Same(3, 1)]);
        assert_eq!(split_into("a b", &[(0, "a"), (1, "bc")], &mut 100), None);
        assert_eq!(split_into("a b", &[(0, "a"), (1, "b")], &mut 100), Some(2));
        assert_eq!(split_into("a b", &[(0, "a"), (1, "b")], &mut 1), None, "over the budget");
    }
}
