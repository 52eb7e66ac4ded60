//! Markdown policies (CommonMark with GFM tables and YAML front matter) into a [`Document`].
//!
//! Front matter, code blocks and raw HTML are not policy text and are skipped; HTML comments
//! are read for `<!-- disclose: ... -->` annotations. Links keep their text, not their target.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::sentence::Builder;
use super::{annotation_ids, BlockKind, Document};

/// Parses Markdown text into sections and sentences.
pub fn parse(text: &str) -> Document {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_STRIKETHROUGH;
    let mut b = Builder::new();
    let mut skip = 0usize; // inside front matter or a code block
    let mut items = 0usize; // depth of open list items
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
            Event::Start(Tag::Paragraph) => b.start(if items > 0 { BlockKind::ListItem } else { BlockKind::Paragraph }),
            Event::End(TagEnd::Paragraph | TagEnd::TableCell | TagEnd::Item | TagEnd::BlockQuote(_)) => {
                if matches!(event, Event::End(TagEnd::Item)) {
                    items = items.saturating_sub(1);
                }
                b.flush();
            }
            Event::Start(Tag::List(_)) => b.start_list(),
            Event::End(TagEnd::List(_)) => b.end_list(),
            Event::Start(Tag::Item) => {
                items += 1;
                b.start(BlockKind::ListItem);
            }
            Event::Start(Tag::TableCell) => b.start(BlockKind::TableCell),
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
            Event::InlineHtml(raw) => {
                if raw.trim_start().starts_with("<!--") {
                    comments(&mut b, &raw, range.start);
                } else if raw.to_ascii_lowercase().starts_with("<br") {
                    b.space();
                }
            }
            Event::Text(t) | Event::Code(t) => b.text(&t, range),
            Event::SoftBreak | Event::HardBreak => b.space(),
            _ => {}
        }
    }
    b.finish()
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
        let texts: Vec<_> = d.sentences.iter().map(|s| s.text.as_str()).collect();
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
                "cell two",
                "x"
            ]
        );
        assert_eq!(d.sections[2].path, vec!["Privacy".to_string(), "What we collect".to_string()]);
        let email = &d.sentences[5];
        assert_eq!(email.intro, Some(4));
        assert_eq!(&text[email.start..email.start + 4], "Your");
        assert_eq!(d.annotations.len(), 1);
        assert_eq!(d.annotations[0].ids, vec!["location.precise".to_string()]);
        assert_eq!(d.annotations[0].section, 2);
    }

    #[test]
    fn setext_headings_and_front_matter() {
        let d = parse("Privacy Policy\n--------------\n\nWe collect data.\n");
        assert_eq!(d.sections.len(), 2);
        assert_eq!(d.sentences[1].section, 1);
    }
}
