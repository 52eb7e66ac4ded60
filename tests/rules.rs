//! Every rule on every fixture pair (cargo-semver-checks' habit): one snapshot per pair,
//! holding every finding of every rule, so a rule that fires where it should not shows up as
//! an extra entry in review. Comparing any version with itself must find nothing.

mod common;

use std::path::Path;

use disclose::report::human::{self, Verbosity};
use disclose::report::Palette;
use disclose::run::pipeline::{check, CheckRequest};

fn run(old: &Path, new: &Path) -> disclose::report::Report {
    check(&CheckRequest::new(old, new)).unwrap_or_else(|e| panic!("{} -> {}: {e}", old.display(), new.display()))
}

fn pairs() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(common::root().join("tests/fixtures/rules"))
        .expect("tests/fixtures/rules exists")
        .map(|e| e.expect("readable entry").file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_rule_has_a_fixture_pair_and_fires_on_it() {
    let ids = pairs();
    for rule in disclose::engine::rules::catalog() {
        assert!(ids.contains(&rule.id), "tests/fixtures/rules/{} is missing", rule.id);
        let dir = common::root().join("tests/fixtures/rules").join(&rule.id);
        let report = run(&dir.join("old"), &dir.join("new"));
        assert!(report.findings.iter().any(|f| f.rule == rule.id), "{} does not fire on its own fixture pair", rule.id);
    }
}

#[test]
fn every_rule_on_every_pair() {
    for id in pairs() {
        let dir = common::root().join("tests/fixtures/rules").join(&id);
        std::env::set_current_dir(common::root()).expect("the repository root exists");
        let old = Path::new("tests/fixtures/rules").join(&id).join("old");
        let new = Path::new("tests/fixtures/rules").join(&id).join("new");
        assert!(dir.join("old").is_dir() && dir.join("new").is_dir());
        let report = run(&old, &new);
        let text = human::render(&report, &Palette::plain(), Verbosity::Verbose);
        insta::with_settings!({ snapshot_path => "../snapshots/rules", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(id.clone(), text);
        });
    }
}

#[test]
fn any_version_compared_with_itself_finds_nothing() {
    let mut versions: Vec<std::path::PathBuf> = Vec::new();
    for id in pairs() {
        let dir = common::root().join("tests/fixtures/rules").join(&id);
        versions.push(dir.join("old"));
        versions.push(dir.join("new"));
    }
    for cli in ["renamed-paths", "config-levels", "discovery", "sharing-denials"] {
        let dir = common::root().join("tests/fixtures/cli").join(cli);
        versions.push(dir.join("old"));
        versions.push(dir.join("new"));
    }
    versions.push(common::root().join("examples/streaming-app/v1"));
    versions.push(common::root().join("examples/streaming-app/v2"));
    for v in versions {
        let report = run(&v, &v);
        let found: Vec<String> = report.findings.iter().map(|f| format!("{} {}", f.rule, f.message)).collect();
        assert!(found.is_empty(), "{} compared with itself: {found:#?}", v.display());
    }
}
