//! The semantic policy diff: two versions of a policy aligned section by section and sentence
//! by sentence, with what the change means for users attached to the sentences that carry it.
//!
//! In: two parsed [`Policy`]s and their [`Meaning`]. Out: a [`PolicyDiff`] that every output
//! format renders (human redline, JSON, Markdown, HTML). Pure: no files, no clock.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod align;
pub mod bounded;
pub mod meaning;
pub mod words;

use std::collections::HashMap;

use crate::model::source::Source;
use crate::read::policy::{BlockKind, Document, Policy};
use align::{Outline, Step};
pub use meaning::{meaning, Change, Kind, Meaning, Sign};
use words::{key, Piece};

/// Two versions of one policy, compared.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PolicyDiff {
    /// The old file, as named on the command line or in the repository.
    pub old_path: String,
    /// The new file.
    pub new_path: String,
    /// Sections in reading order: the new document's, with removed sections where they stood.
    pub sections: Vec<SectionDiff>,
    /// What the change means for users.
    pub meaning: Meaning,
    /// Counts.
    pub stats: Stats,
}

impl PolicyDiff {
    /// Why nothing changed for users, when nothing did: "the files differ only in formatting".
    pub fn nothing_because(&self) -> Option<String> {
        if !self.meaning.is_empty() {
            return None;
        }
        let s = &self.stats;
        Some(if !s.files_differ {
            "the two files are identical".to_string()
        } else if s.formatting_only() {
            "the files differ only in formatting (markup, wrapping, punctuation, quotes or link targets)".to_string()
        } else if s.wording_changes() == 0 {
            "sections or sentences moved or were renamed, but no sentence reads differently".to_string()
        } else {
            let n = s.wording_changes();
            format!(
                "{n} sentence{} changed, but no category, practice or control is added or removed",
                if n == 1 { "" } else { "s" }
            )
        })
    }
}

/// How a section changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionChange {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with sentences removed, added, reworded or moved.
    Modified,
    /// In both, with the same sentences (it may still be renamed or moved).
    Unchanged,
}

/// One section of the redline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SectionDiff {
    /// The heading (the new one; the old one for a removed section); empty before the first
    /// heading.
    #[serde(serialize_with = "crate::model::escape::serialize_visible")]
    pub heading: String,
    /// The old heading, when the section was renamed.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "crate::model::escape::serialize_visible_opt")]
    pub old_heading: Option<String>,
    /// Added, removed, modified or unchanged.
    pub change: SectionChange,
    /// Whether the section moved relative to the others.
    pub moved: bool,
    /// The heading's line in the old file.
    pub old_line: Option<usize>,
    /// The heading's line in the new file.
    pub new_line: Option<usize>,
    /// The sentences that changed, in reading order.
    pub items: Vec<Item>,
}

impl SectionDiff {
    /// Whether anything about the section changed (its sentences, its heading or its place).
    pub fn changed(&self) -> bool {
        self.change != SectionChange::Unchanged || self.old_heading.is_some() || self.moved
    }

    /// The heading as shown: the text before the first heading has none.
    pub fn title(&self) -> &str {
        if self.heading.is_empty() {
            "(before the first heading)"
        } else {
            &self.heading
        }
    }

    /// What happened to the section as a whole: "new section", "renamed from “Old”", "moved".
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        match self.change {
            SectionChange::Added => notes.push("new section".to_string()),
            SectionChange::Removed => notes.push("section removed".to_string()),
            _ => {}
        }
        match self.old_heading.as_deref() {
            Some("") => notes.push("heading added to the opening text".to_string()),
            Some(old) => notes.push(format!("renamed from “{old}”")),
            None => {}
        }
        if self.moved {
            notes.push("moved".to_string());
        }
        notes
    }

    /// Where a moved sentence of this section came from: "from “Your choices”".
    pub fn moved_from(&self, item: &Item) -> String {
        match item.from.as_deref() {
            Some(f) if f == self.heading => "within this section".to_string(),
            Some("") | None => "from the opening text".to_string(),
            Some(f) => format!("from “{f}”"),
        }
    }
}

/// How a sentence changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemChange {
    /// Only in the old version.
    Removed,
    /// Only in the new version.
    Added,
    /// In both, in other words.
    Reworded,
    /// The same sentence, now in another place.
    Moved,
}

/// A sentence as it reads in one version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    /// 1-based line where the sentence starts.
    pub line: usize,
    /// 1-based column where it starts.
    pub column: usize,
    /// The sentence, markup removed.
    #[serde(serialize_with = "crate::model::escape::serialize_visible")]
    pub text: String,
}

