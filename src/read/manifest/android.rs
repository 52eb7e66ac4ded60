//! `AndroidManifest.xml`: `uses-permission`, `uses-permission-sdk-23`, `android:maxSdkVersion`,
//! `tools:node="remove"`, and the permissions the app defines itself.
//!
//! Comments are not elements, so a commented-out permission is not a request. `uses-feature`
//! is not read: a feature declares hardware the app can use, and the data itself still needs
//! the permission. (See: Android `<uses-feature>` reference: "does not grant any permissions".)

use roxmltree::Node;

use super::{Entry, EntryKind, Kind, Manifest};
use crate::model::error::Error;
use crate::model::source::Source;

const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";
const TOOLS_NS: &str = "http://schemas.android.com/tools";

/// Parses an Android manifest.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let source = Source::decode(path, bytes)?;
    let doc = super::xml::parse(&source, "manifest")?;
    let root = doc.root_element();
    if root.tag_name().name() != "manifest" {
        let pos = source.position(root.range().start);
        return Err(Error::parse_at(
            path,
            pos.line,
            pos.column,
            format!("not an Android manifest: the root element is <{}>, not <manifest>", root.tag_name().name()),
        )
        .with_help("name the real manifest under `manifests:` in disclose.yaml, or exclude this file"));
    }
    let mut manifest = Manifest::new(path, Kind::Android);
    for node in root.children().filter(Node::is_element) {
        let tag = node.tag_name().name();
        let name = android_attr(node, "name");
        match tag {
            "uses-permission" | "uses-permission-sdk-23" | "uses-permission-sdk-m" => {
                let Some(name) = name else {
                    let pos = source.position(node.range().start);
                    return Err(Error::parse_at(path, pos.line, pos.column, format!("<{tag}> has no android:name"))
                        .with_help("add android:name=\"android.permission.…\" or remove the element"));
                };
                let removal = node.attribute((TOOLS_NS, "node")).is_some_and(|v| v == "remove" || v == "removeAll");
                let max_sdk = android_attr(node, "maxSdkVersion").and_then(|v| v.trim().parse().ok());
                let kind = if removal { EntryKind::AndroidRemoval } else { EntryKind::AndroidPermission };
                let at = source.location(node.range().start, start_tag_end(&source.text, node.range().start));
                manifest.entries.push(Entry { max_sdk, ..Entry::new(name.trim(), kind, at) });
            }
            "permission" => manifest.defines.extend(name.map(|n| n.trim().to_string())),
            _ => {}
        }
    }
    Ok(manifest)
}

/// An `android:` attribute (or the bare attribute, which some generated manifests write).
fn android_attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((ANDROID_NS, name)).or_else(|| node.attribute(name))
}

/// The end of the start tag that begins at `start` (its `>`), for underlining.
pub(crate) fn start_tag_end(text: &str, start: usize) -> usize {
    let mut quote = None;
    for (i, c) in text[start..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return start + i + 1,
            _ => {}
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    xmlns:tools="http://schemas.android.com/tools">
    <uses-permission android:name="android.permission.CAMERA" />
    <!-- <uses-permission android:name="android.permission.RECORD_AUDIO" /> -->
    <uses-permission-sdk-23 android:name="android.permission.READ_CONTACTS" />
    <uses-permission
        android:name="android.permission.READ_EXTERNAL_STORAGE"
        android:maxSdkVersion="32" />
    <uses-permission android:name="android.permission.READ_PHONE_STATE" tools:node="remove" />
    <permission android:name="com.example.permission.C2D" />
</manifest>
"#;

    #[test]
    fn reads_requests_removals_and_positions() {
        let m = parse("AndroidManifest.xml", MANIFEST.as_bytes()).unwrap();
        let got: Vec<_> = m
            .entries
            .iter()
            .map(|e| (e.subject.as_str(), e.kind, e.location.line, e.location.column, e.max_sdk))
            .collect();
        assert_eq!(
            got,
            vec![
                ("android.permission.CAMERA", EntryKind::AndroidPermission, 4, 5, None),
                ("android.permission.READ_CONTACTS", EntryKind::AndroidPermission, 6, 5, None),
                ("android.permission.READ_EXTERNAL_STORAGE", EntryKind::AndroidPermission, 7, 5, Some(32)),
                ("android.permission.READ_PHONE_STATE", EntryKind::AndroidRemoval, 10, 5, None),
            ]
        );
        assert_eq!(m.defines, vec!["com.example.permission.C2D".to_string()]);
        assert_eq!(m.entries[0].location.width, "<uses-permission android:name=\"android.permission.CAMERA\" />".len());
    }

    #[test]
    fn malformed_xml_names_the_line() {
        let e = parse("m.xml", b"<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n  <uses-permission android:name=\"x\">\n</manifest>\n").unwrap_err().to_string();
        assert_eq!(e, "m.xml:3:1: malformed XML: <uses-permission> is not closed (found </manifest> first)");
        let e = parse("m.xml", b"<plist/>").unwrap_err().to_string();
        assert!(e.contains("not an Android manifest"), "{e}");
    }
}
