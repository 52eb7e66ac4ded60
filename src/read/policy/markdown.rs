//! Markdown policies (CommonMark with GFM tables and YAML front matter) into a [`Document`].
//!
//! Front matter, code blocks and raw HTML blocks are not policy text and are skipped; HTML
//! comments are read for `<!-- disclose: ... -->` annotations. Links keep their text, not
//! their target; inline tags (`<span>`, `<div>`) leave no text. Kramdown and Pandoc attribute
//! lists (`{: .class #id key="value" }`, `{:toc}`, `{#id .class}` after a heading) are markup,
//! not text; a `{:toc}` list item (kramdown's table-of-contents placeholder) is dropped.
//!
//! What the [`Builder`] needs to see the structure a reader sees: table rows, header rows and
//! cells; `<br>` and inline list tags inside a cell as line breaks; and a top-level paragraph
//! that is entirely strong text (`**Location data**`, `__Camera__`) as a bold line, which the
//! builder reads as a heading when it is short and not a sentence. Emphasis alone (`*Last
//! updated ...*`, italic notes) is not a bold line, and `**text: **` is no emphasis at all in
//! CommonMark (a space before the closing `**`), so it stays a paragraph.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::sentence::Builder;
use super::{annotation_ids, BlockKind, Document};

/// The longest attribute list read as one, in bytes (a bound that keeps the scan linear).
const ATTRIBUTE_LIST_MAX: usize = 256;

/// What the text of the paragraph being read sits in.
#[derive(Debug, Default)]
struct Strength {
    /// Open `**`/`__` spans.
    strong: usize,
    /// Open links.
    link: usize,
    /// Text inside strong spans.
    bold: bool,
    /// Strong text that is not a link (a bold link is navigation, not a heading).
    unlinked: bool,
    /// Text outside strong spans.
    plain: bool,
}

impl Strength {
    fn saw(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        if self.strong > 0 {
            self.bold = true;
            self.unlinked |= self.link == 0;
        } else {
            self.plain = true;
        }
    }

    /// The paragraph is a bold line.
    fn is_line(&self) -> bool {
        self.bold && self.unlinked && !self.plain
    }
}

/// Parses Markdown text into sections and sentences.
pub fn parse(text: &str) -> Document {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_STRIKETHROUGH;
    let attributes = attribute_lists(text);
    let mut b = Builder::new();
    let mut skip = 0usize; // inside front matter or a code block
    let mut items = 0usize; // depth of open list items
    let mut quotes = 0usize; // depth of open block quotes
    let mut head = false; // in a table's header row
    let mut cell = false; // in a table cell
    let mut strength = Strength::default();
    let mut html: Option<(String, usize)> = None; // an HTML block being read, with its start
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::MetadataBlock(_) | Tag::CodeBlock(_)) => skip += 1,
            Event::End(TagEnd::MetadataBlock(_) | TagEnd::CodeBlock) => skip = skip.saturating_sub(1),
            _ if skip > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                b.start(BlockKind::Heading);
                b.heading_level(level_number(level));
            }
            Event::End(TagEnd::Heading(_)) => b.flush(),
            Event::Start(Tag::Paragraph) => {
                strength = Strength::default();
                b.start(if items > 0 { BlockKind::ListItem } else { BlockKind::Paragraph });
            }
            Event::End(TagEnd::Paragraph) => {
                if items == 0 && quotes == 0 && strength.is_line() {
                    b.bold_line();
                }
                b.flush();
            }
            Event::Start(Tag::BlockQuote(_)) => quotes += 1,
            Event::End(TagEnd::TableCell | TagEnd::Item | TagEnd::BlockQuote(_)) => {
                match event {
                    Event::End(TagEnd::Item) => items = items.saturating_sub(1),
                    Event::End(TagEnd::BlockQuote(_)) => quotes = quotes.saturating_sub(1),
                    _ => cell = false,
                }
                b.flush();
            }
            Event::Start(Tag::Strong) => strength.strong += 1,
            Event::End(TagEnd::Strong) => strength.strong = strength.strong.saturating_sub(1),
            Event::Start(Tag::Link { .. }) => strength.link += 1,
            Event::End(TagEnd::Link) => strength.link = strength.link.saturating_sub(1),
            Event::Start(Tag::List(_)) => b.start_list(),
            Event::End(TagEnd::List(_)) => b.end_list(),
            Event::Start(Tag::Item) => {
                items += 1;
                b.start(BlockKind::ListItem);
            }
            Event::Start(Tag::Table(_)) => b.start_table(),
            Event::End(TagEnd::Table) => b.end_table(),
            Event::Start(Tag::TableHead) => {
                head = true;
                b.start_row(true);
            }
            Event::End(TagEnd::TableHead) => head = false,
            Event::Start(Tag::TableRow) => b.start_row(false),
            Event::Start(Tag::TableCell) => {
                b.start_cell(head);
                b.start(BlockKind::TableCell);
                cell = true;
            }
            Event::Start(Tag::HtmlBlock) => {
                b.flush();
                html = Some((String::new(), range.start));
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((raw, start)) = html.take() {
                    comments(&mut b, &raw, start);
                }
            }
            Event::Html(raw) => match &mut html {
                Some((buf, _)) => buf.push_str(&raw),
                None => comments(&mut b, &raw, range.start),
            },
            Event::InlineHtml(raw) => inline_html(&mut b, &raw, range.start, cell),
            // Most text overlaps no attribute list: pass it on as it is.
            Event::Text(t) if !overlaps(&attributes, &range) => {
                strength.saw(&t);
                b.text(&t, range);
            }
            Event::Text(t) => {
                for (piece, at) in without_attributes(text, &t, range.clone(), &attributes) {
                    strength.saw(piece);
                    b.text(piece, at);
                }
                if items > 0 && is_toc(text, range, &attributes) {
                    b.discard();
                }
            }
            Event::Code(t) => {
                strength.saw(&t);
                b.text(&t, range);
            }
            Event::SoftBreak | Event::HardBreak => b.space(),
            _ => {}
        }
    }
    b.finish()
}

