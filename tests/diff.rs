//! `disclose diff` on the fixtures of tests/fixtures/diff (see its README): what each case
//! must mean for users (asserted from the JSON contract), the rendered redline in every
//! format (snapshots), `REV:path` and stdin, and bad input.

mod common;

use std::process::Command;

use common::git;
use common::{disclose, root, scratch, stderr, stdout, write};
use serde_json::Value;

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/diff", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

/// The old and new file of a case.
fn pair(case: &str) -> (String, String) {
    let ext = if case == "html" { "html" } else { "md" };
    (format!("tests/fixtures/diff/{case}/old.{ext}"), format!("tests/fixtures/diff/{case}/new.{ext}"))
}

fn json(case: &str) -> Value {
    let (old, new) = pair(case);
    let out = disclose(&["diff", &old, &new, "--format", "json"]);
    assert!(out.status.code().is_some_and(|c| c < 2), "{case}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("diff JSON parses")
}

/// `["+location.approximate", "-biometrics"]`: the ids of one group of changes, signed.
fn ids(v: &Value, group: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (sign, key) in [('+', "added"), ('-', "removed")] {
        for c in v[group][key].as_array().expect("a list of changes") {
            let recipient = c["recipient"].as_str().map(|r| format!(" ({r})")).unwrap_or_default();
            out.push(format!("{sign}{}{recipient}", c["id"].as_str().expect("an id")));
        }
    }
    out
}

fn rules(v: &Value) -> Vec<String> {
    v["findings"].as_array().expect("findings").iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

/// What a careful reviewer expects of each case (tests/fixtures/diff/README.md).
#[test]
fn each_case_means_what_a_reviewer_expects() {
    struct Case {
        name: &'static str,
        categories: &'static [&'static str],
        denials: &'static [&'static str],
        practices: &'static [&'static str],
        controls: &'static [&'static str],
        rules: &'static [&'static str],
    }
    let none: &[&str] = &[];
    let cases = [
        Case { name: "formatting-only", categories: none, denials: none, practices: none, controls: none, rules: none },
        Case {
            name: "renamed-and-moved",
            categories: none,
            denials: none,
            practices: none,
            controls: none,
            rules: none,
        },
        Case {
            name: "practice-added",
            categories: none,
            denials: none,
            practices: &["+sharing.third_party (advertising partners)", "+advertising (advertising partners)"],
            controls: none,
            rules: &["unannounced-change", "practice-expansion"],
        },
        Case {
            name: "control-removed",
            categories: none,
            denials: none,
            practices: none,
            controls: &["-control.deletion"],
            rules: &["user-control-removed"],
        },
        Case {
            name: "categories",
            categories: &["+location.approximate"],
            denials: &["+contacts", "-biometrics"],
            practices: none,
            controls: none,
            rules: none,
        },
        Case {
            name: "changelog",
            categories: none,
            denials: none,
            practices: &["+retention"],
            controls: none,
            rules: &["practice-expansion"],
        },
        Case { name: "synonyms", categories: none, denials: none, practices: none, controls: none, rules: none },
        Case {
            name: "html",
            categories: &["+audio.voice"],
            denials: none,
            practices: none,
            controls: none,
            rules: none,
        },
        Case { name: "rewritten", categories: none, denials: none, practices: none, controls: none, rules: none },
    ];
    for c in cases {
        let v = json(c.name);
        assert_eq!(ids(&v, "categories"), c.categories, "{}: categories", c.name);
        assert_eq!(ids(&v, "denials"), c.denials, "{}: denials", c.name);
        assert_eq!(ids(&v, "practices"), c.practices, "{}: practices", c.name);
        assert_eq!(ids(&v, "controls"), c.controls, "{}: controls", c.name);
        assert_eq!(rules(&v), c.rules, "{}: findings", c.name);
    }
}

