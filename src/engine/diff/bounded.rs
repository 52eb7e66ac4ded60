//! A sequence diff whose cost is bounded: linear in the input times a constant, whatever the
//! input, and deterministic (no clock: the same input always gives the same diff).
//!
//! `similar`'s patience diff matches the elements that occur once on each side and runs Myers'
//! algorithm between them and over them. Myers costs O((N + M) · D), where D is the size of the
//! edit: quadratic when a long region has no unique elements (a sentence of words drawn from a
//! few, a section of repeated sentences) or when the unique elements are reordered (a sentence
//! of distinct words, reversed). Here:
//!
//! 1. Inputs of at most [`SMALL`] elements (both sides together) go to `similar`'s patience
//!    diff as they are: their cost is at most a constant times `SMALL²`, and nearly every
//!    sentence and section pair of a real policy is of this size, so its diff is exactly the
//!    one `similar` gives (the benchmark's 0.25 to 2 MB policies: byte-identical reports).
//! 2. A larger input is cut into regions, kept on an explicit work stack (no recursion): the
//!    common prefix and suffix of a region are equal; a region of at most [`SMALL`] elements
//!    goes to `similar`'s patience diff (so the regions cost at most `SMALL` × the input);
//!    a larger one is split at its anchors, the elements that occur exactly once in each side
//!    of it, of which the longest run in the same order on both sides is kept (a longest
//!    increasing subsequence, O(k log k)); the pieces between anchors are regions again.
//! 3. Finding anchors costs the size of the region; all the anchor searches of one diff
//!    together may cost at most [`ANCHOR_BUDGET`] × the input. A large region with no anchors,
//!    or one reached after the budget is spent, is replaced whole (its old elements removed,
//!    its new ones added) rather than diffed element by element.
//!
//! The worst case is many regions just under [`SMALL`], each anchored apart: about 1.2 s per
//! MB of text (a sentence of 80,000 words drawn from ten, with a unique word every 500; release
//! build), where an ordinary rewritten 1 MB policy takes 0.15 to 0.2 s. Anything else is faster.
//!
//! The operations alternate between equal runs and changes (a delete, an insert or a replace,
//! as `similar`'s `Replace` hook gives them), and are built from the equal runs alone.

use std::collections::HashMap;
use std::hash::Hash;
use std::ops::Range;

use similar::{capture_diff_slices, Algorithm};
/// The operations [`diff`] returns (`similar`'s), for callers that do not depend on it.
pub use similar::{DiffOp, DiffTag};

/// The largest input (or region), both sides' elements together, that is diffed by `similar`'s
/// patience diff. Its worst case costs about `SMALL²` steps (a few milliseconds), and a larger
/// region is only reached through anchors or replaced whole, so no input costs more than about
/// `SMALL` steps per element. 2,048 tokens (words, spaces, punctuation) is a sentence of about
/// 500 words on each side, or a section of 1,024 sentences on each side.
pub const SMALL: usize = 2048;

/// All anchor searches of one diff together look at most this many times the input's elements.
pub const ANCHOR_BUDGET: usize = 8;

/// The diff of `a` and `b`, as `similar`'s operations (indexes into `a` and `b`).
pub fn diff<T: Hash + Ord>(a: &[T], b: &[T]) -> Vec<DiffOp> {
    let mut out = Ops::default();
    if a.len() + b.len() <= SMALL {
        out.similar(a, b);
        return out.finish(a.len(), b.len());
    }
    let mut budget = ANCHOR_BUDGET.saturating_mul(a.len() + b.len());
    let mut work = vec![Work::Region(0..a.len(), 0..b.len())];
    while let Some(next) = work.pop() {
        let (ra, rb) = match next {
            Work::Equal(i, j, len) => {
                out.equal(i, j, len);
                continue;
            }
            Work::Region(ra, rb) => (ra, rb),
        };
        let prefix = a[ra.clone()].iter().zip(&b[rb.clone()]).take_while(|(x, y)| x == y).count();
        out.equal(ra.start, rb.start, prefix);
        let (ra, rb) = (ra.start + prefix..ra.end, rb.start + prefix..rb.end);
        let suffix = a[ra.clone()].iter().rev().zip(b[rb.clone()].iter().rev()).take_while(|(x, y)| x == y).count();
        let (ra, rb) = (ra.start..ra.end - suffix, rb.start..rb.end - suffix);
        // Pushed first, so it is emitted after everything the middle becomes. A region that
        // becomes no equal run is a change: the next equal run (or the end) emits it.
        work.push(Work::Equal(ra.end, rb.end, suffix));
        let size = ra.len() + rb.len();
        if ra.is_empty() || rb.is_empty() || budget < size {
            continue;
        }
        if size <= SMALL {
            out.similar(&a[ra.clone()], &b[rb.clone()]);
            continue;
        }
        budget -= size;
        let found = anchors(&a[ra.clone()], &b[rb.clone()]);
        if found.is_empty() {
            continue; // replaced whole
        }
        // Pieces in reverse, so that the stack gives them back in order.
        let mut end = (ra.end, rb.end);
        for (i, j) in found.into_iter().rev() {
            let (i, j) = (ra.start + i, rb.start + j);
            work.push(Work::Region(i + 1..end.0, j + 1..end.1));
            work.push(Work::Equal(i, j, 1));
            end = (i, j);
        }
        work.push(Work::Region(ra.start..end.0, rb.start..end.1));
    }
    out.finish(a.len(), b.len())
}

