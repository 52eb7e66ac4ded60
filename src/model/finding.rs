//! Findings: a rule's verdict with its level, where it points, its evidence and its
//! fingerprint. Renderers read findings; they never recompute them.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::source::Location;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing.
    Note,
    /// Should be fixed.
    Warning,
    /// Must be fixed before shipping.
    Error,
}

impl Level {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// Parses `note`, `warning` or `error`.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "note" => Some(Level::Note),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The level at or above which findings fail the run; `never` fails nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    /// Fail on findings at or above this level.
    At(Level),
    /// Never fail.
    Never,
}

impl Threshold {
    /// Parses `error`, `warning`, `note` or `never`.
    pub fn parse(s: &str) -> Option<Threshold> {
        if s == "never" {
            Some(Threshold::Never)
        } else {
            Level::parse(s).map(Threshold::At)
        }
    }

    /// Whether a finding at `level` fails the run.
    pub fn fails(self, level: Level) -> bool {
        matches!(self, Threshold::At(t) if level >= t)
    }

    /// The name, as written in config.
    pub fn as_str(self) -> &'static str {
        match self {
            Threshold::At(l) => l.as_str(),
            Threshold::Never => "never",
        }
    }
}

/// A quoted passage that supports a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The file.
    pub path: String,
    /// 1-based line (0 when the file has no lines, such as a binary plist).
    pub line: usize,
    /// The passage (serialized as display text: see `escape`).
    #[serde(serialize_with = "crate::model::escape::serialize_visible")]
    pub text: String,
}

/// Another place that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// What it is, e.g. "also requested by `NSMicrophoneUsageDescription`".
    pub label: String,
    /// Where.
    pub location: Location,
}

/// One reported problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule id.
    pub rule: &'static str,
    /// The effective level.
    pub level: Level,
    /// The category id, when the finding is about one.
    pub category: Option<String>,
    /// The permission, key or type the finding points at.
    pub subject: Option<String>,
    /// Where it points.
    pub primary: Location,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// What the policy says, or that it says nothing: one line.
    pub policy: Option<String>,
    /// Quoted passages.
    pub evidence: Vec<Evidence>,
    /// The rendered message.
    pub message: String,
    /// The rendered help.
    pub help: String,
    /// Why the finding is acknowledged, when it is.
    pub acknowledged: Option<String>,
    /// Identity of the finding's meaning, stable when lines move.
    pub fingerprint: String,
}

/// A 16-hex-digit FNV-1a hash of the parts (separated by 0xff, which UTF-8 never contains):
/// stable across runs, platforms and Rust versions.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h = FNV_OFFSET;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h = fnv(h, &[0xff]);
        }
        h = fnv(h, p.as_bytes());
    }
    format!("{h:016x}")
}

/// The FNV-1a offset basis.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues an FNV-1a hash over `bytes`.
pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_separate_parts() {
        assert_eq!(fingerprint(&["a", "bc"]), fingerprint(&["a", "bc"]));
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        insta::assert_snapshot!(fingerprint(&["undisclosed-collection", "AndroidManifest.xml", "audio.voice", "android.permission.RECORD_AUDIO"]), @"e518ce8179c3ffd7");
    }

    #[test]
    fn thresholds() {
        assert!(Threshold::At(Level::Warning).fails(Level::Error));
        assert!(!Threshold::At(Level::Error).fails(Level::Warning));
        assert!(!Threshold::Never.fails(Level::Error));
    }
}
