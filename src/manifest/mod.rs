//! Permission manifests: each format is one module that turns a file's bytes into raw
//! [`Entry`]s with exact positions. What an entry means (its categories) is decided later, by
//! the taxonomy, in `inventory`.
//!
//! In: a path and bytes. Out: a [`Manifest`] or a parse error naming the line.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod android;
pub mod plist;
pub mod xcprivacy;

use crate::error::Error;
use crate::source::Location;

/// The manifest formats `disclose` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `AndroidManifest.xml`.
    Android,
    /// An iOS or macOS `Info.plist`.
    InfoPlist,
    /// An Apple privacy manifest, `PrivacyInfo.xcprivacy`.
    PrivacyManifest,
}

impl Kind {
    /// The format a file name implies, if any.
    pub fn of(path: &str) -> Option<Kind> {
        let name = path.rsplit('/').next().unwrap_or(path);
        if name == "AndroidManifest.xml" {
            Some(Kind::Android)
        } else if name == "Info.plist" || name.ends_with("-Info.plist") {
            Some(Kind::InfoPlist)
        } else if name.ends_with(".xcprivacy") {
            Some(Kind::PrivacyManifest)
        } else {
            None
        }
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Android => "Android manifest",
            Kind::InfoPlist => "Info.plist",
            Kind::PrivacyManifest => "privacy manifest",
        }
    }
}

/// What a manifest entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    /// `<uses-permission>` (or `-sdk-23`).
    AndroidPermission,
    /// `<uses-permission tools:node="remove">`: takes a permission out of the merged manifest.
    AndroidRemoval,
    /// A top-level Info.plist key; the taxonomy knows which ones are usage keys.
    PlistKey,
    /// A `UIBackgroundModes` value.
    BackgroundMode,
    /// An `NSPrivacyCollectedDataType` declared in a privacy manifest.
    CollectedDataType,
    /// `NSPrivacyTracking` set to true.
    Tracking,
}

/// One raw entry of a manifest.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The permission, key or type, as written.
    pub subject: String,
    /// What kind of entry it is.
    pub kind: EntryKind,
    /// Where it is.
    pub location: Location,
    /// An Info.plist purpose string, when the key has one.
    pub purpose: Option<String>,
    /// `android:maxSdkVersion`, when set.
    pub max_sdk: Option<u32>,
}

/// A parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Path relative to the version root.
    pub path: String,
    /// Its format.
    pub kind: Kind,
    /// Its entries, in file order.
    pub entries: Vec<Entry>,
    /// Permissions the app defines itself (`<permission android:name>`).
    pub defines: Vec<String>,
    /// `NSLocationDefaultAccuracyReduced` is true.
    pub reduced_accuracy: bool,
}

/// Parses a manifest of a known kind.
pub fn parse(path: &str, kind: Kind, bytes: &[u8]) -> Result<Manifest, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::parse(path, format!("the {} is empty", kind.name()))
            .with_help("restore the file's content, or exclude it in disclose.yaml"));
    }
    match kind {
        Kind::Android => android::parse(path, bytes),
        Kind::InfoPlist => plist::parse_info(path, bytes),
        Kind::PrivacyManifest => xcprivacy::parse(path, bytes),
    }
}

/// The XML error's message without roxmltree's trailing " at L:C" (the position is given apart).
pub(crate) fn xml_error(path: &str, e: &roxmltree::Error, what: &str) -> Error {
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
