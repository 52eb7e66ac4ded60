//! The machine-readable formats on real runs: the bundled example, a pair whose findings are
//! notes (below the failure threshold), a pair with no findings, and a pair built here whose
//! findings sit in a binary plist (no lines) under a path with `,`, `:` and `%`, with one
//! finding acknowledged and a policy sentence full of Markdown and XML punctuation.
//!
//! Each output is a snapshot, and its structure is also checked in code: SARIF rules and
//! indexes agree, URIs are relative; GitLab fingerprints are unique; JUnit parses as XML with
//! the counts it claims; every GitHub line is one workflow command; Markdown tables keep their
//! column count.

mod common;

use std::collections::BTreeSet;

use disclose::report::human::Verbosity;
use disclose::report::{self, Format, Palette, Report};
use disclose::run::pipeline::{check, CheckRequest};
use serde_json::Value;

/// Runs `check` from the repository root on relative paths, so labels do not depend on the
/// machine.
fn run(old: &str, new: &str) -> Report {
    std::env::set_current_dir(common::root()).expect("the repository root exists");
    check(&CheckRequest::new(old, new)).unwrap_or_else(|e| panic!("{old} -> {new}: {e}"))
}

fn render(report: &Report, format: Format) -> String {
    report::render(report, format, &Palette::plain(), Verbosity::Normal)
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots/formats", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name.to_string(), text);
    });
}

/// Every structural check for every format.
fn check_all(report: &Report) {
    check_sarif(report, &render(report, Format::Sarif));
    check_github(report, &render(report, Format::Github));
    check_gitlab(report, &render(report, Format::Gitlab));
    check_junit(report, &render(report, Format::Junit));
    check_markdown(&render(report, Format::Markdown));
}

fn check_sarif(report: &Report, text: &str) {
    assert!(text.ends_with('\n'));
    let log: Value = serde_json::from_str(text).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1, "exactly one run");
    let run = &runs[0];
    assert_eq!(run["automationDetails"]["id"], "disclose/");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "disclose");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules is an array");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().expect("rule id")).collect();
    let catalog: Vec<&str> = disclose::engine::rules::catalog().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.iter().copied().collect::<BTreeSet<_>>(), catalog.iter().copied().collect::<BTreeSet<_>>());
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "rules are sorted by id: {ids:?}");
    for r in rules {
        let id = r["id"].as_str().expect("rule id");
        for key in ["shortDescription", "fullDescription"] {
            let t = r[key]["text"].as_str().unwrap_or_else(|| panic!("{id}: {key}.text"));
            assert!(!t.is_empty() && t.chars().count() <= 1024, "{id}: {key}.text is empty or too long");
        }
        assert!(!r["help"]["text"].as_str().unwrap_or("").is_empty(), "{id}: help.text");
        let markdown = r["help"]["markdown"].as_str().unwrap_or("");
        assert!(markdown.contains("**How to fix**"), "{id}: help.markdown");
        assert!(!has_placeholder(markdown), "{id}: help.markdown has an unfilled placeholder");
        assert_eq!(
            r["helpUri"].as_str(),
            Some(format!("https://github.com/disclose-dev/disclose/blob/main/policies/rules/{id}.yaml").as_str())
        );
        assert!(matches!(r["defaultConfiguration"]["level"].as_str(), Some("error" | "warning" | "note")));
        assert_eq!(r["properties"]["tags"][0], "privacy");
    }
    let results = run["results"].as_array().expect("results is an array");
    assert_eq!(results.len(), report.findings.len());
    for (res, f) in results.iter().zip(&report.findings) {
        let rule_id = res["ruleId"].as_str().expect("ruleId");
        assert_eq!(rule_id, f.rule);
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids.get(index), Some(&rule_id), "ruleIndex points at the rule");
        assert_eq!(res["level"], f.level.as_str());
        assert!(res["message"]["text"].as_str().expect("message.text").starts_with(&f.message));
        assert_eq!(res["partialFingerprints"]["disclose/v1"], f.fingerprint.as_str());
        assert_eq!(res["partialFingerprints"]["primaryLocationLineHash"], format!("{}:1", f.fingerprint).as_str());
        assert_eq!(res["suppressions"].is_array(), f.acknowledged.is_some());
        let mut locations: Vec<&Value> = res["locations"].as_array().expect("locations").iter().collect();
        assert_eq!(locations.len(), 1);
        let region = &locations[0]["physicalLocation"]["region"];
        if f.primary.line == 0 {
            assert!(region.is_null(), "a file without lines has no region");
        } else {
            assert_eq!(region["startLine"].as_u64(), Some(f.primary.line as u64));
            assert!(region["endColumn"].as_u64() > region["startColumn"].as_u64(), "endColumn is exclusive");
        }
        locations.extend(res["relatedLocations"].as_array().map(|v| v.iter()).into_iter().flatten());
        for l in locations {
            let artifact = &l["physicalLocation"]["artifactLocation"];
            let uri = artifact["uri"].as_str().expect("uri");
            assert!(!uri.is_empty() && !uri.starts_with('/') && !uri.starts_with("file:"), "relative uri: {uri}");
            assert!(!uri.contains(' ') && !uri.contains("://"), "uri is a relative reference: {uri}");
            assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
            if let Some(line) = l["physicalLocation"]["region"]["startLine"].as_u64() {
                assert!(line >= 1);
            }
        }
    }
}

