//! HTML policies (a CMS export, a static site's page) into a [`Document`].
//!
//! Headings `h1`..`h6` open sections; paragraphs and other block elements (`div`, `section`,
//! `blockquote`, `dd`, ...) are blocks; `li` inside `ul`/`ol` are list items and `td`/`th` table
//! cells; inline elements (`a`, `em`, `span`, ...) keep their text, links lose their target.
//! Skipped as not policy text: `head` (with `title`), `script`, `style`, `noscript`, `template`,
//! `svg`, `math`, `iframe`, `nav`, and form controls (`select`, `option`, `textarea`).
//! Comments are read for `<!-- disclose: ... -->` annotations and otherwise ignored.
//!
//! Text users never see is not policy text either, so it neither discloses nor denies:
//! elements with the `hidden` attribute (not `hidden="until-found"`, which the browser reveals
//! on find-in-page and anchors), an inline `style` with `display: none`, `visibility: hidden`
//! or `visibility: collapse` (any case and spacing, with or without `!important`), and
//! `aria-hidden="true"` (kept from screen readers: a disclosure must reach every reader).
//! `<noscript>` is skipped too: it is shown only to visitors with scripts off, and a sentence
//! that only they see is not the policy most users read (it mostly holds "enable JavaScript"
//! notices and tracking pixels). Attributes are never read as text: an image's `alt` or an
//! element's `title` discloses nothing. A closed `<details>` is read: a click opens it. A
//! hidden element ends where HTML ends it: at its end tag, at the end of an element around it,
//! or, for `p`, `li`, `dd`/`dt` and table parts, where the next one starts.
//!
//! Tables keep their structure: each cell's context is the header cell of its column (`<th>`
//! cells of the first row, or the rows of `<thead>`), else the first cell of its row; lists,
//! paragraphs and `<br>` inside a cell split it into lines, each read on its own. A paragraph
//! that is entirely `<strong>`/`<b>` text is a bold line, which the builder reads as a heading
//! when it is short and not a sentence.
//!
//! Real HTML leaves tags open: a new block ends the one before it (`<p>`, `<li>`, `<td>`, `<dd>`
//! need no end tag), `<head>` ends at the first body content, and text outside any block is read
//! as a paragraph, so tag soup loses no sentence. Character references are decoded and each
//! sentence still starts at its own byte of the source.

use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::sentence::Builder;
use super::{annotation_ids, BlockKind, Document};

/// Elements whose content is not read.
const SKIPPED: &[&str] = &[
    "head", "title", "script", "style", "noscript", "template", "svg", "math", "iframe", "nav", "select", "datalist",
    "option", "optgroup", "textarea",
];

/// Elements without content (no end tag): hidden or not, they hide nothing after them.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track",
    "wbr",
];

/// Elements that may sit in `<head>`; any other start tag ends an unclosed head.
const HEAD_CONTENT: &[&str] =
    &["base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "template", "title", "noscript"];

/// Elements whose start and end end the open block.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "ol",
    "p",
    "plaintext",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "xmp",
];

/// Elements that make up a table: inside a cell they still end it, where other blocks only
/// start a new line of it.
const TABLE_PARTS: &[&str] = &["table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "body", "html"];

/// An open list or table, innermost last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// A `ul`, `ol` or `menu`; whether one of its items is open.
    List(bool),
    /// A `table`.
    Table {
        /// Whether one of its cells is open.
        cell: bool,
        /// Whether its `<thead>` is open.
        head: bool,
    },
}

/// The reader's state besides the [`Builder`].
struct Reader<'a> {
    source: &'a str,
    b: Builder,
    /// Skipped elements being read, innermost last.
    skip: Vec<String>,
    /// A hidden element being read and the elements open inside it, innermost last: its
    /// text is not read while it is open.
    hidden: Vec<String>,
    /// Open lists and tables.
    open: Vec<Open>,
    /// Whether a block is being filled.
    in_block: bool,
    /// Whether that block is a heading.
    in_heading: bool,
    /// The kind of an `li`, `td` or `th` outside any list or table, until the next block.
    stray: Option<BlockKind>,
    /// Open `strong` and `b` elements.
    strong: usize,
    /// Open `a` elements.
    link: usize,
    /// What the text of the open paragraph sits in: (any bold text, bold text outside a
    /// link, any other text); `None` when the open block is not a top-level paragraph.
    strength: Option<(bool, bool, bool)>,
}

