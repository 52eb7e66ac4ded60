//! Disclosure matching: what one policy sentence says about each category it mentions.
//!
//! One Aho-Corasick automaton (over lower-cased text) holds every vocabulary term, qualifier,
//! stop phrase and language cue of the taxonomy, so a sentence is scanned once whatever the
//! size of the vocabulary; the longest match on word boundaries wins. The hits are then read
//! clause by clause, on mentions rather than on a verb list:
//!
//! - a mention that a verb of `language.yaml` governs is disclosed (collection, transfer,
//!   retention, on-device processing) or, when that verb is a negated collection, denied; a
//!   negated transfer or retention is a limit, and the mention is still disclosed;
//! - a mention that no such verb governs is left [`Reading::Open`]: its list intro, table
//!   header or heading decides, and failing those a full sentence about the user's data
//!   discloses it whatever its verb ("we need your precise location to ...");
//! - look-alikes never reach this far (stop phrases), and what users may not do is
//!   [`Reading::Off`].
//!
//! Qualifiers narrow a mention to a child category ("approximate location"). Every step is
//! linear in the sentence: words are counted through a prefix index, and each mention looks
//! at its nearest verbs only. `policies/README.md` describes the rules; `policies/*.yaml`
//! holds the words and the samples that pin them.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::{Basis, Polarity};
use crate::taxonomy::{Access, CategoryId, Taxonomy};

/// How many words after a mention the verb that governs it may stand, without an auxiliary.
const AFTER_WINDOW: usize = 6;

/// How many words on either side of a mention a qualifier may stand.
const QUALIFIER_WINDOW: usize = 8;

/// How many words on either side of a mention a requirement's word may stand.
const REQUIREMENT_WINDOW: usize = 6;

/// What a pattern means when it is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
    Mention(CategoryId),
    Qualifier(CategoryId),
    /// A vocabulary term that counts only with a word of requirement `n` in its clause.
    Needs(usize),
    Stop,
    Collect,
    Transfer,
    Retain,
    OnDevice,
    Conceal,
    FromUs,
    Negation,
    DeterminerNegation,
    ExceptionList,
    ExceptionCondition,
    Break,
    Write,
    Selected,
    Purpose,
    Hedge,
    Definition,
    Prohibition,
    Person,
    Others,
    Permission,
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
    /// Per pattern: its cues without a parameter as bits, and the category it mentions.
    summary: Vec<(u32, Option<CategoryId>)>,
    /// Per requirement of `categories.yaml`, the words one of which must stand near the term.
    requirements: Vec<Phrases>,
    /// Where a clause turns to the user's rights ("the right to").
    rights: Phrases,
    /// Where a clause turns to opting out ("opt out of"); with `rights`, it voids practices.
    opt_out: Phrases,
    /// Per practice, the words that void it in a clause (`unless` in practices.yaml).
    pub(super) unless: Vec<Option<Phrases>>,
    auxiliary: Vec<String>,
    coordination: Vec<String>,
    /// Judgments already made, by sentence text: a policy's two versions share most of their
    /// sentences, and a policy repeats its own boilerplate. A judgment depends on the text
    /// alone, so reusing it changes no result; the memo stops growing at `MEMO_BYTES`.
    memo: Mutex<Memo>,
}

/// Sentences judged so far and the bytes of text they hold.
#[derive(Debug, Default)]
struct Memo {
    judged: HashMap<Box<str>, Arc<Judgment>>,
    bytes: usize,
}

/// The most sentence text the memo keeps (it keeps the first sentences it sees).
const MEMO_BYTES: usize = 32 << 20;

/// How one mention reads, before the document around its sentence is consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The sentence's own wording decides.
    Stated(Polarity, Basis),
    /// No verb governs the mention: its list intro, table header or heading decides; failing
    /// those, a full sentence that speaks of the user (`statement`) discloses it.
    Open {
        /// Whether the clause reads as a statement about the user's data.
        statement: bool,
        /// The term needs a word its clause lacks (a bare "SMS"): only an enumeration's own
        /// intro or table header can make it a statement, not a heading far above.
        weak: bool,
    },
    /// Never a statement: what users may not do.
    Off,
}

/// One category mention in a sentence and how it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The categories the mention covers, after qualifiers.
    pub categories: Vec<CategoryId>,
    /// How it reads.
    pub reading: Reading,
    /// The access the wording supports.
    pub access: Access,
    /// Where the mention is in the sentence (byte offsets).
    pub span: (usize, usize),
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
    /// The categories the clause names, after qualifiers.
    pub categories: Vec<CategoryId>,
    /// The clause is a fragment without a verb ("Automated Decision-Making"): a topic, unless
    /// a list intro gives it a verb.
    pub fragment: bool,
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
pub(super) struct Hit<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) cues: &'a [Cue],
    /// The cues without a parameter, as bits (`Cue::bit`): most questions asked of a hit.
    pub(super) flags: u32,
    /// The first category mentioned.
    mention: Option<CategoryId>,
}

