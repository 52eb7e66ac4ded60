//! Disclosure matching: which categories a policy sentence discloses or denies.
//!
//! One Aho-Corasick automaton (over lower-cased text) holds every
//! vocabulary term, qualifier, stop phrase and language cue of the taxonomy, so a sentence is
//! scanned once whatever the size of the vocabulary; the longest match on word boundaries wins.
//! The hits are then read clause by clause:
//! a mention discloses when its clause has a collection or transfer verb (or its list intro or
//! heading does), and is a denial when a collection verb in its clause is negated. Qualifiers
//! narrow a mention to a child category ("approximate location"). `policies/README.md`
//! describes the rules; `policies/*.yaml` holds the words and the samples that pin them.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeSet, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::{Basis, BlockKind, Document, Polarity, PracticeStatement, Statement, Via};
use crate::error::Error;
use crate::source::Source;
use crate::taxonomy::{Access, CategoryId, Taxonomy};

/// What a pattern means when it is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Mention(CategoryId),
    Qualifier(CategoryId),
    Stop,
    Collect,
    Transfer,
    Negation,
    DeterminerNegation,
    ExceptionList,
    ExceptionCondition,
    Break,
    Write,
    Selected,
    Purpose,
    Hedge,
    PracticePhrase(usize),
    PracticeVerb(usize),
    PracticeObject(usize),
    Recipient,
}

/// The compiled policy-text automaton.
#[derive(Debug)]
pub struct Matcher {
    automaton: AhoCorasick,
    cues: Vec<Vec<Cue>>,
}

/// One category found in a sentence, with its polarity (if the sentence has context).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The categories the mention covers, after qualifiers.
    pub categories: Vec<CategoryId>,
    /// `None` when the sentence has no collection context of its own.
    pub polarity: Option<Polarity>,
    /// The access the wording supports.
    pub access: Access,
}

/// A practice or control a sentence states (or denies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPractice {
    /// Index into `Taxonomy::practices`.
    pub practice: usize,
    /// Stated, or denied.
    pub polarity: Polarity,
    /// Who receives the data, when the clause names a recipient.
    pub recipient: Option<String>,
}

/// What one sentence says, before context from its list intro or heading is applied.
#[derive(Debug, Clone, Default)]
pub struct Judgment {
    /// Each mention.
    pub found: Vec<Found>,
    /// Practices and controls stated or denied.
    pub practices: Vec<FoundPractice>,
    /// The sentence's own context, given to the list items it introduces or the section it heads.
    pub context: Option<Polarity>,
}

#[derive(Debug, Clone, Copy)]
struct Hit<'a> {
    start: usize,
    end: usize,
    cues: &'a [Cue],
}

impl Hit<'_> {
    fn is(&self, cue: Cue) -> bool {
        self.cues.contains(&cue)
    }
    fn mention(&self) -> Option<CategoryId> {
        self.cues.iter().find_map(|c| if let Cue::Mention(id) = c { Some(*id) } else { None })
    }
    fn qualifier(&self) -> impl Iterator<Item = CategoryId> + '_ {
        self.cues.iter().filter_map(|c| if let Cue::Qualifier(id) = c { Some(*id) } else { None })
    }
    fn is_verb(&self) -> bool {
        self.is(Cue::Collect) || self.is(Cue::Transfer)
    }
}

