//! A gate that fails closed: what disclose cannot read is reported, never passed in silence.
//! A manifest or policy that is there but not read (a link out of the version, a dangling
//! link, a loop, a pipe, a socket, a folder, a linked or vendored source set, a git link or
//! submodule) is an `unread-file` finding; an output file can be neither planted nor pointed
//! at an input; text users never see in an HTML policy discloses nothing.

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::git;
use common::{disclose_within, scratch, stderr, stdout, write};

const DEADLINE: u64 = 60;

const POLICY: &str = common::CAMERA_POLICY;
const MANIFEST: &str = "app/src/main/AndroidManifest.xml";

fn manifest(permissions: &[&str]) -> String {
    common::android_manifest(permissions)
}

/// `old/` and `new/`: the same camera app and policy in both.
fn pair(name: &str) -> PathBuf {
    common::camera_pair(name)
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    common::check_pair(dir, extra)
}

fn show(o: &Output) -> String {
    format!("exit {:?}\n--- stdout\n{}--- stderr\n{}", o.status.code(), stdout(o), stderr(o))
}

/// The run fails with an `unread-file` error at `path`, and says so in JSON too.
fn assert_unread_error(dir: &Path, path: &str) {
    let o = check(dir, &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(out.contains("error[unread-file]:") && out.contains(&format!("`{path}`")), "{}", show(&o));
    assert!(out.contains("the old version read"), "{}", show(&o));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&check(dir, &["-f", "json", "--inventory"]))).expect("JSON");
    let skipped = &json["new"]["skipped"];
    assert!(
        skipped.as_array().is_some_and(|s| s.iter().any(|e| e["path"] == path && e["reason"].is_string())),
        "{path} is not under `skipped`: {skipped}"
    );
    assert!(json["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "unread-file" && f["path"] == path));
}

#[test]
fn a_manifest_that_is_there_but_not_read_fails_the_run() {
    // Each way of replacing the manifest with something disclose does not read.
    type Plant = fn(&Path, &Path);
    let cases: [(&str, Plant); 6] = [
        ("outside", |dir, at| {
            write(&dir.join("elsewhere/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"]));
            symlink(dir.join("elsewhere/AndroidManifest.xml"), at).unwrap();
        }),
        ("dangling", |_, at| symlink("nowhere.xml", at).unwrap()),
        ("loop", |_, at| symlink("AndroidManifest.xml", at).unwrap()),
        ("fifo", |_, at| assert!(Command::new("mkfifo").arg(at).status().unwrap().success())),
        ("socket", |_, at| {
            std::mem::forget(std::os::unix::net::UnixListener::bind(at).unwrap());
        }),
        ("folder", |_, at| std::fs::create_dir(at).unwrap()),
    ];
    for (name, plant) in cases {
        let dir = pair(&format!("unread-{name}"));
        let at = dir.join("new").join(MANIFEST);
        std::fs::remove_file(&at).unwrap();
        plant(&dir, &at);
        assert_unread_error(&dir, MANIFEST);
    }
}

#[test]
fn a_source_set_moved_to_vendor_and_linked_back_fails_the_run() {
    let dir = pair("unread-vendored");
    let new = dir.join("new");
    std::fs::create_dir_all(new.join("vendor")).unwrap();
    std::fs::rename(new.join("app/src/main"), new.join("vendor/main")).unwrap();
    write(&new.join("vendor/main/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"]));
    symlink("../../vendor/main", new.join("app/src/main")).unwrap();
    assert_unread_error(&dir, "app/src/main");
    let o = check(&dir, &["-v"]);
    assert!(
        stdout(&o).contains("not analysed: app/src/main is a link to a folder disclose never searches"),
        "{}",
        show(&o)
    );

    // Linked to a folder disclose searches, the manifest is read where it is: nothing to say.
    std::fs::rename(new.join("vendor/main"), new.join("shared")).unwrap();
    std::fs::remove_file(new.join("app/src/main")).unwrap();
    symlink("../../shared", new.join("app/src/main")).unwrap();
    let o = check(&dir, &[]);
    assert!(!stdout(&o).contains("unread-file") && stdout(&o).contains("RECORD_AUDIO"), "{}", show(&o));
}

