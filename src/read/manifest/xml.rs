//! XML for manifests and property lists: roxmltree behind a linear pre-scan.
//!
//! roxmltree's tokenizer recurses once per level of element nesting (upstream issue
//! RazrFalcon/roxmltree#154), so `<a><a><a>…` a hundred thousand levels deep overflows the
//! stack and aborts the process; and some of its steps are quadratic: each attribute of an
//! element is checked against the element's earlier ones, each namespace declaration against
//! the others, each reference to a DTD entity looks the entity up in a list, and each piece of
//! a text (a CDATA section, an entity's expansion) is joined to the text so far by copying it.
//! Before parsing, [`scan`] reads the text once, without parsing it, and a document is an
//! error, at the line and column where it goes over, when it has:
//!
//! - elements nested deeper than [`MAX_DEPTH`] (real manifests nest about 5 levels, property
//!   lists rarely more than 10);
//! - an element with more than [`MAX_ATTRIBUTES`] attributes (real manifests have at most a
//!   few dozen on `<application>` or `<activity>`; at this limit a 10 MB manifest of such
//!   elements parses in about 3 × the time of an ordinary one);
//! - more than [`MAX_NAMESPACES`] namespace declarations (`xmlns`, `xmlns:…`; real manifests
//!   declare 2 to 4);
//! - more than [`MAX_ENTITIES`] entity declarations in its DTD;
//! - a text that joins more than [`MAX_TEXT_PIECES`] CDATA sections and entity expansions;
//! - references to DTD entities that could expand to more than [`MAX_EXPANSION`] bytes.
//!
//! Entities: DTDs are allowed (Apple's plists carry one). roxmltree never fetches an external
//! entity (a `SYSTEM` entity is an "unknown entity reference" error), limits entity references
//! to 10 levels and 255 references per reference, and reports a loop: "billion laughs" is an
//! error, not a hang. What a reference could expand to is counted from above, as roxmltree
//! would expand it: the entity's value and up to 255 nested references, each counted as the
//! longest value in the DTD. Real manifests and property lists declare no entities.

use std::collections::HashMap;

use roxmltree::{Document, ParsingOptions};

use crate::model::error::Error;
use crate::model::source::Source;

/// The deepest element nesting read.
pub const MAX_DEPTH: usize = 256;

/// The most attributes (namespace declarations included) one element may have.
pub const MAX_ATTRIBUTES: usize = 256;

/// The most namespace declarations a document may make, all elements together.
pub const MAX_NAMESPACES: usize = 256;

/// The most entities a DTD may declare.
pub const MAX_ENTITIES: usize = 256;

/// The most pieces (CDATA sections, entity expansions) one text may join.
pub const MAX_TEXT_PIECES: usize = 64;

/// The most bytes references to DTD entities may expand to, all together (1 MiB).
pub const MAX_EXPANSION: usize = 1 << 20;

/// How many levels of entity expansion roxmltree allows inside each other.
const ENTITY_LEVELS: usize = 10;

/// How many references roxmltree resolves inside one reference before it reports a loop.
const NESTED_REFERENCES: usize = 255;

/// Parses `source` as XML, after the pre-scan. `what` names the file in help text.
pub(crate) fn parse<'a>(source: &'a Source, what: &str) -> Result<Document<'a>, Error> {
    let scan = scan(&source.text);
    let refused = if scan.depth > MAX_DEPTH {
        Some((scan.depth_at, format!("elements nest more than {MAX_DEPTH} levels deep"), "nests a few levels"))
    } else {
        scan.refused.map(|(at, message)| (at, message, "stays far below this"))
    };
    if let Some((at, message, real)) = refused {
        let pos = source.position(at);
        return Err(Error::parse_at(&source.path, pos.line, pos.column, format!("malformed XML: {message}"))
            .with_help(format!("a {what} {real}; check that the file is the one you meant")));
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

/// What the pre-scan found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// An upper bound on how deep the elements nest.
    pub depth: usize,
    /// The byte offset of the start tag that first goes deeper than [`MAX_DEPTH`] (0 when none
    /// does).
    pub depth_at: usize,
    /// The first other limit the text goes over: where, and what.
    pub refused: Option<(usize, String)>,
}

