//! XML for manifests and property lists: roxmltree behind a nesting guard.
//!
//! roxmltree's tokenizer recurses once per level of element nesting (upstream issue
//! RazrFalcon/roxmltree#154), so `<a><a><a>…` a hundred thousand levels deep overflows the
//! stack and aborts the process. Before parsing, [`nesting`] counts how deep the text can nest
//! without parsing it, and a document deeper than [`MAX_DEPTH`] is an error. Real manifests
//! nest about 5 levels, property lists rarely more than 10.
//!
//! Entities: DTDs are allowed (Apple's plists carry one). roxmltree never fetches an external
//! entity (a `SYSTEM` entity is an "unknown entity reference" error), limits entity references
//! to 10 levels and 255 references per reference, and reports a loop: "billion laughs" is an
//! error, not a hang.

use roxmltree::{Document, ParsingOptions};

use crate::error::Error;
use crate::source::Source;

/// The deepest element nesting read.
pub const MAX_DEPTH: usize = 256;

/// How many levels of entity expansion roxmltree allows inside each other.
const ENTITY_LEVELS: usize = 10;

/// Parses `source` as XML, after checking its nesting. `what` names the file in help text.
pub(crate) fn parse<'a>(source: &'a Source, what: &str) -> Result<Document<'a>, Error> {
    let (depth, at) = nesting(&source.text);
    if depth > MAX_DEPTH {
        let pos = source.position(at);
        return Err(Error::parse_at(
            &source.path,
            pos.line,
            pos.column,
            format!("malformed XML: elements nest more than {MAX_DEPTH} levels deep"),
        )
        .with_help(format!("a {what} nests a few levels; check that the file is the one you meant")));
    }
    let options = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    Document::parse_with_options(&source.text, options).map_err(|e| error(&source.path, &e, what))
}

/// The XML error's message without roxmltree's trailing " at L:C" (the position is given apart).
pub(crate) fn error(path: &str, e: &roxmltree::Error, what: &str) -> Error {
    let pos = e.pos();
    let text = e.to_string();
    let message = match e {
        roxmltree::Error::UnexpectedCloseTag(expected, actual, _) => {
            format!("<{expected}> is not closed (found </{actual}> first)")
        }
        _ => text.rsplit_once(" at ").map_or(text.as_str(), |(m, _)| m).to_string(),
    };
    Error::parse_at(path, pos.row as usize, pos.col as usize, format!("malformed XML: {message}")).with_help(format!(
        "fix the XML so that the {what} parses (Android Studio and `xmllint --noout` show the same error)"
    ))
}

/// An upper bound on how deep the elements of `text` nest, and the byte offset of the start
/// tag that first goes deeper than [`MAX_DEPTH`] (0 when none does). A linear scan, not a parse: start tags count up, end tags and `/>`
/// count down; comments, CDATA and processing instructions are skipped, and quoted attribute
/// values are skipped so that a `/>` or `>` inside one is not read as markup. Every start tag
/// inside the DOCTYPE (entity values that hold markup) counts [`ENTITY_LEVELS`] times on top,
/// since an entity's elements open wherever it is referenced, up to that many levels deep.
/// Malformed text can only make the bound higher, or stop roxmltree at the same place.
pub(crate) fn nesting(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut depth, mut max, mut at, mut from_dtd) = (0usize, 0usize, 0usize, 0usize);
    let mut i = 0;
    let skip_to = |from: usize, end: &[u8]| find(b, from, end).map_or(b.len(), |p| p + end.len());
    while let Some(lt) = memchr(b, i, b'<') {
        let rest = &b[lt..];
        i = if rest.starts_with(b"<!--") {
            skip_to(lt + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip_to(lt + 9, b"]]>")
        } else if rest.starts_with(b"<?") {
            skip_to(lt + 2, b"?>")
        } else if rest.starts_with(b"<!") {
            let end = declaration_end(b, lt + 2);
            from_dtd += b[lt..end].windows(2).filter(|w| w[0] == b'<' && name_start(w[1])).count();
            end
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            skip_to(lt + 2, b">")
        } else if rest.len() > 1 && name_start(rest[1]) {
            let end = tag_end(b, lt + 1);
            if b.get(end.wrapping_sub(2)) != Some(&b'/') {
                depth += 1;
                if depth > max {
                    max = depth;
                    if max == MAX_DEPTH + 1 {
                        at = lt;
                    }
                }
            }
            end
        } else {
            lt + 1
        };
    }
    (max.saturating_add(from_dtd.saturating_mul(ENTITY_LEVELS)), at)
}

