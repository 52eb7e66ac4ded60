//! `disclose check` on real git repositories built in temporary folders: a pull-request
//! branch, the staged change (partial staging, deleted policy, renamed manifest, first
//! commit), shallow clones, subfolders, detached HEAD, worktrees, and CI base variables.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::git;
use common::{scratch, stderr, stdout, write};

const POLICY: &str = "# Privacy\n\nLast updated: March 1, 2025\n\nWe collect your email address to run your account.\n";
const POLICY_VOICE: &str = "# Privacy\n\nLast updated: June 1, 2025\n\nWe collect your email address to run your account.\n\nWe record your voice when you use voice search.\n";

fn manifest(perms: &[&str]) -> String {
    let body: String =
        perms.iter().map(|p| format!("    <uses-permission android:name=\"android.permission.{p}\" />\n")).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n{body}</manifest>\n"
    )
}

/// A repository on `main` with one commit: an Android app requesting INTERNET and a policy.
fn repo(name: &str) -> PathBuf {
    let dir = scratch(name);
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET"]));
    write(&dir.join("PRIVACY.md"), POLICY);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "initial"]);
    dir
}

/// Runs disclose in `dir` with no CI variables unless given.
fn disclose_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_disclose"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    // `CI` too: the suite itself runs in CI (`.ci/run` sets it), and a test that means CI says so.
    for v in ["CI", "GITHUB_BASE_REF", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("disclose runs")
}

fn rules(o: &Output) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("JSON ({e}): {}{}", stdout(o), stderr(o)));
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap_or(""), f["category"].as_str().unwrap_or("-")))
        .collect()
}

#[test]
fn pull_request_branch_adding_record_audio() {
    let dir = repo("pr");
    git(&dir, &["checkout", "-q", "-b", "voice-search"]);
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "RECORD_AUDIO"]));
    git(&dir, &["commit", "-qam", "voice search"]);
    let o = disclose_in(&dir, &["check", "--base", "main", "-f", "json"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(rules(&o), vec!["undisclosed-collection audio.voice"]);
    // The same branch with a policy paragraph passes.
    write(&dir.join("PRIVACY.md"), POLICY_VOICE);
    git(&dir, &["commit", "-qam", "disclose voice"]);
    let o = disclose_in(&dir, &["check", "--base", "main"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // --head compares two commits without looking at the working tree.
    write(&dir.join("PRIVACY.md"), "# Privacy\n\nLast updated: July 1, 2025\n\nWe never record your voice.\n");
    let o = disclose_in(&dir, &["check", "--base", "main", "--head", "HEAD", "-f", "json"], &[]);
    assert_eq!(rules(&o), Vec::<String>::new(), "the dirty working tree is not the head");
    let o = disclose_in(&dir, &["check", "--base", "main", "-f", "json"], &[]);
    assert_eq!(rules(&o), vec!["contradicts-policy audio.voice"], "the working tree is the new side by default");
}

#[test]
fn base_comes_from_github_and_says_why() {
    let dir = repo("github-base");
    // A remote-tracking ref as actions/checkout leaves it.
    git(&dir, &["update-ref", "refs/remotes/origin/main", "main"]);
    git(&dir, &["checkout", "-q", "-b", "feature"]);
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "READ_CONTACTS"]));
    git(&dir, &["commit", "-qam", "contacts"]);
    let o = disclose_in(&dir, &["check", "-v"], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("compared: base origin/main ("), "{out}");
    assert!(out.contains("from the pull request's base branch (GITHUB_BASE_REF=main)"), "{out}");
    // Without CI variables, the remote's default branch is the base.
    let o = disclose_in(&dir, &["check", "-v"], &[]);
    assert!(stdout(&o).contains("from the remote's default branch, origin/main"), "{}", stdout(&o));
    // GitLab gives the merge base itself.
    let base = git(&dir, &["rev-parse", "main"]);
    let o = disclose_in(&dir, &["check", "-v"], &[("CI_MERGE_REQUEST_DIFF_BASE_SHA", base.trim())]);
    assert!(stdout(&o).contains("CI_MERGE_REQUEST_DIFF_BASE_SHA"), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(1));
}

