//! Property lists: XML plists with positions (roxmltree, DTDs allowed since Apple's files
//! carry one) and binary plists (the `plist` crate; no lines to point at). Both become the
//! same [`Node`] tree, which `Info.plist` and `PrivacyInfo.xcprivacy` readers walk.

use roxmltree::Node as XmlNode;

use super::{Entry, EntryKind, Kind, Manifest};
use crate::model::error::Error;
use crate::model::source::{Location, Source};

/// A plist value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `<string>`.
    String(String),
    /// `<true/>` or `<false/>`.
    Bool(bool),
    /// `<array>`.
    Array(Vec<Node>),
    /// `<dict>`: keys with their values, in file order.
    Dict(Vec<(Key, Node)>),
    /// Numbers, dates, data, UIDs: not read; what it is, for messages ("an integer").
    Other(&'static str),
}

impl Value {
    /// What the value is, for messages: "a string", "an array", "an integer"...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Bool(_) => "a Boolean",
            Value::Array(_) => "an array",
            Value::Dict(_) => "a dictionary",
            Value::Other(what) => what,
        }
    }
}

/// A value and where it is (XML only).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Byte range in the XML text.
    pub span: Option<(usize, usize)>,
}

/// A dictionary key and where it is (XML only).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key.
    pub name: String,
    /// Byte range of `<key>…</key>`.
    pub span: Option<(usize, usize)>,
}

/// A parsed plist with the source that positions refer to.
#[derive(Debug)]
pub struct Tree {
    /// The XML text; `None` for a binary plist.
    pub source: Option<Source>,
    /// The path, for locations.
    pub path: String,
    /// The root value.
    pub root: Node,
}

impl Tree {
    /// A location for a span, or a line-less location naming `what` for binary plists.
    pub fn location(&self, span: Option<(usize, usize)>, what: &str) -> Location {
        match (&self.source, span) {
            (Some(s), Some((a, b))) => s.location(a, b),
            _ => Location {
                path: self.path.clone(),
                line: 0,
                column: 0,
                snippet: format!("{what} (binary plist)").into(),
                snippet_column: 1,
                width: 1,
            },
        }
    }

    /// A value of the wrong type for `key`: an error at it (at the file, for a binary plist,
    /// which has no lines), saying what it is, with `help`.
    pub fn wrong_type(&self, node: &Node, key: &str, expected: &str, help: &str) -> Error {
        let message = format!("`{key}` must be {expected}, not {}", node.value.kind());
        let e = match (&self.source, node.span) {
            (Some(s), Some((start, _))) => {
                let pos = s.position(start);
                Error::parse_at(&self.path, pos.line, pos.column, message)
            }
            _ => Error::parse(&self.path, message),
        };
        e.with_help(help)
    }

    /// The root dictionary, or an error saying the file is not one.
    pub fn root_dict(&self, what: &str) -> Result<&[(Key, Node)], Error> {
        match &self.root.value {
            Value::Dict(d) => Ok(d),
            _ => Err(Error::parse(&self.path, format!("not a {what}: the top-level value is not a dictionary"))),
        }
    }
}

/// Parses an XML or binary plist.
pub fn parse_tree(path: &str, bytes: &[u8]) -> Result<Tree, Error> {
    if bytes.starts_with(b"bplist") {
        return Ok(Tree { source: None, path: path.to_string(), root: from_binary(path, bytes)? });
    }
    let source = Source::decode(path, bytes)?;
    let doc = super::xml::parse(&source, "property list")?;
    let root = doc.root_element();
    let err_at = |node: XmlNode, message: String| {
        let pos = source.position(node.range().start);
        Error::parse_at(path, pos.line, pos.column, message).with_help("check the file with `plutil -lint`")
    };
    if root.tag_name().name() != "plist" {
        return Err(err_at(
            root,
            format!("not a property list: the root element is <{}>, not <plist>", root.tag_name().name()),
        ));
    }
    let Some(top) = root.children().find(XmlNode::is_element) else {
        return Err(err_at(root, "the property list is empty: <plist> holds no value".into()));
    };
    let root = from_xml(top, &err_at)?;
    Ok(Tree { source: Some(source), path: path.to_string(), root })
}

