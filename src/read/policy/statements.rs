//! From sentences to statements: each sentence's [`Judgment`] read in the document around it.
//!
//! A mention that no verb of its own sentence governs takes the context of its list intro, its
//! table header or its heading ("Information we collect", "We collect the following:"); failing
//! those, a full sentence of prose that speaks of the user's data discloses it whatever its verb.
//! Headings are evidence for what sits under them, never a disclosure of their own wording.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeSet;
use std::sync::Arc;

use super::matcher::{Judgment, Reading};
use super::{Basis, BlockKind, Document, Polarity, PracticeStatement, Sentence, Statement, Via};
use crate::model::error::Error;
use crate::model::source::Source;
use crate::taxonomy::{Access, Taxonomy};

/// The longest sentence of prose that still takes its verb from the heading above it.
const HEADING_REACH_WORDS: usize = 12;

/// Words a sentence needs before its wording alone can disclose a mention.
const FULL_SENTENCE_WORDS: usize = 4;

/// Whether a sentence reads as a full sentence of the policy's prose rather than a fragment
/// (a cell "Precise location", a bold label): a paragraph of a few words, or a list item or
/// cell that ends like a sentence.
fn full_sentence(s: &Sentence) -> bool {
    let words = s.text.split_whitespace().count();
    let ends = s.text.trim_end_matches(['"', '\'', ')', '\u{201D}', '*', '_']).ends_with(['.', '!', ';']);
    words >= FULL_SENTENCE_WORDS && (s.kind == BlockKind::Paragraph || ends)
}

/// Whether every word of four letters or more starts with a capital ("Automated
/// Decision-Making"): a label set as a heading, whatever its markup.
fn title_case(text: &str) -> bool {
    let mut long = text.split(|c: char| !c.is_alphabetic() && c != '-').filter(|w| w.chars().count() >= 4).peekable();
    long.peek().is_some() && long.all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Finds every disclosure and denial in a parsed policy, and every practice or control it
/// states or denies, each with its sentence.
pub fn statements(
    source: &Source,
    doc: &Document,
    t: &Taxonomy,
) -> Result<(Vec<Statement>, Vec<PracticeStatement>), Error> {
    let m = super::matcher::Matcher::of(t);
    let judgments: Vec<Arc<Judgment>> = doc.sentences.iter().map(|s| m.judge(t, &s.text)).collect();
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
    // How many sentences each block holds: a fragment alone in its block is an enumerated
    // item; one that opens a longer block is its label ("**Job applications.** We may ...").
    let mut block_sizes = vec![0usize; doc.sentences.last().map_or(0, |s| s.block + 1)];
    for s in &doc.sentences {
        block_sizes[s.block] += 1;
    }
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
            // A verbless fragment ("Automated Decision-Making", a table-of-contents entry)
            // names a topic; only a list intro can give it a verb ("We share data with:").
            // A fragment that names a practice in Title Case ("Automated Decision-Making"), or
            // labels a longer item ("**Job applications.** We may ..."), is a topic: the
            // sentences under it say whether the service does it. A control named so ("Right to
            // Erasure") is offered.
            let label = block_sizes[s.block] > 1;
            let practice = t.practices[f.practice].kind == crate::taxonomy::PracticeKind::Practice;
            if f.fragment && practice && (label || title_case(&s.text)) {
                continue;
            }
            if stated.insert((f.practice, f.polarity)) {
                practices.push(PracticeStatement {
                    practice: f.practice,
                    polarity: f.polarity,
                    recipient: f.recipient.clone(),
                    categories: f.categories.clone(),
                    location: at.clone(),
                    text: s.text.clone(),
                });
            }
        }
        // A sentence without a verb of its own takes its list intro's (or table header's)
        // context, else its heading's. A heading's denial ("Information we do not collect")
        // reaches only enumerations (list items, table cells, sub-headings), not prose, which
        // may well be talking about something else ("you may add a profile picture").
        let intro = || s.intro.and_then(|k| judgments[k].context);
        // A long sentence of prose speaks for itself: its heading is too far to give it a verb
        // ("Instead, during the exam, the tool replaces the clipboard text with its own").
        let short_prose = s.kind != BlockKind::Paragraph || s.text.split_whitespace().count() <= HEADING_REACH_WORDS;
        let inherited = || {
            intro().or_else(|| {
                let own = if s.kind == BlockKind::Heading { doc.sections[s.section].parent } else { Some(s.section) };
                section_context(own)
                    .filter(|&p| p == Polarity::Disclosure || s.kind != BlockKind::Paragraph)
                    .filter(|_| short_prose)
            })
        };
        let context_basis = if s.kind == BlockKind::TableCell {
            Basis::TableRow
        } else if s.intro.is_some() {
            Basis::ListItem
        } else {
            Basis::Heading
        };
        for f in &j.found {
            let (polarity, via, basis) = match f.reading {
                Reading::Off => continue,
                // A heading's own wording is context for its section, not a statement.
                Reading::Stated(..) if s.kind == BlockKind::Heading => continue,
                Reading::Stated(p, basis) => (p, Via::Wording, basis),
                Reading::Open { statement, weak } => match if weak { intro() } else { inherited() } {
                    Some(Polarity::Denial) => (Polarity::Denial, Via::Context, Basis::Negation),
                    Some(p) => (p, Via::Context, context_basis),
                    None if statement && s.kind != BlockKind::Heading && full_sentence(s) => {
                        (Polarity::Disclosure, Via::Wording, Basis::Statement)
                    }
                    None => continue,
                },
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
                        mention: Some(f.span),
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
                if let Some(near) = crate::model::suggest::nearest(id, t.categories.iter().map(|c| c.id.as_str())) {
                    e = e.with_help(format!("did you mean `{near}`? `disclose categories` lists every id"));
                }
                return Err(e);
            };
            out.push(Statement {
                category: c,
                polarity: Polarity::Disclosure,
                access: Access::READ.union(Access::WRITE),
                location: source.location(a.start, a.end),
                text: source.text[a.start..a.end].into(),
                via: Via::Annotation,
                basis: Basis::Annotation,
                mention: None,
            });
        }
    }
    Ok((out, practices))
}

#[cfg(test)]
mod tests {
    use crate::model::source::Source;
    use crate::read::policy::{self, Polarity};
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
        assert_eq!(
            got,
            vec![
                ("biometrics".into(), Polarity::Denial),
                ("user_content".into(), Polarity::Disclosure),
                ("contacts".into(), Polarity::Denial)
            ]
        );
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

    #[test]
    fn a_heading_is_context_never_a_disclosure_of_its_own() {
        assert_eq!(statements("## How we use your location\n\nWe keep things simple.\n"), vec![]);
        assert_eq!(
            statements("## Location data\n\nWe collect your email address.\n"),
            vec![("account.email".into(), Polarity::Disclosure)]
        );
    }

    #[test]
    fn a_full_sentence_discloses_whatever_its_verb() {
        assert_eq!(
            statements("We need your precise location to find drivers near you.\n"),
            vec![("location.precise".into(), Polarity::Disclosure)]
        );
        // A fragment without context says nothing; a sentence that is not about the user neither.
        assert_eq!(statements("- Precise location\n"), vec![]);
        assert_eq!(statements("Our headquarters sit in beautiful surroundings.\n"), vec![]);
    }
}
