//! `PrivacyInfo.xcprivacy`: the data types an app declares it collects
//! (`NSPrivacyCollectedDataTypes`) and whether it tracks (`NSPrivacyTracking`).
//! `NSPrivacyAccessedAPITypes` lists required-reason APIs, not data, and is not read.
//! (See: Apple, "Describing data use in privacy manifests".)

use super::plist::{parse_tree, Value};
use super::{Entry, EntryKind, Kind, Manifest};
use crate::error::Error;

/// Parses a privacy manifest.
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
            ("NSPrivacyCollectedDataTypes", Value::Array(items)) => {
                m.label = Some(tree.location(key.span, "NSPrivacyCollectedDataTypes"));
                for item in items {
                    let Value::Dict(fields) = &item.value else { continue };
                    let found = fields.iter().find(|(k, _)| k.name == "NSPrivacyCollectedDataType");
                    match found {
                        Some((_, v)) => {
                            if let Value::String(s) = &v.value {
                                let at = tree.location(v.span, s);
                                m.entries.push(Entry::new(s.trim(), EntryKind::CollectedDataType, at));
                            }
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
            _ => {}
        }
    }
    Ok(m)
}

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
}