fn from_xml(node: XmlNode, err_at: &dyn Fn(XmlNode, String) -> Error) -> Result<Node, Error> {
    let span = Some((node.range().start, node.range().end));
    let value = match node.tag_name().name() {
        "string" => Value::String(node.text().unwrap_or("").to_string()),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "array" => Value::Array(
            node.children().filter(XmlNode::is_element).map(|c| from_xml(c, err_at)).collect::<Result<_, _>>()?,
        ),
        "dict" => {
            let mut pairs = Vec::new();
            let mut children = node.children().filter(XmlNode::is_element);
            while let Some(k) = children.next() {
                if k.tag_name().name() != "key" {
                    return Err(err_at(k, format!("expected <key> in <dict>, found <{}>", k.tag_name().name())));
                }
                let name = k.text().unwrap_or("").trim().to_string();
                let Some(v) = children.next() else {
                    return Err(err_at(k, format!("the key `{name}` has no value")));
                };
                if v.tag_name().name() == "key" {
                    return Err(err_at(k, format!("the key `{name}` has no value (another <key> follows it)")));
                }
                pairs.push((Key { name, span: Some((k.range().start, k.range().end)) }, from_xml(v, err_at)?));
            }
            if let Some((first, second)) = duplicate(&pairs) {
                let k = node.children().filter(XmlNode::is_element).nth(2 * second).expect("a key per pair");
                let line = node.document().text_pos_at(pairs[first].0.span.map_or(0, |s| s.0)).row;
                return Err(err_at(k, format!("duplicate key `{}` (first on line {line})", pairs[second].0.name)));
            }
            Value::Dict(pairs)
        }
        "integer" => Value::Other("an integer"),
        "real" => Value::Other("a real number"),
        "date" => Value::Other("a date"),
        "data" => Value::Other("data"),
        other => return Err(err_at(node, format!("<{other}> is not a property-list element"))),
    };
    Ok(Node { value, span })
}

/// Reads a binary plist from its event stream, with an explicit stack. A binary plist names
/// its objects by reference and may reference one object many times, so a file of a few
/// hundred bytes can describe an exponentially large tree (the binary "billion laughs"); and
/// references can nest a container as deep as the file has bytes. Both are errors here: more
/// than [`xml::MAX_DEPTH`](super::xml::MAX_DEPTH) levels, or a tree whose values and text add
/// up to more than [`expansion_budget`] for the file's size.
fn from_binary(path: &str, bytes: &[u8]) -> Result<Node, Error> {
    use ::plist::stream::{BinaryReader, Event};
    let corrupt = |detail: String| {
        Error::parse(path, format!("malformed binary plist: {detail}"))
            .with_help("check the file with `plutil -lint`, or convert it with `plutil -convert xml1`")
    };
    let node = |value| Node { value, span: None };
    let mut budget = expansion_budget(bytes.len());
    // Open containers: an array's items, or a dictionary's pairs and its pending key.
    type Open = (Vec<Node>, Option<Vec<(Key, Node)>>, Option<String>);
    let mut stack: Vec<Open> = Vec::new();
    for event in BinaryReader::new(std::io::Cursor::new(bytes)) {
        let event = event.map_err(|e| corrupt(format!("the file is truncated or corrupt ({e})")))?;
        let cost = match &event {
            Event::String(s) => 16 + s.len(),
            Event::Data(d) => 16 + d.len(),
            _ => 16,
        };
        budget = budget
            .checked_sub(cost)
            .ok_or_else(|| corrupt("its shared objects expand to far more data than the file holds".into()))?;
        let value = match event {
            Event::StartArray(_) | Event::StartDictionary(_) => {
                if stack.len() >= super::xml::MAX_DEPTH {
                    return Err(corrupt(format!("values nest more than {} levels deep", super::xml::MAX_DEPTH)));
                }
                let dict = matches!(event, Event::StartDictionary(_)).then(Vec::new);
                stack.push((Vec::new(), dict, None));
                continue;
            }
            Event::EndCollection => match stack.pop() {
                Some((_, Some(pairs), _)) => match duplicate(&pairs) {
                    Some((_, second)) => {
                        return Err(corrupt(format!("a dictionary names the key `{}` twice", pairs[second].0.name)))
                    }
                    None => Value::Dict(pairs),
                },
                Some((items, None, _)) => Value::Array(items),
                None => return Err(corrupt("a collection ends that never began".into())),
            },
            Event::String(s) => Value::String(s.into_owned()),
            Event::Boolean(b) => Value::Bool(b),
            Event::Integer(_) => Value::Other("an integer"),
            Event::Real(_) => Value::Other("a real number"),
            Event::Date(_) => Value::Other("a date"),
            Event::Data(_) => Value::Other("data"),
            _ => Value::Other("a UID"),
        };
        match stack.last_mut() {
            None => return Ok(node(value)),
            Some((items, None, _)) => items.push(node(value)),
            Some((_, Some(_), key @ None)) => match value {
                Value::String(name) => *key = Some(name),
                _ => return Err(corrupt("a dictionary key is not a string".into())),
            },
            Some((_, Some(pairs), key)) => {
                let name = key.take().expect("matched Some above");
                pairs.push((Key { name, span: None }, node(value)));
            }
        }
    }
    Err(corrupt("the file holds no value".into()))
}

