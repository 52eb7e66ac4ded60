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
//! - A value of the wrong type (`"permissions": "geolocation"`, a number among host patterns,
//!   a `gecko` that is not an object) is an error at it, as browsers refuse such a manifest;
//!   never read as no permission. An entry of `permissions` that is an object of one key is
//!   Chrome's permission with arguments (`{"socket": [...]}`): read as that permission.
//!
//! A `manifest.json` without `manifest_version` is some other manifest (a web-app manifest,
//! say) and is skipped, with the reason kept for `-v`.

use jsonc_parser::ast::{Object, ObjectProp, Value};

use super::json::{self, location};
use super::{Entry, EntryKind, Kind, Manifest, Skipped};
use crate::model::error::Error;
use crate::model::source::{Location, Source};

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
    let mut entries = Vec::new();
    let mut push = |kind: EntryKind, via: &str, subject: &str, at: Location| {
        let subject = subject.trim();
        if subject.is_empty() {
            return;
        }
        let kind = if kind == EntryKind::ExtensionPermission && is_host_pattern(subject) {
            EntryKind::HostPattern
        } else {
            kind
        };
        let mut e = Entry::new(subject, kind, at);
        e.via = (via != "permissions" && via != "host_permissions").then(|| via.to_string());
        entries.push(e);
    };
    // A value of the wrong type is refused as the browsers refuse it ("Invalid value for
    // 'permissions'"), never read as no permission.
    let types = json::Types { source: &source, null: json::Null::WrongType, help: HELP };
    for key in ["permissions", "optional_permissions"] {
        for (name, at) in api_permissions(types, &root, key)? {
            push(EntryKind::ExtensionPermission, key, name, at);
        }
    }
    for key in ["host_permissions", "optional_host_permissions"] {
        for (text, value) in types.string_list(&root, key, key)? {
            push(EntryKind::HostPattern, key, text, location(&source, value));
        }
    }
    match root.get("content_scripts").map(|p| &p.value) {
        None => {}
        Some(Value::Array(scripts)) => {
            for (i, script) in scripts.elements.iter().enumerate() {
                let name = format!("content_scripts[{i}]");
                let Value::Object(script) = script else {
                    return Err(types.wrong(script, &name, "an object"));
                };
                for (text, value) in types.string_list(script, "matches", &format!("{name}.matches"))? {
                    push(EntryKind::HostPattern, "content_scripts", text, location(&source, value));
                }
            }
        }
        Some(other) => return Err(types.wrong(other, "content_scripts", "a list of objects")),
    }
    let label = data_collection(types, &root)?;
    if let Some(prop) = label {
        let name = "browser_specific_settings.gecko.data_collection_permissions";
        let Value::Object(declared) = &prop.value else {
            return Err(types.wrong(&prop.value, name, "an object"));
        };
        for key in ["required", "optional"] {
            for (text, value) in types.string_list(declared, key, &format!("{name}.{key}"))? {
                let at = location(&source, value);
                push(EntryKind::DataCollection, &format!("data_collection_permissions.{key}"), text, at);
            }
        }
    }
    m.entries = entries;
    m.label = label.map(|p| json::name_location(&source, p));
    Ok(m)
}

/// The API permissions of `permissions` or `optional_permissions`, with where each is. Chrome
/// takes an entry that is a string, or an object of one key naming a permission with its
/// arguments (`{"socket": ["tcp-connect"]}`); any other entry makes it refuse the manifest.
fn api_permissions<'o>(types: json::Types, root: &'o Object, key: &str) -> Result<Vec<(&'o str, Location)>, Error> {
    let source = types.source;
    let Some(prop) = root.get(key) else { return Ok(Vec::new()) };
    let Value::Array(items) = &prop.value else {
        return Err(types.wrong(&prop.value, key, "a list of permission names"));
    };
    let mut out = Vec::new();
    for (i, item) in items.elements.iter().enumerate() {
        match item {
            Value::StringLit(s) => out.push((s.value.as_ref(), location(source, item))),
            Value::Object(o) if o.properties.len() == 1 => {
                let p = &o.properties[0];
                out.push((p.name.as_str(), json::name_location(source, p)));
            }
            _ => {
                return Err(types.wrong(
                    item,
                    &format!("{key}[{i}]"),
                    "a permission name (or an object of one permission and its arguments)",
                ))
            }
        }
    }
    Ok(out)
}

/// `browser_specific_settings.gecko.data_collection_permissions`: Firefox's privacy label.
/// The objects on the way must be objects (Firefox refuses the manifest otherwise).
fn data_collection<'o, 'a>(types: json::Types, root: &'o Object<'a>) -> Result<Option<&'o ObjectProp<'a>>, Error> {
    let Some(settings) = types.object(root, "browser_specific_settings", "browser_specific_settings")? else {
        return Ok(None);
    };
    let Some(gecko) = types.object(settings, "gecko", "browser_specific_settings.gecko")? else {
        return Ok(None);
    };
    Ok(gecko.get("data_collection_permissions"))
}

/// The help of a value of the wrong type.
const HELP: &str = "browsers refuse a manifest with a value of another type (Chrome: \"Invalid value for …\"), so \
    disclose does not guess: write it as the message says";

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
        assert_eq!(e, "manifest.json:1:22: `manifest_version` must be a number (2 or 3), not a string");
    }

    #[test]
    fn values_of_the_wrong_type_are_errors_where_they_are() {
        let e = |text: &str| parse("manifest.json", text.as_bytes()).unwrap_err().to_string();
        let v3 = |rest: &str| format!("{{\"manifest_version\": 3,\n{rest}}}");
        assert_eq!(
            e(&v3("\"permissions\": \"geolocation\"")),
            "manifest.json:2:16: `permissions` must be a list of permission names, not a string"
        );
        assert_eq!(
            e(&v3("\"optional_permissions\": [\"tabs\", 3]")),
            "manifest.json:2:34: `optional_permissions[1]` must be a permission name (or an object of one permission and its arguments), not a number"
        );
        assert_eq!(
            e(&v3("\"permissions\": null")),
            "manifest.json:2:16: `permissions` must be a list of permission names, not null"
        );
        assert!(e(&v3("\"host_permissions\": {\"a\": 1}"))
            .ends_with("`host_permissions` must be a list of strings, not an object"));
        assert!(
            e(&v3("\"content_scripts\": [\"c.js\"]")).ends_with("`content_scripts[0]` must be an object, not a string")
        );
        assert!(e(&v3("\"content_scripts\": [{\"matches\": \"<all_urls>\"}]"))
            .ends_with("`content_scripts[0].matches` must be a list of strings, not a string"));
        assert!(e(&v3("\"browser_specific_settings\": {\"gecko\": {\"data_collection_permissions\": {\"required\": \"location\"}}}"))
            .ends_with("`browser_specific_settings.gecko.data_collection_permissions.required` must be a list of strings, not a string"));
        assert!(e(&v3("\"browser_specific_settings\": []"))
            .ends_with("`browser_specific_settings` must be an object, not a list"));
        // Chrome's permission with arguments is an object of one key: that key is the permission.
        let m =
            parse("manifest.json", v3("\"permissions\": [\"storage\", {\"socket\": [\"tcp-connect\"]}]").as_bytes())
                .unwrap();
        let got: Vec<_> = m.entries.iter().map(|e| (e.subject.as_str(), e.location.column)).collect();
        assert_eq!(got, vec![("storage", 17), ("socket", 29)]);
        assert!(e(&v3("\"permissions\": [{}]")).contains("`permissions[0]` must be a permission name"));
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