#[test]
fn formatting_only_changes_no_sentence() {
    let v = json("formatting-only");
    assert_eq!(v["formatting_only"], true);
    assert_eq!(v["sections"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["stats"]["files_differ"], true);
}

#[test]
fn renamed_and_moved_sections_are_recognised() {
    let v = json("renamed-and-moved");
    let sections = v["sections"].as_array().expect("sections");
    let renamed = sections.iter().find(|s| s["old_heading"] == "Your choices").expect("the renamed section");
    assert_eq!(renamed["heading"], "Your rights and choices");
    assert_eq!(renamed["change"], "unchanged", "its body is the same");
    assert!(sections.iter().any(|s| s["moved"] == true), "the swapped sections: {sections:#?}");
    assert_eq!(v["stats"]["moved"], 1, "the crash-report sentence moved");
    assert_eq!(v["stats"]["added"], 0);
    assert_eq!(v["stats"]["removed"], 0);
}

#[test]
fn human_redlines() {
    for case in
        ["practice-added", "renamed-and-moved", "categories", "control-removed", "synonyms", "html", "formatting-only"]
    {
        let (old, new) = pair(case);
        let out = disclose(&["diff", &old, &new]);
        snap!(format!("{case}.human"), stdout(&out));
    }
}

#[test]
fn json_markdown_and_html_of_one_case() {
    let (old, new) = pair("practice-added");
    for (format, ext) in [("json", "json"), ("markdown", "md"), ("html", "html")] {
        let out = disclose(&["diff", &old, &new, "--format", format]);
        assert_eq!(out.status.code(), Some(0), "warnings do not fail by default");
        snap!(format!("practice-added.{ext}"), stdout(&out));
    }
}

#[test]
fn fail_on_warning_fails_and_colour_marks_words() {
    let (old, new) = pair("practice-added");
    let out = disclose(&["diff", &old, &new, "--fail-on", "warning", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    let (old, new) = pair("synonyms");
    let out = common::disclose_env(&["diff", &old, &new, "--color", "always"], &[]);
    let text = stdout(&out);
    assert!(text.contains("\u{1b}[31;9mshare"), "removed words struck through in red: {text}");
    assert!(!text.contains("[-share-]"), "no word-diff marks in colour");
}

fn run_in(dir: &std::path::Path, args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_disclose"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("disclose runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    input.write_all(stdin.unwrap_or_default()).expect("stdin takes the bytes");
    drop(input);
    child.wait_with_output().expect("disclose finishes")
}

#[test]
fn rev_path_and_stdin() {
    let dir = scratch("diff-git");
    let (old, new) = pair("practice-added");
    let old_text = std::fs::read_to_string(root().join(&old)).unwrap();
    let new_text = std::fs::read_to_string(root().join(&new)).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir.join("legal/privacy.md"), &old_text);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "policy"]);
    write(&dir.join("legal/privacy.md"), &new_text);
    // REV:path against the working tree; from a subfolder with REV:./path.
    let out = run_in(&dir, &["diff", "HEAD:legal/privacy.md", "legal/privacy.md", "-f", "json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(ids(&v, "practices").len(), 2);
    let out = run_in(&dir.join("legal"), &["diff", "HEAD:./privacy.md", "privacy.md", "-q"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("warning[practice-expansion]"));
    // stdin on one side.
    let out = run_in(&dir, &["diff", "HEAD:legal/privacy.md", "-", "-q"], Some(new_text.as_bytes()));
    assert!(stdout(&out).contains("<stdin>:26:1"), "{}", stdout(&out));
    // A missing path and a missing revision are git errors with a hint.
    let out = run_in(&dir, &["diff", "HEAD:legal/nope.md", "legal/privacy.md"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("`legal/nope.md` does not exist in `HEAD`") && err.contains("git ls-tree"), "{err}");
    let out = run_in(&dir, &["diff", "v9.9:legal/privacy.md", "legal/privacy.md"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the revision `v9.9` does not exist"), "{}", stderr(&out));
    let out = run_in(&dir, &["diff", "-", "-"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_input_exits_2_with_the_place() {
    let dir = scratch("diff-bad");
    let good = root().join(pair("practice-added").0);
    let cases: [(&str, &[u8], &str); 5] = [
        ("empty.md", b"", "the policy is empty"),
        ("binary.md", b"PK\x03\x04\0\0binary", "binary"),
        ("latin1.md", b"# P\n\nNous collectons caf\xe9.\n", "latin1.md:3:20: the file is not valid UTF-8"),
        ("utf16.md", b"#\0 \0P\0r\0i\0v\0a\0c\0y\0\n\0", "UTF-16 without a byte-order mark"),
        ("conflict.md", b"# P\n\n<<<<<<< HEAD\nWe collect x.\n=======\nWe collect y.\n>>>>>>> b\n", "conflict.md:3:1"),
    ];
    for (name, bytes, want) in cases {
        std::fs::write(dir.join(name), bytes).unwrap();
        let out = run_in(&dir, &["diff", good.to_str().unwrap(), name], None);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains(want), "{name}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{name}");
    }
    let out = run_in(&dir, &["diff", good.to_str().unwrap(), "missing.md"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.md"), "{}", stderr(&out));
    // The size limit holds for files and for standard input, which has no size to ask for.
    let out = run_in(&dir, &["diff", good.to_str().unwrap(), "-", "--max-file-size", "2K"], Some(&[b'a'; 4096]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("<stdin>: the input is larger than the 2 KiB limit"), "{}", stderr(&out));
    let out = run_in(&dir, &["diff", good.to_str().unwrap(), "latin1.md", "--max-file-size", "10"], None);
    assert!(stderr(&out).contains("over the 10 bytes limit"), "{}", stderr(&out));
}

/// `disclose diff` and `disclose scan` read policies: a manifest (by its name), JSON, XML that
/// is not HTML, a property list or a binary file is refused, saying what it is, rather than
/// read as a policy that "changed nothing for users". Text under any other name, standard
/// input and a pipe (`<(git show …)`) are read as before.
#[test]
fn inputs_that_are_not_policies_are_refused() {
    let dir = scratch("diff-not-a-policy");
    let policy = std::fs::read_to_string(root().join(pair("practice-added").0)).unwrap();
    write(&dir.join("PRIVACY.md"), &policy);
    let android = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n    <uses-permission android:name=\"android.permission.RECORD_AUDIO\" />\n</manifest>\n";
    write(&dir.join("app/src/main/AndroidManifest.xml"), android);
    let out = run_in(&dir, &["diff", "app/src/main/AndroidManifest.xml", "PRIVACY.md"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        "error: `app/src/main/AndroidManifest.xml` is an Android manifest, not a policy: `disclose diff` compares two versions of a policy\n  help: use `disclose check` for manifests\n"
    );
    assert_eq!(stdout(&out), "");
    let plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><dict/></plist>\n";
    write(&dir.join("ios/Info.plist"), plist);
    write(&dir.join("old-settings.xml"), plist);
    write(&dir.join("data.json"), "{\n  \"permissions\": [\"CAMERA\"]\n}\n");
    write(&dir.join("logo.svg"), "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>\n");
    std::fs::write(dir.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(dir.join("photo"), b"\xFF\xD8\xFF\xE0\0\x10JFIF\0").unwrap();
    let cases: [(&str, &str); 7] = [
        ("ios/Info.plist", "`ios/Info.plist` is an Info.plist, not a policy"),
        ("old-settings.xml", "`old-settings.xml` is a property list, not a policy"),
        ("data.json", "`data.json` is JSON, not a policy"),
        ("logo.svg", "`logo.svg` is an XML document (`<svg>`), not a policy"),
        ("logo.png", "`logo.png` is binary (a PNG image), not a policy"),
        ("photo", "`photo` is binary (a JPEG image), not a policy"),
        (
            "HEAD:app/src/main/AndroidManifest.xml",
            "`HEAD:app/src/main/AndroidManifest.xml` is an Android manifest, not a policy",
        ),
    ];
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "app"]);
    for (input, want) in cases {
        for args in [vec!["diff", input, "PRIVACY.md"], vec!["diff", "PRIVACY.md", input]] {
            let out = run_in(&dir, &args, None);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
            assert!(stderr(&out).starts_with(&format!("error: {want}")), "{args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains("`disclose diff` compares two versions of a policy"), "{}", stderr(&out));
        }
    }
    // Standard input holding a manifest is refused too; `disclose scan` refuses the same way.
    let out = run_in(&dir, &["diff", "PRIVACY.md", "-"], Some(android.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: `<stdin>` is an XML document (`<manifest>`), not a policy"),
        "{}",
        stderr(&out)
    );
    let out = run_in(&dir, &["scan", "PRIVACY.md", "app/src/main/AndroidManifest.xml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: `app/src/main/AndroidManifest.xml` is an Android manifest, not a policy: `disclose scan` reads policies"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
    // Text under any name is a policy: no extension, `.json` that is not JSON, an XHTML
    // document, a pipe, and standard input.
    write(&dir.join("POLICY"), &policy);
    write(&dir.join("policy.json"), &policy);
    write(
        &dir.join("policy.xml"),
        &format!("<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>{}</p></body></html>\n", "We collect your email address."),
    );
    for other in ["POLICY", "policy.json", "policy.xml"] {
        let out = run_in(&dir, &["diff", "PRIVACY.md", other], None);
        assert!(out.status.code().is_some_and(|c| c < 2), "{other}: {}", stderr(&out));
    }
    let piped = Command::new("bash")
        .arg("-c")
        .arg(format!("exec {:?} diff <(cat PRIVACY.md) <(git show HEAD:PRIVACY.md)", env!("CARGO_BIN_EXE_disclose")))
        .current_dir(&dir)
        .output()
        .expect("bash runs");
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    let out = run_in(&dir, &["diff", "PRIVACY.md", "-", "-q"], Some(policy.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