/// One changed sentence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    /// Removed, added, reworded or moved.
    pub change: ItemChange,
    /// The sentence in the old version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Line>,
    /// The sentence in the new version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Line>,
    /// For a reworded sentence: the word-level changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Piece>,
    /// For a moved sentence: the heading of the section it came from.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "crate::model::escape::serialize_visible_opt")]
    pub from: Option<String>,
    /// What this sentence changes for users: `+ practice: advertising` (serialized as these
    /// tags; the full changes are the report's top-level lists).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "tags")]
    pub labels: Vec<Change>,
    #[serde(skip)]
    old_index: Option<usize>,
    #[serde(skip)]
    new_index: Option<usize>,
}

/// The tags, as display text (see `escape`).
fn tags<S: serde::Serializer>(labels: &[Change], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(labels.iter().map(|c| crate::model::escape::visible(&c.tag()).into_owned()))
}

/// What the redline counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Sentences only in the new version.
    pub added: usize,
    /// Sentences only in the old version.
    pub removed: usize,
    /// Sentences reworded.
    pub reworded: usize,
    /// Sentences moved to another place.
    pub moved: usize,
    /// Sentences that read the same (formatting aside).
    pub unchanged: usize,
    /// Sections only in the new version.
    pub sections_added: usize,
    /// Sections only in the old version.
    pub sections_removed: usize,
    /// Sections under a new heading.
    pub sections_renamed: usize,
    /// Sections in a new place.
    pub sections_moved: usize,
    /// Whether the files differ at all (byte for byte).
    pub files_differ: bool,
}

impl Stats {
    /// The files differ, but no sentence reads differently and nothing moved: the change is
    /// formatting only.
    pub fn formatting_only(&self) -> bool {
        self.files_differ && self.wording_changes() == 0 && self.structure_changes() == 0
    }

    /// Sentences moved and sections added, removed, renamed or moved.
    pub fn structure_changes(&self) -> usize {
        self.moved + self.sections_added + self.sections_removed + self.sections_renamed + self.sections_moved
    }

    /// Sentences added, removed or reworded.
    pub fn wording_changes(&self) -> usize {
        self.added + self.removed + self.reworded
    }
}

/// One version, prepared for alignment.
struct Prepared<'a> {
    policy: &'a Policy,
    keys: Vec<String>,
}

impl Prepared<'_> {
    fn doc(&self) -> &Document {
        &self.policy.document
    }
    fn source(&self) -> &Source {
        &self.policy.source
    }
    fn heading(&self, section: usize) -> String {
        let s = &self.doc().sections[section];
        s.heading.map(|h| self.doc().sentences[h].text.to_string()).unwrap_or_default()
    }
    fn heading_line(&self, section: usize) -> Option<usize> {
        let s = &self.doc().sections[section];
        s.heading.map(|h| self.line(h))
    }
    fn line(&self, sentence: usize) -> usize {
        self.source().position(self.doc().sentences[sentence].start).line
    }
    fn at(&self, sentence: usize) -> Line {
        let s = &self.doc().sentences[sentence];
        let pos = self.source().position(s.start);
        Line { line: pos.line, column: pos.column, text: s.text.to_string() }
    }
    fn outline(&self) -> Outline<'_> {
        let doc = self.doc();
        let mut bodies: Vec<Vec<(usize, &str)>> = vec![Vec::new(); doc.sections.len()];
        for (i, s) in doc.sentences.iter().enumerate() {
            if s.kind != BlockKind::Heading && !self.keys[i].is_empty() {
                bodies[s.section].push((i, self.keys[i].as_str()));
            }
        }
        let headings = (0..doc.sections.len()).map(|s| key(&self.heading(s))).collect();
        Outline { headings, bodies }
    }
}