impl Matcher {
    /// Compiles the automaton from a taxonomy.
    pub fn new(t: &Taxonomy) -> Matcher {
        let mut table: HashMap<String, Vec<Cue>> = HashMap::new();
        let mut add = |word: &str, cue: Cue, plural: bool| {
            let word = word.trim().to_lowercase();
            if word.is_empty() {
                return;
            }
            let mut forms = vec![word.clone()];
            if plural {
                forms.push(pluralize(&word));
            }
            for f in forms.clone() {
                if f.contains('\'') {
                    forms.push(f.replace('\'', "\u{2019}"));
                }
            }
            for f in forms {
                let cues = table.entry(f).or_default();
                if !cues.contains(&cue) {
                    cues.push(cue);
                }
            }
        };
        for (id, c) in t.categories.iter().enumerate() {
            c.vocabulary.iter().for_each(|w| add(w, Cue::Mention(id), true));
            c.qualifiers.iter().for_each(|w| add(w, Cue::Qualifier(id), false));
            c.stop.iter().for_each(|w| add(w, Cue::Stop, true));
        }
        for (i, p) in t.practices.iter().enumerate() {
            p.phrases.iter().for_each(|w| add(w, Cue::PracticePhrase(i), true));
            p.verbs.iter().for_each(|w| add(w, Cue::PracticeVerb(i), false));
            p.objects.iter().for_each(|w| add(w, Cue::PracticeObject(i), true));
            p.not.iter().for_each(|w| add(w, Cue::Stop, true));
        }
        t.recipients.iter().for_each(|w| add(w, Cue::Recipient, true));
        let l = &t.language;
        // Retention verbs act as transfer verbs: they give context, and negating them denies
        // keeping or sending the data, not collecting it.
        let groups: [(&Vec<String>, Cue); 13] = [
            (&l.collect, Cue::Collect),
            (&l.transfer, Cue::Transfer),
            (&l.retain, Cue::Transfer),
            (&l.negation, Cue::Negation),
            (&l.determiner_negation, Cue::DeterminerNegation),
            (&l.exception_list, Cue::ExceptionList),
            (&l.exception_condition, Cue::ExceptionCondition),
            (&l.clause_break, Cue::Break),
            (&l.write, Cue::Write),
            (&l.selected, Cue::Selected),
            (&l.purpose, Cue::Purpose),
            (&l.hedge, Cue::Hedge),
            (&l.neutral, Cue::Stop),
        ];
        for (words, cue) in groups {
            words.iter().for_each(|w| add(w, cue, false));
        }
        let mut patterns: Vec<(String, Vec<Cue>)> = table.into_iter().collect();
        patterns.sort_by(|a, b| a.0.cmp(&b.0));
        // Measured on the ~2,400 patterns: a contiguous NFA over lower-case patterns builds in
        // 2.6 ms and scans as fast as a DFA (which takes 10 ms to build); ASCII-case-insensitive
        // matching would double the build. A small project's run is mostly this build.
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::Standard)
            .build(patterns.iter().map(|p| p.0.as_str()))
            .expect("the vocabulary compiles: patterns are plain strings within size limits");
        Matcher { automaton, cues: patterns.into_iter().map(|p| p.1).collect() }
    }

    /// Every cue in `text`: all matches on word boundaries, then leftmost-longest among them.
    /// Choosing after the boundary check matters: "your location" holds the stop phrase
    /// "our location", which is not on a word boundary there and must not hide "location".
    fn hits<'a>(&'a self, text: &str) -> Vec<Hit<'a>> {
        // Patterns are lower case; ASCII lower-casing keeps every byte offset, so hits index
        // the original text. (Cheaper than an ASCII-case-insensitive automaton, which takes
        // several times longer to build.)
        let lower = text.to_ascii_lowercase();
        let mut all: Vec<(usize, usize, usize)> = self
            .automaton
            .find_overlapping_iter(&lower)
            .filter(|m| on_boundaries(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut hits = Vec::new();
        let mut end = 0;
        for (s, e, p) in all {
            if s >= end {
                hits.push(Hit { start: s, end: e, cues: &self.cues[p] });
                end = e;
            }
        }
        hits.retain(|h| !h.is(Cue::Stop));
        hits
    }

    /// Judges one sentence on its own.
    pub fn judge(&self, t: &Taxonomy, text: &str) -> Judgment {
        let hits = self.hits(text);
        let qualifiers_of = |hs: &[Hit]| -> BTreeSet<CategoryId> { hs.iter().flat_map(|h| h.qualifier()).collect() };
        let access = {
            let mut a = if hits.iter().any(|h| h.is(Cue::Selected)) { Access::SELECTED } else { Access::READ };
            if hits.iter().any(|h| h.is(Cue::Write)) {
                a = a.union(Access::WRITE);
            }
            a
        };
        let mut judgment = Judgment::default();
        let mut previous_affirmative = false;
        for clause in hits.split(|h| h.is(Cue::Break)) {
            // A negation up to four words before the verb, with no hedge ("normally") between.
            let negated = |verb: &Hit| {
                clause.iter().any(|n| {
                    n.is(Cue::Negation)
                        && n.end <= verb.start
                        && words_between(text, n.end, verb.start) <= 4
                        && !clause.iter().any(|h| h.is(Cue::Hedge) && h.start >= n.end && h.end <= verb.start)
                })
            };
            let verbs: Vec<&Hit> = clause.iter().filter(|h| h.is_verb()).collect();
            let has_collect = verbs.iter().any(|v| v.is(Cue::Collect));
            let negated_collect = verbs.iter().any(|v| v.is(Cue::Collect) && !v.is(Cue::Transfer) && negated(v));
            let affirmative = verbs.iter().any(|v| v.is(Cue::Transfer) || !negated(v));
            let conditional = clause.iter().any(|h| h.is(Cue::ExceptionCondition));
            let excepted_from = clause.iter().find(|h| h.is(Cue::ExceptionList)).map(|h| h.start);
            let qualifiers = qualifiers_of(clause);
            for (i, m) in clause.iter().enumerate().filter(|(_, h)| h.mention().is_some()) {
                let excepted = conditional || excepted_from.is_some_and(|x| m.start > x);
                // The verb that governs the mention: the nearest one before it ("we do not
                // collect your contacts"), else the nearest after it ("your contacts are never
                // collected").
                let governing =
                    verbs.iter().rev().find(|v| v.end <= m.start).or_else(|| verbs.iter().find(|v| v.start >= m.end));
                // A denial needs a negated collection verb governing the mention, possibly
                // through a chain of other negated verbs ("we do not collect or store your
                // location"); a negated transfer or retention verb alone denies nothing.
                let chain_denies = |candidates: &mut dyn Iterator<Item = &&Hit>| {
                    for v in candidates {
                        if !negated(v) {
                            return false;
                        }
                        if v.is(Cue::Collect) {
                            return true;
                        }
                    }
                    false
                };
                let before = verbs.iter().rev().filter(|v| v.end <= m.start);
                let after = verbs.iter().filter(|v| v.start >= m.end);
                let negated_governor = if verbs.iter().any(|v| v.end <= m.start) {
                    chain_denies(&mut before.into_iter())
                } else {
                    chain_denies(&mut after.into_iter())
                };
                // "for advertising", "to send you offers" right after the mention (past any
                // further mentions of a list) limits the purpose of a negated verb.
                let purpose = clause[i + 1..]
                    .iter()
                    .find(|h| h.mention().is_none())
                    .is_some_and(|h| h.is(Cue::Purpose) && words_between(text, m.end, h.start) <= 6);
                let determiner = has_collect
                    && clause.iter().any(|d| {
                        d.is(Cue::DeterminerNegation) && d.end <= m.start && words_between(text, d.end, m.start) <= 3
                    });
                // "We collect your location, but not your precise location": a verbless clause
                // that negates a mention inherits the verb of the clause before it.
                let elliptic = verbs.is_empty()
                    && previous_affirmative
                    && clause
                        .iter()
                        .any(|n| n.is(Cue::Negation) && n.end <= m.start && words_between(text, n.end, m.start) <= 2);
                let denied_by_verb = negated_governor && !purpose;
                let polarity = if ((denied_by_verb || determiner) && !excepted) || elliptic {
                    Some(Polarity::Denial)
                } else if governing.is_some() {
                    Some(Polarity::Disclosure)
                } else {
                    None
                };
                let id = m.mention().expect("filtered to mentions");
                let mut categories = narrow(t, id, &qualifiers, polarity);
                // "precise and approximate location": a qualifier of a sibling just before a
                // mention of one granularity names that sibling too.
                let parent = t.category(id).parent;
                for q in clause.iter().filter(|q| q.end <= m.start && words_between(text, q.end, m.start) <= 3) {
                    for c in q.qualifier() {
                        if parent.is_some()
                            && t.category(c).parent == parent
                            && !t.category(c).explicit
                            && !categories.contains(&c)
                        {
                            categories.push(c);
                        }
                    }
                }
                judgment.found.push(Found { categories, polarity, access });
            }
            judgment.practices.extend(practices_in(text, clause, &negated));
            if !verbs.is_empty() {
                judgment.context = Some(if negated_collect && !affirmative && !conditional {
                    Polarity::Denial
                } else {
                    Polarity::Disclosure
                });
            }
            previous_affirmative = affirmative;
        }
        judgment
    }
}

