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

use super::json::{self, location, strings};
use super::{Entry, EntryKind, Kind, Manifest, OptionValue, Skipped};
use crate::error::Error;
use crate::source::Source;
use crate::taxonomy::android_name;

/// Parses an Expo `app.json` / `app.config.json`.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let source = Source::decode(path, bytes)?;
    let root = json::parse_object(&source, "app config", json::Dialect::Json5)?;
    let mut m = Manifest::new(path, Kind::Expo);
    let Some(expo) = root.get_object("expo") else {
        m.skipped = Some(Skipped {
            reason: "has no `expo` object, so it is not an Expo app config (a bare React Native app.json?)".into(),
            always: false,
        });
        return Ok(m);
    };
    if let Some(android) = expo.get_object("android") {
        for (key, kind) in
            [("permissions", EntryKind::AndroidPermission), ("blockedPermissions", EntryKind::AndroidRemoval)]
        {
            for (name, value) in strings(android, key) {
                m.entries.push(Entry::new(android_name(name.trim()), kind, location(&source, value)));
            }
        }
    }
    if let Some(ios) = expo.get_object("ios") {
        if let Some(info) = ios.get_object("infoPlist") {
            info_plist(&source, info, &mut m);
        }
        if let Some(ents) = ios.get_object("entitlements") {
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
        if let Some(privacy) = ios.get_object("privacyManifests") {
            privacy_manifest(&source, privacy, &mut m)?;
        }
    }
    if let Some(plugins) = expo.get_array("plugins") {
        for item in &plugins.elements {
            let (name_value, options) = match item {
                Value::StringLit(_) => (item, None),
                Value::Array(a) => match a.elements.first() {
                    Some(first @ Value::StringLit(_)) => (first, a.elements.get(1).and_then(Value::as_object)),
                    _ => {
                        return Err(json::wrong_type(
                            &source,
                            item,
                            "plugins",
                            "a list of names or [name, options] pairs",
                        ))
                    }
                },
                _ => {
                    return Err(json::wrong_type(&source, item, "plugins", "a list of names or [name, options] pairs"))
                }
            };
            let name = name_value.as_string_lit().map(|s| s.value.trim().to_string()).unwrap_or_default();
            let mut e = Entry::new(name, EntryKind::Plugin, location(&source, name_value));
            e.options = options.map(plugin_options).unwrap_or_default();
            m.entries.push(e);
        }
    }
    Ok(m)
}

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

fn info_plist(source: &Source, info: &Object, m: &mut Manifest) {
    for p in &info.properties {
        let key = p.name.as_str();
        match (key, &p.value) {
            ("UIBackgroundModes", Value::Array(modes)) => {
                for (mode, value) in json::elements(modes) {
                    m.entries.push(Entry::new(mode.trim(), EntryKind::BackgroundMode, location(source, value)));
                }
            }
            ("NSLocationDefaultAccuracyReduced", Value::BooleanLit(b)) => m.reduced_accuracy = b.value,
            (key, value) => m.entries.push(Entry {
                purpose: value.as_string_lit().map(|s| s.value.to_string()),
                ..Entry::new(key, EntryKind::PlistKey, json::name_location(source, p))
            }),
        }
    }
}

fn privacy_manifest(source: &Source, privacy: &Object, m: &mut Manifest) -> Result<(), Error> {
    if let Some(p) = privacy.get("NSPrivacyTracking") {
        if matches!(&p.value, Value::BooleanLit(b) if b.value) {
            m.entries.push(Entry::new("NSPrivacyTracking", EntryKind::Tracking, json::name_location(source, p)));
        }
    }
    let Some(types) = privacy.get_array("NSPrivacyCollectedDataTypes") else { return Ok(()) };
    for item in &types.elements {
        let found = item.as_object().and_then(|o| o.get_string("NSPrivacyCollectedDataType"));
        let Some(kind) = found else {
            return Err(json::wrong_type(
                source,
                item,
                "NSPrivacyCollectedDataTypes",
                "a list of objects, each with an NSPrivacyCollectedDataType",
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
    fn bad_plugins_are_errors_at_the_entry() {
        let e = parse("app.json", b"{\"expo\": {\"plugins\": [\n  42\n]}}").unwrap_err().to_string();
        assert!(e.starts_with("app.json:2:3: `plugins` must be"), "{e}");
    }
}