/// Inline HTML inside a paragraph or a cell: comments are read for annotations, `<br>` is a
/// line break, and list or paragraph tags inside a table cell start a new item of the cell;
/// any other tag is markup and leaves nothing.
fn inline_html(b: &mut Builder, raw: &str, start: usize, cell: bool) {
    if raw.trim_start().starts_with("<!--") {
        comments(b, raw, start);
        return;
    }
    let name: String = raw
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "br" => b.line_break(false),
        "ul" | "ol" | "li" | "p" | "div" if cell => b.line_break(true),
        "ul" | "ol" | "li" | "p" | "div" => b.space(),
        _ => {}
    }
}

/// The pieces of a text event outside attribute lists, each with its place in the source.
/// A text event that differs from its source (an escape, an entity) is kept whole unless an
/// attribute list covers it.
fn without_attributes<'t>(
    source: &str,
    text: &'t str,
    range: Range<usize>,
    attributes: &[Range<usize>],
) -> Vec<(&'t str, Range<usize>)> {
    let first = attributes.partition_point(|a| a.end <= range.start);
    let overlapping = attributes[first..].iter().take_while(|a| a.start < range.end);
    if source.get(range.clone()) != Some(text) {
        let covered = attributes.get(first).is_some_and(|a| a.start <= range.start && a.end >= range.end);
        return if covered { Vec::new() } else { vec![(text, range)] };
    }
    let mut out = Vec::new();
    let mut from = range.start;
    for a in overlapping {
        if a.start > from {
            out.push((&text[from - range.start..a.start - range.start], from..a.start));
        }
        from = from.max(a.end.min(range.end));
    }
    if from < range.end {
        out.push((&text[from - range.start..], from..range.end));
    }
    out
}

/// Whether an attribute list overlaps `range` (the lists are sorted and disjoint).
fn overlaps(attributes: &[Range<usize>], range: &Range<usize>) -> bool {
    let first = attributes.partition_point(|a| a.end <= range.start);
    attributes.get(first).is_some_and(|a| a.start < range.end)
}

/// Whether a kramdown `{:toc}` attribute list overlaps `range`.
fn is_toc(source: &str, range: Range<usize>, attributes: &[Range<usize>]) -> bool {
    let first = attributes.partition_point(|a| a.end <= range.start);
    attributes[first..].iter().take_while(|a| a.start < range.end).any(|a| {
        let inner: String = source[a.clone()].chars().filter(|c| !c.is_whitespace()).collect();
        inner == "{:toc}" || inner == "{:.toc}"
    })
}

