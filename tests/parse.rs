//! Each parser on its fixture in tests/fixtures/parse: the entries it finds, with positions.

use std::fmt::Write;

use disclose::model::source::Source;
use disclose::read::manifest::{self, Kind, Manifest};
use disclose::read::policy;
use disclose::taxonomy::Taxonomy;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse").join(name))
        .expect("fixture exists")
}

fn entries(m: &Manifest) -> String {
    let mut out = String::new();
    for e in &m.entries {
        let _ = write!(out, "{}:{} {:?} {}", e.location.line, e.location.column, e.kind, e.subject);
        if let Some(sdk) = e.max_sdk {
            let _ = write!(out, " maxSdkVersion={sdk}");
        }
        if let Some(p) = &e.purpose {
            let _ = write!(out, " {p:?}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "defines: {:?}", m.defines);
    let _ = writeln!(out, "reduced accuracy: {}", m.reduced_accuracy);
    out
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/parse", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn android_manifest() {
    let m = manifest::parse("AndroidManifest.xml", Kind::Android, &fixture("AndroidManifest.xml")).expect("parses");
    snap!("android", entries(&m));
}

#[test]
fn info_plist_xml_and_binary_agree() {
    let xml = manifest::parse("Info.plist", Kind::InfoPlist, &fixture("Info.plist")).expect("XML parses");
    let bin = manifest::parse("Info.plist", Kind::InfoPlist, &fixture("Info.binary.plist")).expect("binary parses");
    let strip =
        |m: &Manifest| m.entries.iter().map(|e| (e.subject.clone(), e.kind, e.purpose.clone())).collect::<Vec<_>>();
    let mut a = strip(&xml);
    let mut b = strip(&bin);
    a.sort();
    b.sort();
    assert_eq!(a, b, "the binary plist says what the XML one says");
    assert!(bin.entries.iter().all(|e| e.location.line == 0), "binary plists have no lines");
    assert_eq!(xml.reduced_accuracy, bin.reduced_accuracy);
    snap!("info-plist", entries(&xml));
}

#[test]
fn privacy_manifest() {
    let m = manifest::parse("PrivacyInfo.xcprivacy", Kind::PrivacyManifest, &fixture("PrivacyInfo.xcprivacy"))
        .expect("parses");
    snap!("xcprivacy", entries(&m));
}

fn document(path: &str) -> String {
    let t = Taxonomy::builtin();
    let source = Source::decode(path, &fixture(path)).expect("UTF-8");
    let p = policy::parse(source, t).expect("parses");
    let mut out = String::from("sections:\n");
    for (i, s) in p.document.sections.iter().enumerate() {
        let _ = writeln!(out, "  {i}: {}", s.path.join(" > "));
    }
    out.push_str("sentences:\n");
    for s in &p.document.sentences {
        let pos = p.source.position(s.start);
        let intro = s.intro.map(|i| format!(" (intro {i})")).unwrap_or_default();
        let _ = writeln!(out, "  {}:{} [{:?} §{}{intro}] {}", pos.line, pos.column, s.kind, s.section, s.text);
    }
    out.push_str("statements:\n");
    for st in &p.statements {
        let _ = writeln!(
            out,
            "  {}:{} {:?} {} via {:?}",
            st.location.line,
            st.location.column,
            st.polarity,
            t.category(st.category).id,
            st.via
        );
    }
    out
}

#[test]
fn markdown_policy() {
    snap!("markdown", document("privacy.md"));
}

#[test]
fn text_policy() {
    snap!("text", document("privacy.txt"));
}

#[test]
fn html_policy() {
    snap!("html", document("privacy.html"));
}

#[test]
fn markdown_structure_of_a_converted_page() {
    snap!("structure-markdown", document("structure.md"));
}

#[test]
fn html_structure_of_a_converted_page() {
    snap!("structure-html", document("structure.html"));
}