/// In CI a check with no base to compare with is an error, never a pass: comparing HEAD with
/// its own clean checkout checks nothing, so a commit adding RECORD_AUDIO would go green.
#[test]
fn ci_without_a_base_is_an_error() {
    let dir = repo("ci-no-base");
    // A local branch with no upstream and no remote at all: no base can be found.
    git(&dir, &["checkout", "-q", "-b", "voice-search"]);
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "RECORD_AUDIO"]));
    git(&dir, &["commit", "-qam", "voice search"]);
    let o = disclose_in(&dir, &["check"], &[("CI", "true")]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("error: no base to compare with"), "{err}");
    for fix in ["--base origin/main", "fetch-depth: 0", "GIT_DEPTH: 0"] {
        assert!(err.contains(fix), "the help names `{fix}`: {err}");
    }
    assert!(stdout(&o).is_empty(), "no report: {}", stdout(&o));
    // `CI=false` is not CI.
    assert_eq!(disclose_in(&dir, &["check"], &[("CI", "false")]).status.code(), Some(0));
    // With the base named, CI checks the commit and finds the microphone.
    let o = disclose_in(&dir, &["check", "--base", "main", "-f", "json"], &[("CI", "true")]);
    assert_eq!(rules(&o), vec!["undisclosed-collection audio.voice"], "{}", stderr(&o));
    // The commit hook's `--staged` compares HEAD with the index, as before.
    assert_eq!(disclose_in(&dir, &["check", "--staged"], &[("CI", "true")]).status.code(), Some(0));
    // On the default branch itself, the remote's default branch is HEAD: nothing to compare
    // with either (a push to main), unless the base is named.
    git(&dir, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    let o = disclose_in(&dir, &["check"], &[("CI", "true")]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("origin/main (the remote's default branch), is HEAD itself"), "{}", stderr(&o));
    assert!(stderr(&o).contains("github.event.before"), "{}", stderr(&o));
    let o = disclose_in(&dir, &["check", "--base", "main", "-f", "json"], &[("CI", "true")]);
    assert_eq!(rules(&o), vec!["undisclosed-collection audio.voice"], "{}", stderr(&o));
    let o = disclose_in(&dir, &["check", "--base", "HEAD"], &[("CI", "true")]);
    assert_eq!(o.status.code(), Some(0), "`--base HEAD` asks for the uncommitted changes: {}", stderr(&o));
}

