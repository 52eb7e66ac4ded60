//! Building a [`Document`] from blocks of text, and splitting blocks into sentences.
//!
//! The Markdown and plain-text readers feed a [`Builder`] with text pieces and their source
//! offsets; the builder keeps the map from plain-text positions back to the source, so every
//! sentence knows where it starts, whatever markup was removed.

use std::ops::Range;

use super::{Annotation, BlockKind, Document, Section, Sentence};

/// Accumulates blocks, sections and annotations in document order.
#[derive(Debug)]
pub(crate) struct Builder {
    doc: Document,
    text: String,
    /// (position in `text`, source offset) at the start of each piece.
    pieces: Vec<(usize, usize)>,
    /// Source offset where the current block's last piece ends.
    end: usize,
    kind: BlockKind,
    blocks: usize,
    /// Open headings: (level, section index).
    open: Vec<(u8, usize)>,
    section: usize,
    /// Intro sentence of each open list.
    lists: Vec<Option<usize>>,
    /// The level of the heading being read.
    pending_level: u8,
    /// The last sentence of the previous block, when that block was a paragraph.
    last_paragraph: Option<usize>,
}

impl Builder {
    pub(crate) fn new() -> Builder {
        let mut doc = Document::default();
        doc.sections.push(Section::default());
        Builder {
            doc,
            text: String::new(),
            pieces: Vec::new(),
            end: 0,
            kind: BlockKind::Paragraph,
            blocks: 0,
            open: Vec::new(),
            section: 0,
            lists: Vec::new(),
            pending_level: 1,
            last_paragraph: None,
        }
    }

    /// Starts a block of the given kind, ending any open one.
    pub(crate) fn start(&mut self, kind: BlockKind) {
        self.flush();
        self.kind = kind;
    }

    /// Adds text that sits at `source` in the file.
    pub(crate) fn text(&mut self, text: &str, source: Range<usize>) {
        if text.is_empty() {
            return;
        }
        self.pieces.push((self.text.len(), source.start));
        self.text.push_str(text);
        self.end = source.end;
    }

    /// Adds a word break (a soft line break, a `<br>`).
    pub(crate) fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// Ends the open block, if any, and splits it into sentences.
    pub(crate) fn flush(&mut self) {
        if self.text.trim().is_empty() {
            self.text.clear();
            self.pieces.clear();
            return;
        }
        let text = std::mem::take(&mut self.text);
        let pieces = std::mem::take(&mut self.pieces);
        let block = self.blocks;
        self.blocks += 1;
        let intro = match self.kind {
            BlockKind::ListItem => self.lists.last().copied().flatten(),
            _ => None,
        };
        let first = self.doc.sentences.len();
        let ranges =
            if self.kind == BlockKind::Heading { std::iter::once(0..text.len()).collect() } else { split(&text) };
        for r in ranges {
            let trimmed = trim_range(&text, r);
            if trimmed.is_empty() {
                continue;
            }
            let start = source_offset(&pieces, trimmed.start);
            let end = source_offset(&pieces, trimmed.end).max(start);
            self.doc.sentences.push(Sentence {
                text: collapse(&text[trimmed]),
                start,
                end: end.min(self.end.max(start)),
                section: self.section,
                kind: self.kind,
                block,
                intro,
            });
        }
        let last = self.doc.sentences.len().checked_sub(1).filter(|&l| l >= first);
        if self.kind == BlockKind::Heading {
            self.open_section(first);
            self.last_paragraph = None;
        } else if self.kind == BlockKind::Paragraph {
            self.last_paragraph = last;
        } else {
            self.last_paragraph = None;
        }
    }

    /// Records a heading of `level`; its text is the open Heading block.
    pub(crate) fn heading_level(&mut self, level: u8) {
        self.pending_level = level;
    }

