//! Plain-text policies into a [`Document`]: paragraphs split by blank lines, bulleted and
//! numbered lines as list items, and short unpunctuated lines as headings.
//!
//! A line ending in `:` introduces the bulleted lines after it, also when it follows another
//! list ("We also collect:" after a list starts a new one). A run of bullets on one line
//! ("We collect: • Photos • Videos") is split into items by the [`Builder`].

use super::sentence::{has_bullets, Builder};
use super::{annotation_ids, BlockKind, Document};

/// Parses plain text into sections and sentences.
pub fn parse(text: &str) -> Document {
    let mut b = Builder::new();
    let mut offset = 0;
    let mut in_list = false;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, raw) in lines.iter().enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        let lead = line.len() - line.trim_start().len();
        if trimmed.is_empty() {
            b.flush();
            continue;
        }
        if let Some(ids) = annotation_ids(trimmed) {
            b.annotation(ids, start + lead..start + lead + trimmed.len());
            continue;
        }
        if is_underline(trimmed) {
            continue; // The underline of a setext-style heading, handled with the line above it.
        }
        let blank_before = i == 0 || lines[i - 1].trim().is_empty() || is_underline(lines[i - 1].trim());
        let underlined = lines.get(i + 1).is_some_and(|l| is_underline(l.trim()));
        let blank_after = underlined || lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
        if let Some(body) = list_item(trimmed) {
            if !in_list {
                b.start_list();
                in_list = true;
            }
            b.start(BlockKind::ListItem);
            let at = start + lead + (trimmed.len() - body.len());
            b.text(body, at..at + body.len());
            continue;
        }
        // An unindented line ending in `:` after a list introduces the next one.
        let intro = in_list && lead == 0 && trimmed.ends_with(':');
        if in_list && (blank_before || intro) {
            b.end_list();
            in_list = false;
        }
        if blank_before && blank_after && is_heading(trimmed) {
            b.start(BlockKind::Heading);
            // `====` underlines and ALL-CAPS lines are top-level; `----` and other short lines sit below.
            let top = lines.get(i + 1).is_some_and(|l| l.trim().starts_with("==="));
            let dashed = lines.get(i + 1).is_some_and(|l| l.trim().starts_with("---"));
            b.heading_level(if top || (!dashed && !trimmed.chars().any(char::is_lowercase)) { 1 } else { 2 });
            b.text(trimmed, start + lead..start + lead + trimmed.len());
            b.flush();
            continue;
        }
        if (blank_before || intro) && !in_list {
            b.start(BlockKind::Paragraph);
        }
        b.space();
        b.text(trimmed, start + lead..start + lead + trimmed.len());
    }
    b.finish()
}

fn list_item(line: &str) -> Option<&str> {
    for bullet in ["- ", "* ", "\u{2022} ", "+ ", "\u{00B7} ", "\u{25AA} ", "\u{25E6} ", "\u{25CF} "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some(rest.trim_start());
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 3 {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            // "1. Information we collect" alone on a line is a numbered heading, not an item.
            if r.ends_with(['.', ':', ';', ',']) || r.split_whitespace().count() > 8 {
                return Some(r.trim_start());
            }
        }
    }
    None
}

/// A short line that does not end like a sentence or an introduction ("We collect:"), and is
/// not a bulleted run ("We collect: • Photos • Videos").
fn is_heading(line: &str) -> bool {
    line.chars().count() <= 80
        && !line.ends_with(['.', ',', ';', ':', '!', '?'])
        && line.split_whitespace().count() <= 10
        && !has_bullets(line)
}

/// `=====` or `-----` under a heading.
fn is_underline(line: &str) -> bool {
    line.len() >= 3 && (line.chars().all(|c| c == '=') || line.chars().all(|c| c == '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_items() {
        let text = "PRIVACY NOTICE\n\nWe collect your email\naddress. We never sell it.\n\nWhat we collect\n===============\n\nWe collect:\n- precise location;\n- contacts.\n";
        let d = parse(text);
        let texts: Vec<_> = d.sentences.iter().map(|s| &*s.text).collect();
        assert_eq!(
            texts,
            vec![
                "PRIVACY NOTICE",
                "We collect your email address.",
                "We never sell it.",
                "What we collect",
                "We collect:",
                "precise location;",
                "contacts."
            ]
        );
        assert_eq!(d.sentences[5].intro, Some(4));
        assert_eq!(d.sentences[5].section, 2);
        assert_eq!(&text[d.sentences[1].start..d.sentences[1].start + 2], "We");
    }

    #[test]
    fn intros_after_a_list_and_bulleted_runs() {
        let text = "We collect:\n- precise location\nWe also collect:\n\u{25AA} calendar events\n\u{00B7} call history\n\nInformation we collect automatically: \u{2022} Crash logs \u{2022} Microphone recordings\n";
        let d = parse(text);
        let got: Vec<_> = d.sentences.iter().map(|s| (&*s.text, s.kind, s.intro)).collect();
        let (p, li) = (BlockKind::Paragraph, BlockKind::ListItem);
        assert_eq!(
            got,
            vec![
                ("We collect:", p, None),
                ("precise location", li, Some(0)),
                ("We also collect:", p, None),
                ("calendar events", li, Some(2)),
                ("call history", li, Some(2)),
                ("Information we collect automatically:", p, None),
                ("Crash logs", li, Some(5)),
                ("Microphone recordings", li, Some(5)),
            ]
        );
        for s in &d.sentences {
            assert!(text[s.start..].starts_with(s.text.split(' ').next().unwrap_or("")), "{:?}", s.text);
        }
    }
}