/// Locally the same check runs (HEAD against the working tree), and says that it checked only
/// the uncommitted changes while HEAD has commits on no remote branch.
#[test]
fn locally_without_a_base_says_only_uncommitted_changes_were_checked() {
    let dir = repo("local-no-base");
    git(&dir, &["checkout", "-q", "-b", "voice-search"]);
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "RECORD_AUDIO"]));
    git(&dir, &["commit", "-qam", "voice search"]);
    let o = disclose_in(&dir, &["check"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("note: only uncommitted changes were checked"), "{out}");
    assert!(out.contains("--base main"), "{out}");
    assert!(out.contains("old HEAD ("), "the summary names both versions: {out}");
    let o = disclose_in(&dir, &["check", "-f", "json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let notices = v["notices"].as_array().expect("notices");
    assert_eq!(notices.len(), 1, "{v}");
    assert!(notices[0].as_str().unwrap_or("").starts_with("only uncommitted changes were checked"), "{v}");
    // `-q` prints findings only.
    assert_eq!(stdout(&disclose_in(&dir, &["check", "-q"], &[])), "");
    // Once HEAD's commits are on a remote branch (pushed, though the remote has no default
    // branch here), there is nothing unpushed to miss: no note.
    git(&dir, &["update-ref", "refs/remotes/origin/voice-search", "HEAD"]);
    let o = disclose_in(&dir, &["check", "-f", "json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(v.get("notices").is_none(), "{v}");
    assert!(!stdout(&disclose_in(&dir, &["check"], &[])).contains("note:"));
    // A base found or given checks the commits: no note.
    git(&dir, &["update-ref", "-d", "refs/remotes/origin/voice-search"]);
    let o = disclose_in(&dir, &["check", "--base", "main"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stdout(&o).contains("only uncommitted"), "{}", stdout(&o));
}

#[test]
fn staged_change_with_partial_staging() {
    let dir = repo("staged");
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "RECORD_AUDIO"]));
    git(&dir, &["add", "app/src/main/AndroidManifest.xml"]);
    // The policy fix is in the working tree but not staged: the commit would not carry it.
    write(&dir.join("PRIVACY.md"), POLICY_VOICE);
    let index_before = std::fs::read(dir.join(".git/index")).expect("index");
    let o = disclose_in(&dir, &["check", "--staged", "-f", "json"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(rules(&o), vec!["undisclosed-collection audio.voice"]);
    assert_eq!(std::fs::read(dir.join(".git/index")).expect("index"), index_before, "--staged never writes the index");
    assert_eq!(std::fs::read_to_string(dir.join("PRIVACY.md")).expect("policy"), POLICY_VOICE, "nor the working tree");
    git(&dir, &["add", "PRIVACY.md"]);
    let o = disclose_in(&dir, &["check", "--staged"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn staged_deleted_policy_and_renamed_manifest() {
    let dir = repo("deleted");
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "RECORD_AUDIO"]));
    write(&dir.join("PRIVACY.md"), POLICY_VOICE);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "voice"]);
    // A renamed manifest is the same request: nothing to say.
    std::fs::create_dir_all(dir.join("android")).expect("dir");
    git(&dir, &["mv", "app", "android/app"]);
    let o = disclose_in(&dir, &["check", "--staged", "-f", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(rules(&o), Vec::<String>::new());
    let o = disclose_in(&dir, &["check", "--staged", "-v"], &[]);
    let out = stdout(&o);
    assert!(
        out.contains("changed: R app/src/main/AndroidManifest.xml -> android/app/src/main/AndroidManifest.xml"),
        "{out}"
    );
    // Deleting the policy removes every disclosure.
    git(&dir, &["rm", "-q", "PRIVACY.md"]);
    let o = disclose_in(&dir, &["check", "--staged", "-v"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("error[disclosure-removed]: PRIVACY.md (deleted) no longer discloses"), "{out}");
    assert!(out.contains("D PRIVACY.md"), "{out}");
}

#[test]
fn first_commit_has_nothing_before_it() {
    let dir = scratch("initial");
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir.join("AndroidManifest.xml"), &manifest(&["CAMERA"]));
    write(&dir.join("PRIVACY.md"), POLICY);
    git(&dir, &["add", "-A"]);
    let o = disclose_in(&dir, &["check", "--staged", "-f", "json"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(rules(&o), vec!["undisclosed-collection camera"]);
    let o = disclose_in(&dir, &["check", "-v"], &[]);
    assert!(stdout(&o).contains("no commit yet"), "{}", stdout(&o));
}

#[test]
fn subfolder_detached_head_and_worktree() {
    let dir = repo("places");
    git(&dir, &["checkout", "-q", "-b", "feature"]);
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "CAMERA"]));
    git(&dir, &["commit", "-qam", "camera"]);
    let expect = vec!["undisclosed-collection camera".to_string()];
    let o = disclose_in(&dir.join("app/src"), &["check", "--base", "main", "-f", "json"], &[]);
    assert_eq!(rules(&o), expect, "from a subfolder, paths stay repository-relative");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["findings"][0]["path"], "app/src/main/AndroidManifest.xml");
    git(&dir, &["checkout", "-q", "--detach", "feature"]);
    assert_eq!(rules(&disclose_in(&dir, &["check", "--base", "main", "-f", "json"], &[])), expect, "detached HEAD");
    let wt = dir.with_extension("wt");
    let _ = std::fs::remove_dir_all(&wt);
    git(&dir, &["worktree", "add", "-q", wt.to_str().expect("utf-8"), "feature"]);
    assert_eq!(rules(&disclose_in(&wt, &["check", "--base", "main", "-f", "json"], &[])), expect, "a linked worktree");
}

/// `--staged` answers what the commit changes, whatever paths a hook tool appends: a batch
/// without a manifest gets the staged change's verdict too (a batch of README.md while the
/// policy's deletion is staged must not pass), and a change that touches nothing disclose
/// reads has nothing to check.
#[test]
fn staged_paths_never_hide_the_staged_change() {
    let dir = repo("paths");
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "RECORD_AUDIO"]));
    write(&dir.join("src/app.js"), "console.log(1)\n");
    git(&dir, &["add", "-A"]);
    let abs = dir.join("app/src/main/AndroidManifest.xml");
    for paths in [
        vec![],
        vec!["src/app.js"],
        vec!["app/src/main/AndroidManifest.xml"],
        vec![abs.to_str().expect("utf-8"), "src/app.js"],
    ] {
        let mut args = vec!["check", "--staged", "-f", "json"];
        args.extend(paths);
        let o = disclose_in(&dir, &args, &[]);
        assert_eq!(rules(&o), vec!["undisclosed-collection audio.voice"], "{args:?}");
    }
    // The policy deleted, README.md edited: lint-staged would pass README.md alone.
    git(&dir, &["reset", "-q", "--hard"]);
    git(&dir, &["rm", "-q", "PRIVACY.md"]);
    write(&dir.join("README.md"), "# App\n");
    git(&dir, &["add", "-A"]);
    let o = disclose_in(&dir, &["check", "--staged", "README.md"], &[]);
    assert!(
        stdout(&o).contains("(1 manifest, 0 policies;"),
        "checked, with no policy left: {}{}",
        stdout(&o),
        stderr(&o)
    );
    // Only README.md changes: nothing to check, and the summary says so.
    git(&dir, &["reset", "-q", "--hard"]);
    write(&dir.join("README.md"), "# App\n");
    git(&dir, &["add", "-A"]);
    for args in [&["check", "--staged"][..], &["check", "--staged", "README.md"]] {
        let o = disclose_in(&dir, args, &[]);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}{}", stdout(&o), stderr(&o));
        let head = git(&dir, &["rev-parse", "--short=7", "HEAD"]);
        let expected = format!(
            "disclose: nothing to check (no manifest, policy or disclose.yaml changed; 1 manifest, 1 policy; old HEAD ({}), new the index (staged))",
            head.trim()
        );
        assert_eq!(stdout(&o).trim(), expected, "{args:?}");
    }
}