/// A piece of work: a region still to diff, or an equal run to emit.
enum Work {
    Region(Range<usize>, Range<usize>),
    Equal(usize, usize, usize),
}

/// The elements that occur exactly once in `a` and once in `b`, as (index in `a`, index in
/// `b`), keeping the longest run that is in the same order on both sides (one such run, always
/// the same for the same input).
fn anchors<T: Hash + Eq>(a: &[T], b: &[T]) -> Vec<(usize, usize)> {
    /// How often an element occurs on each side (counted up to 2), and where.
    #[derive(Default)]
    struct Seen {
        in_a: u8,
        at_a: usize,
        in_b: u8,
        at_b: usize,
    }
    let mut seen: HashMap<&T, Seen> = HashMap::new();
    for (i, x) in a.iter().enumerate() {
        let s = seen.entry(x).or_default();
        s.in_a = s.in_a.saturating_add(1).min(2);
        s.at_a = i;
    }
    for (j, y) in b.iter().enumerate() {
        if let Some(s) = seen.get_mut(y) {
            s.in_b = s.in_b.saturating_add(1).min(2);
            s.at_b = j;
        }
    }
    // Unique on both sides, in the order of `a`.
    let pairs: Vec<(usize, usize)> =
        a.iter().filter_map(|x| seen.get(x).filter(|s| s.in_a == 1 && s.in_b == 1).map(|s| (s.at_a, s.at_b))).collect();
    // Patience sorting: tails[k] = index into `pairs` of the smallest `b` index ending a run of k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (p, &(_, j)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < j);
        prev[p] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(p);
        } else {
            tails[k] = p;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(p) = at {
        run.push(pairs[p]);
        at = prev[p];
    }
    run.reverse();
    run
}

/// Operations being collected, from equal runs given in order: what lies between two equal
/// runs is one change (a delete, an insert or a replace), and adjacent equal runs join.
///
/// Only `similar`'s equal runs are read: its compaction step can give a delete or an insert
/// a wrong index on the side where it is empty (upstream issue mitsuhiko/similar#78), and the
/// changes follow from the equal runs anyway.
#[derive(Default)]
struct Ops {
    ops: Vec<DiffOp>,
    /// Where the operations so far end, in `a` and in `b`.
    at: (usize, usize),
}

impl Ops {
    /// `similar`'s patience diff of a region starting where the operations so far end.
    fn similar<T: Hash + Ord>(&mut self, a: &[T], b: &[T]) {
        let (i, j) = self.at;
        for op in capture_diff_slices(Algorithm::Patience, a, b) {
            if let DiffOp::Equal { old_index, new_index, len } = op {
                self.equal(i + old_index, j + new_index, len);
            }
        }
    }

    /// An equal run of `len` at `old_index` in `a`, `new_index` in `b`, after the change (if
    /// any) from where the operations end.
    fn equal(&mut self, old_index: usize, new_index: usize, len: usize) {
        if len == 0 {
            return;
        }
        debug_assert!(old_index >= self.at.0 && new_index >= self.at.1, "equal runs in order");
        self.change_to(old_index, new_index);
        match self.ops.last_mut() {
            Some(DiffOp::Equal { len: l, .. }) if self.at == (old_index, new_index) => *l += len,
            _ => self.ops.push(DiffOp::Equal { old_index, new_index, len }),
        }
        self.at = (old_index + len, new_index + len);
    }

