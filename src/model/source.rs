//! Source text: turning a file's bytes into checked UTF-8 text, and byte offsets into
//! 1-based line and column numbers.
//!
//! In: the bytes of one file and the path to name in errors. Out: a [`Source`] whose text
//! is valid UTF-8 without a byte-order mark. A UTF-8 BOM is accepted and dropped (editors on
//! Windows write one; columns stay right because offsets are taken after it). UTF-16 with a
//! byte-order mark is decoded. UTF-16 without one, binary content (NUL bytes) and invalid
//! UTF-8 are errors that say how to fix the file.

use crate::model::error::Error;

/// A file's text, checked and indexed by line.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the version root, with forward slashes.
    pub path: String,
    /// The text, without a byte-order mark.
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// How many characters come before each 1 KiB block of the text, so that a column is
    /// counted over at most one block, not over a whole (possibly 10-million-character) line.
    block_chars: Vec<usize>,
}

/// Bytes per entry of `block_chars`.
const BLOCK: usize = 1024;

/// The longest snippet a location keeps: a longer line is cut to a window around the place.
const MAX_SNIPPET: usize = 240;

/// A position in a source: 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Source {
    /// [`Source::decode`] of bytes it may keep: valid UTF-8 without a byte-order mark becomes
    /// the text without a copy.
    pub fn decode_owned(path: &str, bytes: Vec<u8>) -> Result<Source, Error> {
        // Byte-order marks and NUL bytes (UTF-16 without a mark, binary files) take the
        // checks of `decode`.
        let marked = [&[0xEF, 0xBB, 0xBF][..], &[0xFF, 0xFE], &[0xFE, 0xFF]];
        if marked.iter().any(|m| bytes.starts_with(m)) || bytes.contains(&0) {
            return Source::decode(path, &bytes);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(path, text)),
            // The error, at its line and column.
            Err(e) => Source::decode(path, &e.into_bytes()),
        }
    }

    /// Checks `bytes` as UTF-8 text and indexes its lines.
    pub fn decode(path: &str, bytes: &[u8]) -> Result<Source, Error> {
        if let Some(text) = utf16(path, bytes)? {
            return Ok(Source::new(path, text));
        }
        let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
        if let Some(nul) = bytes.iter().position(|&b| b == 0) {
            let line = 1 + bytes[..nul].iter().filter(|&&b| b == b'\n').count();
            let (message, help) = if looks_like_utf16(bytes) {
                (
                    "the file looks like UTF-16 without a byte-order mark; disclose reads UTF-8, or UTF-16 with the mark",
                    format!("re-save it as UTF-8, e.g. `iconv -f UTF-16LE -t UTF-8 {path}`"),
                )
            } else {
                (
                    "the file is binary (it contains NUL bytes), not text",
                    "point disclose at the text file, or exclude this one in disclose.yaml".to_string(),
                )
            };
            return Err(Error::Parse {
                path: path.to_string(),
                line: Some(line),
                column: None,
                message: message.to_string(),
                help: Some(help),
            });
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(path, text.to_string())),
            Err(e) => {
                let good = e.valid_up_to();
                let probe = Source::new(path, String::from_utf8_lossy(&bytes[..good]).into_owned());
                let pos = probe.position(good);
                Err(Error::parse_at(
                    path,
                    pos.line,
                    pos.column,
                    format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[good]),
                )
                .with_help(
                    "re-save the file as UTF-8 (from Latin-1 or Windows-1252: `iconv -f WINDOWS-1252 -t UTF-8`)",
                ))
            }
        }
    }

    /// Whether `bytes` are binary, as [`Source::decode`] refuses them: NUL bytes, without a
    /// UTF-16 byte-order mark and not laid out as UTF-16 text.
    pub fn is_binary(bytes: &[u8]) -> bool {
        !bytes.starts_with(&[0xFF, 0xFE])
            && !bytes.starts_with(&[0xFE, 0xFF])
            && bytes.contains(&0)
            && !looks_like_utf16(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes))
    }

    /// Indexes already-checked text.
    pub fn new(path: &str, text: String) -> Source {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut block_chars = vec![0];
        for block in text.as_bytes().chunks(BLOCK) {
            block_chars.push(block_chars[block_chars.len() - 1] + chars_in(block));
        }
        Source { path: path.to_string(), text, line_starts, block_chars }
    }

    /// How many characters come before byte `offset` (a char boundary, or inside a character,
    /// which then does not count).
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.block_chars[block] + chars_in(&self.text.as_bytes()[block * BLOCK..offset])
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        // Count along the line when it is short (most are), by blocks when it is long.
        let column = if offset - start <= 2 * BLOCK {
            chars_in(&self.text.as_bytes()[start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(start)
        } + 1;
        Position { line: line + 1, column }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// Text with a UTF-16 byte-order mark, decoded (Notepad and some exporters write it; the mark
/// makes the encoding certain, as ripgrep also reads it). `None` without the mark: guessing
/// UTF-16 from the bytes alone is left to the NUL check, which says how to convert the file.
fn utf16(path: &str, bytes: &[u8]) -> Result<Option<String>, Error> {
    let word: fn([u8; 2]) -> u16 = match bytes {
        [0xFF, 0xFE, ..] => u16::from_le_bytes,
        [0xFE, 0xFF, ..] => u16::from_be_bytes,
        _ => return Ok(None),
    };
    let body = &bytes[2..];
    let units = body.chunks(2).map(|c| word([c[0], *c.get(1).unwrap_or(&0)]));
    let mut text = String::with_capacity(body.len());
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok('\0') | Err(_) => {
                let line = 1 + text.matches('\n').count();
                let what = if c.is_ok() { "a NUL character" } else { "an unpaired surrogate" };
                return Err(Error::Parse {
                    path: path.to_string(),
                    line: Some(line),
                    column: None,
                    message: format!("the UTF-16 file holds {what} (code unit {i}), so it is not text"),
                    help: Some("re-save the file as UTF-8 text".into()),
                });
            }
            Ok(c) => text.push(c),
        }
    }
    if body.len() % 2 == 1 {
        return Err(Error::parse(path, "the UTF-16 file ends in the middle of a character")
            .with_help("re-save the file as UTF-8 text"));
    }
    Ok(Some(text))
}