/// Against a base, paths still only decide whether to run (lefthook's `{push_files}`).
#[test]
fn paths_decide_whether_to_run_against_a_base() {
    let dir = repo("paths-base");
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "RECORD_AUDIO"]));
    write(&dir.join("src/app.js"), "console.log(1)\n");
    let o = disclose_in(&dir, &["check", "--base", "HEAD", "src/app.js"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("nothing to check (none of the given paths"), "{}", stdout(&o));
    let o = disclose_in(
        &dir,
        &["check", "--base", "HEAD", "-f", "json", "src/app.js", "app/src/main/AndroidManifest.xml"],
        &[],
    );
    assert_eq!(rules(&o), vec!["undisclosed-collection audio.voice"]);
}

/// Every kind of file disclose finds by name (`names::examples`): staging a change to it, or
/// its deletion, is a change disclose checks, never "nothing to check". What the hook tools
/// are told to match is tested with the real tools in tests/integrations.rs; this is the
/// other half, disclose's own answer once started.
#[test]
fn a_staged_change_to_any_kind_is_checked() {
    let dir = scratch("every-kind");
    git(&dir, &["init", "-q", "-b", "main"]);
    // Only the root disclose.yaml is a version's configuration; a nested one or a
    // .disclose.yaml beside it is not read (the hook patterns still match them: harmless).
    let examples: Vec<String> = disclose::model::names::examples()
        .into_iter()
        .filter(|p| !disclose::model::names::is_config_path(p) || p == "disclose.yaml")
        .collect();
    // Every policy layout once, the extensions taking turns (the names' unit tests and the
    // real-tool tests take every combination): a run per file costs some 50 ms here.
    let mut layouts = std::collections::BTreeMap::new();
    let examples: Vec<String> = examples
        .into_iter()
        .filter(|p| {
            if !disclose::run::version::is_policy_name(p) {
                return true;
            }
            let (stem, _) = p.rsplit_once('.').expect("a policy has an extension");
            let next = layouts.len();
            let (layout, seen) = layouts.entry(stem.to_ascii_lowercase()).or_insert((next, 0usize));
            *seen += 1;
            *seen == 1 + *layout % disclose::model::names::POLICY_EXTENSIONS.len()
        })
        .collect();
    for p in &examples {
        write(&dir.join(p), &common::sample(p, 0));
    }
    write(&dir.join("README.md"), "# App\n");
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "every kind"]);
    let checked = |what: &str| {
        let o = disclose_in(&dir, &["check", "--staged"], &[]);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{what}: {}{}", stdout(&o), stderr(&o));
        assert!(!stdout(&o).contains("nothing to check"), "{what}: {}", stdout(&o));
        git(&dir, &["reset", "-q", "--hard"]);
    };
    for p in &examples {
        write(&dir.join(p), &common::sample(p, 1));
        git(&dir, &["add", "-A"]);
        checked(&format!("a change to {p}"));
        git(&dir, &["rm", "-q", p]);
        checked(&format!("deleting {p}"));
    }
    // The same repository with .disclose.yaml in the place of disclose.yaml.
    git(&dir, &["mv", "disclose.yaml", ".disclose.yaml"]);
    git(&dir, &["commit", "-qm", "dot config"]);
    write(&dir.join(".disclose.yaml"), &common::sample(".disclose.yaml", 1));
    git(&dir, &["add", "-A"]);
    checked("a change to .disclose.yaml");
    write(&dir.join("README.md"), "# App, again\n");
    git(&dir, &["add", "-A"]);
    let o = disclose_in(&dir, &["check", "--staged"], &[]);
    assert!(stdout(&o).contains("nothing to check"), "README.md only: {}{}", stdout(&o), stderr(&o));
}

