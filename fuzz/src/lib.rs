//! Invariant checks shared by the fuzz targets in `fuzz_targets/`.
//!
//! Every target feeds one parser and hands the result to [`manifest`], [`policy`] or
//! [`config`]. A broken invariant panics with a message naming it, so libFuzzer saves the
//! input under `fuzz/artifacts/<target>/`. The checks:
//!
//! - errors: the message renders, is not empty, names the file that was parsed, any help
//!   line is not empty, and any line/column is 1-based and at most one line past the input;
//! - manifests: the path and kind are the ones asked for, and every location (entries, the
//!   privacy label) is inside the decoded text: `1 <= line <= lines`, `1 <= column <= length
//!   of that line + 2` (the column may sit on its `\r\n`), or line and column 0 for a binary
//!   plist, which has no lines;
//! - policies: sentence and annotation byte ranges lie inside the text on character
//!   boundaries, section/sentence indices point at existing items, and every statement,
//!   practice and date location is inside the text;
//! - word diffs: the pieces are not empty, two in a row never have the same mark, and the
//!   same and added pieces spell the new text; the bounded diff's operations cover both
//!   sides in order, with equal runs equal.

use disclose::model::error::Error;
use disclose::model::source::{Location, Source};
use disclose::read::manifest::{Kind, Manifest};
use disclose::read::policy::{Format, Policy};
use disclose::taxonomy::Taxonomy;

/// Parses `bytes` as a manifest of `kind` named `path` and checks the result.
pub fn manifest(path: &str, kind: Kind, bytes: &[u8]) {
    match disclose::read::manifest::parse(path, kind, bytes) {
        Ok(m) => check_manifest(&m, path, kind, bytes),
        Err(e) => check_error(&e, path, bytes),
    }
}

/// Decodes `bytes` as a policy named `path`, parses it as `format` and checks the result.
pub fn policy(path: &str, format: Format, bytes: &[u8]) {
    let source = match Source::decode(path, bytes) {
        Ok(s) => s,
        Err(e) => return check_error(&e, path, bytes),
    };
    match disclose::read::policy::parse_as(source, format, Taxonomy::builtin()) {
        Ok(p) => check_policy(&p, path),
        Err(e) => check_error(&e, path, bytes),
    }
}

/// Splits `bytes` at its first NUL byte into an old and a new sentence (lossy UTF-8), diffs
/// them word by word and checks the pieces, and the bounded diff of their bytes.
pub fn word_diff(bytes: &[u8]) {
    use disclose::engine::diff::words::Mark;
    let cut = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let old = String::from_utf8_lossy(&bytes[..cut]);
    let new = String::from_utf8_lossy(bytes.get(cut + 1..).unwrap_or_default());
    let pieces = disclose::engine::diff::words::diff(&old, &new);
    assert!(pieces.iter().all(|p| !p.text.is_empty()), "an empty piece: {pieces:?}");
    assert!(pieces.windows(2).all(|w| w[0].mark != w[1].mark), "two pieces in a row with one mark: {pieces:?}");
    let spelled: String = pieces.iter().filter(|p| p.mark != Mark::Removed).map(|p| p.text.as_str()).collect();
    assert_eq!(spelled, new, "the same and added pieces do not spell the new text");
    let (a, b) = (&bytes[..cut], bytes.get(cut + 1..).unwrap_or_default());
    let (mut i, mut j) = (0, 0);
    for op in disclose::engine::diff::bounded::diff(a, b) {
        let (tag, x, y) = op.as_tag_tuple();
        assert_eq!((x.start, y.start), (i, j), "an operation that does not continue the last: {op:?}");
        if tag == disclose::engine::diff::bounded::DiffTag::Equal {
            assert_eq!(a[x.clone()], b[y.clone()], "an equal run that is not equal: {op:?}");
        }
        (i, j) = (x.end, y.end);
    }
    assert_eq!((i, j), (a.len(), b.len()), "the operations do not cover both sides");
}

/// Parses `bytes` as a `disclose.yaml` and, when it parses, resolves its settings.
pub fn config(bytes: &[u8]) {
    const PATH: &str = "disclose.yaml";
    let source = match Source::decode(PATH, bytes) {
        Ok(s) => s,
        Err(e) => return check_error(&e, PATH, bytes),
    };
    let text = source.text.as_str();
    match disclose::run::config::parse(PATH, text) {
        Ok(c) => {
            if let Err(e) = disclose::run::config::settings(PATH, text, &c, Taxonomy::builtin()) {
                check_error(&e, PATH, bytes);
            }
        }
        Err(e) => check_error(&e, PATH, bytes),
    }
}

