//! Every input-format and configuration fixture (`tests/fixtures/inputs/<case>`): the verbose
//! human report and the JSON inventory, one snapshot each, reviewed against the case's
//! EXPECTED.md. Comparing any version with itself must find nothing.

mod common;

use std::path::Path;

use disclose::model::settings::Date;
use disclose::report::human::{self, Verbosity};
use disclose::report::{json, Palette};
use disclose::run::pipeline::{check, CheckRequest};

fn run(old: &Path, new: &Path) -> disclose::report::Report {
    // A fixed day, so that acknowledgements expire the same way on every machine.
    let today = Date::parse("2026-11-23");
    check(&CheckRequest { today, ..CheckRequest::new(old, new) })
        .unwrap_or_else(|e| panic!("{} -> {}: {e}", old.display(), new.display()))
}

fn cases() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(common::root().join("tests/fixtures/inputs"))
        .expect("tests/fixtures/inputs exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_case_reports_what_its_expected_file_says() {
    std::env::set_current_dir(common::root()).expect("the repository root exists");
    for id in cases() {
        let dir = Path::new("tests/fixtures/inputs").join(&id);
        let mut report = run(&dir.join("old"), &dir.join("new"));
        let text = human::render(&report, &Palette::plain(), Verbosity::Verbose);
        // The whole inventories (`--inventory`): what each input was read as is the point here.
        report.inventory = true;
        let json = json::render(&report);
        insta::with_settings!({ snapshot_path => "../snapshots/inputs", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("{id}"), text);
            insta::assert_snapshot!(format!("{id}-json"), json);
        });
    }
}

#[test]
fn any_version_compared_with_itself_finds_nothing() {
    for id in cases() {
        for side in ["old", "new"] {
            let v = common::root().join("tests/fixtures/inputs").join(&id).join(side);
            let report = run(&v, &v);
            let found: Vec<String> = report
                .findings
                .iter()
                // Debt a version carries is reported against itself too; nothing else may be.
                .filter(|f| f.rule != "undisclosed-existing")
                .map(|f| format!("{} {}", f.rule, f.message))
                .collect();
            assert!(found.is_empty(), "{} compared with itself: {found:#?}", v.display());
        }
    }
}