#[test]
fn a_policy_replaced_by_a_link_out_of_the_version_fails_the_run() {
    let dir = pair("unread-policy");
    write(&dir.join("elsewhere.md"), "We use your camera to scan receipts. We record your voice.\n");
    std::fs::remove_file(dir.join("new/PRIVACY.md")).unwrap();
    symlink(dir.join("elsewhere.md"), dir.join("new/PRIVACY.md")).unwrap();
    assert_unread_error(&dir, "PRIVACY.md");
}

#[test]
fn a_new_unread_entry_is_a_warning_once_and_listed_every_time() {
    let dir = pair("unread-new");
    symlink("/dev/null", dir.join("new/app/src/main/Info.plist")).unwrap();
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(
        stdout(&o).contains("warning[unread-file]: `app/src/main/Info.plist` is a link to a place outside"),
        "{}",
        show(&o)
    );
    for (format, needle) in [
        ("sarif", "\"ruleId\": \"unread-file\""),
        ("github", "::warning file=app/src/main/Info.plist"),
        ("gitlab", "unread-file"),
        ("junit", "unread-file"),
        ("markdown", "unread-file"),
    ] {
        let out = stdout(&check(&dir, &["-f", format]));
        assert!(out.contains(needle), "{format}: no `{needle}` in\n{out}");
    }
    assert_eq!(check(&dir, &["--fail-on", "warning"]).status.code(), Some(1));
    // The old version had it too: not reported again, but still listed.
    symlink("/dev/null", dir.join("old/app/src/main/Info.plist")).unwrap();
    let o = check(&dir, &["-f", "json", "--inventory"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(0), "{}", show(&o));
    assert_eq!(json["new"]["skipped"][0]["path"], "app/src/main/Info.plist");
    // Excluded in disclose.yaml: not reported at all.
    write(&dir.join("new/disclose.yaml"), "exclude: [\"**/Info.plist\"]\n");
    std::fs::remove_file(dir.join("old/app/src/main/Info.plist")).unwrap();
    let o = check(&dir, &["-f", "json", "--inventory"]);
    assert!(!stdout(&o).contains("Info.plist"), "{}", show(&o));
}

fn in_repo(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_disclose"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for v in ["GITHUB_BASE_REF", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"] {
        cmd.env_remove(v);
    }
    cmd.output().expect("disclose runs")
}

fn repo(name: &str) -> PathBuf {
    let dir = scratch(name);
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir.join(MANIFEST), &manifest(&["CAMERA"]));
    write(&dir.join("PRIVACY.md"), POLICY);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "initial"]);
    dir
}

fn assert_git_unread(o: &Output, path: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", show(o));
    assert!(stdout(o).contains(&format!("error[unread-file]: `{path}`")), "{}", show(o));
}

#[test]
fn git_links_and_submodules_where_a_manifest_was_read_fail_the_run() {
    // A commit that moves the source set into vendor/ and links it back.
    let dir = repo("unread-git-link");
    std::fs::create_dir_all(dir.join("vendor")).unwrap();
    std::fs::rename(dir.join("app/src/main"), dir.join("vendor/main")).unwrap();
    write(&dir.join("vendor/main/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"]));
    symlink("../../vendor/main", dir.join("app/src/main")).unwrap();
    // The working tree: the link is on disk.
    assert_git_unread(&in_repo(&dir, &["check", "--base", "HEAD"]), "app/src/main");
    git(&dir, &["add", "-A"]);
    // The index: git records a link (mode 120000).
    assert_git_unread(&in_repo(&dir, &["check", "--staged"]), "app/src/main");
    // A hook that passes the changed paths (lint-staged): the link is one of them.
    assert_git_unread(&in_repo(&dir, &["check", "--staged", "app/src/main"]), "app/src/main");
    git(&dir, &["commit", "-qm", "vendor the source set"]);
    // A commit.
    assert_git_unread(&in_repo(&dir, &["check", "--base", "HEAD~1", "--head", "HEAD"]), "app/src/main");

    // A manifest replaced by a submodule (a gitlink, mode 160000) in the index.
    let dir = repo("unread-git-submodule");
    let head = git(&dir, &["rev-parse", "HEAD"]);
    git(&dir, &["rm", "-q", "--cached", MANIFEST]);
    git(&dir, &["update-index", "--add", "--cacheinfo", &format!("160000,{},app/src/main", head.trim())]);
    assert_git_unread(&in_repo(&dir, &["check", "--staged"]), "app/src/main");

    // A policy replaced by a link in a commit.
    let dir = repo("unread-git-policy");
    std::fs::rename(dir.join("PRIVACY.md"), dir.join("legal.txt")).unwrap();
    symlink("legal.txt", dir.join("PRIVACY.md")).unwrap();
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "link the policy"]);
    assert_git_unread(&in_repo(&dir, &["check", "--base", "HEAD~1", "--head", "HEAD"]), "PRIVACY.md");
}