/// Files disclose.yaml names under other names (a policy `docs/legal.md`, an app's policy, the
/// change log) count as much as the ones found by name.
#[test]
fn a_staged_change_to_a_configured_file_is_checked() {
    let dir = scratch("configured");
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET"]));
    write(&dir.join("docs/legal.md"), POLICY);
    write(&dir.join("legal/CHANGELOG.md"), "# Changes\n");
    write(&dir.join("disclose.yaml"), "policies: [docs/legal.md]\nnotice:\n  changelog: legal/CHANGELOG.md\n");
    write(&dir.join("PRIVACY.md"), "# Not the policy: disclose.yaml names another\n");
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "configured"]);
    for (path, text, checked) in [
        ("docs/legal.md", POLICY_VOICE, true),
        ("legal/CHANGELOG.md", "# Changes\n\n- June 1, 2025: voice search\n", true),
        ("PRIVACY.md", "# Still not the policy\n", false),
    ] {
        write(&dir.join(path), text);
        git(&dir, &["add", "-A"]);
        let o = disclose_in(&dir, &["check", "--staged"], &[]);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{path}: {}{}", stdout(&o), stderr(&o));
        assert_eq!(!stdout(&o).contains("nothing to check"), checked, "{path}: {}", stdout(&o));
        git(&dir, &["reset", "-q", "--hard"]);
    }
}