/// The first key a dictionary names twice: (index of the first, index of the second).
/// Readers disagree on which value counts, so a duplicate could hide a key from disclose
/// that the system reads: an error, as in JSON manifests and `disclose.yaml`.
fn duplicate(pairs: &[(Key, Node)]) -> Option<(usize, usize)> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::with_capacity(pairs.len());
    pairs.iter().enumerate().find_map(|(i, (k, _))| seen.insert(k.name.as_str(), i).map(|first| (first, i)))
}

/// How much a binary plist may expand to: 64 times its size plus 1 MiB, counted as 16 per
/// value plus the bytes of its text and data. Real plists expand less than 4 times.
fn expansion_budget(len: usize) -> usize {
    len.saturating_mul(64).saturating_add(1 << 20)
}

/// Parses an `Info.plist`: every top-level key (the taxonomy decides which ones matter),
/// `UIBackgroundModes` values, and `NSLocationDefaultAccuracyReduced`. The keys disclose reads
/// must have the type iOS reads them with: a `UIBackgroundModes` that is not an array of
/// strings, a `NSLocationDefaultAccuracyReduced` that is not a Boolean, or a purpose string
/// (`*UsageDescription`) that is not a string is an error at the value, since iOS misreads it
/// and a reading that skipped it would pass in silence. Other keys keep any type.
pub fn parse_info(path: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let tree = parse_tree(path, bytes)?;
    let mut m = Manifest::new(path, Kind::InfoPlist);
    for (key, node) in tree.root_dict("Info.plist")? {
        match (key.name.as_str(), &node.value) {
            ("UIBackgroundModes", Value::Array(modes)) => {
                for (i, mode) in modes.iter().enumerate() {
                    let Value::String(s) = &mode.value else {
                        return Err(tree.wrong_type(
                            mode,
                            &format!("UIBackgroundModes[{i}]"),
                            "a string",
                            BACKGROUND_MODES_HELP,
                        ));
                    };
                    let at = tree.location(mode.span, &format!("UIBackgroundModes: {s}"));
                    m.entries.push(Entry::new(s.trim(), EntryKind::BackgroundMode, at));
                }
            }
            ("UIBackgroundModes", _) => {
                return Err(tree.wrong_type(node, "UIBackgroundModes", "an array of strings", BACKGROUND_MODES_HELP))
            }
            ("NSLocationDefaultAccuracyReduced", Value::Bool(b)) => m.reduced_accuracy = *b,
            ("NSLocationDefaultAccuracyReduced", _) => {
                return Err(tree.wrong_type(
                    node,
                    "NSLocationDefaultAccuracyReduced",
                    "a Boolean",
                    "iOS reads it as a Boolean: write <true/> or <false/>",
                ))
            }
            (name, value) if name.ends_with("UsageDescription") && !matches!(value, Value::String(_)) => {
                return Err(tree.wrong_type(
                    node,
                    name,
                    "a string (the purpose the permission prompt shows)",
                    "iOS reads a purpose string only as a <string>: write the sentence that tells users why the app asks",
                ))
            }
            (name, value) => m.entries.push(Entry {
                purpose: match value {
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                },
                ..Entry::new(name, EntryKind::PlistKey, tree.location(key.span, name))
            }),
        }
    }
    Ok(m)
}

/// The help for a `UIBackgroundModes` of the wrong type.
const BACKGROUND_MODES_HELP: &str =
    "iOS reads an array of mode names: <key>UIBackgroundModes</key><array><string>location</string></array>";