fn assert_usage(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", show(o));
    assert!(stderr(o).starts_with("error: ") && stderr(o).contains(needle), "{}", show(o));
}

#[test]
fn two_outputs_on_one_path_or_an_output_onto_an_input_are_usage_errors() {
    let dir = pair("outputs");
    write(&dir.join("cfg.yaml"), "fail_on: error\n");
    let same = "write to the same file";
    let over = "which this run reads as input";
    for (args, needle) in [
        (vec!["-o", "r.json", "--report", "json=r.json"], same),
        (vec!["--report", "sarif=r.json", "--report", "json=./r.json"], same),
        (vec!["-o", "new/PRIVACY.md"], over),
        (vec!["-o", "old/PRIVACY.md", "-f", "json"], over),
        (vec!["--report", "sarif=new/app/src/main/../main/AndroidManifest.xml"], over),
        (vec!["--config", "cfg.yaml", "-o", "cfg.yaml"], over),
        (vec!["-o", "new/disclose.yaml"], over),
    ] {
        let o = check(&dir, &args);
        assert_usage(&o, needle);
        // Nothing was written, and every input is whole.
        assert!(!dir.join("r.json").exists(), "{args:?}");
        assert!(!dir.join("new/disclose.yaml").exists(), "{args:?}");
        assert_eq!(std::fs::read_to_string(dir.join("new/PRIVACY.md")).unwrap(), POLICY, "{args:?}");
        assert_eq!(std::fs::read_to_string(dir.join("old/PRIVACY.md")).unwrap(), POLICY, "{args:?}");
        assert_eq!(std::fs::read_to_string(dir.join("new").join(MANIFEST)).unwrap(), manifest(&["CAMERA"]));
        assert_eq!(std::fs::read_to_string(dir.join("cfg.yaml")).unwrap(), "fail_on: error\n");
    }
    // Different paths are fine.
    let o = check(&dir, &["-o", "a.txt", "--report", "json=b.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // diff and scan: the policies they read.
    let o = disclose_within(&dir, &["diff", "old/PRIVACY.md", "new/PRIVACY.md", "-o", "new/PRIVACY.md"], DEADLINE);
    assert_usage(&o, over);
    let o = disclose_within(&dir, &["scan", "new/PRIVACY.md", "-o", "./new/PRIVACY.md"], DEADLINE);
    assert_usage(&o, over);
    assert_eq!(std::fs::read_to_string(dir.join("new/PRIVACY.md")).unwrap(), POLICY);
    // A git run: the working tree's files.
    let dir = repo("outputs-git");
    assert_usage(&in_repo(&dir, &["check", "--base", "HEAD", "-o", "PRIVACY.md"]), over);
    assert_eq!(std::fs::read_to_string(dir.join("PRIVACY.md")).unwrap(), POLICY);
}

#[test]
fn text_users_never_see_in_an_html_policy_discloses_and_denies_nothing() {
    let dir = common::root().join("tests/fixtures/inputs/hidden-html");
    let o = disclose_within(&dir, &["check", "--old", "old", "--new", "new", "-f", "json", "--inventory"], DEADLINE);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let findings: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["subject"].as_str().unwrap_or("")))
        .collect();
    // The microphone is disclosed only in a `display: none` div (and other hidden places),
    // and a hidden denial of location contradicts nothing.
    assert_eq!(findings, vec![("undisclosed-collection", "android.permission.RECORD_AUDIO")], "{}", show(&o));
    let denials = &json["new"]["denials"];
    assert_eq!(denials.as_array().map(Vec::len), Some(0), "{denials}");
}
