//! The rule catalog cannot drift: every YAML file under policies/rules/ is registered, every
//! registered rule has its file and its Rust module, the docs follow the conventions, and each
//! rule's `flagged` example fires exactly that rule while its `passes` example fires nothing.

use std::collections::BTreeSet;

use disclose::engine::compare::{compare, Changes};
use disclose::engine::inventory::{classify, Extra};
use disclose::engine::rules::{self, ExampleSide, Levels};
use disclose::model::source::Source;
use disclose::model::unread::Unread;
use disclose::read::manifest::{android, plist, xcprivacy};
use disclose::read::policy;
use disclose::taxonomy::Taxonomy;

fn root() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn yaml_files_and_registry_agree() {
    let files: BTreeSet<String> = std::fs::read_dir(root().join("policies/rules"))
        .expect("policies/rules exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
        .collect();
    let registered: BTreeSet<String> = rules::catalog().iter().map(|r| r.id.clone()).collect();
    assert_eq!(files, registered, "policies/rules/*.yaml and builtin_rules! in src/engine/rules/mod.rs disagree");
    let ids: Vec<&str> = rules::catalog().iter().map(|r| r.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "keep builtin_rules! sorted");
    for r in rules::catalog() {
        let module = root().join("src/engine/rules").join(format!("{}.rs", r.id.replace('-', "_")));
        assert!(module.is_file(), "{} has no {}", r.id, module.display());
    }
}

#[test]
fn docs_follow_the_conventions() {
    for r in rules::catalog() {
        assert!(r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}: ids are kebab-case", r.id);
        assert!(
            r.summary.ends_with('.') && r.summary.chars().next().is_some_and(char::is_uppercase),
            "{}: summary is one sentence",
            r.id
        );
        for (name, text) in [("message", &r.message), ("help", &r.help)] {
            assert!(!text.trim_end().ends_with('.'), "{}: {name} has no trailing period", r.id);
            let first = text.trim_start().chars().next().expect("non-empty");
            assert!(!first.is_uppercase(), "{}: {name} starts lowercase", r.id);
        }
        assert!(!r.docs.what.trim().is_empty() && !r.docs.why.trim().is_empty(), "{}: docs need what and why", r.id);
        for other in &r.replaces {
            assert!(rules::rule(other).is_some(), "{} replaces unknown rule {other}", r.id);
        }
    }
}

/// Builds an inventory from an example side with the real parsers.
fn inventory(t: &Taxonomy, side: &ExampleSide) -> disclose::engine::inventory::Inventory {
    let mut manifests = Vec::new();
    if !side.manifest.is_empty() {
        let body: String =
            side.manifest.iter().map(|p| format!("    <uses-permission android:name=\"{p}\" />\n")).collect();
        let xml =
            format!("<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n{body}</manifest>\n");
        manifests.push(android::parse("AndroidManifest.xml", xml.as_bytes()).expect("example manifest parses"));
    }
    if !side.plist.is_empty() {
        let body: String = side.plist.iter().map(|(k, v)| format!("<key>{k}</key>\n<string>{v}</string>\n")).collect();
        let xml = format!("<plist version=\"1.0\">\n<dict>\n{body}</dict>\n</plist>\n");
        manifests.push(plist::parse_info("Info.plist", xml.as_bytes()).expect("example plist parses"));
    }
    if !side.privacy.is_empty() {
        let body: String = side
            .privacy
            .iter()
            .map(|d| format!("<dict><key>NSPrivacyCollectedDataType</key><string>{d}</string></dict>\n"))
            .collect();
        let xml = format!("<plist version=\"1.0\">\n<dict>\n<key>NSPrivacyCollectedDataTypes</key>\n<array>\n{body}</array>\n</dict>\n</plist>\n");
        manifests
            .push(xcprivacy::parse("PrivacyInfo.xcprivacy", xml.as_bytes()).expect("example privacy manifest parses"));
    }
    let policy = policy::parse(Source::new("PRIVACY.md", side.policy.clone()), t).expect("example policy parses");
    let mut inventory = classify(&manifests.iter().collect::<Vec<_>>(), &[&policy], t, &Extra::new());
    let unread: Vec<Unread> = side
        .unread
        .iter()
        .map(|(path, what)| Unread { path: path.clone(), what: what.clone(), folder: false })
        .collect();
    inventory.add_unread(&unread);
    inventory
}

#[test]
fn examples_run() {
    let t = Taxonomy::builtin();
    for r in rules::catalog() {
        for (which, ex, expect) in
            [("flagged", &r.examples.flagged, Some(r.id.as_str())), ("passes", &r.examples.passes, None)]
        {
            let (old, new) = (inventory(t, &ex.old), inventory(t, &ex.new));
            let cx = compare(t, &old, &new, Changes { any: true, policy: ex.old.policy != ex.new.policy });
            let fired: Vec<&str> = rules::run(&cx, &Levels::new()).iter().map(|f| f.rule).collect();
            match expect {
                Some(id) => assert_eq!(fired, vec![id], "{}: the flagged example must fire exactly this rule", r.id),
                None => assert!(fired.is_empty(), "{}: the {which} example must fire nothing, fired {fired:?}", r.id),
            }
        }
    }
}

#[test]
fn templates_have_no_unfilled_placeholders() {
    let t = Taxonomy::builtin();
    for r in rules::catalog() {
        let ex = &r.examples.flagged;
        let (old, new) = (inventory(t, &ex.old), inventory(t, &ex.new));
        let cx = compare(t, &old, &new, Changes { any: true, policy: ex.old.policy != ex.new.policy });
        for f in rules::run(&cx, &Levels::new()) {
            for text in [&f.message, &f.help] {
                let open = text.find('{').map(|i| &text[i..]).unwrap_or("");
                assert!(!open.contains('}') || open.starts_with("{\""), "{}: unfilled placeholder in `{text}`", r.id);
            }
        }
    }
}