/// Compares two versions of a policy. `meaning` comes from [`meaning()`] on the same
/// versions; its changes are attached to the sentences that carry them.
pub fn diff(old: &Policy, new: &Policy, meaning: Meaning) -> PolicyDiff {
    let prepare = |p| Prepared { policy: p, keys: p.document.sentences.iter().map(|s| key(&s.text)).collect() };
    let (a, b) = (prepare(old), prepare(new));
    let (oa, ob) = (a.outline(), b.outline());
    let to_old = align::match_sections(&oa, &ob);
    let moved = align::moved(&to_old);
    let mut matched_old = vec![false; oa.headings.len()];
    for i in to_old.iter().flatten() {
        matched_old[*i] = true;
    }
    let mut stats = Stats { files_differ: old.source.text != new.source.text, ..Stats::default() };
    let mut sections = Vec::new();
    let mut next_old = 0; // removed old sections before this index are already placed
    let removed_section = |i: usize, stats: &mut Stats| -> Option<SectionDiff> {
        if oa.bodies[i].is_empty() && oa.headings[i].is_empty() {
            return None;
        }
        stats.sections_removed += 1;
        let items: Vec<Item> = oa.bodies[i].iter().map(|&(s, _)| item_removed(&a, s)).collect();
        Some(SectionDiff {
            heading: a.heading(i),
            old_heading: None,
            change: SectionChange::Removed,
            moved: false,
            old_line: a.heading_line(i),
            new_line: None,
            items,
        })
    };
    for (j, old_of) in to_old.iter().enumerate() {
        if let Some(i) = *old_of {
            if !moved[j] {
                while next_old < i {
                    if !matched_old[next_old] {
                        sections.extend(removed_section(next_old, &mut stats));
                    }
                    next_old += 1;
                }
                next_old = next_old.max(i + 1);
            }
        }
        let section = match *old_of {
            // An empty preamble (a document that starts with its heading) has nothing to show.
            None if ob.bodies[j].is_empty() && ob.headings[j].is_empty() => continue,
            None => {
                stats.sections_added += 1;
                SectionDiff {
                    heading: b.heading(j),
                    old_heading: None,
                    change: SectionChange::Added,
                    moved: false,
                    old_line: None,
                    new_line: b.heading_line(j),
                    items: ob.bodies[j].iter().map(|&(s, _)| item_added(&b, s)).collect(),
                }
            }
            Some(i) => {
                let items: Vec<Item> = align::sentences(&oa.bodies[i], &ob.bodies[j])
                    .into_iter()
                    .filter_map(|step| match step {
                        Step::Same(..) => {
                            stats.unchanged += 1;
                            None
                        }
                        Step::Resplit(_, n) => {
                            stats.unchanged += n;
                            None
                        }
                        Step::Removed(s) => Some(item_removed(&a, s)),
                        Step::Added(s) => Some(item_added(&b, s)),
                        Step::Reworded(x, y) => Some(Item {
                            change: ItemChange::Reworded,
                            words: words::diff(&a.doc().sentences[x].text, &b.doc().sentences[y].text),
                            old: Some(a.at(x)),
                            new: Some(b.at(y)),
                            from: None,
                            labels: Vec::new(),
                            old_index: Some(x),
                            new_index: Some(y),
                        }),
                    })
                    .collect();
                let renamed = oa.headings[i] != ob.headings[j];
                stats.sections_renamed += usize::from(renamed);
                stats.sections_moved += usize::from(moved[j]);
                SectionDiff {
                    heading: b.heading(j),
                    old_heading: renamed.then(|| a.heading(i)),
                    change: if items.is_empty() { SectionChange::Unchanged } else { SectionChange::Modified },
                    moved: moved[j],
                    old_line: a.heading_line(i),
                    new_line: b.heading_line(j),
                    items,
                }
            }
        };
        sections.push(section);
    }
    for (i, _) in matched_old.iter().enumerate().skip(next_old).filter(|(_, m)| !**m) {
        sections.extend(removed_section(i, &mut stats));
    }
    find_moves(&mut sections, &a, &b);
    for s in &mut sections {
        for item in &s.items {
            match item.change {
                ItemChange::Added => stats.added += 1,
                ItemChange::Removed => stats.removed += 1,
                ItemChange::Reworded => stats.reworded += 1,
                ItemChange::Moved => stats.moved += 1,
            }
        }
        if s.change == SectionChange::Modified && s.items.is_empty() {
            s.change = SectionChange::Unchanged;
        }
    }
    attach(&mut sections, &meaning, &a, &b);
    PolicyDiff { old_path: old.source.path.clone(), new_path: new.source.path.clone(), sections, meaning, stats }
}