/// Parses HTML text into sections and sentences.
pub fn parse(text: &str) -> Document {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut r = Reader {
        source: text,
        b: Builder::new(),
        skip: Vec::new(),
        hidden: Vec::new(),
        open: Vec::new(),
        in_block: false,
        in_heading: false,
        stray: None,
        strong: 0,
        link: 0,
        strength: None,
    };
    for token in Tokenizer::new_with_emitter(text, emitter).flatten() {
        match token {
            // The tokenizer gives tag names in lower case.
            Token::StartTag(tag) => {
                let hidden = hides(tag.attributes.iter().map(|(k, v)| (&k[..], &v.value[..])));
                r.start_tag(&String::from_utf8_lossy(&tag.name), tag.self_closing, hidden)
            }
            Token::EndTag(tag) => r.end_tag(&String::from_utf8_lossy(&tag.name)),
            Token::String(s) => {
                let decoded = String::from_utf8_lossy(&s.value);
                r.text(&decoded, s.span.start..s.span.end);
            }
            Token::Comment(c) => {
                if let Some(ids) = annotation_ids(&format!("<!--{}-->", String::from_utf8_lossy(&c.value))) {
                    r.b.annotation(ids, c.span.start..c.span.end);
                }
            }
            Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    r.b.finish()
}

impl Reader<'_> {
    fn start_tag(&mut self, name: &str, self_closing: bool, hidden: bool) {
        let empty = VOID.contains(&name) || (self_closing && matches!(name, "svg" | "math"));
        if !self.hidden.is_empty() {
            // A start tag may end the hidden element (`<p hidden>…<p>`); else it opens inside it.
            implied_end(&mut self.hidden, name);
            if !self.hidden.is_empty() {
                if !empty {
                    self.hidden.push(name.to_string());
                }
                return;
            }
        }
        if !self.skip.is_empty() && !self.leave_implied_skip(name) {
            if SKIPPED.contains(&name) && !self_closing {
                self.skip.push(name.to_string());
            }
            return;
        }
        if hidden && !empty {
            // Hidden content is not read; a hidden block still ends the block before it.
            if BLOCKS.contains(&name) || heading_level(name).is_some() {
                self.end_block();
            }
            self.hidden.push(name.to_string());
            return;
        }
        if SKIPPED.contains(&name) {
            // `<svg/>` and `<math/>` are empty; other HTML elements ignore a trailing slash.
            if !(self_closing && matches!(name, "svg" | "math")) {
                self.skip.push(name.to_string());
            }
            return;
        }
        if let Some(level) = heading_level(name) {
            self.end_block();
            self.b.start(BlockKind::Heading);
            self.b.heading_level(level);
            self.in_block = true;
            self.in_heading = true;
            return;
        }
        match name {
            "br" => self.b.line_break(false),
            "strong" | "b" => self.strong += 1,
            "a" => self.link += 1,
            _ if !BLOCKS.contains(&name) => {} // inline: the text goes on
            "div" | "center" if self.in_heading => {}
            _ if self.in_cell() && !TABLE_PARTS.contains(&name) => self.b.line_break(true),
            "ul" | "ol" | "menu" | "dir" => {
                self.end_block();
                self.b.start_list();
                self.open.push(Open::List(false));
            }
            "li" => {
                self.end_block();
                match self.open.last_mut() {
                    Some(Open::List(item)) => *item = true,
                    _ => self.stray = Some(BlockKind::ListItem),
                }
            }
            "table" => {
                self.end_block();
                self.open.push(Open::Table { cell: false, head: false });
                self.b.start_table();
            }
            "td" | "th" => {
                self.end_block();
                match self.open.last_mut() {
                    Some(Open::Table { cell, .. }) => {
                        *cell = true;
                        self.b.start_cell(name == "th");
                    }
                    _ => self.stray = Some(BlockKind::TableCell),
                }
            }
            "tr" | "tbody" | "thead" | "tfoot" | "caption" => {
                self.close_cell();
                self.end_block();
                if let Some(Open::Table { head, .. }) = self.open.last_mut() {
                    match name {
                        "thead" => *head = true,
                        "tbody" | "tfoot" => *head = false,
                        "tr" => {
                            let head = *head;
                            self.b.start_row(head);
                        }
                        _ => {}
                    }
                }
            }
            _ => self.end_block(),
        }
    }

    fn end_tag(&mut self, name: &str) {
        if !self.hidden.is_empty() {
            if let Some(i) = self.hidden.iter().rposition(|s| s == name) {
                self.hidden.truncate(i);
                return;
            }
            if matches!(name, "p" | "br") {
                return; // `</p>` and `</br>` without a start stand for an element of their own
            }
            // The end of an element around the hidden one ends it too.
            self.hidden.clear();
        }
        if !self.skip.is_empty() {
            if let Some(i) = self.skip.iter().rposition(|s| s == name) {
                self.skip.truncate(i);
            } else if name == "select" || name == "datalist" {
                self.skip.retain(|s| s != "option" && s != "optgroup");
            }
            return;
        }
        if heading_level(name).is_some() {
            self.end_block();
            return;
        }
        match name {
            "br" => self.b.line_break(false), // `</br>` is read as `<br>`
            "strong" | "b" => self.strong = self.strong.saturating_sub(1),
            "a" => self.link = self.link.saturating_sub(1),
            _ if !BLOCKS.contains(&name) => {}
            "div" | "center" if self.in_heading => {}
            _ if self.in_cell() && !TABLE_PARTS.contains(&name) => self.b.line_break(true),
            "ul" | "ol" | "menu" | "dir" => {
                self.end_block();
                if self.open.iter().any(|o| matches!(o, Open::List(_))) {
                    while let Some(o) = self.open.pop() {
                        if let Open::List(_) = o {
                            self.b.end_list();
                            break;
                        }
                    }
                }
            }
            "li" => {
                self.end_block();
                if let Some(Open::List(item)) = self.open.last_mut() {
                    *item = false;
                }
            }
            "table" => {
                self.end_block();
                if self.open.iter().any(|o| matches!(o, Open::Table { .. })) {
                    while let Some(o) = self.open.pop() {
                        match o {
                            Open::Table { .. } => {
                                self.b.end_table();
                                break;
                            }
                            Open::List(_) => self.b.end_list(),
                        }
                    }
                }
            }
            "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" => {
                self.end_block();
                self.close_cell();
                if let (Some(Open::Table { head, .. }), "thead") = (self.open.last_mut(), name) {
                    *head = false;
                }
            }
            _ => self.end_block(),
        }
    }

    fn text(&mut self, decoded: &str, span: Range<usize>) {
        if !self.hidden.is_empty() {
            return;
        }
        let blank = decoded.chars().all(char::is_whitespace);
        if self.skip == ["head"] && !blank {
            self.skip.clear(); // text ends an unclosed head, as body content
        }
        if !self.skip.is_empty() || (blank && !self.in_block) {
            return;
        }
        if !self.in_block {
            let kind = self.stray.unwrap_or(match self.open.last() {
                Some(Open::List(true)) => BlockKind::ListItem,
                Some(Open::Table { cell: true, .. }) => BlockKind::TableCell,
                _ => BlockKind::Paragraph,
            });
            self.b.start(kind);
            self.in_block = true;
            let top = kind == BlockKind::Paragraph && !self.in_heading && self.open.is_empty();
            self.strength = top.then_some((false, false, false));
        }
        if let Some((bold, unlinked, plain)) = &mut self.strength {
            if !blank {
                if self.strong > 0 {
                    *bold = true;
                    *unlinked |= self.link == 0;
                } else {
                    *plain = true;
                }
            }
        }
        for (piece, range) in pieces(self.source, span, decoded) {
            self.b.text(&piece, range);
        }
    }

    /// Whether `name` starts body content that ends an unclosed `<head>`, `<select>` or
    /// `<option>`; if so, those are left.
    fn leave_implied_skip(&mut self, name: &str) -> bool {
        let Some(top) = self.skip.last() else { return true };
        match top.as_str() {
            "head" if name == "body" || !HEAD_CONTENT.contains(&name) => {
                self.skip.pop();
                self.skip.is_empty()
            }
            "option" | "optgroup" if matches!(name, "option" | "optgroup") => {
                // A new option ends the one before; `optgroup` also ends the group before.
                if top == "option" {
                    self.skip.pop();
                }
                if name == "optgroup" && self.skip.last().is_some_and(|s| s == "optgroup") {
                    self.skip.pop();
                }
                false
            }
            // An option or select never holds blocks: its end tag is missing.
            "option" | "optgroup" | "select" | "datalist"
                if BLOCKS.contains(&name) || heading_level(name).is_some() =>
            {
                while self
                    .skip
                    .last()
                    .is_some_and(|s| matches!(s.as_str(), "option" | "optgroup" | "select" | "datalist"))
                {
                    self.skip.pop();
                }
                self.skip.is_empty()
            }
            _ => false,
        }
    }

    /// Ends the open block, if any: its text becomes sentences.
    fn end_block(&mut self) {
        if let Some((true, true, false)) = self.strength.take() {
            self.b.bold_line();
        }
        self.b.flush();
        self.in_block = false;
        self.in_heading = false;
        self.stray = None;
    }

    fn close_cell(&mut self) {
        if let Some(Open::Table { cell, .. }) = self.open.last_mut() {
            *cell = false;
        }
    }

    /// Whether a table cell is the innermost open container.
    fn in_cell(&self) -> bool {
        matches!(self.open.last(), Some(Open::Table { cell: true, .. }))
    }
}

/// Whether a start tag's attributes hide its element from users: `hidden` (but not
/// `hidden="until-found"`), `aria-hidden="true"`, or an inline style that does not display it.
fn hides<'a>(attributes: impl Iterator<Item = (&'a [u8], &'a [u8])>) -> bool {
    attributes.into_iter().any(|(key, value)| {
        let value = String::from_utf8_lossy(value);
        match &*String::from_utf8_lossy(key).to_ascii_lowercase() {
            "hidden" => !value.trim().eq_ignore_ascii_case("until-found"),
            "aria-hidden" => value.trim().eq_ignore_ascii_case("true"),
            "style" => style_hides(&value),
            _ => false,
        }
    })
}