    fn open_section(&mut self, heading: usize) {
        let level = self.pending_level;
        while self.open.last().is_some_and(|&(l, _)| l >= level) {
            self.open.pop();
        }
        let parent = self.open.last().map(|&(_, s)| s);
        let mut path = parent.map(|p| self.doc.sections[p].path.clone()).unwrap_or_default();
        path.push(self.doc.sentences[heading].text.clone());
        let index = self.doc.sections.len();
        self.doc.sections.push(Section {
            path,
            heading: Some(heading),
            parent: parent.or(Some(0)).filter(|_| index != 0),
        });
        self.doc.sentences[heading].section = index;
        self.open.push((level, index));
        self.section = index;
    }

    /// A list starts: the paragraph right before it introduces it.
    pub(crate) fn start_list(&mut self) {
        self.flush();
        let intro = self.last_paragraph.or_else(|| self.lists.last().copied().flatten());
        self.lists.push(intro);
    }

    /// A list ends.
    pub(crate) fn end_list(&mut self) {
        self.flush();
        self.lists.pop();
        self.last_paragraph = None;
    }

    /// Records a `disclose:` annotation for the current section.
    pub(crate) fn annotation(&mut self, ids: Vec<String>, source: Range<usize>) {
        self.doc.annotations.push(Annotation { ids, start: source.start, end: source.end, section: self.section });
    }

    /// Ends the document.
    pub(crate) fn finish(mut self) -> Document {
        self.flush();
        self.doc
    }
}

fn source_offset(pieces: &[(usize, usize)], pos: usize) -> usize {
    let i = pieces.partition_point(|&(p, _)| p <= pos).saturating_sub(1);
    pieces.get(i).map_or(0, |&(p, s)| s + (pos - p))
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Abbreviations whose full stop does not end a sentence (lower case, without the stop).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "llc", "mr", "mrs", "ms", "dr", "st", "vs", "no", "u.s", "u.k",
    "e.u", "a.m", "p.m", "fig", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "art", "sec", "para", "cf", "ca", "ph.d", "jr", "sr",
];

/// Splits a block's text into sentence ranges: after `.`, `!` or `?` (and any closing quotes
/// or brackets) followed by white space and a capital letter, digit or opening quote; never
/// after a known abbreviation or a single initial.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')' | b']' | b'*' | b'_') {
                j += 1;
            }
            // Closing curly quotes.
            while text[j..].starts_with('\u{201D}') || text[j..].starts_with('\u{2019}') {
                j += 3;
            }
            let ws = text[j..].len() - text[j..].trim_start().len();
            if ws > 0 || j == bytes.len() {
                let next = text[j + ws..].chars().next();
                let starts_sentence = next.is_none_or(|c| {
                    c.is_uppercase()
                        || c.is_ascii_digit()
                        || matches!(c, '"' | '\'' | '(' | '[' | '\u{201C}' | '*' | '_')
                });
                if starts_sentence && !(b == b'.' && ends_with_abbreviation(&text[start..i])) {
                    out.push(start..j);
                    start = j + ws;
                    i = start;
                    continue;
                }
            }
        }
        i += 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let lower = word.to_ascii_lowercase();
    (word.chars().count() == 1 && word.chars().all(|c| c.is_alphabetic())) || ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(t: &str) -> Vec<&str> {
        split(t).into_iter().map(|r| t[r].trim()).collect()
    }

    #[test]
    fn splits_on_sentence_ends_only() {
        assert_eq!(
            sentences("We collect data, e.g. your email. We use it! Do we sell it? No."),
            vec!["We collect data, e.g. your email.", "We use it!", "Do we sell it?", "No."]
        );
        assert_eq!(
            sentences("Contact J. Smith at Example Inc. for details."),
            vec!["Contact J. Smith at Example Inc. for details."]
        );
        assert_eq!(
            sentences("See version 2.1 of the terms. Then stop."),
            vec!["See version 2.1 of the terms.", "Then stop."]
        );
        assert_eq!(sentences("He said \"stop.\" Then left."), vec!["He said \"stop.\"", "Then left."]);
        assert_eq!(sentences("lower case. continues"), vec!["lower case. continues"]);
    }
}