/// Parses a `*.entitlements` plist: every entitlement that is enabled. `false`, an empty
/// string and an empty array leave a capability off, so they are not entries.
pub fn parse_entitlements(path: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let tree = parse_tree(path, bytes)?;
    let mut m = Manifest::new(path, Kind::Entitlements);
    for (key, node) in tree.root_dict("entitlements file")? {
        let enabled = match &node.value {
            Value::Bool(b) => *b,
            Value::String(s) => !s.trim().is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Dict(pairs) => !pairs.is_empty(),
            Value::Other(_) => true,
        };
        if enabled {
            m.entries.push(Entry::new(key.name.as_str(), EntryKind::Entitlement, tree.location(key.span, &key.name)));
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleName</key>
	<string>Tempo</string>
	<key>NSCameraUsageDescription</key>
	<string>Scan tickets.</string>
	<key>UIBackgroundModes</key>
	<array>
		<string>audio</string>
		<string>location</string>
	</array>
	<key>NSLocationDefaultAccuracyReduced</key>
	<true/>
</dict>
</plist>
"#;

    #[test]
    fn reads_keys_modes_and_accuracy() {
        let m = parse_info("Info.plist", INFO.as_bytes()).unwrap();
        let got: Vec<_> =
            m.entries.iter().map(|e| (e.subject.as_str(), e.kind, e.location.line, e.purpose.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                ("CFBundleName", EntryKind::PlistKey, 5, Some("Tempo")),
                ("NSCameraUsageDescription", EntryKind::PlistKey, 7, Some("Scan tickets.")),
                ("audio", EntryKind::BackgroundMode, 11, None),
                ("location", EntryKind::BackgroundMode, 12, None),
            ]
        );
        assert!(m.reduced_accuracy);
    }

    #[test]
    fn binary_plists_read_the_same() {
        let mut dict = ::plist::Dictionary::new();
        dict.insert("NSCameraUsageDescription".into(), ::plist::Value::String("Scan tickets.".into()));
        let mut bytes = Vec::new();
        ::plist::Value::Dictionary(dict).to_writer_binary(&mut bytes).unwrap();
        let m = parse_info("Info.plist", &bytes).unwrap();
        assert_eq!(m.entries[0].subject, "NSCameraUsageDescription");
        assert_eq!(m.entries[0].location.line, 0);
        let e = parse_info("Info.plist", &bytes[..bytes.len() / 2]).unwrap_err().to_string();
        assert!(e.starts_with("Info.plist: malformed binary plist"), "{e}");
    }

    /// A binary plist of `objects` (marker and body bytes, references 2 bytes wide), the
    /// first one the root.
    fn bplist(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for o in objects {
            offsets.push(out.len() as u32);
            out.extend(o);
        }
        let table = out.len() as u64;
        offsets.iter().for_each(|o| out.extend(o.to_be_bytes()));
        out.extend([0, 0, 0, 0, 0, 0, 4, 2]);
        out.extend((objects.len() as u64).to_be_bytes());
        out.extend(0u64.to_be_bytes());
        out.extend(table.to_be_bytes());
        out
    }

    #[test]
    fn hostile_binary_plists_are_errors() {
        // Each array holds the next one: 100,000 levels in 500 KB.
        let n: u16 = 60_000;
        let mut objects: Vec<Vec<u8>> = (1..n).map(|next| [vec![0xA1], next.to_be_bytes().to_vec()].concat()).collect();
        objects.push(vec![0x51, b'x']);
        let e = parse_tree("Info.plist", &bplist(&objects)).unwrap_err().to_string();
        assert_eq!(e, "Info.plist: malformed binary plist: values nest more than 256 levels deep");
        // Each array holds the next one twice: 2^60 values from 61 objects.
        let mut objects: Vec<Vec<u8>> =
            (1..61u16).map(|next| [vec![0xA2], next.to_be_bytes().repeat(2)].concat()).collect();
        objects.push(vec![0x51, b'x']);
        let e = parse_tree("Info.plist", &bplist(&objects)).unwrap_err().to_string();
        assert!(e.contains("expand to far more data than the file holds"), "{e}");
        // The same shape, 8 levels deep, is fine.
        let mut objects: Vec<Vec<u8>> =
            (1..9u16).map(|next| [vec![0xA2], next.to_be_bytes().repeat(2)].concat()).collect();
        objects.push(vec![0x51, b'x']);
        assert!(parse_tree("Info.plist", &bplist(&objects)).is_ok());
    }

    #[test]
    fn entitlements_read_enabled_capabilities_only() {
        let text = "<plist><dict>\n<key>com.apple.developer.healthkit</key><true/>\n<key>com.apple.developer.homekit</key><false/>\n<key>com.apple.developer.healthkit.access</key><array><string>health-records</string></array>\n<key>keychain-access-groups</key><array/>\n</dict></plist>";
        let m = parse_entitlements("App.entitlements", text.as_bytes()).unwrap();
        let got: Vec<_> = m.entries.iter().map(|e| (e.subject.as_str(), e.location.line)).collect();
        assert_eq!(got, vec![("com.apple.developer.healthkit", 2), ("com.apple.developer.healthkit.access", 4)]);
    }

    #[test]
    fn keys_disclose_reads_must_have_the_type_ios_reads() {
        let info = |body: &str| format!("<plist>\n<dict>\n{body}\n</dict>\n</plist>");
        let e = |body: &str| parse_info("Info.plist", info(body).as_bytes()).unwrap_err();
        let modes = e("<key>UIBackgroundModes</key>\n  <string>location</string>");
        assert_eq!(modes.to_string(), "Info.plist:4:3: `UIBackgroundModes` must be an array of strings, not a string");
        assert!(modes.help().unwrap().contains("<array><string>location</string></array>"));
        assert_eq!(
            e("<key>UIBackgroundModes</key><array><string>audio</string>\n<integer>1</integer></array>").to_string(),
            "Info.plist:4:1: `UIBackgroundModes[1]` must be a string, not an integer"
        );
        assert_eq!(
            e("<key>NSLocationDefaultAccuracyReduced</key><string>YES</string>").to_string(),
            "Info.plist:3:44: `NSLocationDefaultAccuracyReduced` must be a Boolean, not a string"
        );
        assert_eq!(
            e("<key>NSMicrophoneUsageDescription</key><true/>").to_string(),
            "Info.plist:3:40: `NSMicrophoneUsageDescription` must be a string (the purpose the permission prompt shows), not a Boolean"
        );
        // A binary plist has no lines: the error names the file.
        let mut dict = ::plist::Dictionary::new();
        dict.insert("NSCameraUsageDescription".into(), ::plist::Value::Integer(1.into()));
        let mut bytes = Vec::new();
        ::plist::Value::Dictionary(dict).to_writer_binary(&mut bytes).unwrap();
        let e = parse_info("Info.plist", &bytes).unwrap_err().to_string();
        assert!(e.starts_with("Info.plist: `NSCameraUsageDescription` must be a string"), "{e}");
        // Keys disclose does not read keep any type; a dictionary of purpose strings is not one.
        let m = parse_info(
            "Info.plist",
            info("<key>CFBundleVersion</key><integer>7</integer>\n<key>NSLocationTemporaryUsageDescriptionDictionary</key><dict><key>Nav</key><string>x</string></dict>").as_bytes(),
        )
        .unwrap();
        assert_eq!(m.entries.len(), 2);
    }

    #[test]
    fn key_without_value_is_an_error_at_the_key() {
        let e = parse_info("Info.plist", b"<plist>\n<dict>\n  <key>NSCameraUsageDescription</key>\n</dict>\n</plist>")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "Info.plist:3:3: the key `NSCameraUsageDescription` has no value");
    }

    #[test]
    fn a_key_named_twice_is_an_error() {
        let e = parse_info(
            "Info.plist",
            b"<plist>\n<dict>\n  <key>NSMicrophoneUsageDescription</key><false/>\n  <key>NSMicrophoneUsageDescription</key>\n  <string>Voice notes.</string>\n</dict>\n</plist>",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "Info.plist:4:3: duplicate key `NSMicrophoneUsageDescription` (first on line 3)");
        // A binary dictionary whose two keys are one string object `A`.
        let twice = bplist(&[vec![0xD2, 0, 1, 0, 1, 0, 2, 0, 2], vec![0x51, b'A'], vec![0x09]]);
        let e = parse_entitlements("x.entitlements", &twice).unwrap_err().to_string();
        assert!(e.ends_with("a dictionary names the key `A` twice"), "{e}");
        let once = bplist(&[vec![0xD1, 0, 1, 0, 2], vec![0x51, b'A'], vec![0x09]]);
        assert_eq!(parse_entitlements("x.entitlements", &once).unwrap().entries.len(), 1);
    }
}
