//! A browser extension's `manifest.json` (Chrome MV2/MV3, Firefox): API permissions, host
//! patterns and Firefox's `data_collection_permissions`.
//!
//! - `permissions` and `optional_permissions` are requests alike: an optional permission is
//!   asked for at run time, and the data is just as reachable once the user says yes.
//! - Host patterns come from `host_permissions`, `optional_host_permissions`, MV2 patterns
//!   inside `permissions`, and `content_scripts[].matches`. Where a pattern is written does
//!   not change what it grants, so moving one from `permissions` to `host_permissions` (the
//!   MV3 migration) is not an expansion.
//! - `browser_specific_settings.gecko.data_collection_permissions` (`required`, `optional`)
//!   declares what the extension collects: a privacy label, read by `label-mismatch`.
//!
//! A `manifest.json` without `manifest_version` is some other manifest (a web-app manifest,
//! say) and is skipped, with the reason kept for `-v`.

use jsonc_parser::ast::{Object, ObjectProp};

use super::json::{self, location, strings};
use super::{Entry, EntryKind, Kind, Manifest, Skipped};
use crate::error::Error;
use crate::source::Source;

/// Parses an extension manifest.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let source = Source::decode(path, bytes)?;
    let root = json::parse_object(&source, "manifest.json", json::Dialect::Comments)?;
    let mut m = Manifest::new(path, Kind::Extension);
    match root.get("manifest_version").map(|p| &p.value) {
        None => {
            m.skipped = Some(Skipped {
                reason: "has no `manifest_version`, so it is not a browser-extension manifest (a web-app manifest?)"
                    .into(),
                always: false,
            });
            return Ok(m);
        }
        Some(v) if v.as_number_lit().is_none() => {
            return Err(json::wrong_type(&source, v, "manifest_version", "a number (2 or 3)"));
        }
        Some(_) => {}
    }
    let mut push = |kind: EntryKind, via: &str, (text, value): (&str, &jsonc_parser::ast::Value)| {
        let subject = text.trim();
        if subject.is_empty() {
            return;
        }
        let kind = if kind == EntryKind::ExtensionPermission && is_host_pattern(subject) {
            EntryKind::HostPattern
        } else {
            kind
        };
        let mut e = Entry::new(subject, kind, location(&source, value));
        e.via = (via != "permissions" && via != "host_permissions").then(|| via.to_string());
        m.entries.push(e);
    };
    for key in ["permissions", "optional_permissions"] {
        for item in strings(&root, key) {
            push(EntryKind::ExtensionPermission, key, item);
        }
    }
    for key in ["host_permissions", "optional_host_permissions"] {
        for item in strings(&root, key) {
            push(EntryKind::HostPattern, key, item);
        }
    }
    if let Some(scripts) = root.get_array("content_scripts") {
        for script in scripts.elements.iter().filter_map(|v| v.as_object()) {
            for item in strings(script, "matches") {
                push(EntryKind::HostPattern, "content_scripts", item);
            }
        }
    }
    let label = data_collection(&root);
    if let Some(declared) = label.and_then(|p| p.value.as_object()) {
        for key in ["required", "optional"] {
            for item in strings(declared, key) {
                push(EntryKind::DataCollection, &format!("data_collection_permissions.{key}"), item);
            }
        }
    }
    m.label = label.map(|p| json::name_location(&source, p));
    Ok(m)
}

/// `browser_specific_settings.gecko.data_collection_permissions`: Firefox's privacy label.
fn data_collection<'o, 'a>(root: &'o Object<'a>) -> Option<&'o ObjectProp<'a>> {
    root.get_object("browser_specific_settings")?.get_object("gecko")?.get("data_collection_permissions")
}

/// Whether a `permissions` entry is a host pattern (`<all_urls>`, `*://*/*`, `https://x/*`).
pub fn is_host_pattern(s: &str) -> bool {
    s == "<all_urls>" || s.contains("://")
}

/// Whether a host pattern matches every site: `<all_urls>`, or a `*` host (`*://*/*`,
/// `https://*/*`), or every local file.
pub fn is_all_sites(pattern: &str) -> bool {
    if pattern == "<all_urls>" {
        return true;
    }
    let Some((scheme, rest)) = pattern.split_once("://") else { return false };
    if scheme == "file" {
        return true;
    }
    let host = rest.split('/').next().unwrap_or(rest);
    host == "*"
}

#[cfg(test)]
mod tests {
    use super::*;

    const MV3: &str = r#"{
  // Reader Mode
  "manifest_version": 3,
  "name": "Reader",
  "permissions": ["storage", "history",],
  "optional_permissions": ["geolocation"],
  "host_permissions": ["https://*.example.com/*"],
  "content_scripts": [{ "matches": ["<all_urls>"], "js": ["c.js"] }],
  "browser_specific_settings": { "gecko": { "id": "r@x", "data_collection_permissions": { "required": ["browsingActivity"] } } },
}"#;

    #[test]
    fn reads_permissions_hosts_scripts_and_declarations() {
        let m = parse("manifest.json", MV3.as_bytes()).unwrap();
        let got: Vec<_> = m
            .entries
            .iter()
            .map(|e| (e.subject.as_str(), e.kind, e.location.line, e.location.column, e.via.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("storage", EntryKind::ExtensionPermission, 5, 19, None),
                ("history", EntryKind::ExtensionPermission, 5, 30, None),
                ("geolocation", EntryKind::ExtensionPermission, 6, 28, Some("optional_permissions")),
                ("https://*.example.com/*", EntryKind::HostPattern, 7, 24, None),
                ("<all_urls>", EntryKind::HostPattern, 8, 37, Some("content_scripts")),
                ("browsingActivity", EntryKind::DataCollection, 9, 104, Some("data_collection_permissions.required")),
            ]
        );
    }

    #[test]
    fn mv2_host_patterns_in_permissions_are_host_patterns() {
        let m = parse("manifest.json", br#"{"manifest_version": 2, "permissions": ["tabs", "*://*/*"]}"#).unwrap();
        assert_eq!(m.entries[1].kind, EntryKind::HostPattern);
        assert!(m.entries[1].via.is_none());
    }

    #[test]
    fn other_manifests_are_skipped_with_a_reason() {
        let m =
            parse("public/manifest.json", br#"{"name": "Shop", "start_url": "/", "display": "standalone"}"#).unwrap();
        assert!(m.entries.is_empty());
        assert!(m.skipped.unwrap().reason.contains("manifest_version"));
        let e = parse("manifest.json", br#"{"manifest_version": "3"}"#).unwrap_err().to_string();
        assert_eq!(e, "manifest.json:1:22: `manifest_version` must be a number (2 or 3)");
    }

    #[test]
    fn all_sites() {
        for yes in ["<all_urls>", "*://*/*", "https://*/*", "http://*/", "file:///*"] {
            assert!(is_all_sites(yes), "{yes}");
        }
        for no in ["https://*.example.com/*", "https://mail.google.com/*", "*://example.org/*"] {
            assert!(!is_all_sites(no), "{no}");
        }
    }
}