/// The offset just past the `>` that ends a start tag begun before `from` (quotes respected).
fn tag_end(b: &[u8], mut i: usize) -> usize {
    let mut quote = None;
    while i < b.len() {
        match (quote, b[i]) {
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The offset just past a `<!…>` declaration (a DOCTYPE's `[…]` internal subset and quoted
/// literals included).
fn declaration_end(b: &[u8], mut i: usize) -> usize {
    let (mut quote, mut brackets) = (None, 0usize);
    while i < b.len() {
        match (quote, b[i]) {
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (Some(q), c) if c == q => quote = None,
            (None, b'[') => brackets += 1,
            (None, b']') => brackets = brackets.saturating_sub(1),
            (None, b'>') if brackets == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

fn name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80
}

fn memchr(b: &[u8], from: usize, c: u8) -> Option<usize> {
    b.get(from..)?.iter().position(|&x| x == c).map(|p| p + from)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_open_elements() {
        assert_eq!(nesting("<a/>").0, 0);
        assert_eq!(nesting("<a><b><c/></b><b></b></a>").0, 2);
        assert_eq!(nesting("<?xml version=\"1.0\"?><!-- <x><y><z> --><a><![CDATA[<b><c>]]></a>").0, 1);
        // A `/>` or `>` inside an attribute value is not markup.
        assert_eq!(nesting("<a t=\"/>\"><b x='>'/></a>").0, 1);
    }

    #[test]
    fn markup_in_entities_counts_per_expansion_level() {
        let text = "<!DOCTYPE m [ <!ENTITY e \"<x><y/></x>\"> ]><m>&e;</m>";
        assert_eq!(nesting(text).0, 1 + 2 * ENTITY_LEVELS);
        // A plist's DOCTYPE without an internal subset adds nothing.
        let plist = "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\"><plist><dict/></plist>";
        assert_eq!(nesting(plist).0, 1);
    }

    #[test]
    fn deep_documents_are_errors_not_stack_overflows() {
        let deep = format!("<manifest>{}{}</manifest>", "<a>".repeat(100_000), "</a>".repeat(100_000));
        let source = Source::new("AndroidManifest.xml", deep);
        let e = parse(&source, "manifest").unwrap_err().to_string();
        assert_eq!(e, "AndroidManifest.xml:1:776: malformed XML: elements nest more than 256 levels deep");
        // Unclosed, as a fuzzer would write it.
        let source = Source::new("Info.plist", "<plist>".repeat(50_000));
        assert!(parse(&source, "property list").is_err());
        let ok = format!("<m>{}{}</m>", "<a>".repeat(200), "</a>".repeat(200));
        assert!(parse(&Source::new("m.xml", ok), "manifest").is_ok());
    }

    #[test]
    fn entity_attacks_are_errors() {
        let laughs = "<!DOCTYPE m [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\
            <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\
            <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\
            <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\
            <!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]><m n=\"&i;\"/>";
        let e = parse(&Source::new("m.xml", laughs.into()), "manifest").unwrap_err().to_string();
        assert!(e.contains("entity reference loop"), "{e}");
        let external = "<!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><m n=\"&x;\"/>";
        let e = parse(&Source::new("m.xml", external.into()), "manifest").unwrap_err().to_string();
        assert!(e.contains("unknown entity reference 'x'"), "{e}");
    }
}