/// The practices one clause states: a phrase, or a verb with an object; denied when the
/// phrase or verb is negated.
fn practices_in(text: &str, clause: &[Hit], negated: &dyn Fn(&Hit) -> bool) -> Vec<FoundPractice> {
    let ids: BTreeSet<usize> = clause
        .iter()
        .flat_map(|h| h.cues.iter())
        .filter_map(|c| match c {
            Cue::PracticePhrase(i) | Cue::PracticeVerb(i) => Some(*i),
            _ => None,
        })
        .collect();
    let recipient = clause.iter().find(|h| h.is(Cue::Recipient)).map(|h| text[h.start..h.end].to_lowercase());
    let mut out = Vec::new();
    for i in ids {
        let phrase = clause.iter().find(|h| h.is(Cue::PracticePhrase(i)));
        let verb = clause.iter().find(|h| h.is(Cue::PracticeVerb(i)));
        let object = clause.iter().any(|h| h.is(Cue::PracticeObject(i)));
        let anchor = match (phrase, verb) {
            (Some(p), _) => p,
            (None, Some(v)) if object => v,
            _ => continue,
        };
        let polarity = if negated(anchor) { Polarity::Denial } else { Polarity::Disclosure };
        out.push(FoundPractice { practice: i, polarity, recipient: recipient.clone() });
    }
    out
}

