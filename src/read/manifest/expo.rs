//! Expo / React Native app config: `app.json` and `app.config.json` (JSON5-ish: Expo accepts
//! comments, so disclose does too).
//!
//! Read under `expo`: `android.permissions` (short or full names), `android.blockedPermissions`
//! (removals, as `tools:node="remove"`), `ios.infoPlist` (usage keys with purpose strings,
//! `UIBackgroundModes`, `NSLocationDefaultAccuracyReduced`), `ios.entitlements`,
//! `ios.privacyManifests` (collected data types, tracking) and `plugins` with their options.
//! What a plugin adds is data (`policies/permissions/expo.yaml`), applied in `inventory`.
//!
//! `app.config.js`/`.ts` is code: it is reported as not analysed, never skipped in silence.

use jsonc_parser::ast::{Object, Value};

use super::json::{self, location};
use super::{Entry, EntryKind, Kind, Manifest, OptionValue, Skipped};
use crate::model::error::Error;
use crate::model::source::Source;
use crate::taxonomy::android_name;

/// Parses an Expo `app.json` / `app.config.json`. A value disclose reads that has the wrong
/// type (a string where a list of permissions belongs, an object where a purpose string does)
/// is an error at it: Expo would refuse or misread it, and skipping it would pass a change in
/// silence. `null` where a list or object belongs is none, as Expo's JavaScript reads it.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let source = Source::decode(path, bytes)?;
    let root = json::parse_object(&source, "app config", json::Dialect::Json5)?;
    let mut m = Manifest::new(path, Kind::Expo);
    let types = json::Types { source: &source, null: json::Null::Absent, help: HELP };
    let Some(expo) = types.object(&root, "expo", "expo")? else {
        m.skipped = Some(Skipped {
            reason: "has no `expo` object, so it is not an Expo app config (a bare React Native app.json?)".into(),
            always: false,
        });
        return Ok(m);
    };
    if let Some(android) = types.object(expo, "android", "expo.android")? {
        for (key, kind) in
            [("permissions", EntryKind::AndroidPermission), ("blockedPermissions", EntryKind::AndroidRemoval)]
        {
            for (name, value) in types.string_list(android, key, &format!("expo.android.{key}"))? {
                m.entries.push(Entry::new(android_name(name.trim()), kind, location(&source, value)));
            }
        }
    }
    if let Some(ios) = types.object(expo, "ios", "expo.ios")? {
        if let Some(info) = types.object(ios, "infoPlist", "expo.ios.infoPlist")? {
            info_plist(types, info, &mut m)?;
        }
        if let Some(ents) = types.object(ios, "entitlements", "expo.ios.entitlements")? {
            for p in &ents.properties {
                let on = match &p.value {
                    Value::BooleanLit(b) => b.value,
                    Value::StringLit(s) => !s.value.trim().is_empty(),
                    Value::Array(a) => !a.elements.is_empty(),
                    Value::NullKeyword(_) => false,
                    _ => true,
                };
                if on {
                    m.entries.push(Entry::new(
                        p.name.as_str(),
                        EntryKind::Entitlement,
                        json::name_location(&source, p),
                    ));
                }
            }
        }
        if let Some(prop) = ios.get("privacyManifests") {
            m.label = Some(json::name_location(&source, prop));
        }
        if let Some(privacy) = types.object(ios, "privacyManifests", "expo.ios.privacyManifests")? {
            privacy_manifest(types, privacy, &mut m)?;
        }
    }
    let plugins = match expo.get("plugins").map(|p| &p.value) {
        None | Some(Value::NullKeyword(_)) => None,
        Some(Value::Array(plugins)) => Some(plugins),
        Some(other) => return Err(types.wrong(other, "expo.plugins", PLUGINS)),
    };
    for (i, item) in plugins.iter().flat_map(|p| &p.elements).enumerate() {
        let (name_value, options) = match item {
            Value::StringLit(_) => (item, None),
            Value::Array(a) => match a.elements.first() {
                Some(first @ Value::StringLit(_)) => (first, a.elements.get(1).and_then(Value::as_object)),
                _ => return Err(types.wrong(item, &format!("expo.plugins[{i}]"), PLUGIN)),
            },
            _ => return Err(types.wrong(item, &format!("expo.plugins[{i}]"), PLUGIN)),
        };
        let name = name_value.as_string_lit().map(|s| s.value.trim().to_string()).unwrap_or_default();
        let mut e = Entry::new(name, EntryKind::Plugin, location(&source, name_value));
        e.options = options.map(plugin_options).unwrap_or_default();
        m.entries.push(e);
    }
    Ok(m)
}