/// The redlines of a whole change: each policy whose text changed against its other version
/// (same path; or, when one policy was renamed, the one left on each side).
pub fn redlines(
    old: &[impl std::ops::Deref<Target = Policy>],
    new: &[impl std::ops::Deref<Target = Policy>],
    t: &crate::taxonomy::Taxonomy,
) -> Vec<PolicyDiff> {
    let mut pairs: Vec<(&Policy, &Policy)> = Vec::new();
    let mut lone_old: Vec<&Policy> = Vec::new();
    for o in old.iter().map(|o| &**o) {
        match new.iter().find(|n| n.source.path == o.source.path) {
            Some(n) => pairs.push((o, &**n)),
            None => lone_old.push(o),
        }
    }
    let lone_new: Vec<&Policy> =
        new.iter().map(|n| &**n).filter(|n| !old.iter().any(|o| o.source.path == n.source.path)).collect();
    if let ([o], [n]) = (lone_old.as_slice(), lone_new.as_slice()) {
        pairs.push((o, n));
    }
    let inventory =
        |p: &Policy| crate::engine::inventory::classify(&[], &[p], t, &crate::engine::inventory::Extra::new());
    pairs
        .into_iter()
        .filter(|(o, n)| o.source.text != n.source.text)
        .map(|(o, n)| diff(o, n, meaning(t, &inventory(o), &inventory(n))))
        .collect()
}

fn item_removed(a: &Prepared, s: usize) -> Item {
    Item {
        change: ItemChange::Removed,
        old: Some(a.at(s)),
        new: None,
        words: Vec::new(),
        from: None,
        labels: Vec::new(),
        old_index: Some(s),
        new_index: None,
    }
}

fn item_added(b: &Prepared, s: usize) -> Item {
    Item {
        change: ItemChange::Added,
        old: None,
        new: Some(b.at(s)),
        words: Vec::new(),
        from: None,
        labels: Vec::new(),
        old_index: None,
        new_index: Some(s),
    }
}

/// A sentence removed in one place and added, word for word, in another is a move: the added
/// one becomes a moved item that names where it came from, and the removed one goes.
fn find_moves(sections: &mut [SectionDiff], a: &Prepared, b: &Prepared) {
    let mut removed: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (si, s) in sections.iter().enumerate() {
        for (ii, item) in s.items.iter().enumerate() {
            if let (ItemChange::Removed, Some(x)) = (item.change, item.old_index) {
                removed.entry(a.keys[x].as_str()).or_default().push((si, ii));
            }
        }
    }
    for v in removed.values_mut() {
        v.reverse(); // pop() takes the first in reading order
    }
    let mut gone: Vec<(usize, usize)> = Vec::new();
    for si in 0..sections.len() {
        for ii in 0..sections[si].items.len() {
            let item = &sections[si].items[ii];
            let Some(y) = item.new_index.filter(|_| item.change == ItemChange::Added) else { continue };
            let Some((rs, ri)) = removed.get_mut(b.keys[y].as_str()).and_then(Vec::pop) else { continue };
            let from = sections[rs].heading.clone();
            let x = sections[rs].items[ri].old_index;
            let item = &mut sections[si].items[ii];
            item.change = ItemChange::Moved;
            item.old = x.map(|x| a.at(x));
            item.old_index = x;
            item.from = Some(from);
            gone.push((rs, ri));
        }
    }
    // Drop the removed halves of the moves in one pass per section (not one shift per item).
    gone.sort_unstable();
    for (si, section) in sections.iter_mut().enumerate() {
        let mut k = 0;
        section.items.retain(|_| {
            k += 1;
            gone.binary_search(&(si, k - 1)).is_err()
        });
    }
}

/// Puts each change of `meaning` on the item whose sentence carries it: an added statement on
/// the new sentence, a removed one on the old sentence.
fn attach(sections: &mut [SectionDiff], meaning: &Meaning, a: &Prepared, b: &Prepared) {
    let starts = |p: &Prepared| -> HashMap<(usize, usize), usize> {
        p.doc()
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let pos = p.source().position(s.start);
                ((pos.line, pos.column), i)
            })
            .collect()
    };
    let (old_starts, new_starts) = (starts(a), starts(b));
    for change in &meaning.changes {
        let (starts, side_new) = match change.sign {
            Sign::Added => (&new_starts, true),
            Sign::Removed => (&old_starts, false),
        };
        let Some(&sentence) = starts.get(&(change.at.line, change.at.column)) else { continue };
        let item = sections.iter_mut().flat_map(|s| s.items.iter_mut()).find(|item| {
            if side_new {
                item.new_index == Some(sentence) && item.change != ItemChange::Moved
            } else {
                item.old_index == Some(sentence) && item.change != ItemChange::Moved
            }
        });
        if let Some(item) = item {
            item.labels.push(change.clone());
        }
    }
}