impl Cue {
    /// One bit for each cue without a parameter; `None` for the others.
    fn bit(self) -> Option<u32> {
        let n = match self {
            Cue::Stop => 0,
            Cue::Collect => 1,
            Cue::Transfer => 2,
            Cue::Retain => 3,
            Cue::OnDevice => 4,
            Cue::Conceal => 5,
            Cue::FromUs => 6,
            Cue::Negation => 7,
            Cue::DeterminerNegation => 8,
            Cue::ExceptionList => 9,
            Cue::ExceptionCondition => 10,
            Cue::Break => 11,
            Cue::Write => 12,
            Cue::Selected => 13,
            Cue::Purpose => 14,
            Cue::Hedge => 15,
            Cue::Definition => 16,
            Cue::Prohibition => 17,
            Cue::Person => 18,
            Cue::Others => 19,
            Cue::Permission => 20,
            Cue::Recipient => 21,
            Cue::Mention(_)
            | Cue::Qualifier(_)
            | Cue::Needs(_)
            | Cue::PracticePhrase(_)
            | Cue::PracticeVerb(_)
            | Cue::PracticeObject(_) => return None,
        };
        Some(1 << n)
    }
}

const VERB_BITS: u32 = (1 << 1) | (1 << 2) | (1 << 3);
/// Set on a pattern with any practice phrase, verb or object (not a `Cue::bit` of its own).
pub(super) const PRACTICE_BIT: u32 = 1 << 31;
/// Negation, determiner negation, permission: what can turn a verb's context around.
const TURN_BITS: u32 = (1 << 7) | (1 << 8) | (1 << 20);

impl Hit<'_> {
    pub(super) fn is(&self, cue: Cue) -> bool {
        match cue.bit() {
            Some(b) => self.flags & b != 0,
            None => self.cues.contains(&cue),
        }
    }
    pub(super) fn mention(&self) -> Option<CategoryId> {
        self.mention
    }
    pub(super) fn qualifier(&self) -> impl Iterator<Item = CategoryId> + '_ {
        self.cues.iter().filter_map(|c| if let Cue::Qualifier(id) = c { Some(*id) } else { None })
    }
    pub(super) fn is_verb(&self) -> bool {
        self.flags & VERB_BITS != 0
    }
    /// A verb of collection that is not also one of moving or keeping data.
    fn is_pure_collect(&self) -> bool {
        self.is(Cue::Collect) && !self.is(Cue::Transfer) && !self.is(Cue::Retain)
    }
    fn basis(&self) -> Basis {
        if self.is(Cue::Collect) {
            Basis::Collection
        } else if self.is(Cue::Transfer) {
            Basis::Transfer
        } else {
            Basis::Retention
        }
    }
}

/// Word starts of a text, so that the words between two offsets are counted in O(log n),
/// and where the few function words stand that the reading asks about between two cues.
pub(super) struct Words {
    starts: Vec<usize>,
    /// Starts of relative pronouns ("that", "which", "who", "whose", "whom").
    relatives: Vec<usize>,
    /// Starts of "with" and "to".
    prepositions: Vec<usize>,
}