/// Applies qualifiers to a mention of `id`: non-explicit children named by a qualifier replace
/// the parent; explicit categories (background location) are added when their qualifier is
/// present, and a denial then applies to them alone.
fn narrow(
    t: &Taxonomy,
    id: CategoryId,
    qualifiers: &BTreeSet<CategoryId>,
    polarity: Option<Polarity>,
) -> Vec<CategoryId> {
    let parent = t.category(id).parent;
    let kids: Vec<CategoryId> = t.children(id).filter(|k| qualifiers.contains(k) && !t.category(*k).explicit).collect();
    let explicit: Vec<CategoryId> = qualifiers
        .iter()
        .copied()
        .filter(|&q| q != id && t.category(q).explicit)
        .filter(|&q| t.category(q).parent == Some(id) || (parent.is_some() && t.category(q).parent == parent))
        .collect();
    if polarity == Some(Polarity::Denial) && !explicit.is_empty() {
        return explicit;
    }
    let mut out = if kids.is_empty() { vec![id] } else { kids };
    out.extend(explicit);
    out
}

/// Finds every disclosure and denial in a parsed policy, and every practice or control it
/// states or denies, each with its sentence.
pub fn statements(
    source: &Source,
    doc: &Document,
    t: &Taxonomy,
) -> Result<(Vec<Statement>, Vec<PracticeStatement>), Error> {
    let m = t.matcher();
    let judgments: Vec<Judgment> = doc.sentences.iter().map(|s| m.judge(t, &s.text)).collect();
    // The context a section gives its sentences: the nearest heading (itself or an enclosing
    // one) that has a verb of its own.
    let section_context = |mut section: Option<usize>| -> Option<Polarity> {
        while let Some(s) = section {
            let sec = &doc.sections[s];
            if let Some(ctx) = sec.heading.and_then(|h| judgments[h].context) {
                return Some(ctx);
            }
            section = sec.parent;
        }
        None
    };
    let mut out = Vec::new();
    let mut practices = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, (s, j)) in doc.sentences.iter().zip(&judgments).enumerate() {
        if j.found.is_empty() && j.practices.is_empty() {
            continue;
        }
        // One location per sentence, shared by its statements.
        let at = source.location(s.start, s.end);
        let mut stated = BTreeSet::new();
        for f in &j.practices {
            if stated.insert((f.practice, f.polarity)) {
                practices.push(PracticeStatement {
                    practice: f.practice,
                    polarity: f.polarity,
                    recipient: f.recipient.clone(),
                    categories: Vec::new(),
                    location: at.clone(),
                    text: s.text.clone(),
                });
            }
        }
        // A sentence without a verb of its own takes its list intro's context, else its
        // heading's. A heading's denial ("Information we do not collect") reaches only
        // enumerations (list items, table cells, sub-headings), not prose, which may well be
        // talking about something else ("you may add a profile picture").
        let inherited = || {
            s.intro.and_then(|k| judgments[k].context).or_else(|| {
                let own = if s.kind == BlockKind::Heading { doc.sections[s.section].parent } else { Some(s.section) };
                section_context(own).filter(|&p| p == Polarity::Disclosure || s.kind != BlockKind::Paragraph)
            })
        };
        let context_basis = if s.intro.is_some() {
            Basis::ListItem
        } else if s.kind == BlockKind::TableCell {
            Basis::TableRow
        } else {
            Basis::Heading
        };
        for f in &j.found {
            let (polarity, via) = match f.polarity {
                Some(p) => (p, Via::Wording),
                None => match inherited() {
                    Some(p) => (p, Via::Context),
                    None => continue,
                },
            };
            let basis = match (polarity, via) {
                (Polarity::Denial, _) => Basis::Negation,
                (_, Via::Context) => context_basis,
                _ => Basis::Collection,
            };
            for &c in &f.categories {
                if seen.insert((i, c, polarity)) {
                    out.push(Statement {
                        category: c,
                        polarity,
                        access: f.access,
                        location: at.clone(),
                        text: s.text.clone(),
                        via,
                        basis,
                    });
                }
            }
        }
    }
    for a in &doc.annotations {
        for id in &a.ids {
            let Some(c) = t.id(id) else {
                let pos = source.position(a.start);
                let mut e = Error::parse_at(
                    &source.path,
                    pos.line,
                    pos.column,
                    format!("unknown category `{id}` in a disclose annotation"),
                );
                if let Some(near) = crate::suggest::nearest(id, t.categories.iter().map(|c| c.id.as_str())) {
                    e = e.with_help(format!("did you mean `{near}`? `disclose categories` lists every id"));
                }
                return Err(e);
            };
            out.push(Statement {
                category: c,
                polarity: Polarity::Disclosure,
                access: Access::READ.union(Access::WRITE),
                location: source.location(a.start, a.end),
                text: source.text[a.start..a.end].to_string(),
                via: Via::Annotation,
                basis: Basis::Annotation,
            });
        }
    }
    Ok((out, practices))
}

