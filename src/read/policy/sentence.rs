//! Building a [`Document`] from blocks of text, and splitting blocks into sentences.
//!
//! The Markdown, HTML and plain-text readers feed a [`Builder`] with text pieces and their
//! source offsets; the builder keeps the map from plain-text positions back to the source, so
//! every sentence knows where it starts, whatever markup was removed.
//!
//! The builder also gives each sentence the context a reader sees around it:
//! - a list item's `intro` is the paragraph right before its list;
//! - a table cell's `intro` is the header cell of its column (GFM's first row, `<thead>`, or a
//!   first row of `<th>`); in a table without a header for that column, the first cell of its
//!   row (a row header: "What we collect | Email address");
//! - a table cell that holds a list (lines split by `<br>`, items of an HTML list, lines that
//!   start with `* ` or `- `) becomes one sentence per line, each with the cell's context;
//! - a run of bullets inside running text ("We collect: • Photos • Videos") becomes one list
//!   item per bullet, introduced by the text before the first bullet when that ends with `:`;
//! - a short paragraph that is entirely bold (the reader says so with [`Builder::bold_line`])
//!   is a heading one level below the current section, and still introduces a list right
//!   after it; unless the paragraph before it ends in `:` ("Our address is:" before a bold
//!   name), which makes it what that paragraph introduces.
//!
//! Everything here is linear in the text: one pass to find breaks and bullets, one sentence
//! split per piece, and a binary search per sentence to map it back to the source.

use std::ops::Range;

use super::{is_date_line, Annotation, BlockKind, Document, Section, Sentence};

/// Characters that open a list item inside running text ("• Photos • Videos") when white
/// space stands on both sides of them.
const BULLETS: &[char] = &['\u{2022}', '\u{00B7}', '\u{25AA}', '\u{25E6}', '\u{25CF}'];

/// Words that continue a sentence across a `<br>` in a table cell ("We do not collect your
/// email<br>or phone number"): a line that starts with one of them, after a line that does
/// not end in punctuation, is the same sentence, not a new item.
const CONTINUATIONS: &[&str] = &[
    "and",
    "or",
    "nor",
    "but",
    "including",
    "such",
    "when",
    "where",
    "which",
    "who",
    "that",
    "if",
    "unless",
    "except",
    "to",
    "for",
    "with",
    "without",
    "from",
    "of",
    "in",
    "on",
    "by",
    "as",
    "so",
    "because",
    "while",
    "than",
];

/// The longest bold line read as a heading, in words.
const BOLD_HEADING_WORDS: usize = 12;

/// A table being read.
#[derive(Debug, Default)]
struct Table {
    /// The first sentence of each header cell, by column.
    header: Vec<Option<usize>>,
    /// The first sentence of each cell of the row being read, by column.
    row: Vec<Option<usize>>,
    /// Whether a row is being read.
    in_row: bool,
    /// Whether the row being read is a header row (GFM's first row, a row of `<thead>`).
    header_row: bool,
    /// Whether every cell of the row being read is a header cell (`<th>`).
    header_cells: bool,
    /// Whether the open cell is a header cell.
    header_cell: bool,
    /// Rows started.
    rows: usize,
}