impl Words {
    fn new(text: &str) -> Words {
        let word = |c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
        let mut w =
            Words { starts: Vec::with_capacity(text.len() / 5 + 1), relatives: Vec::new(), prepositions: Vec::new() };
        let mut start: Option<usize> = None;
        let close = |w: &mut Words, from: usize, to: usize| {
            let token = &text[from..to];
            if ["that", "which", "who", "whose", "whom"].iter().any(|r| token.eq_ignore_ascii_case(r)) {
                w.relatives.push(from);
            } else if token.eq_ignore_ascii_case("with") || token.eq_ignore_ascii_case("to") {
                w.prepositions.push(from);
            }
        };
        for (i, c) in text.char_indices() {
            match (word(c), start) {
                (true, None) => {
                    w.starts.push(i);
                    start = Some(i);
                }
                (false, Some(s)) => {
                    close(&mut w, s, i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            close(&mut w, s, text.len());
        }
        w
    }

    /// Whether one of `positions` lies in `a..b`.
    pub(super) fn any_in(positions: &[usize], a: usize, b: usize) -> bool {
        let i = positions.partition_point(|&p| p < a);
        positions.get(i).is_some_and(|&p| p < b)
    }

    /// The start of the `n`th word before offset `at` (0 when there are fewer).
    fn nth_before(&self, at: usize, n: usize) -> usize {
        let i = self.starts.partition_point(|&s| s < at);
        i.checked_sub(n).map_or(0, |k| self.starts[k])
    }

    /// The start of the `n`th word after offset `at` (`usize::MAX` when there are fewer).
    fn nth_after(&self, at: usize, n: usize) -> usize {
        let i = self.starts.partition_point(|&s| s < at);
        self.starts.get(i + n).copied().unwrap_or(usize::MAX)
    }

    /// Words that start in `a..b`.
    pub(super) fn between(&self, a: usize, b: usize) -> usize {
        if b <= a {
            return 0;
        }
        self.starts.partition_point(|&s| s < b) - self.starts.partition_point(|&s| s < a)
    }
}

impl Matcher {
    /// The taxonomy's automaton, compiled on first use and kept with the taxonomy.
    pub fn of(t: &Taxonomy) -> &Matcher {
        t.derived(Matcher::new)
    }

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
                // A quoted word ("sale") in any quoting style: curly double, curly single, straight single.
                if f.matches('"').count() % 2 == 0 && f.contains('"') {
                    for (open, close) in [("\u{201C}", "\u{201D}"), ("\u{2018}", "\u{2019}"), ("'", "'")] {
                        let mut v = String::new();
                        for (n, part) in f.split('"').enumerate() {
                            if n > 0 {
                                v.push_str(if n % 2 == 1 { open } else { close });
                            }
                            v.push_str(part);
                        }
                        forms.push(v);
                    }
                }
            }
            for f in forms {
                let cues = table.entry(f).or_default();
                if !cues.contains(&cue) {
                    cues.push(cue);
                }
            }
        };
        let mut requirements = Vec::new();
        for (id, c) in t.categories.iter().enumerate() {
            c.vocabulary.iter().for_each(|w| add(w, Cue::Mention(id), true));
            c.qualifiers.iter().for_each(|w| add(w, Cue::Qualifier(id), false));
            c.stop.iter().for_each(|w| add(w, Cue::Stop, true));
            for r in &c.requires {
                r.terms.iter().for_each(|w| add(w, Cue::Needs(requirements.len()), true));
                requirements.push(Phrases::new(&r.words));
            }
        }
        for (i, p) in t.practices.iter().enumerate() {
            p.phrases.iter().for_each(|w| add(w, Cue::PracticePhrase(i), true));
            p.verbs.iter().for_each(|w| add(w, Cue::PracticeVerb(i), false));
            p.objects.iter().for_each(|w| add(w, Cue::PracticeObject(i), true));
            p.not.iter().for_each(|w| add(w, Cue::Stop, true));
        }
        t.recipients.iter().for_each(|w| add(w, Cue::Recipient, true));
        let l = &t.language;
        let groups: [(&Vec<String>, Cue); 21] = [
            (&l.collect, Cue::Collect),
            (&l.transfer, Cue::Transfer),
            (&l.retain, Cue::Retain),
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
            (&l.on_device, Cue::OnDevice),
            (&l.conceal, Cue::Conceal),
            (&l.from_us, Cue::FromUs),
            (&l.definition, Cue::Definition),
            (&l.prohibition, Cue::Prohibition),
            (&l.person, Cue::Person),
            (&l.others, Cue::Others),
            (&l.permission, Cue::Permission),
        ];
        for (words, cue) in groups {
            words.iter().for_each(|w| add(w, cue, false));
        }
        // A vocabulary phrase that speaks of the user ("websites you visit") hides the person
        // word inside it; the mention then speaks of the user itself.
        let person: Vec<&str> = l.person.iter().map(String::as_str).collect();
        for (pattern, cues) in table.iter_mut() {
            if cues.iter().any(|c| matches!(c, Cue::Mention(_)))
                && pattern.split(|c: char| !c.is_alphanumeric() && c != '\'').any(|w| person.contains(&w))
                && !cues.contains(&Cue::Person)
            {
                cues.push(Cue::Person);
            }
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
        Matcher {
            memo: Mutex::new(Memo::default()),
            automaton,
            summary: patterns
                .iter()
                .map(|(_, cues)| {
                    let practice = cues
                        .iter()
                        .any(|c| matches!(c, Cue::PracticePhrase(_) | Cue::PracticeVerb(_) | Cue::PracticeObject(_)));
                    let flags =
                        cues.iter().filter_map(|c| c.bit()).fold(if practice { PRACTICE_BIT } else { 0 }, |a, b| a | b);
                    let mention = cues.iter().find_map(|c| if let Cue::Mention(id) = c { Some(*id) } else { None });
                    (flags, mention)
                })
                .collect(),
            cues: patterns.into_iter().map(|p| p.1).collect(),
            requirements,
            unless: t.practices.iter().map(|p| (!p.unless.is_empty()).then(|| Phrases::new(&p.unless))).collect(),
            rights: Phrases::new(&l.rights),
            opt_out: Phrases::new(&l.opt_out),
            auxiliary: l.auxiliary.iter().map(|w| w.to_lowercase()).collect(),
            coordination: l.coordination.iter().map(|w| w.to_lowercase()).collect(),
        }
    }

    /// Every cue in `text`: all matches on word boundaries, then leftmost-longest among them.
    /// Choosing after the boundary check matters: "your location" holds the stop phrase
    /// "our location", which is not on a word boundary there and must not hide "location".
    fn hits<'a>(&'a self, text: &str, lower: &str) -> Vec<Hit<'a>> {
        let mut all: Vec<(usize, usize, usize)> = self
            .automaton
            .find_overlapping_iter(lower)
            .filter(|m| on_boundaries(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut hits = Vec::new();
        let mut end = 0;
        for (s, e, p) in all {
            if s >= end {
                let (flags, mention) = self.summary[p];
                hits.push(Hit { start: s, end: e, cues: &self.cues[p], flags, mention });
                end = e;
            }
        }
        hits.retain(|h| !h.is(Cue::Stop));
        hits
    }

    /// The words of `text[a..b]` when there are at most `max` of them (and the gap is short).
    fn gap_words(text: &str, a: usize, b: usize, max: usize) -> Option<impl Iterator<Item = &str>> {
        let gap = text.get(a..b)?;
        if gap.len() > 80 {
            return None;
        }
        let words = || gap.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '/').filter(|w| !w.is_empty());
        (words().count() <= max).then(words)
    }