impl Scan {
    fn refuse(&mut self, at: usize, message: impl FnOnce() -> String) {
        if self.refused.is_none() {
            self.refused = Some((at, message()));
        }
    }
}

/// The pre-scan: a linear pass, not a parse. Start tags count up, end tags and `/>` count down;
/// comments, CDATA and processing instructions are skipped, and quoted attribute values are
/// skipped so that a `/>` or `>` inside one is not read as markup. Every start tag inside the
/// DOCTYPE (entity values that hold markup) counts [`ENTITY_LEVELS`] times on top, since an
/// entity's elements open wherever it is referenced, up to that many levels deep. Attributes
/// and namespace declarations are counted in start tags (inside the DOCTYPE's entity values
/// too), entity references in text and attribute values, and the pieces of each text between
/// two tags, comments or processing instructions. Malformed text can only make the counts
/// higher, or stop roxmltree at the same place.
pub(crate) fn scan(text: &str) -> Scan {
    let b = text.as_bytes();
    let mut out = Scan::default();
    let (mut depth, mut from_dtd, mut namespaces) = (0usize, 0usize, 0usize);
    let mut entities = Entities::default();
    let (mut expansion, mut pieces) = (0usize, 0usize);
    let mut i = 0;
    let skip_to = |from: usize, end: &[u8]| find(b, from, end).map_or(b.len(), |p| p + end.len());
    while let Some(at) = b.get(i..).and_then(|rest| rest.iter().position(|&c| c == b'<' || c == b'&')) {
        let lt = i + at;
        let rest = &b[lt..];
        if rest[0] == b'&' {
            // A reference in text: its expansion joins the text.
            i = lt + 1;
            if let Some((e, end)) = entities.reference(b, lt) {
                i = end;
                expansion = expansion.saturating_add(entities.bytes(e));
                pieces = pieces.saturating_add(entities.pieces(e));
                check_expansion(&mut out, lt, expansion);
                check_pieces(&mut out, lt, pieces);
            }
            continue;
        }
        i = if rest.starts_with(b"<!--") {
            pieces = 0;
            skip_to(lt + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            pieces += 1;
            check_pieces(&mut out, lt, pieces);
            skip_to(lt + 9, b"]]>")
        } else if rest.starts_with(b"<?") {
            pieces = 0;
            skip_to(lt + 2, b"?>")
        } else if rest.starts_with(b"<!") {
            let end = declaration_end(b, lt + 2);
            from_dtd += b[lt..end].windows(2).filter(|w| w[0] == b'<' && name_start(w[1])).count();
            if rest.starts_with(b"<!DOCTYPE") {
                entities = Entities::declared(b, lt + 9, end);
                if entities.list.len() > MAX_ENTITIES {
                    out.refuse(entities.list[MAX_ENTITIES].at, || {
                        format!("the DTD declares more than {MAX_ENTITIES} entities")
                    });
                }
                // Elements inside entity values: their attributes count as anywhere else.
                let mut j = lt + 9;
                while let Some(p) = find_tag(b, j, end) {
                    let (tag_end, n) = start_tag(b, p + 1, |_, _| {});
                    j = tag_end.min(end);
                    if n > MAX_ATTRIBUTES {
                        out.refuse(p, || format!("an element has more than {MAX_ATTRIBUTES} attributes"));
                    }
                }
            }
            end
        } else if rest.starts_with(b"</") {
            pieces = 0;
            depth = depth.saturating_sub(1);
            skip_to(lt + 2, b">")
        } else if rest.len() > 1 && name_start(rest[1]) {
            pieces = 0;
            let mut count = 0;
            let (end, _) = start_tag(b, lt + 1, |name_at, value: std::ops::Range<usize>| {
                let name = &b[name_at..];
                if name.starts_with(b"xmlns") && matches!(name.get(5), Some(b':' | b'=' | b' ' | b'\t' | b'\r' | b'\n'))
                {
                    namespaces += 1;
                    if namespaces == MAX_NAMESPACES + 1 {
                        out.refuse(name_at, || format!("more than {MAX_NAMESPACES} namespace declarations (xmlns)"));
                    }
                }
                count += 1;
                if count == MAX_ATTRIBUTES + 1 {
                    out.refuse(name_at, || format!("an element has more than {MAX_ATTRIBUTES} attributes"));
                }
                // References in the value expand into it.
                let mut k = value.start;
                while let Some(amp) = b[k..value.end].iter().position(|&c| c == b'&').map(|p| p + k) {
                    k = amp + 1;
                    if let Some((e, end)) = entities.reference(b, amp) {
                        k = end;
                        expansion = expansion.saturating_add(entities.bytes(e));
                        check_expansion(&mut out, amp, expansion);
                    }
                }
            });
            if b.get(end.wrapping_sub(2)) != Some(&b'/') {
                depth += 1;
                if depth > out.depth {
                    out.depth = depth;
                    if depth == MAX_DEPTH + 1 {
                        out.depth_at = lt;
                    }
                }
            }
            end
        } else {
            lt + 1
        };
    }
    out.depth = out.depth.saturating_add(from_dtd.saturating_mul(ENTITY_LEVELS));
    out
}

fn check_expansion(out: &mut Scan, at: usize, expansion: usize) {
    if expansion > MAX_EXPANSION {
        out.refuse(at, || format!("entity references could expand to more than {} MiB", MAX_EXPANSION >> 20));
    }
}

fn check_pieces(out: &mut Scan, at: usize, pieces: usize) {
    if pieces > MAX_TEXT_PIECES {
        out.refuse(at, || format!("a text joins more than {MAX_TEXT_PIECES} CDATA sections and entity expansions"));
    }
}

/// The offset of the next `<` that opens a start tag in `b[from..end]`.
fn find_tag(b: &[u8], from: usize, end: usize) -> Option<usize> {
    (from..end.saturating_sub(1)).find(|&p| b[p] == b'<' && name_start(b[p + 1]))
}

/// A start tag begun before `i` (just past its `<`): the offset just past its `>` (quotes
/// respected) and how many attributes it has. `attribute` is told where each attribute's
/// name starts and where its value lies (inside the quotes; empty without a value). A quote
/// outside a value starts a quoted run all the same, as for a value, so that what counts as
/// quoted is what roxmltree (and [`declaration_end`]) would read as quoted.
fn start_tag(b: &[u8], mut i: usize, mut attribute: impl FnMut(usize, std::ops::Range<usize>)) -> (usize, usize) {
    let stop = |c: u8| c.is_ascii_whitespace() || matches!(c, b'>' | b'/' | b'=' | b'"' | b'\'');
    let quoted = |from: usize| -> usize {
        let q = b[from];
        b[from + 1..].iter().position(|&c| c == q).map_or(b.len(), |p| from + 1 + p)
    };
    // The element's name.
    while i < b.len() && !stop(b[i]) {
        i += 1;
    }
    let mut count = 0;
    while i < b.len() {
        match b[i] {
            b'>' => return (i + 1, count),
            c if c.is_ascii_whitespace() || c == b'/' || c == b'=' => i += 1,
            b'"' | b'\'' => i = quoted(i) + 1,
            _ => {
                let name = i;
                while i < b.len() && !stop(b[i]) {
                    i += 1;
                }
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                let mut value = i..i;
                if b.get(i) == Some(&b'=') {
                    i += 1;
                    while i < b.len() && b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    if matches!(b.get(i), Some(b'"' | b'\'')) {
                        let end = quoted(i);
                        value = i + 1..end;
                        i = end + 1;
                    }
                }
                count += 1;
                attribute(name, value);
            }
        }
    }
    (b.len(), count)
}

/// The general entities a DOCTYPE declares, and what a reference to each could cost.
#[derive(Default)]
struct Entities {
    list: Vec<Entity>,
    /// Each name's first declaration (roxmltree uses the first).
    by_name: HashMap<Vec<u8>, usize>,
    /// The longest value, in bytes.
    longest: usize,
    /// The most CDATA sections in one value.
    most_cdata: usize,
}

struct Entity {
    /// Where its declaration starts.
    at: usize,
    /// How many references one reference to it resolves inside it (up to 256: more is a
    /// loop, or more than roxmltree resolves).
    nested: usize,
}

impl Entities {
    /// The entities declared in the DOCTYPE between `from` and `end`.
    fn declared(b: &[u8], from: usize, end: usize) -> Entities {
        let mut out = Entities::default();
        let mut values: Vec<(usize, usize)> = Vec::new();
        let mut i = from;
        let skip_quoted = |i: usize| b[i + 1..end].iter().position(|&c| c == b[i]).map_or(end, |p| i + 2 + p);
        while i < end {
            let rest = &b[i..end];
            if rest.starts_with(b"<!--") {
                i = find(b, i + 4, b"-->").map_or(end, |p| p + 3);
            } else if rest.starts_with(b"<!ENTITY") {
                let at = i;
                i += 8;
                while i < end && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                let general = b.get(i) != Some(&b'%');
                if !general {
                    i += 1;
                }
                while i < end && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                let name = i;
                while i < end && !b[i].is_ascii_whitespace() && !matches!(b[i], b'"' | b'\'' | b'>') {
                    i += 1;
                }
                let name = &b[name..i];
                while i < end && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < end && matches!(b[i], b'"' | b'\'') {
                    let close = skip_quoted(i);
                    if general {
                        out.by_name.entry(name.to_vec()).or_insert(out.list.len());
                        out.list.push(Entity { at, nested: 0 });
                        values.push((i + 1, close.saturating_sub(1).max(i + 1)));
                    }
                    i = close;
                }
                // The rest of the declaration (an external entity's ids), quotes respected.
                while i < end && b[i] != b'>' {
                    i = if matches!(b[i], b'"' | b'\'') { skip_quoted(i) } else { i + 1 };
                }
            } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
                i += 2;
                while i < end && b[i] != b'>' {
                    i = if matches!(b[i], b'"' | b'\'') { skip_quoted(i) } else { i + 1 };
                }
            } else if matches!(b[i], b'"' | b'\'') {
                i = skip_quoted(i);
            } else {
                i += 1;
            }
        }
        // Each value's references to other entities, and its CDATA sections.
        let mut refs: Vec<Vec<usize>> = Vec::with_capacity(values.len());
        for &(start, stop) in &values {
            let value = &b[start..stop];
            out.longest = out.longest.max(value.len());
            out.most_cdata = out.most_cdata.max(value.windows(9).filter(|w| w == b"<![CDATA[").count());
            let mut mine = Vec::new();
            let mut k = start;
            while let Some(amp) = b[k..stop].iter().position(|&c| c == b'&').map(|p| p + k) {
                k = amp + 1;
                if let Some((e, end)) = out.reference(b, amp) {
                    mine.push(e);
                    k = end;
                }
            }
            refs.push(mine);
        }
        out.count_nested(&refs);
        out
    }

    /// For each entity, how many references one reference to it resolves (saturating at 256;
    /// a loop saturates), depth first with an explicit stack.
    fn count_nested(&mut self, refs: &[Vec<usize>]) {
        const CAP: usize = NESTED_REFERENCES + 1;
        // 0: not seen; 1: on the stack; 2: done.
        let mut state = vec![0u8; refs.len()];
        for root in 0..refs.len() {
            if state[root] != 0 {
                continue;
            }
            let mut stack = vec![(root, 0usize)];
            state[root] = 1;
            while let Some(top) = stack.len().checked_sub(1) {
                let (e, next) = stack[top];
                if let Some(&c) = refs[e].get(next) {
                    stack[top].1 += 1;
                    match state[c] {
                        0 => {
                            state[c] = 1;
                            stack.push((c, 0));
                        }
                        1 => self.list[e].nested = CAP, // a loop
                        _ => {}
                    }
                    continue;
                }
                // All of `e`'s references are done.
                let n = refs[e].iter().fold(self.list[e].nested, |n, &c| {
                    let inner = if state[c] == 2 { self.list[c].nested } else { CAP };
                    n.saturating_add(1).saturating_add(inner).min(CAP)
                });
                self.list[e].nested = n;
                state[e] = 2;
                stack.pop();
            }
        }
    }

    /// The entity a reference at `amp` (a `&`) names, if it is a declared one (not one of the
    /// five predefined, not a character reference), and the offset just past its `;`.
    fn reference(&self, b: &[u8], amp: usize) -> Option<(usize, usize)> {
        if self.list.is_empty() {
            return None;
        }
        let semi = b.get(amp + 1..)?.iter().take(256).position(|&c| c == b';')? + amp + 1;
        let name = &b[amp + 1..semi];
        if matches!(name, b"lt" | b"gt" | b"amp" | b"apos" | b"quot") || name.first() == Some(&b'#') {
            return None;
        }
        self.by_name.get(name).map(|&e| (e, semi + 1))
    }

    /// What a reference to entity `e` could expand to, from above: its value and the ones it
    /// resolves, each counted as the longest value (at least one byte per reference).
    fn bytes(&self, e: usize) -> usize {
        (1 + self.list[e].nested.min(NESTED_REFERENCES)).saturating_mul(self.longest + 1)
    }

    /// How many pieces a reference to entity `e` could join to a text, from above.
    fn pieces(&self, e: usize) -> usize {
        (1 + self.list[e].nested.min(NESTED_REFERENCES)).saturating_mul(1 + self.most_cdata)
    }
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

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_open_elements() {
        assert_eq!(scan("<a/>").depth, 0);
        assert_eq!(scan("<a><b><c/></b><b></b></a>").depth, 2);
        assert_eq!(scan("<?xml version=\"1.0\"?><!-- <x><y><z> --><a><![CDATA[<b><c>]]></a>").depth, 1);
        // A `/>` or `>` inside an attribute value is not markup.
        assert_eq!(scan("<a t=\"/>\"><b x='>'/></a>").depth, 1);
    }

    #[test]
    fn markup_in_entities_counts_per_expansion_level() {
        let text = "<!DOCTYPE m [ <!ENTITY e \"<x><y/></x>\"> ]><m>&e;</m>";
        assert_eq!(scan(text).depth, 1 + 2 * ENTITY_LEVELS);
        // A plist's DOCTYPE without an internal subset adds nothing.
        let plist = "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\"><plist><dict/></plist>";
        assert_eq!(scan(plist).depth, 1);
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

    fn refusal(text: &str) -> Option<String> {
        parse(&Source::new("m.xml", text.to_string()), "manifest").err().map(|e| e.to_string())
    }

    #[test]
    fn attributes_and_namespaces_past_their_limits_are_errors_at_the_one_over() {
        let element =
            |n: usize| format!("<m>\n<x {}/></m>", (0..n).map(|i| format!("a{i}=\"1\"")).collect::<Vec<_>>().join(" "));
        assert_eq!(refusal(&element(MAX_ATTRIBUTES)), None);
        // `<x ` then 256 attributes of `aN="1" ` before the one over.
        let column = 4 + (0..MAX_ATTRIBUTES).map(|i| format!("a{i}=\"1\" ").len()).sum::<usize>();
        assert_eq!(
            refusal(&element(MAX_ATTRIBUTES + 1)).as_deref(),
            Some(format!("m.xml:2:{column}: malformed XML: an element has more than 256 attributes").as_str())
        );
        // Declarations count over the document, and on one element as attributes too.
        let spread: String = (0..=MAX_NAMESPACES).map(|i| format!("<x xmlns:n{i}=\"u\"/>\n")).collect();
        let e = refusal(&format!("<m>\n{spread}</m>")).unwrap();
        assert_eq!(e, "m.xml:258:4: malformed XML: more than 256 namespace declarations (xmlns)");
        let spread: String = (0..MAX_NAMESPACES).map(|i| format!("<x xmlns:n{i}=\"u\"/>")).collect();
        assert_eq!(refusal(&format!("<m>{spread}</m>")), None);
        // A value may hold anything: `xmlns=` inside one is no declaration, `>` no tag end.
        assert_eq!(refusal(&format!("<m a='{}'/>", " xmlns:a=\"u\" >".repeat(400))), None);
    }

    #[test]
    fn cdata_and_entity_pieces_of_one_text_are_limited() {
        let cdata = |n: usize| format!("<m>{}</m>", "text<![CDATA[x]]>".repeat(n));
        assert_eq!(refusal(&cdata(MAX_TEXT_PIECES)), None);
        let e = refusal(&cdata(MAX_TEXT_PIECES + 1)).unwrap();
        assert!(e.contains("a text joins more than 64 CDATA sections and entity expansions"), "{e}");
        // Each text counts apart: an element between two texts starts a new one.
        assert_eq!(refusal(&format!("<m>{}</m>", "<![CDATA[x]]><b/>".repeat(1_000))), None);
        let refs = |n: usize| format!("<!DOCTYPE m [<!ENTITY co \"Acme\">]><m>{}</m>", "&co; and ".repeat(n));
        assert_eq!(refusal(&refs(MAX_TEXT_PIECES)), None);
        assert!(refusal(&refs(MAX_TEXT_PIECES + 1)).unwrap().contains("a text joins more than 64"));
        // Predefined entities and character references join nothing.
        assert_eq!(refusal(&format!("<m>{}</m>", "&amp;&lt;&#65;".repeat(10_000))), None);
    }

    #[test]
    fn entity_expansion_and_declarations_are_limited() {
        // One reference to 250 references to a 100 KB value: 25 MB of text, copied piece by
        // piece (quadratic), from a 100 KB file.
        let amplified = format!(
            "<!DOCTYPE m [<!ENTITY a \"{}\"><!ENTITY b \"{}\">]>\n<m><x n=\"&b;\"/></m>",
            "x".repeat(100_000),
            "&a;".repeat(250)
        );
        assert_eq!(
            refusal(&amplified).as_deref(),
            Some("m.xml:2:10: malformed XML: entity references could expand to more than 1 MiB")
        );
        // A name used a few times in attributes is read.
        let named = format!("<!DOCTYPE m [<!ENTITY co \"Acme Inc\">]><m>{}</m>", "<x n=\"&co;\"/>".repeat(500));
        assert_eq!(refusal(&named), None);
        let many: String = (0..=MAX_ENTITIES).map(|i| format!("<!ENTITY e{i} \"v\">")).collect();
        let e = refusal(&format!("<!DOCTYPE m [{many}]><m/>")).unwrap();
        assert!(e.contains("the DTD declares more than 256 entities"), "{e}");
        // Parameter entities and external ones are not general entities with values.
        let e = refusal("<!DOCTYPE m [<!ENTITY % p \"&q;\"><!ENTITY q SYSTEM \"q.xml\">]><m/>");
        assert_eq!(e, None);
    }

    #[test]
    fn entity_loops_are_counted_without_recursion() {
        let mut e = Entities { list: (0..4).map(|at| Entity { at, nested: 0 }).collect(), ..Entities::default() };
        // 0 -> 1 -> 2 -> 0 (a loop); 3 -> 2.
        e.count_nested(&[vec![1], vec![2], vec![0], vec![2]]);
        assert!(
            e.list.iter().all(|x| x.nested == NESTED_REFERENCES + 1),
            "{:?}",
            e.list.iter().map(|x| x.nested).collect::<Vec<_>>()
        );
        let mut e = Entities { list: (0..3).map(|at| Entity { at, nested: 0 }).collect(), ..Entities::default() };
        e.count_nested(&[vec![1, 1], vec![2], vec![]]);
        assert_eq!(e.list.iter().map(|x| x.nested).collect::<Vec<_>>(), [4, 1, 0]);
    }
}