/// Whether an inline style holds `display: none`, `visibility: hidden` or `visibility:
/// collapse`, in any case and spacing, `!important` or not.
fn style_hides(style: &str) -> bool {
    style.split(';').any(|declaration| {
        let d: String = declaration.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        ["display:none", "visibility:hidden", "visibility:collapse"]
            .iter()
            .any(|h| d.strip_prefix(h).is_some_and(|rest| rest.is_empty() || rest.starts_with('!')))
    })
}

/// Pops the elements of `stack` (innermost last) that a start tag `name` ends, as HTML
/// does: a `p` at a new block, an `li` at the next `li`, a `dd`/`dt` at the next one, a cell at
/// the next cell, a row at the next row, a table section at the next section.
fn implied_end(stack: &mut Vec<String>, name: &str) {
    let mut close = |targets: &[&str], stops: &[&str]| {
        for i in (0..stack.len()).rev() {
            if stops.contains(&stack[i].as_str()) {
                return;
            }
            if targets.contains(&stack[i].as_str()) {
                stack.truncate(i);
                return;
            }
        }
    };
    const CELLS: &[&str] = &["table", "td", "th", "caption", "button", "template"];
    match name {
        "li" => close(&["li"], &["ul", "ol", "menu", "dir", "table", "td", "th"]),
        "dd" | "dt" => close(&["dd", "dt"], &["dl", "table", "td", "th"]),
        "td" | "th" => close(&["td", "th"], &["tr", "table"]),
        "tr" => close(&["tr"], &["table"]),
        "tbody" | "thead" | "tfoot" => close(&["tbody", "thead", "tfoot"], &["table"]),
        _ => {}
    }
    let table_part = matches!(name, "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "caption");
    if !table_part && (BLOCKS.contains(&name) || heading_level(name).is_some()) {
        close(&["p"], CELLS);
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Splits a text token into pieces that each sit at their own place in the source: decoding
/// changes lengths (`&amp;` is one byte, `\r\n` becomes `\n`), so a character reference, a CR
/// and a no-break space are pieces of their own. No-break spaces become spaces.
fn pieces(source: &str, span: Range<usize>, decoded: &str) -> Vec<(String, Range<usize>)> {
    let Some(raw) = source.get(span.clone()) else { return vec![(decoded.replace('\u{a0}', " "), span)] };
    let special = |c: char| matches!(c, '&' | '\r' | '\u{a0}');
    if raw == decoded && !raw.contains(special) {
        return vec![(raw.to_string(), span)];
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0); // in `raw`, in `decoded`
    while i < raw.len() {
        let at = span.start + i;
        let rest = &raw[i..];
        let next = rest.char_indices().skip(1).find(|&(_, c)| special(c)).map_or(rest.len(), |(k, _)| k);
        let segment = &rest[..next];
        let done = &decoded[j..];
        if segment.starts_with('&') {
            let value = decode(segment);
            if !done.starts_with(value.as_str()) {
                break;
            }
            if value == segment {
                out.push((segment.to_string(), at..at + next)); // not a reference: `AT&T`
            } else {
                // The reference, then the literal text after it up to the next special character.
                // The reference decodes to at least one character.
                let first = value.chars().next().map_or(0, char::len_utf8);
                let tail = common_suffix(segment, &value, (value.len() - first).min(next - 1));
                let reference = next - tail;
                out.push((value[..value.len() - tail].replace('\u{a0}', " "), at..at + reference));
                if tail > 0 {
                    out.push((segment[reference..].to_string(), at + reference..at + next));
                }
            }
            i += next;
            j += value.len();
        } else if segment.starts_with('\r') {
            // `\r\n` and a lone `\r` are both `\n` in the decoded text.
            let len = if segment.starts_with("\r\n") { 2 } else { 1 };
            if !done.starts_with('\n') || !done[1..].starts_with(&segment[len..]) {
                break;
            }
            out.push(("\n".to_string(), at..at + len));
            if next > len {
                out.push((segment[len..].to_string(), at + len..at + next));
            }
            i += next;
            j += next - len + 1;
        } else if let Some(after) = segment.strip_prefix('\u{a0}') {
            if !done.starts_with(segment) {
                break;
            }
            out.push((" ".to_string(), at..at + 2));
            if !after.is_empty() {
                out.push((after.to_string(), at + 2..at + next));
            }
            i += next;
            j += next;
        } else {
            if !done.starts_with(segment) {
                break;
            }
            out.push((segment.to_string(), at..at + next));
            i += next;
            j += next;
        }
    }
    if i < raw.len() && j < decoded.len() {
        // The source and the decoded text disagree (never expected): keep the text, placed at
        // the first byte not yet matched.
        out.push((decoded[j..].replace('\u{a0}', " "), span.start + i..span.end));
    }
    out
}

/// Decodes the character references in a piece of text, as html5gum does.
fn decode(raw: &str) -> String {
    let mut out = String::new();
    for token in Tokenizer::new(raw).flatten() {
        if let Token::String(s) = token {
            out.push_str(&String::from_utf8_lossy(&s.value));
        }
    }
    out
}

/// The byte length of the longest common suffix of `a` and `b`, at most `max` bytes, on
/// character boundaries.
fn common_suffix(a: &str, b: &str, max: usize) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .scan(0, |len, (c, _)| {
            *len += c.len_utf8();
            Some(*len)
        })
        .take_while(|&len| len <= max)
        .last()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(d: &Document) -> Vec<&str> {
        d.sentences.iter().map(|s| &*s.text).collect()
    }

    #[test]
    fn sections_lists_and_tables() {
        let text = "<h1>Privacy</h1>\n<p>Intro <em>text</em>. Second <a href=\"http://x\">one</a>.</p>\n<h2>What we collect</h2>\n<p>We collect the following:</p>\n<ul>\n  <li>Your <strong>email</strong></li>\n  <li><p>Location</p></li>\n</ul>\n<h3>Shared</h3>\n<table><tr><th>a</th><th>b</th></tr><tr><td>cell<br>two</td><td>x</td></tr></table>\n<h2>Other</h2><p>Done.</p>";
        let d = parse(text);
        assert_eq!(
            texts(&d),
            vec![
                "Privacy",
                "Intro text.",
                "Second one.",
                "What we collect",
                "We collect the following:",
                "Your email",
                "Location",
                "Shared",
                "a",
                "b",
                "cell",
                "two",
                "x",
                "Other",
                "Done."
            ]
        );
        let kinds: Vec<_> = d.sentences.iter().map(|s| s.kind).collect();
        assert_eq!(kinds[5..7], [BlockKind::ListItem, BlockKind::ListItem]);
        assert!(kinds[8..13].iter().all(|&k| k == BlockKind::TableCell));
        // Each line of a cell is its own sentence under its column's header.
        let intros: Vec<_> = d.sentences[8..13].iter().map(|s| s.intro).collect();
        assert_eq!(intros, [None, None, Some(8), Some(8), Some(9)]);
        assert_ne!(d.sentences[10].block, d.sentences[11].block);
        assert_eq!(d.sentences[5].intro, Some(4));
        assert_eq!(d.sentences[6].intro, Some(4));
        assert_eq!(&text[d.sentences[5].start..d.sentences[5].start + 4], "Your");
        assert_eq!(d.sections[2].path, vec!["Privacy".to_string(), "What we collect".to_string()]);
        assert_eq!(d.sections[3].path, vec!["Privacy", "What we collect", "Shared"]);
        assert_eq!(d.sections[4].path, vec!["Privacy".to_string(), "Other".to_string()]);
        assert_eq!(d.sentences[10].section, 3);
        assert_eq!(d.sentences[14].kind, BlockKind::Paragraph);
    }

    #[test]
    fn table_cells_take_their_column_header_or_row_header() {
        let text = "<table><thead><tr><th>Categories of personal information we collect</th><th>Why</th></tr></thead><tbody><tr><td>Photos<br>Videos<BR/>Voice notes</td><td>Sharing</td></tr><tr><td>Examples:<ul><li>Precise location</li><li>Contacts</li></ul></td><td><p>Maps.</p><p>Friends.</p></td></tr></tbody></table><table><tr><th>Data</th><th>Use</th></tr><tr><td>Calendar \u{2022} Call history</td><td>x</td></tr></table><table><tr><th>What we collect</th><td>Your email address</td></tr><tr><th>What we never collect</th><td>Your contacts</td></tr></table><p>After.</p>";
        let d = parse(text);
        let got: Vec<_> = d.sentences.iter().map(|s| (&*s.text, s.intro)).collect();
        assert_eq!(
            got,
            vec![
                ("Categories of personal information we collect", None),
                ("Why", None),
                ("Photos", Some(0)),
                ("Videos", Some(0)),
                ("Voice notes", Some(0)),
                ("Sharing", Some(1)),
                ("Examples:", Some(0)),
                ("Precise location", Some(0)),
                ("Contacts", Some(0)),
                ("Maps.", Some(1)),
                ("Friends.", Some(1)),
                ("Data", None),
                ("Use", None),
                ("Calendar", Some(11)),
                ("Call history", Some(11)),
                ("x", Some(12)),
                ("What we collect", None),
                ("Your email address", Some(16)),
                ("What we never collect", None),
                ("Your contacts", Some(18)),
                ("After.", None),
            ]
        );
        assert!(d.sentences[..20].iter().all(|s| s.kind == BlockKind::TableCell));
        for s in &d.sentences {
            let first = s.text.split_whitespace().next().unwrap_or("");
            assert!(text[s.start..].starts_with(first), "{:?} starts at {:?}", s.text, &text[s.start..]);
        }
        // A first row with a data cell is no header row; a nested table keeps its own header.
        let d = parse("<table><tr><th>We collect</th><td>Email</td></tr></table><table><tr><th>A</th></tr><tr><td>x<table><tr><th>B</th></tr><tr><td>y</td></tr></table></td></tr><tr><td>z</td></tr></table>");
        let got: Vec<_> = d.sentences.iter().map(|s| (&*s.text, s.intro)).collect();
        assert_eq!(
            got,
            vec![
                ("We collect", None),
                ("Email", Some(0)),
                ("A", None),
                ("x", Some(2)),
                ("B", None),
                ("y", Some(4)),
                ("z", Some(2))
            ]
        );
    }

    #[test]
    fn bold_paragraphs_are_headings() {
        let text = "<h1>Privacy</h1><p><strong>Information we collect automatically:</strong></p><ul><li>Device identifiers</li></ul><p><b>Camera</b></p><p>We scan codes.</p><p><strong>Last updated: May 1, 2024</strong></p><p><strong>Note:</strong> we are nice.</p><p><b><a href=\"#x\">Learn more</a></b></p><ul><li><b>Not a heading</b></li></ul>";
        let d = parse(text);
        let got: Vec<_> = d.sentences.iter().map(|s| (&*s.text, s.kind, s.section)).collect();
        let (h, p, li) = (BlockKind::Heading, BlockKind::Paragraph, BlockKind::ListItem);
        assert_eq!(
            got,
            vec![
                ("Privacy", h, 1),
                ("Information we collect automatically:", h, 2),
                ("Device identifiers", li, 2),
                ("Camera", h, 3),
                ("We scan codes.", p, 3),
                ("Last updated: May 1, 2024", p, 3),
                ("Note: we are nice.", p, 3),
                ("Learn more", p, 3),
                ("Not a heading", li, 3),
            ]
        );
        assert_eq!(d.sentences[2].intro, Some(1));
        assert_eq!(d.sections[3].path, vec!["Privacy".to_string(), "Camera".to_string()]);
    }

    #[test]
    fn references_keep_sentences_at_their_source_bytes() {
        let text = "<p>We&rsquo;ll use AT&T &amp; co&#46; data.\r\nWe&nbsp;never sell\u{a0}it. &ldquo;Ads&rdquo; are off. &#x201C;Okay&#x201D; then.</p>";
        let d = parse(text);
        assert_eq!(
            texts(&d),
            vec![
                "We\u{2019}ll use AT&T & co. data.",
                "We never sell it.",
                "\u{201C}Ads\u{201D} are off.",
                "\u{201C}Okay\u{201D} then."
            ]
        );
        for (s, first) in d.sentences.iter().zip(["We&rsquo;ll", "We&nbsp;never", "&ldquo;Ads", "&#x201C;Okay"]) {
            assert!(text[s.start..].starts_with(first), "{:?} starts at {:?}", s.text, &text[s.start..]);
        }
        assert!(text[..d.sentences[1].end].ends_with("sell\u{a0}it."));
        assert!(text[..d.sentences[3].end].ends_with("then."));
    }

    #[test]
    fn pieces_map_back_to_the_source() {
        let source = "x&amp;y &copy 2\r\nz&#8217;s";
        let p = pieces(source, 0..source.len(), "x&y \u{a9} 2\nz\u{2019}s");
        let got: Vec<_> = p.iter().map(|(t, r)| (t.as_str(), &source[r.clone()])).collect();
        assert_eq!(
            got,
            vec![
                ("x", "x"),
                ("&", "&amp;"),
                ("y ", "y "),
                ("\u{a9}", "&copy"),
                (" 2", " 2"),
                ("\n", "\r\n"),
                ("z", "z"),
                ("\u{2019}", "&#8217;"),
                ("s", "s")
            ]
        );
    }

    #[test]
    fn head_scripts_styles_and_navigation_are_skipped() {
        let text = "<!DOCTYPE html><html><head><title>Privacy | Shop</title><meta charset=utf-8><style>p { color: red }</style><script>var s = \"<p>We sell your location.</p>\";</script></head><body><nav><a href=/>Home</a></nav><noscript>Enable JavaScript.</noscript><template><p>Hidden.</p></template><svg><text>Icon</text></svg><p>We collect your email.</p><select><option>We track you<option>Or not</select><textarea>Notes</textarea><p>End.</p></body></html>";
        assert_eq!(texts(&parse(text)), vec!["We collect your email.", "End."]);
    }

    #[test]
    fn unclosed_elements_end_at_the_next_block() {
        let text = "<html><head><title>T</title><h1>Policy</h1><p>First paragraph<p>Second one<ul><li>Email<li>Phone number</ul><dl><dt>Term<dd>Meaning</dl><table><tr><td>A<td>B<tr><td>C</table><p>After the table.";
        let d = parse(text);
        assert_eq!(
            texts(&d),
            vec![
                "Policy",
                "First paragraph",
                "Second one",
                "Email",
                "Phone number",
                "Term",
                "Meaning",
                "A",
                "B",
                "C",
                "After the table."
            ]
        );
        assert_eq!(d.sentences[4].kind, BlockKind::ListItem);
        assert_eq!(d.sentences[4].intro, Some(2));
        assert_eq!(d.sentences[9].kind, BlockKind::TableCell);
        assert_eq!(d.sentences[10].kind, BlockKind::Paragraph);
        // A heading left open ends at the next paragraph; a stray item or cell keeps its kind.
        let d = parse("<h2>Data we collect<p>We collect your email.</p><li>Stray item<td>Stray cell<p>Text.");
        assert_eq!(texts(&d), vec!["Data we collect", "We collect your email.", "Stray item", "Stray cell", "Text."]);
        let kinds: Vec<_> = d.sentences.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [BlockKind::Heading, BlockKind::Paragraph, BlockKind::ListItem, BlockKind::TableCell, BlockKind::Paragraph]
        );
        // An option whose select is never closed does not swallow what follows.
        assert_eq!(texts(&parse("<select><option>One<option>Two<p>Kept.</p>")), vec!["Kept."]);
    }

    #[test]
    fn loose_text_is_a_paragraph() {
        let d = parse("<h2>Title</h2>Loose text here. More <b>bold</b> text.<div>In a div</div>tail");
        assert_eq!(texts(&d), vec!["Title", "Loose text here.", "More bold text.", "In a div", "tail"]);
        assert_eq!(d.sentences[1].kind, BlockKind::Paragraph);
        assert_eq!(d.sentences[1].section, 1);
        assert_eq!(d.sections.len(), 2);
    }

    #[test]
    fn annotations_and_other_comments() {
        let text = "<h2>Inviting people</h2>\n<!-- disclose: contacts, audio.voice -->\n<p>We look up <!-- editor note: check --> friends.</p>";
        let d = parse(text);
        assert_eq!(texts(&d), vec!["Inviting people", "We look up friends."]);
        assert_eq!(d.annotations.len(), 1);
        let a = &d.annotations[0];
        assert_eq!(a.ids, vec!["contacts".to_string(), "audio.voice".to_string()]);
        assert_eq!(a.section, 1);
        assert_eq!(&text[a.start..a.end], "<!-- disclose: contacts, audio.voice -->");
    }

    #[test]
    fn headings_nest_and_keep_inline_markup() {
        let d =
            parse("<h1 id=top>Our <em>Privacy</em> Policy</h1><h3><a name=x></a>Data</h3><p>Text.</p><h2>Rights</h2>");
        assert_eq!(texts(&d), vec!["Our Privacy Policy", "Data", "Text.", "Rights"]);
        assert_eq!(d.sections[2].parent, Some(1));
        assert_eq!(d.sections[3].path, vec!["Our Privacy Policy".to_string(), "Rights".to_string()]);
    }

    #[test]
    fn hidden_elements_are_not_read() {
        let text = concat!(
            "<p>Visible one.</p>",
            "<div hidden><p>Hidden attribute.</p><ul><li>In a hidden list</li></ul></div>",
            "<div style=\"color:red;DISPLAY : NONE !important\">Display none.</div>",
            "<p style='visibility: hidden'>Visibility hidden.</p>",
            "<p STYLE=\"visibility:collapse;\">Collapsed.</p>",
            "<p aria-hidden=\"TRUE\">Aria hidden.</p>",
            "<p aria-hidden=\"false\">Aria shown.</p>",
            "<p style=\"display: nonesuch\">Not a hiding style.</p>",
            "<p hidden=\"until-found\">Found on search.</p>",
            "<p>Before <span hidden>secret </span>after.</p>",
            "<p><img hidden src=x alt=\"Alt text.\"> Image line.</p>",
            "<details><summary>More</summary><p>Opens on click.</p></details>",
            "<p>Visible two.</p>",
        );
        assert_eq!(
            texts(&parse(text)),
            vec![
                "Visible one.",
                "Aria shown.",
                "Not a hiding style.",
                "Found on search.",
                "Before after.",
                "Image line.",
                "More",
                "Opens on click.",
                "Visible two."
            ]
        );
    }

    #[test]
    fn a_hidden_element_ends_where_html_ends_it() {
        // Unclosed `p` and `li` end at the next one; a `span` at the end of its parent; a
        // stray `</p>` inside does not end it; a hidden list's end does not end the visible one.
        let text = concat!(
            "<p hidden>Hidden paragraph<p>Shown paragraph",
            "<ul><li>Item one<li hidden>Hidden item<li>Item three</ul>",
            "<div><span hidden>Hidden span</div><p>After the div.</p>",
            "<div hidden>Hidden</p>still hidden</div>",
            "<ul><li>Outer<ul hidden><li>Inner</ul></li><li>Outer two</li></ul>",
            "<dl><dt hidden>Term<dd>Meaning</dl>",
            "<table><tr><td hidden>Cell<td>Other cell</tr></table>",
            "<p>End.</p>",
        );
        assert_eq!(
            texts(&parse(text)),
            vec![
                "Shown paragraph",
                "Item one",
                "Item three",
                "After the div.",
                "Outer",
                "Outer two",
                "Meaning",
                "Other cell",
                "End."
            ]
        );
    }

    #[test]
    fn attributes_and_noscript_disclose_nothing() {
        let text = "<p><img src=mic.png alt=\"We record your voice.\" title=\"We track your location.\"></p><noscript>We record your voice.</noscript><p>We collect your email.</p>";
        assert_eq!(texts(&parse(text)), vec!["We collect your email."]);
    }
}