    /// Two verbs form one predicate when only coordination words and commas stand between
    /// them ("collect, use or share"; "request access").
    fn coordinated(&self, text: &str, a: usize, b: usize) -> bool {
        let punctuation_ok = text.get(a..b).is_some_and(|g| !g.contains(['.', ';', ':']));
        punctuation_ok
            && Self::gap_words(text, a, b, 2)
                .is_some_and(|mut w| w.all(|w| self.coordination.iter().any(|c| c.eq_ignore_ascii_case(w))))
    }

    /// A mention is the subject of the verb after it when an auxiliary stands between
    /// ("your contacts are never collected").
    fn passive(&self, text: &str, a: usize, b: usize) -> bool {
        Self::gap_words(text, a, b, 3)
            .is_some_and(|mut w| w.any(|w| self.auxiliary.iter().any(|x| x.eq_ignore_ascii_case(w))))
    }

    /// Judges one sentence on its own, or returns the judgment already made of the same text.
    /// `t` must be the taxonomy this matcher was built from.
    pub fn judge(&self, t: &Taxonomy, text: &str) -> Arc<Judgment> {
        // A poisoned lock still holds whole judgments (each is inserted complete).
        let memo = || self.memo.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(j) = memo().judged.get(text) {
            return Arc::clone(j);
        }
        let j = Arc::new(self.judge_text(t, text));
        let mut m = memo();
        if m.bytes + text.len() <= MEMO_BYTES {
            m.bytes += text.len();
            m.judged.insert(text.into(), Arc::clone(&j));
        }
        j
    }

    /// Judges one sentence on its own.
    fn judge_text(&self, t: &Taxonomy, text: &str) -> Judgment {
        // Patterns are lower case; ASCII lower-casing keeps every byte offset, so hits index
        // the original text, and every later look at the words reads slices of this one copy.
        // (Cheaper than an ASCII-case-insensitive automaton, which takes several times longer
        // to build.)
        let lower = text.to_ascii_lowercase();
        let hits = self.hits(text, &lower);
        // Most sentences mention no category and state no practice: they matter only as the
        // context they give a list or a section, and without a negation that is plain.
        if !hits.iter().any(|h| h.mention.is_some() || h.flags & PRACTICE_BIT != 0) {
            let verbs = hits.iter().any(|h| h.is_verb());
            if !verbs {
                return Judgment::default();
            }
            if !hits.iter().any(|h| h.flags & TURN_BITS != 0) {
                return Judgment { context: Some(Polarity::Disclosure), ..Judgment::default() };
            }
        }
        let words = Words::new(text);
        let access = {
            let mut a = if hits.iter().any(|h| h.is(Cue::Selected)) { Access::SELECTED } else { Access::READ };
            if hits.iter().any(|h| h.is(Cue::Write)) {
                a = a.union(Access::WRITE);
            }
            a
        };
        let question = text.trim_end().ends_with('?');
        // Where the sentence turns to the user's rights or to opting out, looked for once.
        let rights_at = self.rights.starts(text, &lower);
        let opt_out_at = self.opt_out.starts(text, &lower);
        let cx = Ctx { t, text, lower: &lower, words: &words, rights_at, opt_out_at };
        let mut judgment = Judgment::default();
        let mut previous_affirmative = false;
        let mut rest: &[Hit] = &hits;
        let mut clause_start = 0;
        while !rest.is_empty() {
            let cut = rest.iter().position(|h| h.is(Cue::Break)).unwrap_or(rest.len());
            let clause = &rest[..cut];
            // The clause's text runs from the end of the break before it to the start of the
            // break after it (or the sentence's ends).
            let span_end = rest.get(cut).map_or(text.len(), |b| b.start);
            let span = (clause_start, span_end);
            clause_start = rest.get(cut).map_or(text.len(), |b| b.end);
            rest = rest.get(cut + 1..).unwrap_or(&[]);
            let c = self.clause(&cx, clause, access, question, previous_affirmative, span);
            judgment.found.extend(c.found);
            judgment.practices.extend(c.practices);
            if c.context.is_some() {
                judgment.context = c.context;
            }
            previous_affirmative = c.affirmative;
        }
        judgment
    }