/// Whether text holds a template placeholder such as `{subject}`.
fn has_placeholder(text: &str) -> bool {
    text.split('{').skip(1).any(|rest| {
        rest.split_once('}')
            .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    })
}

fn check_github(report: &Report, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), report.findings.len(), "one command per finding, nothing else");
    for (line, f) in lines.iter().zip(&report.findings) {
        let (command, message) = line.split_once("::").and_then(|(_, rest)| rest.split_once("::")).expect("::cmd::msg");
        let (name, props) = command.split_once(' ').expect("a command with properties");
        assert!(matches!(name, "error" | "warning" | "notice"), "{line}");
        let keys: Vec<&str> = props.split(',').map(|p| p.split_once('=').expect("key=value").0).collect();
        let expected: &[&str] =
            if f.primary.line == 0 { &["file", "title"] } else { &["file", "line", "col", "endColumn", "title"] };
        assert_eq!(keys, expected, "{line}");
        assert!(!message.contains('\r'), "{line}");
    }
}

fn check_gitlab(report: &Report, text: &str) {
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    let issues: Vec<Value> = serde_json::from_str(text).expect("a JSON array");
    assert_eq!(issues.len(), report.findings.len());
    let fingerprints: BTreeSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().expect("fingerprint")).collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    for i in &issues {
        assert!(matches!(i["severity"].as_str(), Some("info" | "minor" | "major" | "critical" | "blocker")));
        let description = i["description"].as_str().expect("description");
        assert!(!description.is_empty() && !description.contains('\n'), "one-line description");
        assert!(i["check_name"].is_string());
        let path = i["location"]["path"].as_str().expect("path");
        assert!(!path.starts_with('/'));
        assert!(i["location"]["lines"]["begin"].as_u64() >= Some(1));
    }
}

fn check_junit(report: &Report, text: &str) {
    let doc = roxmltree::Document::parse(text).expect("JUnit is well-formed XML");
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let suite = suites.children().find(|n| n.has_tag_name("testsuite")).expect("one testsuite");
    let cases: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
    let count = |tag: &str| cases.iter().filter(|c| c.children().any(|n| n.has_tag_name(tag))).count();
    assert_eq!(cases.len(), report.findings.len().max(1));
    for node in [suites, suite] {
        assert_eq!(node.attribute("tests"), Some(cases.len().to_string().as_str()));
        assert_eq!(node.attribute("failures"), Some(count("failure").to_string().as_str()));
        assert_eq!(node.attribute("skipped"), Some(count("skipped").to_string().as_str()));
    }
    let failing = report.findings.iter().filter(|f| f.acknowledged.is_none() && report.fail_on.fails(f.level)).count();
    assert_eq!(count("failure"), failing);
    for (case, f) in cases.iter().zip(&report.findings) {
        assert_eq!(case.attribute("classname"), Some(format!("disclose.{}", f.rule).as_str()));
        assert!(case.attribute("name").expect("name").starts_with(&f.primary.path));
    }
}

/// Every row of a table has as many cells as its header: no unescaped `|` leaked from text.
fn check_markdown(text: &str) {
    assert!(text.starts_with("### disclose\n"));
    let cells = |line: &str| {
        let bytes = line.as_bytes();
        (0..bytes.len()).filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\')).count()
    };
    let mut header = None;
    for line in text.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        match header {
            None => header = Some(cells(line)),
            Some(n) => assert_eq!(cells(line), n, "row has the header's cell count: {line}"),
        }
    }
}

/// The part of a SARIF log that depends on the findings, as emitted (the rules, the same in
/// every log, are in `example-sarif`).
fn sarif_results(report: &Report) -> String {
    let text = render(report, Format::Sarif);
    let start = text.find("\"results\": [").expect("the run has results");
    text[start..].to_string()
}

#[test]
fn example_in_every_format() {
    let report = run("examples/streaming-app/v1", "examples/streaming-app/v2");
    assert_eq!(report.findings.len(), 2);
    check_all(&report);
    for (name, format) in [
        ("sarif", Format::Sarif),
        ("github", Format::Github),
        ("gitlab", Format::Gitlab),
        ("junit", Format::Junit),
        ("markdown", Format::Markdown),
    ] {
        snapshot(&format!("example-{name}"), &render(&report, format));
    }
}