#[test]
fn shallow_clone_without_the_base_says_how_to_fetch_it() {
    let dir = repo("shallow-src");
    for i in 0..3 {
        write(&dir.join("notes.txt"), &format!("{i}\n"));
        git(&dir, &["add", "notes.txt"]);
        git(&dir, &["commit", "-qm", &format!("note {i}")]);
    }
    let clone = dir.with_extension("clone");
    let _ = std::fs::remove_dir_all(&clone);
    let url = format!("file://{}", dir.display());
    git(dir.parent().expect("parent"), &["clone", "-q", "--depth", "1", &url, clone.to_str().expect("utf-8")]);
    let first = git(&dir, &["rev-list", "--max-parents=0", "HEAD"]);
    let o = disclose_in(&clone, &["check", "--base", first.trim()], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("is not available in this shallow clone"), "{err}");
    assert!(err.contains("fetch-depth: 0") && err.contains("git fetch --unshallow"), "{err}");
    // A name that exists nowhere is a plain error.
    let o = disclose_in(&dir, &["check", "--base", "no-such-branch"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the base revision `no-such-branch` does not exist"), "{}", stderr(&o));
}

#[test]
fn outside_a_repository() {
    let dir = scratch("no-repo");
    let o = disclose_in(
        &dir,
        &["check"],
        &[("GIT_CEILING_DIRECTORIES", dir.parent().expect("parent").to_str().expect("utf-8"))],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not inside a git repository"), "{}", stderr(&o));
}

/// The commit hook asks git twice: `ls-files` for the index and one `cat-file --batch` for
/// HEAD, its trees and every blob of both versions; with a variable that moves the
/// repository (`GIT_DIR`), it asks `rev-parse` too, and gives the same verdict.
#[test]
fn the_commit_hook_runs_two_git_processes() {
    let dir = repo("two-processes");
    // Folders several levels deep, a policy in a subfolder and a skipped folder: the tree
    // walk must find the first and never open the last.
    write(&dir.join("docs/legal/privacy.md"), POLICY);
    write(&dir.join("node_modules/x/AndroidManifest.xml"), &manifest(&["READ_CONTACTS"]));
    git(&dir, &["add", "-A", "-f"]);
    git(&dir, &["commit", "-qm", "more"]);
    write(&dir.join("app/src/main/AndroidManifest.xml"), &manifest(&["INTERNET", "RECORD_AUDIO"]));
    git(&dir, &["add", "-A"]);
    // A `git` first on the PATH that logs its arguments, then runs the real one.
    let real = String::from_utf8(Command::new("sh").args(["-c", "command -v git"]).output().unwrap().stdout).unwrap();
    let bin = scratch("two-processes-bin");
    let log = bin.join("log");
    write(&bin.join("git"), &format!("#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n", log.display(), real.trim()));
    Command::new("chmod").arg("+x").arg(bin.join("git")).status().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let calls = |env: &[(&str, &str)]| {
        let _ = std::fs::remove_file(&log);
        let o = disclose_in(&dir.join("app"), &["check", "--staged", "-f", "json"], env);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert_eq!(rules(&o), vec!["undisclosed-collection audio.voice"]);
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        logged.lines().map(|l| l.split(" --no-pager ").nth(1).unwrap_or(l).to_string()).collect::<Vec<_>>()
    };
    let mut hook = calls(&[("PATH", &path)]);
    hook.sort();
    assert_eq!(hook, ["cat-file --batch", "ls-files -s -z"]);
    let git_dir = dir.join(".git");
    let (git_dir, work_tree) = (git_dir.to_string_lossy(), dir.to_string_lossy());
    let with_git_dir = calls(&[("PATH", &path), ("GIT_DIR", &git_dir), ("GIT_WORK_TREE", &work_tree)]);
    assert_eq!(with_git_dir.len(), 3, "{with_git_dir:?}");
    assert!(with_git_dir[0].starts_with("rev-parse"), "{with_git_dir:?}");
}