    /// Reads one clause: every mention, the practices, and the context the clause gives.
    fn clause(
        &self,
        cx: &Ctx,
        clause: &[Hit],
        access: Access,
        question: bool,
        previous_affirmative: bool,
        clause_span: (usize, usize),
    ) -> ClauseReading {
        let (t, text, words) = (cx.t, cx.text, cx.words);
        // Which verbs are negated: a negation up to four words before the first verb after it
        // (no hedge such as "normally" between), a determiner "no" right before a verb ("no
        // access to"), or a verb coordinated with a negated one ("do not collect or store").
        // Each verb also gets the index of its coordination chain.
        let mut negated = vec![false; clause.len()];
        let mut chain = vec![0usize; clause.len()];
        let mut chains_with_denial: Vec<bool> = Vec::new();
        let mut prev_verb: Option<usize> = None;
        let mut others_verb = vec![false; clause.len()];
        let mut permission_denied = false;
        let mut negation: Option<usize> = None;
        let mut hedged = false;
        let mut determiner: Option<usize> = None;
        for (k, h) in clause.iter().enumerate() {
            if h.is(Cue::Negation) {
                negation = Some(k);
                hedged = false;
            }
            if h.is(Cue::Hedge) && negation.is_some() {
                hedged = true;
            }
            if h.is(Cue::DeterminerNegation) {
                determiner = Some(k);
            }
            // "we do not permit third parties to collect ...": a negated permission speaks of
            // what others may do; the verb after it is neither ours nor denied.
            if h.is(Cue::Permission) && negation.is_some_and(|n| words.between(clause[n].end, h.start) <= 3) {
                permission_denied = true;
                negation = None;
            }
            if !h.is_verb() {
                continue;
            }
            if permission_denied {
                others_verb[k] = true;
                permission_denied = false;
            }
            let by_negation = !hedged && negation.is_some_and(|n| n < k && words.between(clause[n].end, h.start) <= 4);
            let by_determiner = determiner.is_some_and(|d| d < k && words.between(clause[d].end, h.start) == 0);
            let joined = prev_verb.is_some_and(|p| self.coordinated(text, clause[p].end, h.start));
            let by_coordination = joined && prev_verb.is_some_and(|p| negated[p]);
            negated[k] = by_negation || by_determiner || by_coordination;
            if joined {
                chain[k] = chain[prev_verb.expect("joined implies a previous verb")];
            } else {
                chain[k] = chains_with_denial.len();
                chains_with_denial.push(false);
            }
            if negated[k] && h.is_pure_collect() {
                chains_with_denial[chain[k]] = true;
            }
            negation = None;
            determiner = None;
            hedged = false;
            prev_verb = Some(k);
        }
        // A chain denies only when its negated verbs include one of collection.
        let chain_denies = |k: usize| negated[k] && chains_with_denial[chain[k]];

        let verbs: Vec<usize> = (0..clause.len()).filter(|&k| clause[k].is_verb()).collect();
        let has_verb = !verbs.is_empty();
        let affirmative = verbs.iter().any(|&k| !negated[k] || !clause[k].is_pure_collect());
        // Every cue without a parameter the clause holds, in one pass.
        let present = clause.iter().fold(0u32, |a, h| a | h.flags);
        let has = |cue: Cue| cue.bit().is_some_and(|b| present & b != 0);
        let conditional = has(Cue::ExceptionCondition);
        let excepted_from = clause.iter().position(|h| h.is(Cue::ExceptionList));
        let prohibited = has(Cue::Prohibition);
        let definition = has(Cue::Definition);
        let on_device = has(Cue::OnDevice);
        let (clause_start, clause_end) = clause_span;
        let first_in = |at: &[usize]| {
            let i = at.partition_point(|&p| p < clause_start);
            at.get(i).copied().filter(|&p| p < clause_end)
        };
        let rights_from = first_in(&cx.rights_at);
        let opt_out_from = first_in(&cx.opt_out_at);
        // "Other companies track your browsing history": a clause whose subject is someone
        // else says nothing of what the service does.
        let first_verb = clause.iter().position(|h| h.is_verb());
        let others_from = clause.iter().position(|h| h.is(Cue::Others)).filter(|&o| first_verb.is_none_or(|v| o < v));
        let person = has(Cue::Person);
        // A requirement is met by one of its words within a few words of the mention, looked
        // for in the text itself (a word inside a longer cue counts: "device" in "unique
        // device identifiers").
        let satisfied = |r: usize, m: &Hit| {
            // At most a few hundred bytes either side, whatever the words look like.
            let from = floor_boundary(
                text,
                words.nth_before(m.start, REQUIREMENT_WINDOW).max(clause_start).max(m.start.saturating_sub(400)),
            );
            let to = floor_boundary(
                text,
                words.nth_after(m.end, REQUIREMENT_WINDOW).min(clause_end).min(m.end + 400).min(text.len()),
            );
            self.requirements[r].within(text, cx.lower, from, to)
        };
        // For each hit, the next one after it that is not part of a list of mentions (another
        // mention, a qualifier, a verb, a negation, a person word), computed once from the end.
        let mut next_cue: Vec<Option<usize>> = vec![None; clause.len()];
        for k in (0..clause.len().saturating_sub(1)).rev() {
            let h = &clause[k + 1];
            let listed = h.mention().is_some()
                || h.qualifier().next().is_some()
                || h.is_verb()
                || h.is(Cue::Negation)
                || h.is(Cue::Person);
            next_cue[k] = if listed { next_cue[k + 1] } else { Some(k + 1) };
        }
        let clause_explicit: Vec<CategoryId> =
            clause.iter().flat_map(|h| h.qualifier()).filter(|&q| t.category(q).explicit).collect();
        let mut qualifiers: Vec<CategoryId> = Vec::new();
        // After a phrase of the user's rights, a mention and the verb before it are the right's
        // object ("the right to limit the use of your precise location", "the right to know
        // what we collect"): boilerplate of the law, no statement of the service.
        let under_right = |k: usize, last_verb: Option<usize>| {
            rights_from.is_some_and(|r| clause[k].start >= r && last_verb.is_none_or(|v| clause[v].start >= r))
        };
        let mut found = Vec::new();
        let mut next_verb = verbs.iter().peekable();
        let mut last_verb: Option<usize> = None;
        let mut last_negation: Option<usize> = None;
        let mut last_determiner: Option<usize> = None;
        let mut last_conceal: Option<usize> = None;
        for (k, m) in clause.iter().enumerate() {
            while next_verb.peek().is_some_and(|&&v| v < k) {
                last_verb = next_verb.next().copied();
            }
            if m.is(Cue::Negation) {
                last_negation = Some(k);
            }
            if m.is(Cue::DeterminerNegation) {
                last_determiner = Some(k);
            }
            if m.is(Cue::Conceal) {
                last_conceal = Some(k);
            }
            let Some(id) = m.mention() else { continue };
            let cat = t.category(id);
            // A term that needs a word its clause lacks is no mention in a sentence with a
            // verb ("we send you an SMS"); in a fragment (a list item "SMS messages") its
            // list intro, table header or heading still decides.
            let unmet = m.cues.iter().any(|c| matches!(c, Cue::Needs(r) if !satisfied(*r, m)));
            if unmet && has_verb {
                continue;
            }
            let reading = if prohibited || others_from.is_some_and(|o| o < k) || under_right(k, last_verb) {
                Reading::Off
            } else {
                let after = next_verb.peek().map(|&&v| v);
                // The verb that governs the mention: the one right after it when an auxiliary
                // makes the mention its subject, else the nearest before it, else the one after.
                let governing = match after {
                    Some(a)
                        if self.passive(text, m.end, clause[a].start)
                            && !clause[k + 1..a].iter().any(|h| h.mention().is_some()) =>
                    {
                        Some(a)
                    }
                    // A verb far after the mention governs it only in a short reach: "browsing
                    // histories linked to you in response to legal requests" is no request.
                    _ => last_verb.or(after.filter(|&a| words.between(m.end, clause[a].start) <= AFTER_WINDOW)),
                };
                // "we never store information that could identify your browsing history": the
                // mention sits in a relative clause under the verb, not as its object.
                let relative =
                    governing.is_some_and(|g| g < k && Words::any_in(&words.relatives, clause[g].end, m.start));
                let not_ours = governing.is_some_and(|g| others_verb[g]);
                let excepted = conditional || excepted_from.is_some_and(|x| x < k);
                let concealed = last_conceal.is_some_and(|c| last_verb.is_none_or(|v| v < c))
                    && clause[k + 1..]
                        .iter()
                        .take_while(|h| words.between(m.end, h.start) <= 4)
                        .any(|h| h.is(Cue::FromUs));
                // "for advertising", "to send you offers" after the mention (past any further
                // mentions of a list, and past verbs: "no location tracking is involved for
                // these purposes") limits the purpose; "to you", "to the" is no purpose.
                let purpose = next_cue[k].map(|n| &clause[n]).is_some_and(|h| {
                    h.is(Cue::Purpose) && words.between(m.end, h.start) <= 25 && !recipient_after(text, h)
                });
                // "we share your data with your contacts", "... with third parties such as
                // wireless carriers": after a verb of moving data and "with" or "to", the
                // mention names who receives the data, not the data.
                let recipient = governing.is_some_and(|g| {
                    let verb = &clause[g];
                    g < k
                        && verb.is(Cue::Transfer)
                        && !verb.is(Cue::Collect)
                        && (cx.lower[verb.start..verb.end].ends_with(" to")
                            || Words::any_in(&words.prepositions, verb.end, m.start))
                });
                let determined =
                    has_verb && last_determiner.is_some_and(|d| words.between(clause[d].end, m.start) <= 3);
                let negated_before = last_negation.is_some();
                let elliptic = !has_verb
                    && previous_affirmative
                    && last_negation.is_some_and(|n| words.between(clause[n].end, m.start) <= 2);
                if concealed {
                    Reading::Stated(Polarity::Denial, Basis::Negation)
                } else if recipient || not_ours {
                    Reading::Off
                } else if let Some(g) = governing {
                    let verb = &clause[g];
                    if negated[g] {
                        if chain_denies(g) && !purpose && !excepted {
                            Reading::Stated(Polarity::Denial, Basis::Negation)
                        } else if excepted {
                            Reading::Stated(Polarity::Disclosure, verb.basis())
                        } else if relative {
                            // A limit on keeping or moving something else says nothing of it.
                            Reading::Off
                        } else if on_device {
                            Reading::Stated(Polarity::Disclosure, Basis::OnDevice)
                        } else {
                            Reading::Stated(Polarity::Disclosure, Basis::Limit)
                        }
                    } else if determined && !excepted && !purpose {
                        Reading::Stated(Polarity::Denial, Basis::Negation)
                    } else if on_device {
                        Reading::Stated(Polarity::Disclosure, Basis::OnDevice)
                    } else {
                        Reading::Stated(Polarity::Disclosure, verb.basis())
                    }
                } else if elliptic {
                    Reading::Stated(Polarity::Denial, Basis::Negation)
                } else if on_device && !negated_before {
                    Reading::Stated(Polarity::Disclosure, Basis::OnDevice)
                } else if negated_before {
                    // "we don't need your location": no verb we know, negated. Neither a
                    // disclosure nor a categorical denial.
                    Reading::Off
                } else {
                    Reading::Open { statement: person && !definition && !question && !unmet, weak: unmet }
                }
            };
            // Qualifiers of granularity within a few words either side narrow the mention
            // ("your location, inferred from your IP address"); farther ones speak of something
            // else. Qualifiers of an explicit category (background: "even when the app is
            // closed") say when the whole clause happens, and reach across it.
            let near = |q: &&Hit| {
                words.between(q.end, m.start) <= QUALIFIER_WINDOW && words.between(m.end, q.start) <= QUALIFIER_WINDOW
            };
            qualifiers.clear();
            qualifiers.extend(
                clause[..k]
                    .iter()
                    .rev()
                    .take_while(near)
                    .chain(clause[k + 1..].iter().take_while(near))
                    .flat_map(|h| h.qualifier())
                    .chain(clause_explicit.iter().copied()),
            );
            let mut categories = narrow(t, id, &qualifiers, reading);
            // "precise and approximate location": a qualifier of a sibling just before a
            // mention of one granularity names that sibling too.
            let parent = cat.parent;
            for q in clause[..k].iter().rev().take_while(|q| words.between(q.end, m.start) <= 3) {
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
            found.push(Found { categories, reading, access, span: (m.start, m.end) });
        }
        // What voids a practice verb after it: a right or an opt-out, someone else as the
        // subject, a prohibition ("they are not permitted to sell").
        let voids = Voids {
            controls: rights_from.into_iter().chain(opt_out_from).min(),
            others: others_from.map(|o| clause[o].start),
            prohibition: clause.iter().find(|h| h.is(Cue::Prohibition)).map(|h| h.start),
        };
        let practices = self.practices_in(cx, clause, &negated, &found, clause_span, voids);
        let context = has_verb.then(|| {
            let negated_collect = verbs.iter().any(|&k| negated[k] && clause[k].is_pure_collect());
            let affirmative_verb = verbs.iter().any(|&k| !negated[k]);
            if negated_collect && !affirmative_verb && !conditional {
                Polarity::Denial
            } else {
                Polarity::Disclosure
            }
        });
        ClauseReading { found, practices, context, affirmative }
    }
}

/// Whether a purpose cue is "to" followed by whom or what rather than a verb ("belongs to you",
/// "sent to the contacts"): no purpose, a recipient.
fn recipient_after(text: &str, h: &Hit) -> bool {
    const NOT_A_VERB: &[&str] = &[
        "you", "us", "them", "him", "her", "it", "the", "a", "an", "your", "our", "their", "its", "any", "third",
        "other", "others", "those", "these", "this", "that", "which", "whom", "anyone", "all",
    ];
    let cue = &text[h.start..h.end];
    if !cue.eq_ignore_ascii_case("to") {
        return false;
    }
    let next = text[h.end..].split(|c: char| !c.is_alphanumeric() && c != '\'').find(|w| !w.is_empty());
    next.is_some_and(|w| NOT_A_VERB.contains(&w.to_ascii_lowercase().as_str()))
}

/// The sentence being judged: what every clause of it reads against.
pub(super) struct Ctx<'a> {
    pub(super) t: &'a Taxonomy,
    pub(super) text: &'a str,
    /// `text`, ASCII lower-cased (the same byte offsets).
    pub(super) lower: &'a str,
    pub(super) words: &'a Words,
    /// Where each phrase of `rights` starts, in order.
    rights_at: Vec<usize>,
    /// Where each phrase of `opt_out` starts, in order.
    opt_out_at: Vec<usize>,
}