#[test]
fn findings_below_the_threshold_pass() {
    let report = run("tests/fixtures/rules/unknown-permission/old", "tests/fixtures/rules/unknown-permission/new");
    assert!(!report.failed() && !report.findings.is_empty());
    check_all(&report);
    snapshot("notes-sarif-results", &sarif_results(&report));
    snapshot("notes-github", &render(&report, Format::Github));
    snapshot("notes-gitlab", &render(&report, Format::Gitlab));
    snapshot("notes-junit", &render(&report, Format::Junit));
    snapshot("notes-markdown", &render(&report, Format::Markdown));
}

#[test]
fn no_findings() {
    let report = run("examples/streaming-app/v2", "examples/streaming-app/v2");
    assert!(report.findings.is_empty());
    check_all(&report);
    assert_eq!(render(&report, Format::Github), "");
    assert_eq!(render(&report, Format::Gitlab), "[]\n");
    assert!(sarif_results(&report).starts_with("\"results\": []\n"));
    snapshot("none-junit", &render(&report, Format::Junit));
    snapshot("none-markdown", &render(&report, Format::Markdown));
}

#[test]
fn a_byte_order_mark_changes_nothing() {
    let report = run("tests/fixtures/bad/utf8-bom/old", "tests/fixtures/bad/utf8-bom/new");
    check_all(&report);
    let log: Value = serde_json::from_str(&render(&report, Format::Sarif)).expect("SARIF is JSON");
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(7), Some(5)));
}

/// A pair whose new version has a binary Info.plist (findings without lines) in a folder whose
/// name needs escaping everywhere, a policy sentence with Markdown and XML punctuation and a
/// control character, one acknowledged finding, and a note on what was compared.
#[test]
fn files_without_lines_awkward_text_and_acknowledged_findings() {
    let dir = common::scratch("formats-edge");
    let email = "# Privacy\n\nWe collect your email address.\n";
    common::write(&dir.join("old/PRIVACY.md"), email);
    common::write(
        &dir.join("new/PRIVACY.md"),
        &format!("{email}\nWe never access your camera | <b>photos</b> & \"*stuff*\" `x|y` \u{7}.\n"),
    );
    let plist = dir.join("new/ios/Tempo, 100%: beta/Info.plist");
    std::fs::create_dir_all(plist.parent().expect("a parent")).expect("folders can be made");
    std::fs::copy(common::root().join("tests/fixtures/parse/Info.binary.plist"), &plist).expect("copy the plist");
    let mut report = run(&dir.join("old").to_string_lossy(), &dir.join("new").to_string_lossy());
    report.old_label = "old".into();
    report.new_label = "new".into();
    report.note = Some("base origin/main, from GITHUB_BASE_REF <pull request> | *x*".into());
    let in_plist = report.findings.iter().filter(|f| f.primary.path.ends_with("Info.plist"));
    assert!(
        in_plist.clone().count() > 0 && in_plist.into_iter().all(|f| f.primary.line == 0),
        "binary plist findings have no line"
    );
    assert!(report.findings.iter().any(|f| f.rule == "contradicts-policy"), "the denial is read");
    let i = report.findings.iter().position(|f| f.rule != "contradicts-policy").expect("another finding");
    report.findings[i].acknowledged = Some("Reviewed by legal <team> & approved, see #12".into());
    check_all(&report);
    snapshot("edge-sarif-results", &sarif_results(&report));
    snapshot("edge-github", &render(&report, Format::Github));
    snapshot("edge-gitlab", &render(&report, Format::Gitlab));
    snapshot("edge-junit", &render(&report, Format::Junit));
    snapshot("edge-markdown", &render(&report, Format::Markdown));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_dispatcher_covers_human_and_json() {
    let report = run("examples/streaming-app/v1", "examples/streaming-app/v2");
    let human = render(&report, Format::Human);
    assert_eq!(human, disclose::report::human::render(&report, &Palette::plain(), Verbosity::Normal));
    assert_eq!(render(&report, Format::Json), disclose::report::json::render(&report));
}

#[test]
fn gitlab_fingerprints_stay_unique_when_findings_repeat() {
    let mut report = run("examples/streaming-app/v1", "examples/streaming-app/v2");
    let first = report.findings[0].clone();
    report.findings.push(first);
    let text = render(&report, Format::Gitlab);
    check_gitlab(&report, &text);
    let issues: Vec<Value> = serde_json::from_str(&text).expect("a JSON array");
    assert_eq!(issues[0]["fingerprint"], report.findings[0].fingerprint.as_str(), "the first keeps its fingerprint");
}