/// What `plugins` holds, for messages.
const PLUGINS: &str = "a list of names or [name, options] pairs";

/// What an entry of `plugins` is, for messages.
const PLUGIN: &str = "a name or a [name, options] pair";

/// The help of a value of the wrong type.
const HELP: &str = "Expo fails or misreads a value of another type, so disclose does not guess: write it as the \
    message says (Expo's app config reference lists each key's type)";

/// A dynamic `app.config.js`/`.ts`: reported in every run, never analysed.
pub fn dynamic(path: &str) -> Manifest {
    let mut m = Manifest::new(path, Kind::ExpoDynamic);
    m.skipped = Some(Skipped {
        reason: "is code that Expo runs to build the app config; disclose does not run code, so the permissions \
                 and plugins it adds are not checked (keep them in app.json, which app.config receives as `config`)"
            .into(),
        always: true,
    });
    m
}

/// `ios.infoPlist`, which Expo writes into Info.plist: every key (the taxonomy decides which
/// matter), with the types iOS reads checked for the keys disclose reads.
fn info_plist(types: json::Types, info: &Object, m: &mut Manifest) -> Result<(), Error> {
    let source = types.source;
    for p in &info.properties {
        let key = p.name.as_str();
        let name = || format!("expo.ios.infoPlist.{key}");
        match (key, &p.value) {
            ("UIBackgroundModes", Value::Array(modes)) => {
                for (mode, value) in types.elements(modes, &name())? {
                    m.entries.push(Entry::new(mode.trim(), EntryKind::BackgroundMode, location(source, value)));
                }
            }
            ("UIBackgroundModes", other) => return Err(types.wrong(other, &name(), "a list of strings")),
            ("NSLocationDefaultAccuracyReduced", Value::BooleanLit(b)) => m.reduced_accuracy = b.value,
            ("NSLocationDefaultAccuracyReduced", other) => return Err(types.wrong(other, &name(), "true or false")),
            // iOS reads a purpose string only as a string: anything else shows the user nothing.
            (key, other) if key.ends_with("UsageDescription") && other.as_string_lit().is_none() => {
                return Err(types.wrong(other, &name(), "a string (the purpose shown to the user)"))
            }
            (key, value) => m.entries.push(Entry {
                purpose: value.as_string_lit().map(|s| s.value.to_string()),
                ..Entry::new(key, EntryKind::PlistKey, json::name_location(source, p))
            }),
        }
    }
    Ok(())
}

/// `ios.privacyManifests`, which Expo writes into PrivacyInfo.xcprivacy: whether the app
/// tracks, and the data types it collects.
fn privacy_manifest(types: json::Types, privacy: &Object, m: &mut Manifest) -> Result<(), Error> {
    let source = types.source;
    const NAME: &str = "expo.ios.privacyManifests";
    if let Some(p) = privacy.get("NSPrivacyTracking") {
        match &p.value {
            Value::BooleanLit(b) if b.value => {
                m.entries.push(Entry::new("NSPrivacyTracking", EntryKind::Tracking, json::name_location(source, p)));
            }
            Value::BooleanLit(_) | Value::NullKeyword(_) => {}
            other => return Err(types.wrong(other, &format!("{NAME}.NSPrivacyTracking"), "true or false")),
        }
    }
    let data_types = match privacy.get("NSPrivacyCollectedDataTypes").map(|p| &p.value) {
        None | Some(Value::NullKeyword(_)) => return Ok(()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(types.wrong(
                other,
                &format!("{NAME}.NSPrivacyCollectedDataTypes"),
                "a list of objects, each with an NSPrivacyCollectedDataType",
            ))
        }
    };
    for (i, item) in data_types.elements.iter().enumerate() {
        let name = format!("{NAME}.NSPrivacyCollectedDataTypes[{i}]");
        let Value::Object(fields) = item else {
            return Err(types.wrong(item, &name, "an object with an NSPrivacyCollectedDataType"));
        };
        let Some(prop) = fields.get("NSPrivacyCollectedDataType") else {
            let pos = source.position(json::range(item).start);
            return Err(Error::parse_at(
                &source.path,
                pos.line,
                pos.column,
                format!("`{name}` has no NSPrivacyCollectedDataType"),
            )
            .with_help("add the data type (e.g. NSPrivacyCollectedDataTypePreciseLocation) or remove the entry"));
        };
        let Value::StringLit(kind) = &prop.value else {
            let name = format!("{name}.NSPrivacyCollectedDataType");
            return Err(types.wrong(
                &prop.value,
                &name,
                "a string (a data type such as NSPrivacyCollectedDataTypeEmailAddress)",
            ));
        };
        let at = source.location(kind.range.start, kind.range.end);
        m.entries.push(Entry::new(kind.value.trim(), EntryKind::CollectedDataType, at));
    }
    Ok(())
}