/// Where, in a clause, practice verbs stop stating what the service does (byte offsets).
pub(super) struct Voids {
    /// A right or an opt-out ("the right to know what we have sold").
    pub(super) controls: Option<usize>,
    /// Someone else as the subject ("other companies share ...").
    pub(super) others: Option<usize>,
    /// A prohibition ("they are not permitted to sell").
    pub(super) prohibition: Option<usize>,
}

/// What [`Matcher::clause`] found in one clause.
struct ClauseReading {
    found: Vec<Found>,
    practices: Vec<FoundPractice>,
    context: Option<Polarity>,
    /// Whether some verb of the clause is affirmative (for an elliptic clause after it).
    affirmative: bool,
}

/// Applies qualifiers to a mention of `id`: non-explicit children named by a qualifier replace
/// the parent; explicit categories (background location) are added when their qualifier is
/// present, and a denial then applies to them alone.
fn narrow(t: &Taxonomy, id: CategoryId, qualifiers: &[CategoryId], reading: Reading) -> Vec<CategoryId> {
    if qualifiers.is_empty() {
        return vec![id];
    }
    let parent = t.category(id).parent;
    let kids: Vec<CategoryId> = t.children(id).filter(|k| qualifiers.contains(k) && !t.category(*k).explicit).collect();
    let mut explicit: Vec<CategoryId> = qualifiers
        .iter()
        .copied()
        .filter(|&q| q != id && t.category(q).explicit)
        .filter(|&q| t.category(q).parent == Some(id) || (parent.is_some() && t.category(q).parent == parent))
        .collect();
    explicit.sort_unstable();
    explicit.dedup();
    if matches!(reading, Reading::Stated(Polarity::Denial, _)) && !explicit.is_empty() {
        return explicit;
    }
    let mut out = if kids.is_empty() { vec![id] } else { kids };
    out.extend(explicit);
    out
}

