//! Permission manifests: each format is one module that turns a file's bytes into raw
//! [`Entry`]s with exact positions. What an entry means (its categories) is decided later, by
//! the taxonomy, in `inventory`.
//!
//! In: a path and bytes. Out: a [`Manifest`] or a parse error naming the line.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod android;
pub mod expo;
pub mod extension;
mod json;
pub mod plist;
pub mod xcprivacy;
mod xml;

use crate::model::error::Error;
use crate::model::source::Location;

pub use crate::model::names::Kind;

/// Which platform an entry belongs to: an Expo config holds Android and Apple entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    /// Android permissions.
    Android,
    /// Apple usage keys, background modes, entitlements and privacy-manifest types.
    Apple,
    /// Browser-extension permissions and host access.
    Extension,
}

impl Platform {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Android => "Android",
            Platform::Apple => "Apple",
            Platform::Extension => "extension",
        }
    }
}

/// What a manifest entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    /// `<uses-permission>` (or `-sdk-23`), or an Expo `android.permissions` entry.
    AndroidPermission,
    /// `<uses-permission tools:node="remove">` or Expo `android.blockedPermissions`: takes a
    /// permission out of the merged manifest.
    AndroidRemoval,
    /// A top-level Info.plist key; the taxonomy knows which ones are usage keys.
    PlistKey,
    /// A `UIBackgroundModes` value.
    BackgroundMode,
    /// An `NSPrivacyCollectedDataType` declared in a privacy manifest.
    CollectedDataType,
    /// `NSPrivacyTracking` set to true.
    Tracking,
    /// An entitlement that is enabled (true, or a non-empty value).
    Entitlement,
    /// A browser-extension API permission (`permissions`, `optional_permissions`).
    ExtensionPermission,
    /// A host pattern: `host_permissions`, an MV2 pattern in `permissions`, content-script matches.
    HostPattern,
    /// A Firefox `data_collection_permissions` id: declared collection, like a privacy label.
    DataCollection,
    /// An Expo config plugin; the taxonomy knows what each plugin adds.
    Plugin,
    /// A category under `collects:` in disclose.yaml.
    Declared,
}

impl EntryKind {
    /// The platform the entry belongs to; `None` for an Expo plugin, which `inventory` turns
    /// into the Android and Apple entries it adds.
    pub fn platform(self) -> Option<Platform> {
        match self {
            EntryKind::AndroidPermission | EntryKind::AndroidRemoval => Some(Platform::Android),
            EntryKind::PlistKey
            | EntryKind::BackgroundMode
            | EntryKind::CollectedDataType
            | EntryKind::Tracking
            | EntryKind::Entitlement => Some(Platform::Apple),
            EntryKind::ExtensionPermission | EntryKind::HostPattern | EntryKind::DataCollection => {
                Some(Platform::Extension)
            }
            EntryKind::Plugin | EntryKind::Declared => None,
        }
    }

    /// Whether the entry declares collection (a privacy label) rather than requesting access.
    pub fn is_declaration(self) -> bool {
        matches!(self, EntryKind::CollectedDataType | EntryKind::DataCollection | EntryKind::Tracking)
    }
}

/// A config-plugin option's value, as far as disclose reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    /// `true` / `false`.
    Bool(bool),
    /// A string: for permission options, the purpose string.
    Text(String),
    /// Anything else (numbers, objects, arrays, null).
    Other,
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
    /// How the entry arrived, when that is worth saying: `optional_permissions`,
    /// `content_scripts`, `the expo-camera plugin`.
    pub via: Option<String>,
    /// A config plugin's options, in file order.
    pub options: Vec<(String, OptionValue)>,
    /// Why the entry is only possibly there (what an Expo plugin adds can depend on its version).
    pub possible: Option<String>,
}

impl Entry {
    /// An entry with no purpose string, SDK bound, origin or options.
    pub fn new(subject: impl Into<String>, kind: EntryKind, location: Location) -> Entry {
        Entry {
            subject: subject.into(),
            kind,
            location,
            purpose: None,
            max_sdk: None,
            via: None,
            options: Vec::new(),
            possible: None,
        }
    }
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
    /// Why the file was read but not analysed (a web-app `manifest.json`, a dynamic
    /// `app.config.ts`), and whether a user must see that without `-v`.
    pub skipped: Option<Skipped>,
    /// Where the file declares what the app collects (a privacy label: an Apple privacy
    /// manifest, Expo `ios.privacyManifests`, Firefox `data_collection_permissions`).
    pub label: Option<Location>,
}

/// Why a file that looked like a manifest was not analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The reason, as a sentence.
    pub reason: String,
    /// Shown in every run (true) or only with `-v` (false).
    pub always: bool,
}

impl Manifest {
    /// An empty manifest of this kind.
    pub fn new(path: &str, kind: Kind) -> Manifest {
        Manifest {
            path: path.to_string(),
            kind,
            entries: Vec::new(),
            defines: Vec::new(),
            reduced_accuracy: false,
            skipped: None,
            label: None,
        }
    }

    /// The build flavour or source set an Android manifest belongs to (`free` for
    /// `app/src/free/AndroidManifest.xml`); `None` for `main` and for other formats.
    pub fn variant(&self) -> Option<&str> {
        if self.kind != Kind::Android {
            return None;
        }
        let mut parts = self.path.rsplit('/').skip(1);
        let set = parts.next()?;
        (parts.next() == Some("src") && set != "main").then_some(set)
    }
}

/// Parses a manifest of a known kind.
pub fn parse(path: &str, kind: Kind, bytes: &[u8]) -> Result<Manifest, Error> {
    if kind != Kind::ExpoDynamic && bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::parse(path, format!("the {} is empty", kind.name()))
            .with_help("restore the file's content, or exclude it in disclose.yaml"));
    }
    match kind {
        Kind::Android => android::parse(path, bytes),
        Kind::InfoPlist => plist::parse_info(path, bytes),
        Kind::PrivacyManifest => xcprivacy::parse(path, bytes),
        Kind::Entitlements => plist::parse_entitlements(path, bytes),
        Kind::Extension => extension::parse(path, bytes),
        Kind::Expo => expo::parse(path, bytes),
        Kind::ExpoDynamic => Ok(expo::dynamic(path)),
    }
}
