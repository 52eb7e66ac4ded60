//! The change under review cannot switch its own gate off: whatever the new version's
//! disclose.yaml relaxes, the findings the old version's settings fail on keep failing, each
//! saying which setting would have hidden it. A configuration change that hides nothing passes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{scratch, stdout, write};

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/gate", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

const POLICY: &str = "# Receipts privacy\n\nLast updated: 2026-01-01\n\nWe use your camera to scan receipts.\n";

fn manifest(permissions: &[&str]) -> String {
    common::android_manifest(permissions)
}

/// A change that adds `ACCESS_FINE_LOCATION` without a word in the policy, and writes
/// `new_config` (if any) as the new version's disclose.yaml; `old_config` as the old one's.
fn change(name: &str, old_config: Option<&str>, new_config: Option<&str>) -> PathBuf {
    let dir = scratch(&format!("gate-{name}"));
    for (side, perms, config) in
        [("old", &["CAMERA"][..], old_config), ("new", &["CAMERA", "ACCESS_FINE_LOCATION"][..], new_config)]
    {
        write(&dir.join(side).join("PRIVACY.md"), POLICY);
        write(&dir.join(side).join("app/src/main/AndroidManifest.xml"), &manifest(perms));
        if let Some(text) = config {
            write(&dir.join(side).join("disclose.yaml"), text);
        }
    }
    dir
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    common::check_pair(dir, extra)
}

/// The JSON findings of a run that must fail with exit 1.
fn failing(dir: &Path) -> Vec<serde_json::Value> {
    let o = check(dir, &["-f", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    v["findings"].as_array().expect("findings").clone()
}

/// Each way the change could relax its own gate, with what the finding must then say.
const RELAXATIONS: &[(&str, &str, &str)] = &[
    ("fail-on-never", "fail_on: never\n", "sets `fail_on: never` (new/disclose.yaml:1)"),
    ("no-manifests", "manifests: []\n", "no longer reads `app/src/main/AndroidManifest.xml` (new/disclose.yaml:1)"),
    (
        "exclude",
        "exclude:\n  - \"app/**\"\n",
        "no longer reads `app/src/main/AndroidManifest.xml` (new/disclose.yaml:1)",
    ),
    (
        "permission-override",
        "permissions:\n  android.permission.ACCESS_FINE_LOCATION: []\n",
        "changes `permissions:` (new/disclose.yaml:1)",
    ),
    ("rule-off", "rules:\n  undisclosed-collection: off\n", "turns `undisclosed-collection` off (new/disclose.yaml:2)"),
    (
        "rule-lowered",
        "rules:\n  undisclosed-collection: warning\n",
        "lowers `undisclosed-collection` to warning (from error) (new/disclose.yaml:2)",
    ),
    (
        "acknowledged",
        "acknowledge:\n  - rule: undisclosed-collection\n    category: location.precise\n    reason: the policy update ships next week\n",
        "acknowledges it (\"the policy update ships next week\") (new/disclose.yaml:2)",
    ),
];

#[test]
fn every_relaxation_made_by_the_change_itself_still_fails() {
    for (name, config, reason) in RELAXATIONS {
        let dir = change(name, None, Some(config));
        let findings = failing(&dir);
        let f = findings
            .iter()
            .find(|f| f["rule"] == "undisclosed-collection" && f["category"] == "location.precise")
            .unwrap_or_else(|| panic!("{name}: the undisclosed location is reported: {findings:#?}"));
        assert_eq!(f["level"], "error", "{name}");
        assert!(f["acknowledged"].is_null(), "{name}: {f}");
        let help = f["help"].as_str().unwrap();
        assert!(help.starts_with(&format!("the new disclose.yaml {reason}, but")), "{name}: {help}");
    }
}

#[test]
fn the_human_report_says_which_setting_would_hide_the_finding() {
    let dir =
        change("human", Some("fail_on: error\n"), Some("fail_on: error\nrules:\n  undisclosed-collection: off\n"));
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(1));
    snap!("rule-turned-off", stdout(&o));
}

#[test]
fn a_relaxation_already_on_the_base_version_applies() {
    // The same settings in both versions: the change does not relax anything.
    for (name, config, _) in RELAXATIONS {
        let dir = change(&format!("{name}-landed"), Some(config), Some(config));
        let o = check(&dir, &[]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stdout(&o));
    }
}

#[test]
fn configuration_changes_that_hide_nothing_pass() {
    // An acknowledgement written ahead of the change it is for, a stricter threshold on a
    // change with nothing to report, and a policy moved with `policies:` updated.
    let dir = scratch("gate-hides-nothing");
    for side in ["old", "new"] {
        write(&dir.join(side).join("app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA"]));
    }
    write(&dir.join("old/PRIVACY.md"), POLICY);
    write(&dir.join("old/disclose.yaml"), "policies: [PRIVACY.md]\n");
    write(&dir.join("new/docs/privacy.md"), POLICY);
    write(
        &dir.join("new/disclose.yaml"),
        "policies: [docs/privacy.md]\nfail_on: warning\nacknowledge:\n  - rule: undisclosed-collection\n    category: location.precise\n    reason: ships with the store listing update\n",
    );
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_tightened_gate_applies_at_once() {
    // The new settings fail on warnings: the stricter threshold governs the run, so a rule
    // lowered to warning still fails it, at the level the new settings give.
    let dir = change("tightened", None, Some("fail_on: warning\nrules:\n  undisclosed-collection: warning\n"));
    let findings = failing(&dir);
    let f = findings.iter().find(|f| f["rule"] == "undisclosed-collection").expect("reported");
    assert_eq!(f["level"], "warning");
    assert!(!f["help"].as_str().unwrap().contains("relaxes the gate"), "{f}");
}

#[test]
fn a_configuration_given_with_config_governs_both_versions() {
    // `--config` comes from outside the change (a CI secret or a protected path): it governs.
    let dir = change("explicit", None, Some("rules:\n  undisclosed-collection: off\n"));
    write(&dir.join("trusted.yaml"), "rules:\n  undisclosed-collection: off\n");
    let o = check(&dir, &["--config", "trusted.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_file_only_the_old_settings_read_is_still_checked() {
    // The change excludes a broken manifest it adds: under the base settings it is read, and
    // the error says why.
    let dir = change("broken", None, Some("exclude:\n  - \"legacy/**\"\n"));
    write(&dir.join("new/legacy/app/src/main/AndroidManifest.xml"), "<manifest>");
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("legacy/app/src/main/AndroidManifest.xml"), "{err}");
    assert!(err.contains("the old version's disclose.yaml reads it"), "{err}");
}