/// A short list of phrases looked for in a sentence's own text, on word boundaries: a phrase
/// inside a longer cue of the main automaton still counts ("device" in "unique device
/// identifiers"), and a phrase inside a longer word does not ("right to" in "copyright to").
#[derive(Debug)]
pub(super) struct Phrases {
    automaton: AhoCorasick,
    /// The longest word of each phrase: a text holding none of them holds no phrase.
    needles: Vec<String>,
}

impl Phrases {
    fn new(phrases: &[String]) -> Phrases {
        let lower: Vec<String> = phrases.iter().map(|p| p.trim().to_lowercase()).collect();
        // A handful of phrases: the cheapest automaton to build (a DFA would take longer to
        // build than a run spends searching with it).
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .match_kind(MatchKind::Standard)
            .build(&lower)
            .expect("phrases compile: plain strings");
        let mut needles: Vec<String> =
            lower.iter().filter_map(|p| p.split_whitespace().max_by_key(|w| w.len()).map(str::to_string)).collect();
        needles.sort();
        needles.dedup();
        Phrases { automaton, needles }
    }

    /// Where the phrases start in `text` (`lower` is it, ASCII lower-cased), in order.
    fn starts(&self, text: &str, lower: &str) -> Vec<usize> {
        if !self.needles.iter().any(|n| lower.contains(n.as_str())) {
            return Vec::new();
        }
        let mut at: Vec<usize> = self
            .automaton
            .find_overlapping_iter(lower)
            .filter(|m| on_boundaries(text, m.start(), m.end()))
            .map(|m| m.start())
            .collect();
        at.sort_unstable();
        at
    }