fn pluralize(word: &str) -> String {
    if word.ends_with('s') {
        word.to_string()
    } else if word.ends_with(['x', 'z']) || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else if let Some(stem) = word.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{word}s")
    }
}

fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let left = !first.is_some_and(word) || !before.is_some_and(word);
    let right = !last.is_some_and(word) || !after.is_some_and(word);
    left && right
}

fn words_between(text: &str, a: usize, b: usize) -> usize {
    text.get(a..b)
        .map_or(usize::MAX, |s| s.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_boundaries() {
        assert_eq!(pluralize("contact list"), "contact lists");
        assert_eq!(pluralize("address book"), "address books");
        assert_eq!(pluralize("activity"), "activities");
        assert_eq!(pluralize("day"), "days");
        assert_eq!(pluralize("speech"), "speeches");
        assert!(on_boundaries("your location.", 5, 13));
        assert!(!on_boundaries("relocation", 2, 10));
        assert!(on_boundaries("location-based", 0, 8));
    }
}

#[cfg(test)]
mod context_tests {
    use crate::policy::{self, Polarity};
    use crate::source::Source;
    use crate::taxonomy::Taxonomy;

    fn statements(text: &str) -> Vec<(String, Polarity)> {
        let t = Taxonomy::builtin();
        let p = policy::parse(Source::new("p.md", text.to_string()), t).expect("parses");
        p.statements.iter().map(|s| (t.category(s.category).id.clone(), s.polarity)).collect()
    }

    #[test]
    fn a_denying_heading_reaches_lists_not_prose() {
        let got = statements(
            "## Information we do not collect\n\nWe do not collect biometric data.\n\nYou may add a picture to your profile.\n\n- your contacts\n",
        );
        assert_eq!(got, vec![("biometrics".into(), Polarity::Denial), ("contacts".into(), Polarity::Denial)]);
    }

    #[test]
    fn a_collecting_heading_reaches_prose_and_lists() {
        let got =
            statements("## Information we collect\n\nPrecise location, when you turn on maps.\n\n- your contacts\n");
        assert_eq!(
            got,
            vec![("location.precise".into(), Polarity::Disclosure), ("contacts".into(), Polarity::Disclosure)]
        );
    }
}