/// One piece of a block that is read on its own: the whole block, a line of a table cell, or
/// an item of a bulleted run.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unit {
    /// Where it is in the block's text, without its bullet or marker.
    range: Range<usize>,
    /// Whether a bullet or list marker opens it.
    marked: bool,
}

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
    /// Open headings: (level, section index, whether it is a bold line).
    open: Vec<(u8, usize, bool)>,
    section: usize,
    /// Intro sentence of each open list.
    lists: Vec<Option<usize>>,
    /// The level of the heading being read.
    pending_level: u8,
    /// The last sentence of the previous block, when that block was a paragraph (or a bold
    /// line read as a heading).
    last_paragraph: Option<usize>,
    /// Line breaks in the current block (`<br>`, an item of a list in a table cell): the
    /// position in `text`, and whether the break always starts a new item.
    breaks: Vec<(usize, bool)>,
    /// Open tables, innermost last.
    tables: Vec<Table>,
    /// Whether the reader found the current block entirely bold.
    bold: bool,
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
            breaks: Vec::new(),
            tables: Vec::new(),
            bold: false,
        }
    }

    /// Starts a block of the given kind, ending any open one.
    pub(crate) fn start(&mut self, kind: BlockKind) {
        self.flush();
        self.kind = kind;
    }

    /// Adds text that sits at `source` in the file. Characters that draw nothing (zero-width
    /// spaces and joiners, soft hyphens, tag characters: see [`crate::model::escape::invisible`]) are
    /// left out, so the sentence is judged as a person reads it: "n\u{200B}ot" is "not", and
    /// "micro\u{AD}phone" is "microphone". A line or paragraph separator is a space. Each
    /// piece kept maps to its own place in the source.
    pub(crate) fn text(&mut self, text: &str, source: Range<usize>) {
        if text.is_empty() {
            return;
        }
        if text.is_ascii() {
            // No invisible character is ASCII: the common case, in one step.
            self.push_piece(text, source.start);
            self.end = source.end;
            return;
        }
        let mut kept = 0;
        for (i, c) in text.char_indices().filter(|&(_, c)| crate::model::escape::invisible(c)) {
            self.push_piece(&text[kept..i], (source.start + kept).min(source.end));
            if matches!(c, '\u{2028}' | '\u{2029}') {
                self.push_piece(" ", (source.start + i).min(source.end));
            }
            kept = i + c.len_utf8();
        }
        self.push_piece(&text[kept..], (source.start + kept).min(source.end));
        self.end = source.end;
    }

    fn push_piece(&mut self, text: &str, source: usize) {
        if !text.is_empty() {
            self.pieces.push((self.text.len(), source));
            self.text.push_str(text);
        }
    }

    /// Adds a word break (a soft line break).
    pub(crate) fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// Adds a line break: a `<br>` (`item: false`), or the start or end of an item of a list
    /// or a paragraph inside a table cell (`item: true`). In a table cell each line is read
    /// on its own; elsewhere a line break is a word break.
    pub(crate) fn line_break(&mut self, item: bool) {
        self.space();
        self.breaks.push((self.text.len(), item));
    }

    /// The open block is entirely bold text: if it is short and not a sentence, it is a
    /// heading one level below the current section.
    pub(crate) fn bold_line(&mut self) {
        self.bold = true;
    }

    /// Drops the open block's text (a kramdown `{:toc}` placeholder).
    pub(crate) fn discard(&mut self) {
        self.text.clear();
        self.pieces.clear();
        self.breaks.clear();
        self.bold = false;
    }

    /// Ends the open block, if any, and splits it into sentences.
    pub(crate) fn flush(&mut self) {
        let breaks = std::mem::take(&mut self.breaks);
        let bold = std::mem::take(&mut self.bold);
        if self.text.trim().is_empty() {
            self.text.clear();
            self.pieces.clear();
            return;
        }
        let text = std::mem::take(&mut self.text);
        let pieces = std::mem::take(&mut self.pieces);
        // A bold line right after "Our address is:" is what that paragraph introduces.
        let introduced = self.last_paragraph.is_some_and(|i| self.doc.sentences[i].text.ends_with(':'));
        let pseudo = bold && !introduced && self.kind == BlockKind::Paragraph && is_heading_line(&collapse(&text));
        if pseudo {
            // One level below the nearest real heading, so bold lines in a row are siblings.
            self.kind = BlockKind::Heading;
            self.pending_level = self.open.iter().rev().find(|o| !o.2).map_or(1, |o| o.0.saturating_add(1));
        }
        let first = self.doc.sentences.len();
        if self.kind == BlockKind::Heading {
            self.emit(&text, &pieces, 0..text.len(), BlockKind::Heading, None, true);
            if self.doc.sentences.len() > first {
                self.open_section(first, pseudo);
                // A bold line still introduces the list right after it.
                self.last_paragraph = pseudo.then_some(first);
            }
            return;
        }
        let kind = self.kind;
        let cell = kind == BlockKind::TableCell;
        let breaks = if cell { kept_breaks(&text, &breaks) } else { Vec::new() };
        let units = units(&text, &breaks, cell);
        let own = match kind {
            BlockKind::ListItem => self.lists.last().copied().flatten(),
            BlockKind::TableCell => self.cell_context(),
            _ => None,
        };
        // The text before the first item of a cell's list or of a bulleted run.
        let lead = (units.len() > 1 && !units[0].marked).then(|| units[0].range.clone());
        let lead_intro = lead.as_ref().is_some_and(|r| text[r.clone()].trim_end().ends_with(':'));
        let before = self.last_paragraph.or_else(|| self.lists.last().copied().flatten());
        let mut lead_sentence = None;
        let mut last_is_item = false;
        for (i, unit) in units.iter().enumerate() {
            let is_lead = i == 0 && lead.is_some();
            let plain = units.len() == 1 && !unit.marked;
            let (unit_kind, intro) = if is_lead || plain {
                (kind, own)
            } else {
                let lead_intro = if lead_intro { lead_sentence } else { None };
                match kind {
                    BlockKind::TableCell => (kind, own.or(lead_intro)),
                    // A bulleted run with no text before it is a list after the paragraph before.
                    BlockKind::Paragraph if lead.is_none() => (BlockKind::ListItem, before),
                    BlockKind::Paragraph => (BlockKind::ListItem, lead_intro),
                    _ => (kind, lead_intro.or(own)),
                }
            };
            let emitted = self.emit(&text, &pieces, unit.range.clone(), unit_kind, intro, false);
            if is_lead {
                lead_sentence = emitted.as_ref().map(|r| r.end - 1);
            }
            last_is_item = emitted.is_some() && unit_kind != kind;
        }
        if kind == BlockKind::TableCell && self.doc.sentences.len() > first {
            if let Some(cell) = self.tables.last_mut().and_then(|t| t.row.last_mut()) {
                cell.get_or_insert(first);
            }
        }
        let last = self.doc.sentences.len().checked_sub(1).filter(|&l| l >= first);
        self.last_paragraph = if kind == BlockKind::Paragraph && !last_is_item { last } else { None };
    }

    /// Adds the sentences of `range` of a block's text (the whole range as one sentence when
    /// `whole`), as their own block; returns the indices of the sentences added.
    fn emit(
        &mut self,
        text: &str,
        pieces: &[(usize, usize)],
        range: Range<usize>,
        kind: BlockKind,
        intro: Option<usize>,
        whole: bool,
    ) -> Option<Range<usize>> {
        let first = self.doc.sentences.len();
        let block = self.blocks;
        let ranges = if whole { std::iter::once(0..range.len()).collect() } else { split(&text[range.clone()]) };
        for r in ranges {
            let trimmed = trim_range(text, range.start + r.start..range.start + r.end);
            if trimmed.is_empty() {
                continue;
            }
            let start = source_offset(pieces, trimmed.start);
            let end = source_offset(pieces, trimmed.end).max(start);
            self.doc.sentences.push(Sentence {
                text: collapse(&text[trimmed]).into(),
                start,
                end: end.min(self.end.max(start)),
                section: self.section,
                kind,
                block,
                intro,
            });
        }
        let added = first..self.doc.sentences.len();
        if added.is_empty() {
            return None;
        }
        self.blocks += 1;
        Some(added)
    }

    /// The context of the table cell being read: its column's header cell, else (in a table
    /// without a header for that column) the first cell of its row. Header cells have none.
    fn cell_context(&self) -> Option<usize> {
        let t = self.tables.last()?;
        let column = t.row.len().checked_sub(1)?;
        if t.header_row || (t.header_cell && t.rows == 1 && t.header.is_empty()) {
            return None;
        }
        let row_header = || if column > 0 && !t.header_cell { t.row[0] } else { None };
        t.header.get(column).copied().flatten().or_else(row_header)
    }

    /// Records a heading of `level`; its text is the open Heading block.
    pub(crate) fn heading_level(&mut self, level: u8) {
        self.pending_level = level;
    }

    fn open_section(&mut self, heading: usize, bold: bool) {
        let level = self.pending_level;
        while self.open.last().is_some_and(|&(l, _, _)| l >= level) {
            self.open.pop();
        }
        let parent = self.open.last().map(|&(_, s, _)| s);
        let mut path = parent.map(|p| self.doc.sections[p].path.clone()).unwrap_or_default();
        path.push(self.doc.sentences[heading].text.to_string());
        let index = self.doc.sections.len();
        self.doc.sections.push(Section {
            path,
            heading: Some(heading),
            parent: parent.or(Some(0)).filter(|_| index != 0),
        });
        self.doc.sentences[heading].section = index;
        self.open.push((level, index, bold));
        self.section = index;
        self.last_paragraph = None;
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

    /// A table starts.
    pub(crate) fn start_table(&mut self) {
        self.flush();
        self.tables.push(Table::default());
    }

    /// A row of the open table starts; `header` when the markup says it is a header row
    /// (GFM's first row, a row inside `<thead>`).
    pub(crate) fn start_row(&mut self, header: bool) {
        self.flush();
        self.end_row();
        if let Some(t) = self.tables.last_mut() {
            t.in_row = true;
            t.rows += 1;
            t.header_row = header;
            t.header_cells = true;
        }
    }

    /// A cell of the open table starts (`header` for a `<th>`); a cell outside any table is
    /// just a block. The reader starts the cell's block.
    pub(crate) fn start_cell(&mut self, header: bool) {
        self.flush();
        if self.tables.last().is_some_and(|t| !t.in_row) {
            self.start_row(false); // `<table><td>` without a `<tr>`
        }
        if let Some(t) = self.tables.last_mut() {
            t.row.push(None);
            t.header_cell = header;
            t.header_cells &= header;
        }
    }

    /// The open table ends.
    pub(crate) fn end_table(&mut self) {
        self.flush();
        self.end_row();
        self.tables.pop();
    }

    /// Ends the open row: a header row (or a first row of `<th>` cells only) gives each
    /// column its header.
    fn end_row(&mut self) {
        let Some(t) = self.tables.last_mut() else { return };
        if !t.in_row {
            return;
        }
        let first_of_th = t.rows == 1 && t.header_cells && !t.row.is_empty();
        if t.header_row || (first_of_th && t.header.is_empty()) {
            t.header = std::mem::take(&mut t.row);
        }
        t.row.clear();
        t.in_row = false;
        t.header_row = false;
        t.header_cell = false;
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

/// Whether a paragraph's text, entirely bold, reads as a heading: at most
/// [`BOLD_HEADING_WORDS`] words with a letter, not a date line, and not a full sentence (no
/// final `.`, `!` or `?`; a final `:` is fine, and so is a final `.` after a section number:
/// "3.1 When you post and share.").
pub(crate) fn is_heading_line(text: &str) -> bool {
    let text = text.trim();
    let words = text.split_whitespace().count();
    if words == 0 || words > BOLD_HEADING_WORDS || !text.chars().any(char::is_alphabetic) || is_date_line(text) {
        return false;
    }
    let numbered = {
        let number = text.split_whitespace().next().unwrap_or("");
        number.starts_with(|c: char| c.is_ascii_digit())
            && number.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ')')
            && words > 1
    };
    !text.ends_with(['!', '?']) && (!text.ends_with('.') || numbered)
}

/// The breaks of a table cell that start a new line: all but a `<br>` inside a sentence
/// (the line after it starts with a lower-case continuation word, the line before it does
/// not end in punctuation).
fn kept_breaks(text: &str, breaks: &[(usize, bool)]) -> Vec<usize> {
    breaks
        .iter()
        .filter(|&&(at, item)| {
            if item {
                return true;
            }
            let before = text[..at].trim_end();
            let after = text[at..].trim_start();
            let word = after.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
            let continued = !before.ends_with(['.', ':', ';', '!', '?', ','])
                && word.starts_with(|c: char| c.is_lowercase())
                && CONTINUATIONS.contains(&word);
            !continued
        })
        .map(|&(at, _)| at)
        .collect()
}

/// Splits a block's text into the units read on their own: the lines between `breaks`, and
/// in each line the items of a bulleted run. A line that starts with a bullet, or in a table
/// `cell` with `* ` or `- `, is marked; the marker is not part of the unit. Empty units are
/// dropped; a block without breaks or bullets is one unit.
fn units(text: &str, breaks: &[usize], cell: bool) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut from = 0;
    for at in breaks.iter().copied().chain(std::iter::once(text.len())) {
        if at <= from && at != text.len() {
            continue;
        }
        let line = from..at.max(from);
        from = at.max(from);
        let lead = text[line.clone()].len() - text[line.clone()].trim_start().len();
        let mut start = line.start + lead;
        let mut marked = false;
        if cell {
            let rest = &text[start..line.end];
            if (rest.starts_with("* ") || rest.starts_with("- ")) && rest.len() > 2 {
                start += 1;
                marked = true;
            }
        }
        bullets(text, start..line.end, marked, &mut out);
    }
    out.retain(|u| !text[u.range.clone()].trim().is_empty());
    if out.is_empty() {
        out.push(Unit { range: 0..text.len(), marked: false });
    }
    out
}