fn plugin_options(o: &Object) -> Vec<(String, OptionValue)> {
    o.properties
        .iter()
        .map(|p| {
            let v = match &p.value {
                Value::BooleanLit(b) => OptionValue::Bool(b.value),
                Value::StringLit(s) => OptionValue::Text(s.value.to_string()),
                _ => OptionValue::Other,
            };
            (p.name.as_str().to_string(), v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = r#"{
  "expo": {
    "name": "Village",
    "ios": {
      "infoPlist": {
        "NSCameraUsageDescription": "Scan QR codes",
        "UIBackgroundModes": ["location"]
      },
      "privacyManifests": { "NSPrivacyCollectedDataTypes": [{ "NSPrivacyCollectedDataType": "NSPrivacyCollectedDataTypeEmailAddress" }] }
    },
    "android": {
      // what the store build needs
      "permissions": ["CAMERA", "android.permission.ACCESS_FINE_LOCATION"],
      "blockedPermissions": ["RECORD_AUDIO"],
    },
    "plugins": [
      "expo-notifications",
      ["expo-camera", { "microphonePermission": false, "cameraPermission": "Scan tickets" }]
    ]
  }
}"#;

    #[test]
    fn reads_platform_entries_and_plugins() {
        let m = parse("app.json", APP.as_bytes()).unwrap();
        let got: Vec<_> = m.entries.iter().map(|e| (e.subject.as_str(), e.kind, e.location.line)).collect();
        assert_eq!(
            got,
            vec![
                ("android.permission.CAMERA", EntryKind::AndroidPermission, 13),
                ("android.permission.ACCESS_FINE_LOCATION", EntryKind::AndroidPermission, 13),
                ("android.permission.RECORD_AUDIO", EntryKind::AndroidRemoval, 14),
                ("NSCameraUsageDescription", EntryKind::PlistKey, 6),
                ("location", EntryKind::BackgroundMode, 7),
                ("NSPrivacyCollectedDataTypeEmailAddress", EntryKind::CollectedDataType, 9),
                ("expo-notifications", EntryKind::Plugin, 17),
                ("expo-camera", EntryKind::Plugin, 18),
            ]
        );
        assert_eq!(m.entries[3].purpose.as_deref(), Some("Scan QR codes"));
        assert_eq!(
            m.entries[7].options,
            vec![
                ("microphonePermission".to_string(), OptionValue::Bool(false)),
                ("cameraPermission".to_string(), OptionValue::Text("Scan tickets".into()))
            ]
        );
    }

    #[test]
    fn bare_react_native_app_json_is_skipped() {
        let m = parse("app.json", br#"{"name": "Village", "displayName": "Village"}"#).unwrap();
        assert!(m.entries.is_empty() && m.skipped.is_some());
    }

    #[test]
    fn values_of_the_wrong_type_are_errors_where_they_are() {
        let e = |text: &str| parse("app.json", text.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            e("{\"expo\": {\"android\": {\"permissions\": \"CAMERA\"}}}"),
            "app.json:1:38: `expo.android.permissions` must be a list of strings, not a string"
        );
        assert_eq!(
            e("{\"expo\": {\"android\": {\"blockedPermissions\": [\"CAMERA\",\n 7]}}}"),
            "app.json:2:2: `expo.android.blockedPermissions[1]` must be a string, not a number"
        );
        for (text, want) in [
            ("{\"expo\": []}", "`expo` must be an object, not a list"),
            ("{\"expo\": {\"android\": \"CAMERA\"}}", "`expo.android` must be an object, not a string"),
            ("{\"expo\": {\"ios\": {\"infoPlist\": []}}}", "`expo.ios.infoPlist` must be an object, not a list"),
            (
                "{\"expo\": {\"ios\": {\"infoPlist\": {\"UIBackgroundModes\": \"location\"}}}}",
                "`expo.ios.infoPlist.UIBackgroundModes` must be a list of strings, not a string",
            ),
            (
                "{\"expo\": {\"ios\": {\"infoPlist\": {\"NSLocationDefaultAccuracyReduced\": \"YES\"}}}}",
                "`expo.ios.infoPlist.NSLocationDefaultAccuracyReduced` must be true or false, not a string",
            ),
            (
                "{\"expo\": {\"ios\": {\"infoPlist\": {\"NSCameraUsageDescription\": {\"en\": \"Scan\"}}}}}",
                "`expo.ios.infoPlist.NSCameraUsageDescription` must be a string (the purpose shown to the user), not an object",
            ),
            (
                "{\"expo\": {\"ios\": {\"privacyManifests\": {\"NSPrivacyTracking\": \"true\"}}}}",
                "`expo.ios.privacyManifests.NSPrivacyTracking` must be true or false, not a string",
            ),
            (
                "{\"expo\": {\"ios\": {\"privacyManifests\": {\"NSPrivacyCollectedDataTypes\": {}}}}}",
                "`expo.ios.privacyManifests.NSPrivacyCollectedDataTypes` must be a list of objects",
            ),
            (
                "{\"expo\": {\"ios\": {\"privacyManifests\": {\"NSPrivacyCollectedDataTypes\": [\"NSPrivacyCollectedDataTypeName\"]}}}}",
                "`expo.ios.privacyManifests.NSPrivacyCollectedDataTypes[0]` must be an object with an NSPrivacyCollectedDataType, not a string",
            ),
            (
                "{\"expo\": {\"ios\": {\"privacyManifests\": {\"NSPrivacyCollectedDataTypes\": [{}]}}}}",
                "`expo.ios.privacyManifests.NSPrivacyCollectedDataTypes[0]` has no NSPrivacyCollectedDataType",
            ),
            (
                "{\"expo\": {\"ios\": {\"privacyManifests\": {\"NSPrivacyCollectedDataTypes\": [{\"NSPrivacyCollectedDataType\": 3}]}}}}",
                "`expo.ios.privacyManifests.NSPrivacyCollectedDataTypes[0].NSPrivacyCollectedDataType` must be a string",
            ),
            ("{\"expo\": {\"plugins\": \"expo-camera\"}}", "`expo.plugins` must be a list of names or [name, options] pairs, not a string"),
        ] {
            assert!(e(text).contains(want), "{text}: {}", e(text));
        }
        // Keys disclose does not read keep any type; `null` where a list or object belongs is none.
        let m = parse(
            "app.json",
            b"{\"expo\": {\"android\": {\"permissions\": null, \"versionCode\": \"7\"}, \"ios\": {\"infoPlist\": {\"ITSAppUsesNonExemptEncryption\": false, \"NSLocationTemporaryUsageDescriptionDictionary\": {\"Nav\": \"x\"}}}, \"plugins\": null}}",
        )
        .unwrap();
        let got: Vec<_> = m.entries.iter().map(|e| e.subject.as_str()).collect();
        assert_eq!(got, vec!["ITSAppUsesNonExemptEncryption", "NSLocationTemporaryUsageDescriptionDictionary"]);
    }

    #[test]
    fn bad_plugins_are_errors_at_the_entry() {
        let e = parse("app.json", b"{\"expo\": {\"plugins\": [\n  42\n]}}").unwrap_err().to_string();
        assert_eq!(e, "app.json:2:3: `expo.plugins[0]` must be a name or a [name, options] pair, not a number");
    }
}
