//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (tests run with it as the working directory).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real binary from the repository root, without colour.
pub fn disclose(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_disclose"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the disclose binary runs")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A fresh empty folder under the system temp dir, removed and re-made on each call.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disclose-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

/// Writes a file, creating its folders.
pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a file path has a parent")).expect("folders can be made");
    std::fs::write(path, text).expect("file can be written");
}

/// Runs the real binary with extra environment variables (and no NO_COLOR unless given).
pub fn disclose_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_disclose"));
    cmd.args(args).current_dir(root()).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env_remove("FORCE_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the disclose binary runs")
}

/// Runs the real binary in `dir`, without colour.
pub fn disclose_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_disclose"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the disclose binary runs")
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("the source folder is readable") {
        let entry = entry.expect("a readable entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("folders can be made");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("files can be copied");
        }
    }
}

/// Runs the real binary in `dir` with a deadline: a run that takes longer is killed and the
/// test fails saying so (a hang must fail the test, not stall CI).
pub fn disclose_within(dir: &Path, args: &[&str], secs: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_disclose"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the disclose binary runs");
    // Drain both pipes on threads, so a child with much to say is never blocked on a full pipe.
    let drain = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            r.read_to_end(&mut bytes).expect("a pipe can be read");
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped")));
    let err = drain(Box::new(child.stderr.take().expect("piped")));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited on") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("`disclose {}` did not finish within {secs} s", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    Output { status, stdout: out.join().expect("drained"), stderr: err.join().expect("drained") }
}

/// A small valid file for `path`, whatever kind disclose reads it as (see
/// `disclose::model::names::examples`), that requests nothing; `n` varies the text, so
/// `sample(p, 1)` is a change of `sample(p, 0)`.
pub fn sample(path: &str, n: usize) -> String {
    use disclose::read::manifest::Kind;
    let plist = |body: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- revision {n} -->\n<plist version=\"1.0\">\n<dict>\n{body}</dict>\n</plist>\n"
        )
    };
    match Kind::of(path) {
        Some(Kind::Android) => format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- revision {n} -->\n<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n</manifest>\n"
        ),
        Some(Kind::InfoPlist) => plist("  <key>CFBundleName</key>\n  <string>App</string>\n"),
        Some(Kind::PrivacyManifest) => plist("  <key>NSPrivacyTracking</key>\n  <false/>\n"),
        Some(Kind::Entitlements) => plist(""),
        Some(Kind::Extension) => {
            format!("{{ \"manifest_version\": 3, \"name\": \"x\", \"version\": \"1.0.{n}\" }}\n")
        }
        Some(Kind::Expo) => format!("{{ \"expo\": {{ \"name\": \"x\", \"version\": \"1.0.{n}\" }} }}\n"),
        Some(Kind::ExpoDynamic) => format!("export default {{ name: \"x\", version: \"1.0.{n}\" }};\n"),
        None if disclose::model::names::is_config_path(path) => format!("fail_on: error  # revision {n}\n"),
        None => {
            let lower = path.to_ascii_lowercase();
            let text = format!("We collect your email address to run your account (revision {n}).");
            if lower.ends_with(".html") || lower.ends_with(".htm") {
                format!("<html><body><h1>Privacy</h1><p>{text}</p></body></html>\n")
            } else if lower.ends_with(".txt") {
                format!("Privacy\n\n{text}\n")
            } else {
                format!("# Privacy\n\n{text}\n")
            }
        }
    }
}

/// An Android manifest that requests `permissions` (short names: `CAMERA`), one per line from
/// line 2 on.
pub fn android_manifest(permissions: &[&str]) -> String {
    let lines: String = permissions
        .iter()
        .map(|p| format!("    <uses-permission android:name=\"android.permission.{p}\" />\n"))
        .collect();
    format!("<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n{lines}</manifest>\n")
}

/// The policy of [`camera_pair`]: it discloses the camera.
pub const CAMERA_POLICY: &str = "# Receipts privacy\n\nWe use your camera to scan receipts.\n";

/// A scratch folder with `old/` and `new/`: the same camera app (`app/src/main`) and policy in
/// both; tests change one side.
pub fn camera_pair(name: &str) -> PathBuf {
    let dir = scratch(name);
    for side in ["old", "new"] {
        write(&dir.join(side).join("PRIVACY.md"), CAMERA_POLICY);
        write(&dir.join(side).join("app/src/main/AndroidManifest.xml"), &android_manifest(&["CAMERA"]));
    }
    dir
}

/// Runs git in `dir` with an explicit identity and no user or system configuration; fails the
/// test when git fails. Returns its standard output.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap_or_else(|e| panic!("git is installed ({e}); .ci/run installs it"));
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `disclose check --old old --new new EXTRA...` in `dir`, without colour, killed after a
/// minute (a hang fails the test instead of stalling the suite).
pub fn check_pair(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--old", "old", "--new", "new"];
    args.extend(extra);
    disclose_within(dir, &args, 60)
}

/// A git repository at `dir/repo` whose HEAD holds `dir/old` and whose index holds `dir/new`:
/// what `disclose check --staged` compares.
pub fn staged_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    copy_tree(&dir.join("old"), &repo);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "old"]);
    copy_tree(&dir.join("new"), &repo);
    git(&repo, &["add", "-A"]);
    repo
}

/// Headless Chromium as the machine runs it (root in CI: no sandbox), with no GPU, no network
/// of its own and no scroll bars (the page width is what tests measure), in its own profile.
pub fn chromium_command(bin: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}
