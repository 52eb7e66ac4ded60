//! `PrivacyInfo.xcprivacy`: the data types an app declares it collects
//! (`NSPrivacyCollectedDataTypes`) and whether it tracks (`NSPrivacyTracking`).
//! `NSPrivacyAccessedAPITypes` lists required-reason APIs, not data, and is not read.
//! (See: Apple, "Describing data use in privacy manifests".)

use super::plist::{parse_tree, Value};
use super::{Entry, EntryKind, Kind, Manifest};
use crate::model::error::Error;

/// Parses a privacy manifest. The keys disclose reads must have the type Apple reads them
/// with (`NSPrivacyTracking` a Boolean, `NSPrivacyCollectedDataTypes` an array of dictionaries
/// whose `NSPrivacyCollectedDataType` is a string): another type is an error at the value, as
/// Apple's validation refuses it and skipping it would hide what the app declares.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let tree = parse_tree(path, bytes)?;
    let mut m = Manifest::new(path, Kind::PrivacyManifest);
    m.label = Some(tree.location(tree.root.span, "PrivacyInfo.xcprivacy"));
    for (key, node) in tree.root_dict("privacy manifest")? {
        match (key.name.as_str(), &node.value) {
            ("NSPrivacyTracking", Value::Bool(true)) => m.entries.push(Entry::new(
                "NSPrivacyTracking",
                EntryKind::Tracking,
                tree.location(key.span, "NSPrivacyTracking"),
            )),
            ("NSPrivacyTracking", Value::Bool(false)) => {}
            ("NSPrivacyTracking", _) => {
                return Err(tree.wrong_type(
                    node,
                    "NSPrivacyTracking",
                    "a Boolean",
                    "Apple reads it as a Boolean: write <true/> or <false/>",
                ))
            }
            ("NSPrivacyCollectedDataTypes", Value::Array(items)) => {
                m.label = Some(tree.location(key.span, "NSPrivacyCollectedDataTypes"));
                for (i, item) in items.iter().enumerate() {
                    let Value::Dict(fields) = &item.value else {
                        return Err(tree.wrong_type(
                            item,
                            &format!("NSPrivacyCollectedDataTypes[{i}]"),
                            "a dictionary",
                            TYPES_HELP,
                        ));
                    };
                    let found = fields.iter().find(|(k, _)| k.name == "NSPrivacyCollectedDataType");
                    match found {
                        Some((_, v)) => {
                            let Value::String(s) = &v.value else {
                                return Err(tree.wrong_type(
                                    v,
                                    &format!("NSPrivacyCollectedDataTypes[{i}].NSPrivacyCollectedDataType"),
                                    "a string",
                                    "write the data type's name, e.g. <string>NSPrivacyCollectedDataTypePreciseLocation</string>",
                                ));
                            };
                            let at = tree.location(v.span, s);
                            m.entries.push(Entry::new(s.trim(), EntryKind::CollectedDataType, at));
                        }
                        None => {
                            let loc = tree.location(item.span, "NSPrivacyCollectedDataTypes");
                            return Err(Error::Parse {
                                path: path.to_string(),
                                line: (loc.line > 0).then_some(loc.line),
                                column: (loc.line > 0).then_some(loc.column),
                                message: "an entry of NSPrivacyCollectedDataTypes has no NSPrivacyCollectedDataType".into(),
                                help: Some("add the data type (e.g. NSPrivacyCollectedDataTypePreciseLocation) or remove the entry".into()),
                            });
                        }
                    }
                }
            }
            ("NSPrivacyCollectedDataTypes", _) => {
                return Err(tree.wrong_type(
                    node,
                    "NSPrivacyCollectedDataTypes",
                    "an array of dictionaries",
                    TYPES_HELP,
                ))
            }
            _ => {}
        }
    }
    Ok(m)
}

/// The help for an `NSPrivacyCollectedDataTypes` of the wrong shape.
const TYPES_HELP: &str = "Apple reads an array with one dictionary per data type: \
    <array><dict><key>NSPrivacyCollectedDataType</key><string>…</string>…</dict></array>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tracking_and_types() {
        let text = "<plist><dict>\n<key>NSPrivacyTracking</key><true/>\n<key>NSPrivacyCollectedDataTypes</key><array>\n<dict><key>NSPrivacyCollectedDataType</key>\n<string>NSPrivacyCollectedDataTypePreciseLocation</string></dict>\n</array></dict></plist>";
        let m = parse("PrivacyInfo.xcprivacy", text.as_bytes()).unwrap();
        let got: Vec<_> = m.entries.iter().map(|e| (e.subject.as_str(), e.kind, e.location.line)).collect();
        assert_eq!(
            got,
            vec![
                ("NSPrivacyTracking", EntryKind::Tracking, 2),
                ("NSPrivacyCollectedDataTypePreciseLocation", EntryKind::CollectedDataType, 5)
            ]
        );
    }

    #[test]
    fn values_of_the_wrong_type_are_errors_at_the_value() {
        let e = |body: &str| {
            let text = format!("<plist><dict>\n{body}\n</dict></plist>");
            parse("PrivacyInfo.xcprivacy", text.as_bytes()).unwrap_err().to_string()
        };
        assert_eq!(
            e("<key>NSPrivacyTracking</key><string>true</string>"),
            "PrivacyInfo.xcprivacy:2:29: `NSPrivacyTracking` must be a Boolean, not a string"
        );
        assert_eq!(
            e("<key>NSPrivacyCollectedDataTypes</key>\n<dict><key>NSPrivacyCollectedDataType</key><string>NSPrivacyCollectedDataTypeEmailAddress</string></dict>"),
            "PrivacyInfo.xcprivacy:3:1: `NSPrivacyCollectedDataTypes` must be an array of dictionaries, not a dictionary"
        );
        assert_eq!(
            e("<key>NSPrivacyCollectedDataTypes</key><array>\n<string>NSPrivacyCollectedDataTypeEmailAddress</string></array>"),
            "PrivacyInfo.xcprivacy:3:1: `NSPrivacyCollectedDataTypes[0]` must be a dictionary, not a string"
        );
        assert_eq!(
            e("<key>NSPrivacyCollectedDataTypes</key><array><dict>\n<key>NSPrivacyCollectedDataType</key><array/></dict></array>"),
            "PrivacyInfo.xcprivacy:3:38: `NSPrivacyCollectedDataTypes[0].NSPrivacyCollectedDataType` must be a string, not an array"
        );
        // Keys disclose does not read keep any type.
        let text = "<plist><dict><key>NSPrivacyTrackingDomains</key><string>x</string><key>NSPrivacyTracking</key><false/></dict></plist>";
        assert!(parse("PrivacyInfo.xcprivacy", text.as_bytes()).unwrap().entries.is_empty());
    }
}