/// Whether `text` holds a bulleted run ("Photos • Videos").
pub(crate) fn has_bullets(text: &str) -> bool {
    let mut out = Vec::new();
    bullets(text, 0..text.len(), false, &mut out);
    out.len() > 1
}

/// Splits one line at its bullets (a bullet character with white space on both sides, or at
/// the start of the line followed by white space) and appends the pieces.
fn bullets(text: &str, line: Range<usize>, marked: bool, out: &mut Vec<Unit>) {
    // Every bullet character starts with the byte 0xC2 (·) or 0xE2 (the others): a line
    // without a bullet's bytes holds none (most lines; a byte scan instead of a walk through
    // its characters).
    let bytes = &text.as_bytes()[line.clone()];
    let maybe = bytes
        .windows(3)
        .any(|w| matches!(w, [0xC2, 0xB7, _] | [0xE2, 0x80, 0xA2] | [0xE2, 0x96, 0xAA] | [0xE2, 0x97, 0xA6 | 0x8F]))
        || bytes.ends_with(&[0xC2, 0xB7]);
    if !maybe {
        out.push(Unit { range: line, marked });
        return;
    }
    let mut start = line.start;
    let mut first_marked = marked;
    let mut prev_space = true; // the start of a line counts as white space before a bullet
    let s = &text[line.clone()];
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next_space = it.peek().is_some_and(|&(_, n)| n.is_whitespace());
        if prev_space && BULLETS.contains(&c) && next_space {
            let at = line.start + i;
            out.push(Unit { range: start..at, marked: first_marked });
            start = at + c.len_utf8();
            first_marked = true;
        }
        prev_space = c.is_whitespace();
    }
    out.push(Unit { range: start..line.end, marked: first_marked });
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

    fn unit_texts<'a>(text: &'a str, breaks: &[usize], cell: bool) -> Vec<(&'a str, bool)> {
        units(text, breaks, cell).into_iter().map(|u| (text[u.range].trim(), u.marked)).collect()
    }

    #[test]
    fn bulleted_runs_split_into_items() {
        assert_eq!(
            unit_texts("We collect: \u{2022} Photos \u{2022} Videos \u{2022} Voice notes", &[], false),
            vec![("We collect:", false), ("Photos", true), ("Videos", true), ("Voice notes", true)]
        );
        assert_eq!(
            unit_texts("\u{25AA} Email \u{00B7} Phone \u{25E6} Name \u{25CF} Age", &[], false),
            vec![("Email", true), ("Phone", true), ("Name", true), ("Age", true)]
        );
        // A middle dot inside a word, or a bullet glued to a word, is no bullet.
        assert_eq!(
            unit_texts("Col\u{00B7}legi \u{2022}Photos", &[], false),
            vec![("Col\u{00B7}legi \u{2022}Photos", false)]
        );
        assert!(has_bullets("Photos \u{2022} Videos"));
        assert!(!has_bullets("Privacy \u{2022}"));
    }

    #[test]
    fn cell_lines_and_their_markers() {
        let text = "*   Name (mandatory) *   Email address - Phone number";
        let breaks = [21, 39];
        assert_eq!(
            unit_texts(text, &breaks, true),
            vec![("Name (mandatory)", true), ("Email address", true), ("Phone number", true)]
        );
        // Outside a cell, a line break is a word break and `* ` is text.
        assert_eq!(unit_texts("* Name", &[], false), vec![("* Name", false)]);
        let text = "Log data, including:  Name \u{2022} User ID";
        assert_eq!(
            unit_texts(text, &[21], true),
            vec![("Log data, including:", false), ("Name", false), ("User ID", true)]
        );
    }

    #[test]
    fn a_break_inside_a_sentence_is_no_new_line() {
        let text = "We do not collect your email or phone number Photos Videos";
        let breaks = [(29, false), (45, false), (52, true)];
        assert_eq!(kept_breaks(text, &breaks), vec![45, 52]);
        let text = "We collect your email. or not";
        assert_eq!(kept_breaks(text, &[(23, false)]), vec![23], "after a full stop the line is new");
    }

    #[test]
    fn bold_lines_that_read_as_headings() {
        for heading in [
            "Location data",
            "Information we collect automatically:",
            "3.1 When you post and share.",
            "8. Retention",
            "August 21, 2026",
        ] {
            assert!(is_heading_line(heading), "{heading}");
        }
        for not in [
            "We never sell your contacts to anyone.",
            "Is my data safe?",
            "Last updated: May 1, 2024",
            "Effective: May 18, 2023",
            "(Last updated: November 2019",
            "2024",
            "Participation is voluntary and only those that have opted in or consented will be contacted",
            "",
        ] {
            assert!(!is_heading_line(not), "{not}");
        }
    }
}
