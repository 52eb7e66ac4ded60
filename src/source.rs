//! Source text: turning a file's bytes into checked UTF-8 text, and byte offsets into
//! 1-based line and column numbers.
//!
//! In: the bytes of one file and the path to name in errors. Out: a [`Source`] whose text
//! is valid UTF-8 without a byte-order mark. A UTF-8 BOM is accepted and dropped (editors on
//! Windows write one; columns stay right because offsets are taken after it). UTF-16, binary
//! content (NUL bytes) and invalid UTF-8 are errors that say how to fix the file.

use crate::error::Error;

/// A file's text, checked and indexed by line.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the version root, with forward slashes.
    pub path: String,
    /// The text, without a byte-order mark.
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

/// A position in a source: 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Source {
    /// Checks `bytes` as UTF-8 text and indexes its lines.
    pub fn decode(path: &str, bytes: &[u8]) -> Result<Source, Error> {
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(Error::parse(path, "the file is UTF-16 encoded; disclose reads UTF-8")
                .with_help(format!("re-save it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 {path}`")));
        }
        let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
        if let Some(nul) = bytes.iter().position(|&b| b == 0) {
            let line = 1 + bytes[..nul].iter().filter(|&&b| b == b'\n').count();
            let message = if looks_like_utf16(bytes) {
                "the file looks like UTF-16 without a byte-order mark; disclose reads UTF-8"
            } else {
                "the file is binary (it contains NUL bytes), not text"
            };
            return Err(Error::Parse {
                path: path.to_string(),
                line: Some(line),
                column: None,
                message: message.to_string(),
                help: Some("point disclose at the text file, or exclude this one in disclose.yaml".into()),
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

    /// Indexes already-checked text.
    pub fn new(path: &str, text: String) -> Source {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source { path: path.to_string(), text, line_starts }
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
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

/// UTF-16 text without a BOM has a NUL in every other byte for ASCII content.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(64)];
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    sample.len() >= 8 && (even * 2 >= sample.len() / 2 || odd * 2 >= sample.len() / 2)
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
    fn utf16_binary_and_latin1_are_errors() {
        let e = Source::decode("p.md", b"\xFF\xFEh\0i\0").unwrap_err().to_string();
        assert!(e.contains("UTF-16"), "{e}");
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
    /// The whole source line, for quoting (shared: a policy sentence's many statements point
    /// at the same line).
    #[serde(skip)]
    pub snippet: std::sync::Arc<str>,
    /// How many characters to underline from `column` (at least 1).
    #[serde(skip)]
    pub width: usize,
}

impl Source {
    /// A location for the byte range `start..end` (the underline stops at the line's end).
    pub fn location(&self, start: usize, end: usize) -> Location {
        let pos = self.position(start);
        let snippet: std::sync::Arc<str> = self.line_text(pos.line).into();
        let line_chars = snippet.chars().count();
        let end_pos = self.position(end.max(start));
        let width = if end_pos.line == pos.line {
            end_pos.column.saturating_sub(pos.column)
        } else {
            line_chars + 1 - pos.column.min(line_chars + 1)
        };
        Location { path: self.path.clone(), line: pos.line, column: pos.column, snippet, width: width.max(1) }
    }
}