    /// The change from where the operations end to `(i, j)`.
    fn change_to(&mut self, i: usize, j: usize) {
        let (old, new) = (self.at.0..i.max(self.at.0), self.at.1..j.max(self.at.1));
        if old.is_empty() && new.is_empty() {
            return;
        }
        self.ops.push(match (old.len(), new.len()) {
            (_, 0) => DiffOp::Delete { old_index: old.start, old_len: old.len(), new_index: new.start },
            (0, _) => DiffOp::Insert { old_index: old.start, new_index: new.start, new_len: new.len() },
            _ => DiffOp::Replace { old_index: old.start, old_len: old.len(), new_index: new.start, new_len: new.len() },
        });
        self.at = (old.end, new.end);
    }

    /// The operations, with the change to the end of `a` and `b`.
    fn finish(mut self, a: usize, b: usize) -> Vec<DiffOp> {
        self.change_to(a, b);
        self.ops
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the tests need no crate.
    fn draws(seed: u64, n: usize, of: u64) -> Vec<u64> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % of
            })
            .collect()
    }

    /// The operations cover both sequences in order, and equal runs are equal.
    fn assert_valid<T: PartialEq + std::fmt::Debug>(a: &[T], b: &[T], ops: &[DiffOp]) {
        let (mut i, mut j) = (0, 0);
        for (k, op) in ops.iter().enumerate() {
            let (tag, x, y) = op.as_tag_tuple();
            assert_eq!((x.start, y.start), (i, j), "op {k} does not continue the last: {ops:?}");
            if tag == DiffTag::Equal {
                assert_eq!(a[x.clone()], b[y.clone()]);
            } else if k > 0 {
                assert_eq!(ops[k - 1].tag(), DiffTag::Equal, "two changes in a row");
            }
            (i, j) = (x.end, y.end);
        }
        assert_eq!((i, j), (a.len(), b.len()));
    }

    fn same(ops: &[DiffOp]) -> usize {
        ops.iter().filter(|op| op.tag() == DiffTag::Equal).map(|op| op.as_tag_tuple().1.len()).sum()
    }

    #[test]
    fn small_inputs_get_similars_patience_diff() {
        let equal = |ops: &[DiffOp]| ops.iter().filter(|op| op.tag() == DiffTag::Equal).copied().collect::<Vec<_>>();
        for seed in 0..50 {
            let (a, b) = (draws(seed, 300, 20), draws(seed + 100, 280, 20));
            let ops = diff(&a, &b);
            assert_valid(&a, &b, &ops);
            assert_eq!(equal(&ops), equal(&capture_diff_slices(Algorithm::Patience, &a, &b)));
        }
    }

    #[test]
    fn large_inputs_are_valid_diffs() {
        for (n, of) in [(5_000, 4), (5_000, 10), (20_000, 1_000_000)] {
            let (a, b) = (draws(1, n, of), draws(2, n + 7, of));
            assert_valid(&a, &b, &diff(&a, &b));
        }
        // A long shared text with a few edits keeps its shared text.
        let a = draws(3, 20_000, 1_000_000);
        let mut b = a.clone();
        b[5_000] = 7;
        b.insert(12_000, 8);
        b.remove(15_000);
        let ops = diff(&a, &b);
        assert_valid(&a, &b, &ops);
        assert_eq!(same(&ops), a.len() - 2);
    }

    #[test]
    fn a_large_region_without_anchors_is_replaced_whole() {
        let (a, b) = (draws(1, 5_000, 4), draws(2, 5_000, 4));
        let ops = diff(&a, &b);
        assert_valid(&a, &b, &ops);
        assert!(ops.len() <= 3, "{} operations", ops.len());
        // Reordered unique elements: anchors in one order only.
        let a: Vec<u32> = (0..10_000).collect();
        let b: Vec<u32> = (0..10_000).rev().collect();
        let ops = diff(&a, &b);
        assert_valid(&a, &b, &ops);
        assert_eq!(same(&ops), 1);
    }

    #[test]
    fn anchors_keep_the_longest_run_in_order() {
        assert_eq!(anchors(&[1, 2, 3, 4, 5], &[1, 4, 2, 3, 5]), vec![(0, 0), (1, 2), (2, 3), (4, 4)]);
        assert_eq!(anchors(&[1, 1, 2], &[2, 1]), vec![(2, 0)]);
        assert!(anchors::<u8>(&[], &[1]).is_empty());
    }
}