    /// Whether a phrase stands within `text[from..to]` (`lower` is `text`, lower-cased).
    pub(super) fn within(&self, text: &str, lower: &str, from: usize, to: usize) -> bool {
        let (Some(window), Some(lower)) = (text.get(from..to), lower.get(from..to)) else { return false };
        self.automaton.find_overlapping_iter(lower).any(|m| on_boundaries(window, m.start(), m.end()))
    }
}

/// `at`, moved back to a char boundary of `text`.
pub(super) fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
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

    #[test]
    fn phrases_stand_on_word_boundaries_inside_or_outside_other_cues() {
        let p = Phrases::new(&["right to".to_string(), "device".to_string()]);
        let text = "Our copyright to the logo; you have the right to delete unique device identifiers.";
        let lower = text.to_ascii_lowercase();
        assert_eq!(p.starts(text, &lower), vec![text.find("right to delete").unwrap(), text.find("device").unwrap()]);
        assert!(p.within(text, &lower, 60, text.len()));
        assert!(!p.within(text, &lower, 0, 20));
        assert!(Phrases::new(&["opt out of".to_string()]).starts(text, &lower).is_empty());
    }

    #[test]
    fn words_between_counts_word_starts() {
        let text = "we do not, ever, collect it";
        let w = Words::new(text);
        assert_eq!(w.between(0, text.len()), 6);
        assert_eq!(w.between(5, 24), 3);
        assert_eq!(w.between(9, 9), 0);
    }
}