/// The last line a position in `bytes` can be on: one past the last line feed.
fn max_line(bytes: &[u8]) -> usize {
    1 + bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Like [`max_line`], but counting every line break some parser counts (YAML counts a lone
/// `\r`, NEL, U+2028 and U+2029), for positions that third-party parsers report.
fn max_line_any_break(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    1 + text.chars().filter(|c| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')).count()
}

/// An error renders, says something, names `path`, and points inside the input (each of
/// several, as a disclose.yaml reports all its problems).
pub fn check_error(e: &Error, path: &str, input: &[u8]) {
    let blocks = e.blocks();
    if blocks.len() > 1 {
        return blocks.into_iter().for_each(|b| check_error(b, path, input));
    }
    let shown = e.to_string();
    assert!(!shown.trim().is_empty(), "empty error message: {e:?}");
    assert!(!shown.trim_end().ends_with(':'), "error without a message: {shown:?}");
    if let Some(help) = e.help() {
        assert!(!help.trim().is_empty(), "empty help line on {shown:?}");
    }
    if let Error::Parse { path: p, line, column, .. } | Error::Config { path: p, line, column, .. } = e {
        assert_eq!(p, path, "error names another file: {shown:?}");
        assert!(shown.starts_with(path), "error does not start with the path: {shown:?}");
        if let Some(line) = *line {
            // Third-party parsers (YAML) count more line breaks than `\n`; within that, an
            // error is on a line of the file (disclose.yaml errors at the end of a file without
            // a final newline were once one line past it: tests/fixtures/fuzz/config/).
            let max = max_line_any_break(input);
            assert!((1..=max).contains(&line), "error line {line} outside 1..={max}: {shown:?}");
        }
        if let Some(column) = *column {
            assert!(column >= 1, "error column 0: {shown:?}");
        }
    }
}

/// A location belongs to `path` and lies inside `source` (`None`: a binary plist, whose
/// locations are line 0, column 0).
pub fn check_location(loc: &Location, path: &str, source: Option<&Source>) {
    assert_eq!(loc.path, path, "location names another file: {loc:?}");
    assert!(loc.width >= 1, "location underlines nothing: {loc:?}");
    let Some(source) = source else {
        return assert_eq!((loc.line, loc.column), (0, 0), "binary plist location with a position: {loc:?}");
    };
    let max = max_line(source.text.as_bytes());
    assert!((1..=max).contains(&loc.line), "location line {} outside 1..={max}: {loc:?}", loc.line);
    // The column may sit on the line's `\r` or `\n`, one or two past its last character.
    let chars = source.line_text(loc.line).chars().count();
    assert!((1..=chars + 2).contains(&loc.column), "location column {} outside 1..={}: {loc:?}", loc.column, chars + 2);
}

/// A manifest is the one asked for and all its locations lie inside the input.
pub fn check_manifest(m: &Manifest, path: &str, kind: Kind, bytes: &[u8]) {
    assert_eq!(m.path, path);
    assert_eq!(m.kind, kind);
    let plist = matches!(kind, Kind::InfoPlist | Kind::PrivacyManifest | Kind::Entitlements);
    // Text formats are read through `Source::decode`, so positions refer to its text.
    let source = (!(plist && bytes.starts_with(b"bplist")))
        .then(|| Source::decode(path, bytes).expect("the manifest parsed, so its bytes decode as text"));
    for loc in m.entries.iter().map(|e| &e.location).chain(&m.label) {
        check_location(loc, path, source.as_ref());
    }
}

/// A policy's structure is consistent and all its locations lie inside its text.
pub fn check_policy(p: &Policy, path: &str) {
    let text = &p.source.text;
    let d = &p.document;
    let in_text = |start: usize, end: usize| {
        start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
    };
    assert!(!d.sections.is_empty(), "a policy without section 0");
    for (i, s) in d.sentences.iter().enumerate() {
        assert!(
            in_text(s.start, s.end),
            "sentence {i} has range {}..{} in a text of {} bytes",
            s.start,
            s.end,
            text.len()
        );
        assert!(s.section < d.sections.len(), "sentence {i} in section {} of {}", s.section, d.sections.len());
        if let Some(intro) = s.intro {
            assert!(intro < i, "sentence {i} is introduced by sentence {intro}");
        }
    }
    for (i, s) in d.sections.iter().enumerate() {
        if let Some(parent) = s.parent {
            assert!(parent < i, "section {i} has parent {parent}");
        }
        if let Some(h) = s.heading {
            assert!(h < d.sentences.len(), "section {i} has heading sentence {h} of {}", d.sentences.len());
        }
    }
    for a in &d.annotations {
        assert!(in_text(a.start, a.end), "annotation range {}..{} in a text of {} bytes", a.start, a.end, text.len());
        assert!(a.section < d.sections.len(), "annotation in section {} of {}", a.section, d.sections.len());
    }
    let statements = p.statements.iter().map(|s| &s.location);
    let practices = p.practices.iter().map(|s| &s.location);
    for loc in statements.chain(practices).chain(p.date.as_ref().map(|d| &d.location)) {
        check_location(loc, path, Some(&p.source));
    }
}