/// The characters in UTF-8 bytes: every byte that does not continue a character.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// UTF-16 text without a BOM has a NUL in every other byte for ASCII content, and letters in
/// the bytes between (a file of NULs alone is binary, not UTF-16).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(64)];
    let half = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    sample.len() >= 8 && ((even * 2 >= half && odd * 4 < half) || (odd * 2 >= half && even * 4 < half))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let s = Source::new("a", "ab\nçd\n".to_string());
        assert_eq!(s.position(0), Position { line: 1, column: 1 });
        assert_eq!(s.position(3), Position { line: 2, column: 1 });
        assert_eq!(s.position(5), Position { line: 2, column: 2 });
        assert_eq!(s.line_text(2), "çd");
    }

    #[test]
    fn bom_is_dropped() {
        let s = Source::decode("a", b"\xEF\xBB\xBFhi").unwrap();
        assert_eq!(s.text, "hi");
    }

    #[test]
    fn decoding_owned_bytes_is_decoding() {
        let cases: [&[u8]; 6] =
            [b"plain\ntext", b"\xEF\xBB\xBFmarked", b"\xFF\xFEa\0b\0", b"bad \xC3\x28 byte", b"nul\0inside", b""];
        for bytes in cases {
            let (a, b) = (Source::decode("p.md", bytes), Source::decode_owned("p.md", bytes.to_vec()));
            match (a, b) {
                (Ok(a), Ok(b)) => assert_eq!(a.text, b.text),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{bytes:?}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("caf\u{e9}\r\n\u{1F600}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("caf\u{e9}\r\n\u{1F600}".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(Source::decode("p.txt", &le).unwrap().text, "caf\u{e9}\r\n\u{1F600}");
        assert_eq!(Source::decode("p.txt", &be).unwrap().text, "caf\u{e9}\r\n\u{1F600}");
        let e = Source::decode("p.txt", b"\xFF\xFEh\0\n\0\0\xD8").unwrap_err().to_string();
        assert_eq!(e, "p.txt:2: the UTF-16 file holds an unpaired surrogate (code unit 2), so it is not text");
        let e = Source::decode("p.txt", b"\xFF\xFEh\0i").unwrap_err().to_string();
        assert!(e.contains("ends in the middle of a character"), "{e}");
    }

    #[test]
    fn utf16_binary_and_latin1_are_errors() {
        let e = Source::decode("p.md", b"h\0i\0 \0t\0h\0e\0r\0e\0").unwrap_err().to_string();
        assert!(e.contains("UTF-16 without a byte-order mark"), "{e}");
        let e = Source::decode("p.md", b"\x89PNG\r\n\x1a\n\0\0").unwrap_err().to_string();
        assert!(e.contains("binary"), "{e}");
        let e = Source::decode("p.md", b"a\nb\ncaf\xE9\n").unwrap_err().to_string();
        assert_eq!(e, "p.md:3:4: the file is not valid UTF-8 (byte 0xE9)");
    }
}

/// A place in a file that a finding or a statement points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    /// Path relative to the version root, with forward slashes.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The source line, for quoting (shared: a policy sentence's many statements point at the
    /// same line). A very long line is cut to a window around the place.
    #[serde(skip)]
    pub snippet: std::sync::Arc<str>,
    /// The 1-based column, in characters, where the place starts within `snippet` (equal to
    /// `column` unless the line was cut).
    #[serde(skip)]
    pub snippet_column: usize,
    /// How many characters to underline from `column` (at least 1).
    #[serde(skip)]
    pub width: usize,
}

impl Source {
    /// A location for the byte range `start..end` (the underline stops at the line's end). A
    /// line longer than [`MAX_SNIPPET`] bytes is quoted as a window around the range.
    pub fn location(&self, start: usize, end: usize) -> Location {
        let pos = self.position(start);
        let line = self.line_text(pos.line);
        let line_start = self.line_starts[pos.line - 1];
        let a = (start.min(self.text.len()) - line_start).min(line.len());
        let b = (end.max(start).min(self.text.len()).saturating_sub(line_start)).clamp(a, line.len());
        let (from, to) = if line.len() <= MAX_SNIPPET {
            (0, line.len())
        } else {
            let from = boundary(line, a.saturating_sub(MAX_SNIPPET / 4));
            (from, boundary(line, (from + MAX_SNIPPET).max(a)))
        };
        let width = line.get(a..b).map_or(1, |s| s.chars().count());
        Location {
            path: self.path.clone(),
            line: pos.line,
            column: pos.column,
            snippet: line[from..to].into(),
            snippet_column: line.get(from..a).map_or(1, |s| s.chars().count() + 1),
            width: width.max(1),
        }
    }
}

/// The char boundary at or before byte `i` of `s`.
fn boundary(s: &str, i: usize) -> usize {
    (0..=i.min(s.len())).rev().find(|&j| s.is_char_boundary(j)).unwrap_or(0)
}
