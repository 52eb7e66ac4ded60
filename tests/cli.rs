//! The real binary on the bundled example, the CLI fixtures and every bad input: exit codes,
//! human and JSON output, and the one-sentence errors.

mod common;

use common::{disclose, stderr, stdout};

macro_rules! snap {
    ($area:literal, $name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => concat!("../snapshots/", $area), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

const V1: &str = "examples/streaming-app/v1";
const V2: &str = "examples/streaming-app/v2";

#[test]
fn example_human() {
    let o = disclose(&["check", "--old", V1, "--new", V2]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    snap!("cli", "example-human", stdout(&o));
}

#[test]
fn example_verbose_lists_the_disclosing_sentences() {
    let o = disclose(&["check", "--old", V1, "--new", V2, "-v"]);
    assert_eq!(o.status.code(), Some(1));
    snap!("cli", "example-verbose", stdout(&o));
}

#[test]
fn example_json_is_the_contract() {
    let o = disclose(&["check", "--old", V1, "--new", V2, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    for key in ["version", "tool", "summary", "findings", "changes"] {
        assert!(v.get(key).is_some(), "missing top-level `{key}`");
    }
    assert_eq!(v["version"], 2);
    assert!(v.get("old").is_none() && v.get("new").is_none(), "the whole inventories only with --inventory");
    let f = &v["findings"][0];
    for key in [
        "rule",
        "level",
        "category",
        "subject",
        "path",
        "line",
        "column",
        "message",
        "help",
        "evidence",
        "acknowledged",
        "fingerprint",
    ] {
        assert!(f.get(key).is_some(), "finding lacks `{key}`");
    }
    for key in ["requests", "disclosures", "denials", "practices"] {
        assert!(v["changes"][key]["added"].is_array(), "changes lack `{key}.added`");
        assert!(v["changes"][key]["removed"].is_array(), "changes lack `{key}.removed`");
    }
    // The example adds ACCESS_FINE_LOCATION: an added request, at its line in the new version.
    let added = v["changes"]["requests"]["added"].as_array().unwrap();
    assert!(added.iter().any(|r| r["subject"] == "android.permission.ACCESS_FINE_LOCATION" && r["line"] == 14));
    snap!("cli", "example-json", text);

    // --inventory: both whole inventories instead of the changes.
    let o = disclose(&["check", "--old", V1, "--new", V2, "--format", "json", "--inventory"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert!(v.get("changes").is_none());
    for key in ["requests", "disclosures", "denials", "practices"] {
        assert!(v["old"][key].is_array() && v["new"][key].is_array(), "inventory lacks `{key}`");
    }
    // Every request the changes list as added is in the new inventory and not the old one.
    let subjects = |side: &str| -> Vec<String> {
        v[side]["requests"].as_array().unwrap().iter().map(|r| format!("{}|{}", r["subject"], r["path"])).collect()
    };
    let (old, new) = (subjects("old"), subjects("new"));
    for r in added {
        let key = format!("{}|{}", r["subject"], r["path"]);
        assert!(new.contains(&key) && !old.contains(&key), "{key}");
    }
}

#[test]
fn example_in_colour() {
    let o = common::disclose_env(&["check", "--old", V1, "--new", V2, "--color", "always"], &[]);
    let text = stdout(&o);
    assert!(text.contains("\u{1b}[31;1merror"), "errors are bold red");
    snap!("cli", "example-colour", text);
}

#[test]
fn colour_follows_the_environment() {
    let plain =
        common::disclose_env(&["check", "--old", V1, "--new", V2], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
    assert!(!stdout(&plain).contains('\u{1b}'), "NO_COLOR wins over CLICOLOR_FORCE");
    let forced = common::disclose_env(&["check", "--old", V1, "--new", V2], &[("CLICOLOR_FORCE", "1")]);
    assert!(stdout(&forced).contains('\u{1b}'), "CLICOLOR_FORCE colours a pipe");
    for (value, coloured) in [("1", true), ("3", true), ("0", false), ("false", false)] {
        let o = common::disclose_env(&["check", "--old", V1, "--new", V2], &[("FORCE_COLOR", value)]);
        assert_eq!(stdout(&o).contains('\u{1b}'), coloured, "FORCE_COLOR={value}");
    }
    let o = common::disclose_env(&["check", "--old", V1, "--new", V2], &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]);
    assert!(!stdout(&o).contains('\u{1b}'), "NO_COLOR wins over FORCE_COLOR");
    let piped = common::disclose_env(&["check", "--old", V1, "--new", V2], &[]);
    assert!(!stdout(&piped).contains('\u{1b}'), "a pipe is not a terminal");
}

#[test]
fn fail_on_and_output_file() {
    let o = disclose(&["check", "--old", V1, "--new", V2, "--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0));
    let dir = common::scratch("output");
    let out = dir.join("report.json");
    let o = disclose(&["check", "--old", V1, "--new", V2, "-f", "json", "-o", out.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty(), "-o sends the report to the file only");
    let written = std::fs::read_to_string(&out).expect("the report was written");
    assert!(written.starts_with("{\n  \"version\": 2,"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind: {leftovers:?}");
}

#[test]
fn extra_reports_in_the_same_run() {
    let dir = common::scratch("reports");
    let json = dir.join("out.json");
    let human = dir.join("out.txt");
    let arg_json = format!("json={}", json.display());
    let arg_human = format!("human={}", human.display());
    let o = disclose(&["check", "--old", V1, "--new", V2, "--report", &arg_json, "--report", &arg_human]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("error[undisclosed-collection]"), "human output still goes to stdout");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json report")).expect("valid");
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(std::fs::read_to_string(&human).expect("human report"), stdout(&o), "a file gets no colour");
    let o = disclose(&["check", "--old", V1, "--new", V2, "--report", "yaml=x.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown format `yaml`"), "{}", stderr(&o));
}

#[test]
fn conflicting_sides_are_usage_errors() {
    for args in [
        vec!["check", "--staged", "--base", "main"],
        vec!["check", "--old", V1],
        vec!["check", "--old", V1, "--new", V2, "--staged"],
    ] {
        let o = disclose(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn quiet_prints_findings_only() {
    let o = disclose(&["check", "--old", V1, "--new", V1, "-q"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
}

#[test]
fn explain() {
    let o = disclose(&["explain"]);
    assert_eq!(o.status.code(), Some(0));
    snap!("cli", "explain-list", stdout(&o));
    let o = disclose(&["explain", "undisclosed-collection"]);
    assert_eq!(o.status.code(), Some(0));
    snap!("cli", "explain-undisclosed-collection", stdout(&o));
    let o = disclose(&["explain", "undisclosed-colection"]);
    assert_eq!(o.status.code(), Some(2));
    snap!("cli", "explain-unknown", stderr(&o));
}

#[test]
fn unknown_flags_are_usage_errors() {
    let o = disclose(&["check", "--frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cli_fixtures() {
    for (case, code) in [("renamed-paths", 1), ("config-levels", 1), ("discovery", 1), ("sharing-denials", 1)] {
        let old = format!("tests/fixtures/cli/{case}/old");
        let new = format!("tests/fixtures/cli/{case}/new");
        let o = disclose(&["check", "--old", &old, "--new", &new, "-v"]);
        assert_eq!(o.status.code(), Some(code), "{case}: {}{}", stdout(&o), stderr(&o));
        snap!("cli", case, stdout(&o));
    }
}

#[test]
fn explicit_config_overrides_the_settings() {
    let o = disclose(&["check", "--old", V1, "--new", V2, "--config", "tests/fixtures/cli/explicit-config.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("warning[contradicts-policy]") && !out.contains("undisclosed-collection"), "{out}");
    assert!(out.contains("0 errors, 1 warning"), "{out}");
    let o = disclose(&["check", "--old", V1, "--new", V2, "--config", "tests/fixtures/cli/missing.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: cannot read `tests/fixtures/cli/missing.yaml`: No such file or directory\n");
}

#[test]
fn config_levels_fail_on_from_the_new_version_and_the_flag_overrides_it() {
    let (old, new) = ("tests/fixtures/cli/config-levels/old", "tests/fixtures/cli/config-levels/new");
    let o = disclose(&["check", "--old", old, "--new", new, "--fail-on", "error"]);
    assert_eq!(o.status.code(), Some(0), "the finding is a warning; --fail-on error lets it pass");
}

/// Every bad input exits 2 with `path:line:col` where known and one sentence; nothing panics.
#[test]
fn bad_inputs() {
    let mut cases: Vec<String> = std::fs::read_dir(common::root().join("tests/fixtures/bad"))
        .expect("tests/fixtures/bad exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "{cases:?}");
    for case in cases {
        let old = format!("tests/fixtures/bad/{case}/old");
        let new = format!("tests/fixtures/bad/{case}/new");
        let o = disclose(&["check", "--old", &old, "--new", &new]);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{case} panicked: {err}");
        if case == "not-an-extension" {
            // A web-app manifest.json is not an extension's: skipped, and `-v` says why.
            assert_eq!(o.status.code(), Some(0), "{case}: {err}");
            let v = disclose(&["check", "--old", &old, "--new", &new, "-v"]);
            assert!(stdout(&v).contains("public/manifest.json has no `manifest_version`"), "{}", stdout(&v));
            assert!(!stdout(&o).contains("manifest_version"), "{}", stdout(&o));
            continue;
        }
        if ["utf8-bom", "utf16", "utf16-policy"].contains(&case.as_str()) {
            // A byte-order mark makes the encoding certain: the file is read, at the right
            // columns (the finding or the disclosure proves the text was decoded).
            assert_eq!(o.status.code(), Some(if case == "utf16-policy" { 0 } else { 1 }), "{case}: {err}");
            snap!("bad", case.clone(), stdout(&o));
        } else {
            assert_eq!(o.status.code(), Some(2), "{case} must exit 2: {}{err}", stdout(&o));
            assert!(err.starts_with("error: "), "{case}: {err}");
            snap!("bad", case.clone(), err);
        }
    }
}

#[test]
fn missing_folder() {
    let o = disclose(&["check", "--old", "does/not/exist", "--new", V2]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: cannot read `does/not/exist`: No such file or directory\n");
}

/// A policy that keeps its own change log announces a change with a new entry, as another
/// policy does with a new date (Automattic's policies work this way).
#[test]
fn a_new_change_log_entry_announces_a_change() {
    let dir = common::scratch("changelog");
    let policy = |extra: &str, entries: &str| {
        format!("# Privacy\n\nWe collect your email address.{extra}\n\n### Change log\n\n{entries}* _March 1, 2025_: First version.\n")
    };
    let added = " We collect your approximate location, based on your IP address.";
    common::write(&dir.join("old/PRIVACY.md"), &policy("", ""));
    common::write(&dir.join("announced/PRIVACY.md"), &policy(added, "* _June 1, 2025_: Added location.\n"));
    common::write(&dir.join("silent/PRIVACY.md"), &policy(added, ""));
    let run = |new: &str| {
        let o = disclose(&[
            "check",
            "--old",
            dir.join("old").to_str().expect("utf-8"),
            "--new",
            dir.join(new).to_str().expect("utf-8"),
        ]);
        stdout(&o)
    };
    assert!(!run("announced").contains("unannounced-change"), "{}", run("announced"));
    let silent = run("silent");
    assert!(
        silent.contains(
            "warning[unannounced-change]: PRIVACY.md changes what it tells users, but its change log has no new entry"
        ),
        "{silent}"
    );
}

/// `notice.changelog` names a change-log file beside the policy: a new entry there announces a
/// change; `notice.date: optional` without any change log requires nothing.
#[test]
fn a_configured_change_log_file_announces_a_change() {
    let dir = common::scratch("notice");
    let policy =
        |extra: &str| format!("# Privacy\n\nLast updated: March 1, 2025\n\nWe collect your email address.{extra}\n");
    let added = " We collect your approximate location, based on your IP address.";
    let config = |date: &str| format!("notice:\n  date: {date}\n  changelog: legal/CHANGELOG.md\n");
    let log = "# Changes\n\n- March 1, 2025: first version\n";
    for (name, date, text, entry) in [
        ("old", "required", "", Some("")),
        ("announced", "required", added, Some("- June 1, 2025: location\n")),
        ("silent", "required", added, Some("")),
        ("no-log", "required", added, None),
    ] {
        common::write(&dir.join(format!("{name}/PRIVACY.md")), &policy(text));
        common::write(&dir.join(format!("{name}/disclose.yaml")), &config(date));
        if let Some(entry) = entry {
            common::write(&dir.join(format!("{name}/legal/CHANGELOG.md")), &format!("{log}{entry}"));
        }
    }
    common::write(&dir.join("optional/PRIVACY.md"), &policy(added));
    common::write(&dir.join("optional/disclose.yaml"), "notice:\n  date: optional\n");
    let run = |new: &str| {
        let o =
            disclose(&["check", "--old", dir.join("old").to_str().unwrap(), "--new", dir.join(new).to_str().unwrap()]);
        assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
        stdout(&o)
    };
    assert!(!run("announced").contains("unannounced-change"), "{}", run("announced"));
    assert!(!run("optional").contains("unannounced-change"), "{}", run("optional"));
    let silent = run("silent");
    assert!(
        silent.contains("but its date still reads \"March 1, 2025\" and legal/CHANGELOG.md has no new entry"),
        "{silent}"
    );
    assert!(run("no-log").contains("and the change log legal/CHANGELOG.md does not exist"), "{}", run("no-log"));
    // A misspelt key under `notice` is an error with the line.
    common::write(&dir.join("bad/PRIVACY.md"), &policy(""));
    common::write(&dir.join("bad/disclose.yaml"), "notice:\n  changlog: x.md\n");
    let o =
        disclose(&["check", "--old", dir.join("old").to_str().unwrap(), "--new", dir.join("bad").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("changlog"), "{}", stderr(&o));
}

/// `disclose init` writes a commented disclose.yaml naming what it found, never over an
/// existing one; `disclose config` shows each value with its origin; `disclose categories`
/// lists the taxonomy with the repository's own categories added.
#[test]
fn init_config_and_categories() {
    let dir = common::scratch("init");
    common::copy_tree(&common::root().join("tests/fixtures/inputs/monorepo/new"), &dir);
    std::fs::remove_file(dir.join("disclose.yaml")).expect("the fixture has a disclose.yaml");
    let o = common::disclose_in(&dir, &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(dir.join("disclose.yaml")).expect("init wrote disclose.yaml");
    assert!(written.contains("policies:\n  - legal/extension-privacy.md\n  - legal/mobile-privacy.md\n"), "{written}");
    assert!(written.contains("#   - name: mobile\n#     manifests: [\"apps/mobile/**\"]"), "{written}");
    let again = common::disclose_in(&dir, &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(dir.join("disclose.yaml")).unwrap(), written, "never overwritten");
    let printed = common::disclose_in(&dir, &["init", "--stdout"]);
    assert_eq!(stdout(&printed), written);

    let config = "fail_on: warning\nrules:\n  stale-disclosure: off\ncategories:\n  - id: health.glucose\n    parent: health\n    vocabulary: [glucose, blood sugar]\n";
    common::write(&dir.join("disclose.yaml"), config);
    let o = common::disclose_in(&dir, &["config"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    snap!("cli", "config", stdout(&o).replace(&dir.display().to_string(), "<repo>"));
    let o = common::disclose_in(&dir, &["categories", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("categories JSON parses");
    let ids: Vec<&str> = json["categories"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"health.glucose") && ids.contains(&"location.precise"), "{ids:?}");
    let precise = json["categories"].as_array().unwrap().iter().find(|c| c["id"] == "location.precise").unwrap();
    assert!(precise["requested_by"].as_array().unwrap().iter().any(|r| r == "android:ACCESS_FINE_LOCATION"));

    common::write(&dir.join("disclose.yaml"), "collects: [acount.email]\n");
    let o = common::disclose_in(&dir, &["config"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `account.email`?"), "{}", stderr(&o));
    // Every problem in one run, each its own block, for `config` and `categories` as for `check`.
    common::write(
        &dir.join("disclose.yaml"),
        "collects: [acount.email]\nrules:\n  stale-disclosure: loud\n  stale-disclosure: off\nfail_on: always\n",
    );
    for command in ["config", "categories"] {
        let o = common::disclose_in(&dir, &[command]);
        assert_eq!(o.status.code(), Some(2), "{command}");
        assert_eq!(stdout(&o), "", "{command}");
        let err = stderr(&o).replace(&format!("{}/", dir.display()), "");
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(
            errors,
            vec![
                "error: disclose.yaml:1:12: unknown category `acount.email` under `collects`",
                "error: disclose.yaml:3:21: `rules.stale-disclosure` must be `off`, `note`, `warning` or `error`, not `loud`",
                "error: disclose.yaml:4:3: duplicate key `stale-disclosure` (first on line 3)",
                "error: disclose.yaml:5:10: `fail_on` must be `error`, `warning`, `note` or `never`, not `always`",
            ],
            "{command}: {err}"
        );
        assert_eq!(err.lines().filter(|l| l.starts_with("  help: ")).count(), 4, "each has its help: {err}");
    }
    // `init` never reads the file it would not overwrite.
    let o = common::disclose_in(&dir, &["init", "--stdout"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn completions_for_every_shell_and_manual_pages_come_from_the_command_line_definition() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = disclose(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for sub in ["check", "diff", "scan", "explain"] {
            assert!(script.contains(sub), "{shell} completes `{sub}`");
        }
    }
    // The bash script is valid bash.
    let bash = stdout(&disclose(&["completions", "bash"]));
    let path = common::scratch("completions").join("disclose.bash");
    std::fs::write(&path, bash).unwrap();
    let syntax = std::process::Command::new("bash").arg("-n").arg(&path).output().expect("bash runs");
    assert!(syntax.status.success(), "{}", String::from_utf8_lossy(&syntax.stderr));
    // One page for the tool, one per subcommand, each a roff page with its name and options.
    let main = stdout(&disclose(&["man"]));
    assert!(main.contains(".TH disclose 1") && main.contains("disclose\\-check(1)"), "{main}");
    let check = stdout(&disclose(&["man", "check"]));
    assert!(check.contains(".TH disclose-check 1") && check.contains("\\-\\-staged"), "{check}");
    let o = disclose(&["man", "chek"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no subcommand `chek`"), "{}", stderr(&o));
}
