//! Adopting disclose on an app that already has findings: `--write-baseline` records them,
//! `--baseline` reports only new ones and lists entries that no longer occur. An entry the
//! change itself adds does not hide its finding.

mod common;

use std::path::Path;
use std::process::Output;

use common::git;
use common::{disclose_in, scratch, stderr, stdout, write};

const POLICY: &str = "# Privacy\n\nLast updated: 2026-01-01\n\nWe collect your email address to send receipts.\n";

fn manifest(permissions: &[&str], padding: usize) -> String {
    let lines: String = permissions
        .iter()
        .map(|p| format!("    <uses-permission android:name=\"android.permission.{p}\" />\n"))
        .collect();
    let comments = "    <!-- build tooling -->\n".repeat(padding);
    format!("<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n{comments}{lines}</manifest>\n")
}

/// An app whose camera and contacts were never disclosed (debt), with `fail_on: warning`.
fn app(dir: &Path, side: &str, permissions: &[&str], padding: usize) {
    write(&dir.join(side).join("PRIVACY.md"), POLICY);
    write(&dir.join(side).join("app/src/main/AndroidManifest.xml"), &manifest(permissions, padding));
    write(&dir.join(side).join("disclose.yaml"), "fail_on: warning\n");
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    common::check_pair(dir, extra)
}

#[test]
fn a_baseline_holds_todays_findings_and_reports_only_new_ones() {
    let dir = scratch("baseline-folders");
    app(&dir, "old", &["CAMERA", "READ_CONTACTS"], 0);
    app(&dir, "new", &["CAMERA", "READ_CONTACTS", "INTERNET"], 0);
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(1), "the debt fails at fail_on: warning: {}", stdout(&o));
    let o = check(&dir, &["--write-baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("wrote baseline.json: 2 findings;"), "{}", stderr(&o));
    let recorded = std::fs::read_to_string(dir.join("baseline.json")).unwrap();
    assert!(!recorded.contains("\"line\""), "no line numbers: {recorded}");

    // Lines move (ten comments above the permissions), contacts is dropped, location is added.
    app(&dir, "new", &["CAMERA", "ACCESS_FINE_LOCATION"], 10);
    let o = check(&dir, &["--baseline", "baseline.json", "-f", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["category"].as_str().unwrap_or("")))
        .collect();
    assert!(rules.contains(&("undisclosed-collection", "location.precise")), "{rules:?}");
    assert!(!rules.iter().any(|(_, c)| *c == "camera"), "the camera is in the baseline: {rules:?}");
    assert_eq!(v["baseline"]["matched"], 1);
    assert_eq!(v["baseline"]["stale"][0]["category"], "contacts");

    let o = check(&dir, &["--baseline", "baseline.json"]);
    let out = stdout(&o);
    assert!(out.contains("baseline: 1 recorded finding left out (baseline.json)"), "{out}");
    assert!(out.contains("1 entry no longer occurs; remove it from baseline.json"), "{out}");
}

#[test]
fn a_malformed_or_missing_baseline_is_an_error() {
    let dir = scratch("baseline-bad");
    app(&dir, "old", &["CAMERA"], 0);
    app(&dir, "new", &["CAMERA"], 0);
    write(&dir.join("bad.json"), "{\"version\": 1, \"findings\": [{\"rule\": 3}]}");
    let o = check(&dir, &["--baseline", "bad.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: bad.json:1:"), "{}", stderr(&o));
    let o = check(&dir, &["--baseline", "missing.json"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn in_git_the_debt_is_recorded_once_and_an_entry_the_change_adds_does_not_count_yet() {
    let dir = scratch("baseline-git");
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir.join("PRIVACY.md"), POLICY);
    write(&dir.join("disclose.yaml"), "fail_on: warning\n");
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA"], 0));
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "an app with an undisclosed camera"]);
    // Adoption: record the debt (the versions are the same, and the camera is still recorded),
    // and commit the baseline.
    let o = disclose_in(&dir, &["check", "--staged", "--write-baseline", "disclose-baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("wrote disclose-baseline.json: 1 finding;"), "{}", stderr(&o));
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "adopt disclose"]);
    // A later change: the camera debt would fail at `fail_on: warning`; the baseline holds it.
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA", "INTERNET"], 3));
    git(&dir, &["add", "-A"]);
    let o = disclose_in(&dir, &["check", "--staged", "--baseline", "disclose-baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("baseline: 1 recorded finding left out"), "{}", stdout(&o));
    // A change that adds the microphone and records its own finding in the baseline.
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"], 0));
    git(&dir, &["add", "-A"]);
    let o = disclose_in(&dir, &["check", "--staged", "--write-baseline", "disclose-baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    git(&dir, &["add", "-A"]);
    let o = disclose_in(&dir, &["check", "--staged", "--baseline", "disclose-baseline.json", "-f", "json"]);
    assert_eq!(o.status.code(), Some(1), "the change's own entry does not count yet: {}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["category"], "audio.voice");
    let help = findings[0]["help"].as_str().unwrap();
    assert!(help.starts_with("disclose-baseline.json records this finding only in the change under review"), "{help}");
    assert_eq!(v["baseline"]["pending"].as_array().unwrap().len(), 1);
}