/// The byte ranges of kramdown and Pandoc attribute lists in `text`, in order: `{:` followed
/// by `.class`, `#id`, `key="value"` or a reference name (`{:toc}`), or `{` followed by such
/// a list that names at least one `#id` or `.class` (`{#privacy .section}`), on one line.
fn attribute_lists(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = bytes[i..].iter().position(|&c| c == b'{') {
        let at = i + k;
        match attribute_list(&bytes[at..]) {
            Some(len) => {
                out.push(at..at + len);
                i = at + len;
            }
            None => i = at + 1,
        }
    }
    out
}

/// The length of the attribute list that opens `s` (at its `{`), if one does.
fn attribute_list(s: &[u8]) -> Option<usize> {
    let name = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_')).count();
    let kramdown = s.get(1) == Some(&b':');
    let mut i = if kramdown { 2 } else { 1 };
    let mut selector = false;
    while i <= ATTRIBUTE_LIST_MAX {
        while matches!(s.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match *s.get(i)? {
            b'}' => return (kramdown || selector).then_some(i + 1),
            b'#' | b'.' => {
                let n = name(s.get(i + 1..)?);
                if n == 0 {
                    return None;
                }
                i += 1 + n;
                selector = true;
            }
            _ => {
                let n = name(&s[i..]);
                if n == 0 {
                    return None;
                }
                i += n;
                match s.get(i) {
                    Some(b'=') => {
                        i += 1;
                        let value = s.get(i..)?;
                        i += match value.first()? {
                            &q @ (b'"' | b'\'') => {
                                let len =
                                    value[1..].iter().take(ATTRIBUTE_LIST_MAX).position(|&c| c == q || c == b'\n')?;
                                if value[1 + len] != q {
                                    return None;
                                }
                                len + 2
                            }
                            _ => value.iter().take_while(|c| !matches!(c, b' ' | b'\t' | b'}' | b'\n' | b'{')).count(),
                        };
                    }
                    Some(b':') if kramdown => i += 1, // an attribute list definition: `{:name: .class}`
                    _ if kramdown => {}               // a reference to one: `{:toc}`, `{: name}`
                    _ => return None,
                }
            }
        }
    }
    None
}

/// Finds every `<!-- ... -->` in raw HTML that starts at `start` and records annotations.
fn comments(b: &mut Builder, raw: &str, start: usize) {
    let mut from = 0;
    while let Some(open) = raw[from..].find("<!--") {
        let open = from + open;
        let Some(close) = raw[open..].find("-->") else { break };
        let end = open + close + 3;
        if let Some(ids) = annotation_ids(&raw[open..end]) {
            b.annotation(ids, start + open..start + end);
        }
        from = end;
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_lists_tables_and_annotations() {
        let text = "---\ntitle: x\n---\n# Privacy\n\nIntro *text*. Second [one](http://x).\n\n## What we collect\n\nWe collect the following:\n\n- Your **email**\n- Location\n  <!-- disclose: location.precise -->\n\n| a | b |\n|---|---|\n| cell<br>two | x |\n\n<!-- markdownlint-disable -->\n";
        let d = parse(text);
        let texts: Vec<_> = d.sentences.iter().map(|s| &*s.text).collect();
        assert_eq!(
            texts,
            vec![
                "Privacy",
                "Intro text.",
                "Second one.",
                "What we collect",
                "We collect the following:",
                "Your email",
                "Location",
                "a",
                "b",
                "cell",
                "two",
                "x"
            ]
        );
        let cells: Vec<_> = d.sentences[7..].iter().map(|s| (s.kind, s.intro)).collect();
        let cell = BlockKind::TableCell;
        assert_eq!(cells, [(cell, None), (cell, None), (cell, Some(7)), (cell, Some(7)), (cell, Some(8))]);
        assert_eq!(&text[d.sentences[10].start..d.sentences[10].end], "two");
        assert_eq!(d.sections[2].path, vec!["Privacy".to_string(), "What we collect".to_string()]);
        let email = &d.sentences[5];
        assert_eq!(email.intro, Some(4));
        assert_eq!(&text[email.start..email.start + 4], "Your");
        assert_eq!(d.annotations.len(), 1);
        assert_eq!(d.annotations[0].ids, vec!["location.precise".to_string()]);
        assert_eq!(d.annotations[0].section, 2);
    }

    fn texts(d: &Document) -> Vec<&str> {
        d.sentences.iter().map(|s| &*s.text).collect()
    }

    /// Every sentence starts at the source byte of its first word.
    fn assert_at_source(text: &str, d: &Document) {
        for s in &d.sentences {
            let first = s.text.split_whitespace().next().unwrap_or("");
            assert!(text[s.start..].starts_with(first), "{:?} starts at {:?}", s.text, &text[s.start..]);
        }
    }

    #[test]
    fn a_list_in_a_table_cell_is_one_sentence_per_item_under_its_header() {
        let text = "| Information we collect | Why |\n|---|---|\n| Photos<br>Videos<BR/>Voice notes | Sharing |\n| *   Precise location<br />*   Contacts | Maps \u{2022} Invites |\n| We collect your email<br>or phone number. | Sign-in. Then support. |\n";
        let d = parse(text);
        assert_eq!(
            texts(&d),
            vec![
                "Information we collect",
                "Why",
                "Photos",
                "Videos",
                "Voice notes",
                "Sharing",
                "Precise location",
                "Contacts",
                "Maps",
                "Invites",
                "We collect your email or phone number.",
                "Sign-in.",
                "Then support."
            ]
        );
        assert!(d.sentences.iter().all(|s| s.kind == BlockKind::TableCell));
        let intros: Vec<_> = d.sentences.iter().map(|s| s.intro).collect();
        let (what, why) = (Some(0), Some(1));
        assert_eq!(intros, [None, None, what, what, what, why, what, what, why, why, what, why, why]);
        assert_eq!(d.sentences[2..5].iter().map(|s| s.block).collect::<std::collections::BTreeSet<_>>().len(), 3);
        assert_at_source(text, &d);
        assert_eq!(&text[d.sentences[4].start..d.sentences[4].end], "Voice notes");
    }

    #[test]
    fn a_table_without_header_text_takes_the_row_header() {
        let text = "| | |\n|---|---|\n| What we collect | Calendar events |\n| What we never collect | Contacts |\n";
        let d = parse(text);
        assert_eq!(texts(&d), vec!["What we collect", "Calendar events", "What we never collect", "Contacts"]);
        let intros: Vec<_> = d.sentences.iter().map(|s| s.intro).collect();
        assert_eq!(intros, [None, Some(0), None, Some(2)]);
    }

    #[test]
    fn bold_lines_are_headings_that_still_introduce_their_list() {
        let text = "# Privacy\n\n**Information we collect automatically:**\n\n- Device identifiers\n- Crash logs\n\n**Camera**\n\nWe scan codes.\n\n__Microphone__\n\nWe keep voice notes.\n\n## Sharing\n\n**Partners**\n\nText.\n";
        let d = parse(text);
        let heads: Vec<_> = d.sentences.iter().filter(|s| s.kind == BlockKind::Heading).map(|s| &*s.text).collect();
        assert_eq!(
            heads,
            ["Privacy", "Information we collect automatically:", "Camera", "Microphone", "Sharing", "Partners"]
        );
        assert_eq!(d.sentences[2].intro, Some(1), "the bold line introduces its list");
        assert_eq!(d.sentences[3].intro, Some(1));
        assert_eq!(d.sentences[2].section, 2);
        let paths: Vec<String> = d.sections.iter().map(|s| s.path.join(" > ")).collect();
        assert_eq!(
            paths,
            [
                "",
                "Privacy",
                "Privacy > Information we collect automatically:",
                "Privacy > Camera",
                "Privacy > Microphone",
                "Privacy > Sharing",
                "Privacy > Sharing > Partners"
            ]
        );
        assert_eq!(d.sentences[5].section, 3, "a paragraph sits under the bold line before it");
        assert_at_source(text, &d);
    }

    #[test]
    fn bold_text_that_is_not_a_heading() {
        for text in [
            "**Basic account information: **\n", // a space before `**`: no emphasis in CommonMark
            "**We never sell your contacts to anyone.**\n",
            "*Location data*\n", // emphasis alone is a note, not a heading
            "**Last updated: May 1, 2024**\n",
            "**[Learn what we collect](#collect)**\n",
            "**Advertising:** we show ads.\n",
            "- **Location data**\n",
            "> **Quoted**\n",
            "Our address is:\n\n**Harbor Notes Privacy Team**\n", // introduced by the line before it
            "**One two three four five six seven eight nine ten eleven twelve thirteen**\n",
        ] {
            let d = parse(text);
            assert!(d.sentences.iter().all(|s| s.kind != BlockKind::Heading), "{text}");
            assert_eq!(d.sections.len(), 1, "{text}");
        }
        // Still the intro of the list after it.
        let d = parse("**Basic account information: **\n\n- Your email address\n");
        assert_eq!(d.sentences[1].intro, Some(0));
    }

    #[test]
    fn attribute_lists_are_markup() {
        let text = "# Privacy Policy {#top .title}\n\nLast updated September 30, 2024\n{: datetime=\"2024-09-30\" }\n\n* TOC\n{:toc}\n\n## What we collect {: #collect }\n\n{:.lead}\nWe collect your precise location. {: .note}\n{: .intro #first data-x='a b' }\n\nWe record your *voice*{: .em} when you hold the button.\n\nTemplates like {company}, {#} and {: see (below)} stay.\n";
        let d = parse(text);
        assert_eq!(
            texts(&d),
            vec![
                "Privacy Policy",
                "Last updated September 30, 2024",
                "What we collect",
                "We collect your precise location.",
                "We record your voice when you hold the button.",
                "Templates like {company}, {#} and {: see (below)} stay."
            ]
        );
        assert_eq!(d.sections[2].path, vec!["Privacy Policy".to_string(), "What we collect".to_string()]);
        assert_at_source(text, &d);
        assert!(text[..d.sentences[1].end].ends_with("2024"), "the sentence ends before its attribute list");
        assert_eq!(attribute_lists("{: a=\"unclosed }"), Vec::<Range<usize>>::new());
        assert_eq!(attribute_lists("x {:toc} {#a .b c=d}"), vec![2..8, 9..20]);
    }

    #[test]
    fn comments_references_and_inline_tags_leave_no_text() {
        let text = "Text <!-- a multi\nline comment --> after. And <span class=\"x\">spanned</span> <div>div</div> words.\n\nInline <!-- disclose: camera\naudio.voice --> here.\n\nSee [the docs][1].\n\n[1]: https://example.com \"Title\"\n\n<!--\nA block comment.\n\nOver a blank line.\n-->\n";
        let d = parse(text);
        assert_eq!(texts(&d), vec!["Text after.", "And spanned div words.", "Inline here.", "See the docs."]);
        assert_eq!(d.annotations.len(), 1);
        assert_eq!(d.annotations[0].ids, vec!["camera".to_string(), "audio.voice".to_string()]);
    }

    #[test]
    fn bulleted_runs_in_a_paragraph_are_list_items() {
        let text = "We collect: \u{2022} Photos \u{2022} Videos \u{2022} Voice notes\n\nInformation we collect automatically:\n\n\u{2022} Crash logs\n\u{2022} Microphone recordings\n\nHome \u{00B7} Terms\n";
        let d = parse(text);
        let got: Vec<_> = d.sentences.iter().map(|s| (&*s.text, s.kind, s.intro)).collect();
        let (p, li) = (BlockKind::Paragraph, BlockKind::ListItem);
        assert_eq!(
            got,
            vec![
                ("We collect:", p, None),
                ("Photos", li, Some(0)),
                ("Videos", li, Some(0)),
                ("Voice notes", li, Some(0)),
                ("Information we collect automatically:", p, None),
                ("Crash logs", li, Some(4)),
                ("Microphone recordings", li, Some(4)),
                ("Home", p, None),
                ("Terms", li, None),
            ]
        );
        assert_at_source(text, &d);
    }

    #[test]
    fn setext_headings_and_front_matter() {
        let d = parse("Privacy Policy\n--------------\n\nWe collect data.\n");
        assert_eq!(d.sections.len(), 2);
        assert_eq!(d.sentences[1].section, 1);
    }
}
