//! The shipped integrations, tested with the real tools users run: check-jsonschema (GitHub's
//! action schema), the SARIF multitool and the SARIF 2.1.0 schema, the pre-commit framework
//! (the `disclose-system` hook, and the source-built `language: rust` hook), lefthook and
//! lint-staged with the configurations the README shows.
//!
//! `.ci/install-tools.sh` installs the tools and writes their paths to
//! `$DISCLOSE_TOOLS/env`. Without a tool a test is skipped locally, saying so in every
//! `cargo test` run (`SKIPPED integrations::TEST: why`, on standard error), but fails when `CI`
//! is set: in CI a skipped integration test would be a pass that tested nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{root, scratch, stderr, stdout};

/// Where `.ci/install-tools.sh` installs the tools: `$DISCLOSE_TOOLS`, else
/// `${XDG_CACHE_HOME:-$HOME/.cache}/disclose-ci`, as the script says.
fn tools_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("DISCLOSE_TOOLS").or_else(|| {
        var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|h| h.join(".cache"))).map(|c| c.join("disclose-ci"))
    })
}

/// A tool's path from `DISCLOSE_<NAME>` or `$DISCLOSE_TOOLS/env`; `None` (skip) when missing
/// outside CI.
fn tool(name: &str) -> Option<PathBuf> {
    let var = format!("DISCLOSE_{name}");
    let from_env = std::env::var_os(&var).map(PathBuf::from);
    let from_file = || {
        let env = std::fs::read_to_string(tools_dir()?.join("env")).ok()?;
        env.lines()
            .filter_map(|l| l.trim().strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| *k == var)
            .map(|(_, v)| PathBuf::from(v.trim_matches(['"', '\''])))
    };
    let found = from_env.or_else(from_file).filter(|p| p.exists());
    if found.is_none() {
        missing(&format!("{var} is not installed"));
    }
    found
}

/// What a test needs is not there: a failure under CI, else a skip that says so.
fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what}; with CI set a missing tool is a failure (.ci/run runs .ci/install-tools.sh)");
    }
    skipped(&format!("{what} (run `bash .ci/install-tools.sh`; under CI this fails)"));
}

/// Says that the running test skipped and why, on the real standard error: libtest captures
/// `eprintln!` of a passing test, so the line would show only with `--nocapture`; written to
/// the stream itself, it shows in every `cargo test` run, named after the test
/// (`SKIPPED integrations::lefthook_...: DISCLOSE_LEFTHOOK is not installed ...`).
fn skipped(why: &str) {
    use std::io::Write as _;
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    let _ = writeln!(std::io::stderr(), "SKIPPED integrations::{test}: {why}");
}

/// The folder of the disclose binary under test, first on PATH for the hook tools.
fn path_with_disclose() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_disclose")).parent().expect("the binary has a folder").to_path_buf();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

fn run(cmd: &mut Command) -> Output {
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1").env("NO_COLOR", "1");
    for v in ["GITHUB_BASE_REF", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"] {
        cmd.env_remove(v);
    }
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?} runs: {e}"))
}

fn script(name: &str) -> Command {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("tests/tools").join(name));
    cmd
}

/// A throwaway app repository: `old` committed, `new` staged.
fn consumer(old: &str, new: &str, dest: &Path) {
    let o = run(script("make-consumer-repo.sh").args([root().join(old), root().join(new), dest.to_path_buf()]));
    assert!(o.status.success(), "{}", stderr(&o));
}

/// What actions/checkout leaves for a pull request in a consumer repository (old committed,
/// new staged): the base as origin/main, the change committed on a branch checked out.
fn pull_request(app: &Path, message: &str) {
    for args in [
        &["update-ref", "refs/remotes/origin/main", "HEAD"][..],
        &["checkout", "-q", "-b", "feature"],
        &["commit", "-qm", message],
    ] {
        let o = run(Command::new("git").args(args).current_dir(app));
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    }
}

#[test]
fn action_yml_is_a_valid_github_action() {
    let Some(check) = tool("CHECK_JSONSCHEMA") else { return };
    let o = run(Command::new(check).args(["--builtin-schema", "vendor.github-actions"]).arg(root().join("action.yml")));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("ok -- validation done"), "{}", stdout(&o));
}

#[test]
fn pre_commit_accepts_the_hook_manifest() {
    let Some(pre_commit) = tool("PRE_COMMIT") else { return };
    let o = run(Command::new(pre_commit).arg("validate-manifest").arg(root().join(".pre-commit-hooks.yaml")));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

/// Validates one SARIF file with the JSON schema and with the multitool's GitHub rules.
fn assert_valid_sarif(file: &Path) {
    let (Some(check), Some(schema), Some(multitool)) =
        (tool("CHECK_JSONSCHEMA"), tool("SARIF_SCHEMA"), tool("SARIF_MULTITOOL"))
    else {
        return;
    };
    let o = run(Command::new(check).arg("--schemafile").arg(&schema).arg(file));
    assert!(o.status.success(), "SARIF 2.1.0 schema: {}{}", stdout(&o), stderr(&o));
    // The multitool exits 0 whatever it finds; its errors are lines `FILE(l,c): error CODE: ...`.
    // `--rule-kind Gh` is GitHub's ingestion rules plus the schema (the default kind fetches URIs).
    let o = run(Command::new(multitool).arg("validate").arg(file).args(["--rule-kind", "Gh"]));
    assert!(o.status.success(), "multitool could not run: {}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let problems: Vec<&str> = out.lines().filter(|l| l.contains(": error ") || l.contains(": warning ")).collect();
    assert!(problems.is_empty(), "multitool (GitHub rules) on {}:\n{}", file.display(), problems.join("\n"));
}

#[test]
fn every_sarif_output_validates() {
    let dir = scratch("sarif");
    let cases = [
        ("example", "examples/streaming-app/v1", "examples/streaming-app/v2"),
        ("notes", "tests/fixtures/rules/unknown-permission/old", "tests/fixtures/rules/unknown-permission/new"),
        (
            "escalation",
            "tests/fixtures/rules/undisclosed-escalation/old",
            "tests/fixtures/rules/undisclosed-escalation/new",
        ),
        ("clean", "examples/streaming-app/v2", "examples/streaming-app/v2"),
    ];
    for (name, old, new) in cases {
        let file = dir.join(format!("{name}.sarif"));
        let o = run(Command::new(env!("CARGO_BIN_EXE_disclose"))
            .args(["check", "--old", old, "--new", new, "-f", "sarif", "-o"])
            .arg(&file)
            .current_dir(root()));
        assert!(o.status.code().is_some_and(|c| c < 2), "{name}: {}", stderr(&o));
        assert_valid_sarif(&file);
    }
    // From a git repository (the staged change), via --report next to human output.
    let app = dir.join("app");
    consumer("examples/streaming-app/v1", "examples/streaming-app/v2", &app);
    let file = dir.join("staged.sarif");
    let o = run(Command::new(env!("CARGO_BIN_EXE_disclose"))
        .args(["check", "--staged", "--report"])
        .arg(format!("sarif={}", file.display()))
        .current_dir(&app));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("error[undisclosed-collection]"));
    assert_valid_sarif(&file);
}

/// The hook repository under test and a pre-commit config that uses `hook`.
fn hook_config(dir: &Path, hook: &str, manifest_only: bool) -> PathBuf {
    let hooks = dir.join("hooks");
    let mut cmd = script("make-hook-repo.sh");
    cmd.arg(root()).arg(&hooks);
    if manifest_only {
        cmd.arg("--manifest-only");
    }
    let o = run(&mut cmd);
    assert!(o.status.success(), "{}", stderr(&o));
    let sha = stdout(&o).trim().to_string();
    let config = dir.join("pre-commit-config.yaml");
    std::fs::write(
        &config,
        format!("repos:\n  - repo: {}\n    rev: {sha}\n    hooks:\n      - id: {hook}\n", hooks.display()),
    )
    .expect("config written");
    config
}

/// `pre-commit run HOOK` in `app`, with a private store and extra environment.
fn pre_commit_run(
    pre_commit: &Path,
    app: &Path,
    config: &Path,
    hook: &str,
    home: &Path,
    env: &[(&str, PathBuf)],
) -> Output {
    let mut cmd = Command::new(pre_commit);
    cmd.args(["run", "-c"]).arg(config).args([hook, "--color", "never"]).current_dir(app).env("PRE_COMMIT_HOME", home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd)
}

/// PATH with the disclose under test first, for the `disclose-system` hook.
fn on_path() -> (&'static str, PathBuf) {
    ("PATH", PathBuf::from(path_with_disclose()))
}

#[test]
fn pre_commit_blocks_an_undisclosed_permission_and_passes_a_clean_commit() {
    let Some(pre_commit) = tool("PRE_COMMIT") else { return };
    let dir = scratch("pre-commit");
    let config = hook_config(&dir, "disclose-system", true);
    let home = dir.join("pc-home");
    // v1 -> v2 adds location, microphone, contacts and photos with only part of the policy.
    let app = dir.join("app");
    consumer("examples/streaming-app/v1", "examples/streaming-app/v2", &app);
    let o = pre_commit_run(&pre_commit, &app, &config, "disclose-system", &home, &[on_path()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Failed") && out.contains("error[undisclosed-collection]"), "{out}");
    // A change whose policy discloses what the manifest adds passes.
    let clean = dir.join("clean");
    consumer("tests/fixtures/rules/undisclosed-existing/old", "tests/fixtures/rules/contradicts-policy/old", &clean);
    let o = pre_commit_run(&pre_commit, &clean, &config, "disclose-system", &home, &[on_path()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // Through git itself: `pre-commit install`, then `git commit` is refused.
    std::fs::copy(&config, app.join(".pre-commit-config.yaml")).expect("config copied");
    let git = |args: &[&str]| {
        run(Command::new("git")
            .args(args)
            .current_dir(&app)
            .env("PRE_COMMIT_HOME", &home)
            .env("PATH", path_with_disclose())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid"))
    };
    let o = run(Command::new(&pre_commit).arg("install").current_dir(&app).env("PRE_COMMIT_HOME", &home));
    assert!(o.status.success(), "{}", stderr(&o));
    let before = stdout(&git(&["rev-parse", "HEAD"]));
    let o = git(&["commit", "-qm", "add permissions"]);
    assert!(!o.status.success(), "the commit must be blocked: {}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&git(&["rev-parse", "HEAD"])), before, "no commit was made");
}

/// The source-built hook: pre-commit runs `cargo install` on this repository (a minute or
/// two on two cores the first time; dependencies are reused from target/pre-commit-hook).
#[test]
fn pre_commit_builds_the_rust_hook_from_source() {
    let Some(pre_commit) = tool("PRE_COMMIT") else { return };
    let dir = scratch("pre-commit-rust");
    let config = hook_config(&dir, "disclose", false);
    let app = dir.join("app");
    consumer("examples/streaming-app/v1", "examples/streaming-app/v2", &app);
    // No disclose on PATH: the binary must be the one pre-commit built.
    let target = ("CARGO_TARGET_DIR", root().join("target/pre-commit-hook"));
    let o = pre_commit_run(&pre_commit, &app, &config, "disclose", &dir.join("pc-home"), &[target]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("- hook id: disclose") && stdout(&o).contains("error[contradicts-policy]"),
        "{}",
        stdout(&o)
    );
}

/// Cuts the fenced block that follows `marker` out of the README (unindented by its fence's
/// indentation, as in a list item), so the documented configuration is the tested one.
fn readme_block(marker: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let from = readme.find(marker).unwrap_or_else(|| panic!("README has `{marker}`"));
    let mut lines = readme[from..].lines().skip_while(|l| !l.trim_start().starts_with("```"));
    let fence = lines.next().expect("a fenced block follows");
    let indent = fence.len() - fence.trim_start().len();
    let mut out = String::new();
    for line in lines.take_while(|l| !l.trim_start().starts_with("```")) {
        out.push_str(line.get(indent..).unwrap_or(line.trim_start()));
        out.push('\n');
    }
    out
}

#[test]
fn lefthook_and_lint_staged_with_the_readme_configs() {
    let (Some(lefthook), Some(lint_staged)) = (tool("LEFTHOOK"), tool("LINT_STAGED")) else { return };
    let dir = scratch("hook-managers");
    for (name, file, text, bin, args) in [
        (
            "lefthook",
            "lefthook.yml",
            readme_block("<!-- lefthook -->"),
            lefthook,
            vec!["run", "pre-commit", "--no-auto-install"],
        ),
        ("lint-staged", "package.json", readme_block("<!-- lint-staged -->"), lint_staged, vec![]),
    ] {
        let app = dir.join(name);
        consumer("examples/streaming-app/v1", "examples/streaming-app/v2", &app);
        std::fs::write(app.join(file), &text).expect("config written");
        let o = run(Command::new(&bin).args(&args).current_dir(&app).env("PATH", path_with_disclose()));
        assert_eq!(o.status.code(), Some(1), "{name}: {}{}", stdout(&o), stderr(&o));
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains("undisclosed-collection"), "{name} shows disclose's findings: {all}");
    }
}

/// The action, run locally the way a runner runs a composite action (tests/tools/run-action.py:
/// its bash steps for real, `actions/cache` and `upload-sarif` stubbed), on a pull-request
/// branch: findings fail the job, the step summary and the SARIF upload happen anyway.
#[test]
fn the_action_checks_a_pull_request() {
    let Some(pre_commit) = tool("PRE_COMMIT") else { return };
    let python = pre_commit.parent().expect("venv bin").join("python");
    let dir = scratch("action");
    let app = dir.join("app");
    consumer("examples/streaming-app/v1", "examples/streaming-app/v2", &app);
    pull_request(&app, "new features");
    let action = |fail_on: &str| {
        run(Command::new(&python)
            .arg(root().join("tests/tools/run-action.py"))
            .arg("--action")
            .arg(root().join("action.yml"))
            .arg("--workdir")
            .arg(&app)
            .args([
                "--input",
                "version=system",
                "--input",
                &format!("fail-on={fail_on}"),
                "--env",
                "GITHUB_BASE_REF=main",
            ])
            .env("PATH", path_with_disclose()))
    };
    let o = action("error");
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("run-action prints JSON");
    assert_eq!(v["exit_code"], 1);
    assert!(v["summary"].as_str().unwrap_or("").contains("### disclose"), "{v}");
    assert_eq!(v["uploads"][0]["exists"], true, "{v}");
    let o = action("never");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

/// The action on a pull request an attacker wrote: a manifest under a folder whose name holds
/// a line break, `::warning::`, OSC 52 and `##[add-mask]`, and a policy sentence with a
/// right-to-left override, a screen clear and an old-style command. Every line any step prints
/// is read the way the runner reads it (lines end at LF, CR or CR LF; leading white space is
/// trimmed; `::` starts a command, `##[` anywhere is the older form): none is a command, and
/// no raw control or bidi character reaches the log or the step summary. The action forces
/// colour (`CLICOLOR_FORCE`), so `NO_COLOR` is left out, as on a runner.
#[test]
fn the_action_log_holds_no_workflow_command() {
    let Some(pre_commit) = tool("PRE_COMMIT") else { return };
    let python = pre_commit.parent().expect("venv bin").join("python");
    let dir = scratch("action-hostile");
    let folder = "app\n::warning::x\u{1b}]52;c;SGVsbG8=\u{7}##[add-mask]secret";
    let manifest = |perms: &[&str]| {
        let lines: String = perms
            .iter()
            .map(|p| format!("    <uses-permission android:name=\"android.permission.{p}\" />\n"))
            .collect();
        format!("<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n{lines}</manifest>\n")
    };
    let policy = "# Privacy\n\nLast updated: May 1, 2025.\n\nWe collect your email address.\n";
    for (side, perms, text) in [
        ("old", &["CAMERA"][..], policy.to_string()),
        (
            "new",
            &["CAMERA", "RECORD_AUDIO"][..],
            format!("{policy}\nWe do not use your microphone\u{202E}\u{200B}\u{1b}[2J ##[add-mask]secret at all.\n"),
        ),
    ] {
        let version = dir.join(side);
        std::fs::create_dir_all(version.join(folder)).expect("folders can be made");
        std::fs::write(version.join("PRIVACY.md"), text).expect("policy written");
        std::fs::write(version.join(folder).join("AndroidManifest.xml"), manifest(perms)).expect("manifest written");
    }
    let app = dir.join("app");
    consumer(&dir.join("old").to_string_lossy(), &dir.join("new").to_string_lossy(), &app);
    pull_request(&app, "hostile change");
    let mut cmd = Command::new(&python);
    cmd.arg(root().join("tests/tools/run-action.py"))
        .arg("--action")
        .arg(root().join("action.yml"))
        .arg("--workdir")
        .arg(&app)
        .args(["--input", "version=system", "--input", "fail-on=never", "--env", "GITHUB_BASE_REF=main"])
        .env("PATH", path_with_disclose())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("NO_COLOR");
    for v in ["GITHUB_BASE_REF", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"] {
        cmd.env_remove(v);
    }
    let o = cmd.output().expect("run-action runs");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("run-action prints JSON");
    let run_step = v["steps"].as_array().expect("steps").iter().find(|s| s["name"] == "Run disclose").cloned();
    let log = run_step.expect("the run step")["log"].as_str().unwrap_or("").to_string();
    assert!(log.contains("contradicts-policy"), "disclose reported the finding: {log}");
    assert!(log.contains("\u{1b}[31;1merror"), "in colour, as the action asks: {log}");
    for step in v["steps"].as_array().expect("steps") {
        let log = step["log"].as_str().unwrap_or("");
        for line in log.split(['\n', '\r']) {
            let name = &step["name"];
            assert!(!line.trim_start().starts_with("::"), "{name}: a workflow command in the log: {line:?}");
            assert!(!line.contains("##["), "{name}: an old-style workflow command in the log: {line:?}");
            // Only the tool's own colour codes (`ESC [ ... m`) may be escape sequences.
            let mut rest = line;
            while let Some(i) = rest.find('\u{1b}') {
                let code = &rest[i + 1..];
                let params =
                    code.strip_prefix('[').map(|c| c.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count());
                assert!(
                    params.is_some_and(|n| code[1 + n..].starts_with('m')),
                    "{name}: an escape sequence that is not a colour: {line:?}"
                );
                rest = code;
            }
            let bad = line.chars().find(|&c| {
                (c.is_control() && c != '\u{1b}' && c != '\t')
                    || ('\u{2066}'..='\u{2069}').contains(&c)
                    || ('\u{202A}'..='\u{202E}').contains(&c)
                    || ('\u{200B}'..='\u{200F}').contains(&c)
            });
            assert!(bad.is_none(), "{name}: raw {bad:?} in the log: {line:?}");
        }
    }
    assert!(log.contains("<U+202E>") && log.contains("\\x1b]52;c;SGVsbG8=\\x07"), "visible forms: {log}");
    let summary = v["summary"].as_str().unwrap_or("");
    assert!(summary.contains("### disclose"), "{summary}");
    assert!(
        !summary.chars().any(|c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c)),
        "{summary:?}"
    );
}

/// Headless Chromium as the machine's browser runs it: no sandbox (root in CI), no GPU, and no
/// background networking (the report must not need any).
fn chromium(bin: &Path, profile: &Path, args: &[&str]) -> Output {
    run(common::chromium_command(bin, profile).args(args))
}

/// The HTML report of `diff` and of `check`, opened in headless Chromium: the browser's DOM
/// holds the findings, the matrix cells and the redline, and a screenshot is rendered.
#[test]
fn html_reports_render_in_chromium() {
    let Some(browser) = tool("CHROMIUM") else { return };
    let dir = scratch("chromium");
    let diff_html = dir.join("diff.html");
    let check_html = dir.join("check.html");
    let out = run(Command::new(env!("CARGO_BIN_EXE_disclose")).current_dir(root()).args([
        "diff",
        "tests/fixtures/diff/categories/old.md",
        "tests/fixtures/diff/categories/new.md",
        "--format",
        "html",
        "-o",
        diff_html.to_str().unwrap(),
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(Command::new(env!("CARGO_BIN_EXE_disclose")).current_dir(root()).args([
        "check",
        "--old",
        "examples/streaming-app/v1",
        "--new",
        "examples/streaming-app/v2",
        "--report",
        &format!("html={}", check_html.display()),
    ]));
    assert_eq!(out.status.code(), Some(1), "the example fails: {}", stderr(&out));
    for (page, must) in [
        (
            &diff_html,
            &[
                "data-change=\"added:category:location.approximate\"",
                "data-change=\"removed:denial:biometrics\"",
                "<tr data-category=\"location.approximate\">",
                "<td data-col=\"new-disclosed\" class=\"yes changed\">yes <small>(changed)</small></td>",
                "<del>March 3</del>",
            ][..],
        ),
        (
            &check_html,
            &[
                "data-rule=\"undisclosed-collection\"",
                "<tr data-category=\"audio.voice\">",
                "<td data-col=\"new-requested\" class=\"yes changed\">yes <small>(changed)</small></td>",
                "class=\"redline\"",
            ][..],
        ),
    ] {
        let url = format!("file://{}", page.display());
        let dom = chromium(&browser, &dir.join("profile-dom"), &["--dump-dom", &url]);
        let text = stdout(&dom);
        assert!(text.contains("<h1>"), "Chromium rendered no page for {url}: {}", stderr(&dom));
        for m in must {
            assert!(text.contains(m), "the DOM of {url} lacks {m}");
        }
        // Nothing in the page reaches for the network: no scripts, stylesheets or images.
        for tag in ["<script", "<link", "<img", "@import", "url("] {
            assert!(!text.contains(tag), "{url} refers to an outside resource ({tag})");
        }
        let png = page.with_extension("png");
        let shot = chromium(
            &browser,
            &dir.join("profile-shot"),
            &["--window-size=1200,1600", &format!("--screenshot={}", png.display()), &url],
        );
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot of {url}: {e}; {}", stderr(&shot)));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "the screenshot is a PNG");
        assert!(bytes.len() > 20_000, "a rendered report is not a blank page ({} bytes)", bytes.len());
    }
}

// --- Which commits start the check -----------------------------------------------------------
//
// The shipped hooks run on every commit and `disclose check --staged` decides; the patterns
// for starting it by file name come from `disclose::model::names`. The tests below check
// that the documented patterns are the code's, that each real tool starts disclose for a file
// of every kind with them, and that with the default set-ups the real tools run disclose on
// every commit: an unrelated one ("nothing to check"), a manifest change, a policy named in
// disclose.yaml, a deletion.

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn hook_patterns_are_the_ones_the_code_produces() {
    use disclose::model::names;
    let hooks_text = read(".pre-commit-hooks.yaml");
    let documented = hooks_text
        .lines()
        .find_map(|l| l.strip_prefix("#   files: '")?.strip_suffix('\''))
        .expect(".pre-commit-hooks.yaml documents a `files:` pattern");
    assert_eq!(documented, names::pre_commit_regex(), ".pre-commit-hooks.yaml's `files:` comment");
    let hooks: Vec<serde_yaml::Value> = serde_yaml::from_str(&hooks_text).expect("the hook manifest is YAML");
    for h in &hooks {
        assert_eq!(h["always_run"], serde_yaml::Value::Bool(true), "{h:?}");
        assert!(h.get("files").is_none(), "no `files:` filter: {h:?}");
        assert_eq!(h["entry"].as_str(), Some("disclose check --staged"), "{h:?}");
    }
    let yaml = |marker: &str| -> serde_yaml::Value {
        serde_yaml::from_str(&readme_block(marker)).unwrap_or_else(|e| panic!("{marker}: {e}"))
    };
    let strings = |v: &serde_yaml::Value| -> Vec<String> {
        v.as_sequence().expect("a list").iter().map(|s| s.as_str().expect("a string").to_string()).collect()
    };
    let pre_commit = yaml("<!-- pre-commit-files -->");
    assert_eq!(pre_commit[0]["files"].as_str(), Some(names::pre_commit_regex().as_str()), "README pre-commit `files:`");
    assert_eq!(pre_commit[0]["always_run"], serde_yaml::Value::Bool(false));
    assert_eq!(strings(&yaml("<!-- lefthook-glob -->")["glob"]), names::lefthook_globs(), "README lefthook `glob`");
    let lint_staged: serde_json::Value =
        serde_json::from_str(&format!("{{{}}}", readme_block("<!-- lint-staged-glob -->"))).expect("a JSON key");
    let keys: Vec<&String> = lint_staged.as_object().expect("an object").keys().collect();
    assert_eq!(keys, vec![&names::lint_staged_glob()], "README lint-staged key");
    let mut github = strings(&yaml("<!-- github-paths -->")["paths"]);
    assert_eq!(github.pop().as_deref(), Some("docs/legal.md"), "the last path is the example of a configured one");
    assert_eq!(github, names::github_paths(), "README GitHub `paths:`");
    // The default set-ups have no filter.
    let lefthook = yaml("<!-- lefthook -->");
    assert!(lefthook["pre-commit"]["commands"]["disclose"].get("glob").is_none(), "{lefthook:?}");
    let default: serde_json::Value = serde_json::from_str(&readme_block("<!-- lint-staged -->")).expect("JSON");
    assert_eq!(default["lint-staged"]["*"], "disclose check --staged");
}

/// A folder holding a fake `disclose` that appends its arguments to `log`, one a line.
fn fake_disclose(dir: &Path, log: &Path) -> PathBuf {
    let bin = dir.join("fake-bin");
    common::write(
        &bin.join("disclose"),
        &format!("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '{}'\n", log.display()),
    );
    make_executable(&bin.join("disclose"));
    bin
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A repository with one file of every kind disclose finds by name and the unrelated paths,
/// all staged on top of a first commit. Returns the repository and the two lists.
fn every_kind_repo(dir: &Path) -> (PathBuf, Vec<String>, Vec<String>) {
    use disclose::model::names;
    let app = dir.join("app");
    let examples = names::examples();
    let unrelated: Vec<String> = names::UNRELATED.iter().map(|s| s.to_string()).collect();
    common::write(&app.join(".keep"), "");
    let git = |args: &[&str]| {
        let o = run(Command::new("git").args(args).current_dir(&app));
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "first"]);
    for p in examples.iter().chain(&unrelated) {
        common::write(&app.join(p), &common::sample(p, 0));
    }
    git(&["add", "-A"]);
    (app, examples, unrelated)
}

/// The paths a fake disclose was started with (after `check --staged`), relative to `app`.
fn started_with(log: &Path, app: &Path) -> std::collections::BTreeSet<String> {
    let app = app.canonicalize().expect("app").display().to_string() + "/";
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter(|l| !matches!(*l, "check" | "--staged"))
        .map(|l| l.strip_prefix(&app).unwrap_or(l).to_string())
        .collect()
}

fn assert_started_for_every_kind(tool: &str, log: &Path, app: &Path, examples: &[String], unrelated: &[String]) {
    let got = started_with(log, app);
    let missed: Vec<&String> = examples.iter().filter(|p| !got.contains(*p)).collect();
    assert!(missed.is_empty(), "{tool} with the README's name filter does not start disclose for {missed:?}");
    let extra: Vec<&String> = unrelated.iter().filter(|p| got.contains(*p)).collect();
    assert!(extra.is_empty(), "{tool} starts disclose for unrelated {extra:?}");
}

/// The real pre-commit with the README's `files:` override (and `pass_filenames: true`, so a
/// fake disclose learns which files pre-commit matched): every kind matches, no unrelated path.
#[test]
fn pre_commit_files_pattern_matches_every_kind() {
    let Some(pre_commit) = tool("PRE_COMMIT") else { return };
    let dir = scratch("pc-names");
    let (app, examples, unrelated) = every_kind_repo(&dir);
    let config = hook_config(&dir, "disclose-system", true);
    let mut text = std::fs::read_to_string(&config).expect("config");
    let regex = disclose::model::names::pre_commit_regex();
    text.push_str(&format!("        always_run: false\n        pass_filenames: true\n        files: '{regex}'\n"));
    std::fs::write(&config, text).expect("config written");
    let log = dir.join("log");
    let bin = fake_disclose(&dir, &log);
    let path = ("PATH", PathBuf::from(format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())));
    let mut cmd = Command::new(&pre_commit);
    cmd.args(["run", "-c"]).arg(&config).args(["disclose-system", "--color", "never", "--files"]);
    cmd.args(examples.iter().chain(&unrelated)).current_dir(&app).env("PRE_COMMIT_HOME", dir.join("pc-home"));
    cmd.env(path.0, path.1);
    let o = run(&mut cmd);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert_started_for_every_kind("pre-commit", &log, &app, &examples, &unrelated);
}

/// The real lefthook with the README's `glob` list: every staged kind is in `{staged_files}`.
#[test]
fn lefthook_glob_matches_every_kind() {
    let Some(lefthook) = tool("LEFTHOOK") else { return };
    let dir = scratch("lefthook-names");
    let (app, examples, unrelated) = every_kind_repo(&dir);
    let glob: serde_yaml::Value = serde_yaml::from_str(&readme_block("<!-- lefthook-glob -->")).expect("YAML");
    let config = serde_yaml::to_string(&serde_yaml::from_str::<serde_yaml::Value>(&format!(
        "pre-commit:\n  commands:\n    disclose:\n      run: disclose check --staged {{staged_files}}\n      glob: {}\n",
        serde_json::to_string(&glob["glob"]).expect("JSON")
    ))
    .expect("YAML"))
    .expect("YAML");
    std::fs::write(app.join("lefthook.yml"), config).expect("config written");
    let log = dir.join("log");
    let bin = fake_disclose(&dir, &log);
    let o = run(Command::new(&lefthook)
        .args(["run", "pre-commit", "--no-auto-install", "--colors", "off"])
        .current_dir(&app)
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert_started_for_every_kind("lefthook", &log, &app, &examples, &unrelated);
}

/// The real lint-staged with the README's key: every staged kind is passed to disclose.
#[test]
fn lint_staged_key_matches_every_kind() {
    let Some(lint_staged) = tool("LINT_STAGED") else { return };
    let dir = scratch("lint-staged-names");
    let (app, examples, unrelated) = every_kind_repo(&dir);
    std::fs::write(
        app.join("package.json"),
        format!("{{\"lint-staged\": {{{}}}}}\n", readme_block("<!-- lint-staged-glob -->")),
    )
    .expect("config written");
    let log = dir.join("log");
    let bin = fake_disclose(&dir, &log);
    let o = run(Command::new(&lint_staged)
        .current_dir(&app)
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert_started_for_every_kind("lint-staged", &log, &app, &examples, &unrelated);
}

/// The default set-ups, through `git commit` with the hook each tool installs, and the real
/// disclose behind a wrapper that logs each run. Returns one entry per run.
struct Commits {
    app: PathBuf,
    log: PathBuf,
    env: Vec<(String, String)>,
}

impl Commits {
    /// An app repository: an extension, its policy under a name only disclose.yaml gives, the
    /// config; committed. `path` is put first on PATH (where the tool's hook finds it).
    fn new(dir: &Path, path: &[PathBuf]) -> Commits {
        let app = dir.join("app");
        common::write(
            &app.join("extension/manifest.json"),
            "{ \"manifest_version\": 3, \"name\": \"x\", \"version\": \"1.0\" }\n",
        );
        common::write(
            &app.join("docs/legal.md"),
            "# Privacy\n\nLast updated: March 1, 2025\n\nWe collect your email address to run your account.\n",
        );
        common::write(&app.join("disclose.yaml"), "policies: [docs/legal.md]\n");
        common::write(&app.join("README.md"), "# App\n");
        let log = dir.join("disclose.log");
        let wrapper = dir.join("wrapper");
        common::write(
            &wrapper.join("disclose"),
            &format!(
                "#!/bin/sh\nout=$('{}' \"$@\" 2>&1); code=$?\nprintf '%s\\n' \"$out\"\nprintf 'run: %s\\n%s\\nexit: %s\\n' \"$*\" \"$out\" \"$code\" >> '{}'\nexit $code\n",
                env!("CARGO_BIN_EXE_disclose"),
                log.display()
            ),
        );
        make_executable(&wrapper.join("disclose"));
        let dirs: Vec<String> =
            std::iter::once(&wrapper).chain(path).map(|p| p.display().to_string()).collect::<Vec<_>>();
        let env = vec![
            ("PATH".to_string(), format!("{}:{}", dirs.join(":"), std::env::var("PATH").unwrap_or_default())),
            ("PRE_COMMIT_HOME".to_string(), dir.join("pc-home").display().to_string()),
            ("GIT_AUTHOR_NAME".to_string(), "t".to_string()),
            ("GIT_AUTHOR_EMAIL".to_string(), "t@example.invalid".to_string()),
            ("GIT_COMMITTER_NAME".to_string(), "t".to_string()),
            ("GIT_COMMITTER_EMAIL".to_string(), "t@example.invalid".to_string()),
        ];
        let c = Commits { app, log, env };
        c.git(&["init", "-q", "-b", "main"]);
        c.git(&["add", "-A"]);
        c.git(&["commit", "-qm", "first", "--no-verify"]);
        c
    }

    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.app);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    fn git(&self, args: &[&str]) -> Output {
        let o = run(self.command(Path::new("git")).args(args));
        assert!(o.status.success() || args[0] == "commit", "git {args:?}: {}", stderr(&o));
        o
    }

    fn runs(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.split("run: ").skip(1).map(String::from).collect()
    }

    /// Changes the work tree with `change`, stages everything and commits through the hook.
    /// Returns whether the commit was made and the disclose runs it caused.
    fn commit(&self, what: &str, change: impl FnOnce(&Path)) -> (bool, Vec<String>) {
        let before = self.runs().len();
        change(&self.app);
        self.git(&["add", "-A"]);
        let o = self.git(&["commit", "-qm", what]);
        let made = o.status.success();
        if !made {
            self.git(&["reset", "-q", "--hard"]);
        }
        (made, self.runs().split_off(before))
    }

    /// The four commits, for a tool whose hook is installed; `sees_deletions`: whether the tool
    /// starts disclose for a commit that only deletes a file.
    fn scenarios(&self, tool: &str, sees_deletions: bool) {
        let (made, runs) = self.commit("readme", |app| common::write(&app.join("README.md"), "# App, v2\n"));
        assert!(made, "{tool}: an unrelated commit is made");
        assert_eq!(runs.len(), 1, "{tool}: disclose runs for an unrelated commit too: {runs:?}");
        assert!(runs[0].contains("nothing to check"), "{tool}: {}", runs[0]);
        // The issue's example: an extension starts asking for the user's location.
        let (made, runs) = self.commit("geolocation", |app| {
            common::write(
                &app.join("extension/manifest.json"),
                "{ \"manifest_version\": 3, \"name\": \"x\", \"version\": \"1.0\", \"permissions\": [\"geolocation\"] }\n",
            )
        });
        assert!(!made, "{tool}: the undisclosed geolocation permission blocks the commit: {runs:?}");
        assert!(runs.len() == 1 && runs[0].contains("error[undisclosed-collection]"), "{tool}: {runs:?}");
        let (made, runs) = self.commit("legal", |app| {
            common::write(
                &app.join("docs/legal.md"),
                "# Privacy\n\nLast updated: June 1, 2025\n\nWe collect your email address to run your account and to send you receipts.\n",
            )
        });
        assert!(made, "{tool}: {runs:?}");
        assert!(
            runs.len() == 1 && !runs[0].contains("nothing to check"),
            "{tool}: the policy disclose.yaml names is checked: {runs:?}"
        );
        let (made, runs) = self.commit("delete the policy", |app| {
            std::fs::remove_file(app.join("docs/legal.md")).expect("policy removed")
        });
        if sees_deletions {
            assert!(!made, "{tool}: a listed policy that is gone stops the commit: {runs:?}");
            assert!(runs.len() == 1 && runs[0].contains("docs/legal.md"), "{tool}: {runs:?}");
        } else {
            // The gap the README states: lint-staged never sees a deletion-only commit.
            assert!(made && runs.is_empty(), "{tool}: {runs:?} (update the README if this changed)");
        }
    }
}

#[test]
fn pre_commit_runs_disclose_on_every_commit() {
    let Some(pre_commit) = tool("PRE_COMMIT") else { return };
    let dir = scratch("pc-commits");
    let config = hook_config(&dir, "disclose-system", true);
    let c = Commits::new(&dir, &[]);
    std::fs::copy(&config, c.app.join(".pre-commit-config.yaml")).expect("config copied");
    c.git(&["add", "-A"]);
    c.git(&["commit", "-qm", "pre-commit config", "--no-verify"]);
    let o = run(c.command(&pre_commit).arg("install"));
    assert!(o.status.success(), "{}", stderr(&o));
    c.scenarios("pre-commit", true);
}

#[test]
fn lefthook_runs_disclose_on_every_commit() {
    let Some(lefthook) = tool("LEFTHOOK") else { return };
    let dir = scratch("lefthook-commits");
    let c = Commits::new(&dir, &[lefthook.parent().expect("a folder").to_path_buf()]);
    std::fs::write(c.app.join("lefthook.yml"), readme_block("<!-- lefthook -->")).expect("config written");
    c.git(&["add", "-A"]);
    c.git(&["commit", "-qm", "lefthook config", "--no-verify"]);
    let o = run(c.command(&lefthook).arg("install"));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    c.scenarios("lefthook", true);
}

#[test]
fn lint_staged_runs_disclose_on_every_commit() {
    let Some(lint_staged) = tool("LINT_STAGED") else { return };
    let dir = scratch("lint-staged-commits");
    let c = Commits::new(&dir, &[]);
    std::fs::write(c.app.join("package.json"), readme_block("<!-- lint-staged -->")).expect("config written");
    c.git(&["add", "-A"]);
    c.git(&["commit", "-qm", "lint-staged config", "--no-verify"]);
    // What husky's .husky/pre-commit does: start lint-staged from the git hook.
    let hook = c.app.join(".git/hooks/pre-commit");
    common::write(&hook, &format!("#!/bin/sh\nexec '{}'\n", lint_staged.display()));
    make_executable(&hook);
    c.scenarios("lint-staged", false);
}

// --- Installing the tools ----------------------------------------------------------------------

/// Everything in a checkout that installing tools could change: every path git sees (untracked
/// and ignored files included) and the hooks, each with its size and a hash of its content.
fn checkout_state(checkout: &Path) -> (String, Vec<String>) {
    use std::hash::{Hash, Hasher};
    let o = run(Command::new("git")
        .args(["status", "--porcelain", "--ignored", "--untracked-files=all"])
        .current_dir(checkout));
    assert!(o.status.success(), "{}", stderr(&o));
    let mut hooks: Vec<String> = std::fs::read_dir(checkout.join(".git/hooks"))
        .expect(".git/hooks")
        .map(|e| {
            let e = e.expect("an entry");
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            format!("{} ({} bytes, {:016x})", e.file_name().to_string_lossy(), bytes.len(), h.finish())
        })
        .collect();
    hooks.sort();
    (stdout(&o), hooks)
}

/// `.ci/install-tools.sh`, run in a copy of this checkout (a git repository like a developer's),
/// leaves it as it was: no lefthook.yml, no .git/hooks/*, nothing untracked or ignored. Twice,
/// never reaching the network (`--offline`): with the tools already installed (what every run
/// of the tests after `.ci/run` sees; about a second), and installing them anew into an empty
/// folder from the downloads the first install kept (venv, pip, npm: about 6 s), the path where
/// npm once ran lefthook's postinstall in the checkout.
#[test]
fn installing_the_tools_never_touches_the_checkout() {
    let Some(tools) = tools_dir() else { return missing("no $DISCLOSE_TOOLS or $HOME") };
    let dir = scratch("install-tools");
    let checkout = dir.join("checkout");
    let o = run(script("make-hook-repo.sh").arg(root()).arg(&checkout));
    assert!(o.status.success(), "{}", stderr(&o));
    let before = checkout_state(&checkout);
    let install = |env: &[(&str, &Path)]| {
        let mut cmd = Command::new("bash");
        cmd.args([".ci/install-tools.sh", "--offline"]).current_dir(&checkout);
        cmd.env_remove("DISCLOSE_TOOLS_DOWNLOADS").env_remove("DISCLOSE_TOOLS_OFFLINE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        run(&mut cmd)
    };
    let o = install(&[("DISCLOSE_TOOLS", &tools)]);
    if o.status.code() == Some(3) {
        let _ = std::fs::remove_dir_all(&dir);
        return missing(&format!(
            "the tools in {} are missing or older than the script: {}",
            tools.display(),
            stderr(&o).trim()
        ));
    }
    assert!(o.status.success(), "warm: {}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("PyPI tools already in"), "warm means nothing installed: {}", stderr(&o));
    assert_eq!(checkout_state(&checkout), before, "the warm install changed the checkout");
    let fresh = dir.join("fresh-tools");
    let o = install(&[("DISCLOSE_TOOLS", &fresh), ("DISCLOSE_TOOLS_DOWNLOADS", &tools.join("downloads"))]);
    assert!(o.status.success(), "cold, offline: {}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("npm: ") && stderr(&o).contains("installed in"), "{}", stderr(&o));
    let env = std::fs::read_to_string(fresh.join("env")).expect("the new install wrote its env");
    assert!(env.contains(&format!("DISCLOSE_LEFTHOOK={}", fresh.join("npm").display())), "{env}");
    assert_eq!(checkout_state(&checkout), before, "the cold install changed the checkout");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The shipped schema of disclose.yaml is what `disclose config --schema` prints, and
/// check-jsonschema accepts every configuration in the repository with it and refuses the
/// mistakes the tool refuses.
#[test]
fn the_config_schema_accepts_real_configs_and_refuses_mistakes() {
    let printed = common::disclose(&["config", "--schema"]);
    let shipped = std::fs::read_to_string(common::root().join("schema/disclose.schema.json")).expect("shipped");
    assert_eq!(
        String::from_utf8_lossy(&printed.stdout),
        shipped,
        "schema/disclose.schema.json is stale: `disclose config --schema > schema/disclose.schema.json`"
    );
    let Some(check) = tool("CHECK_JSONSCHEMA") else { return };
    let mut configs: Vec<PathBuf> = Vec::new();
    let mut stack = vec![common::root().join("tests/fixtures"), common::root().join("examples")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                // The bad fixtures are wrong on purpose.
                if !p.ends_with("tests/fixtures/bad") {
                    stack.push(p);
                }
            } else if name == "disclose.yaml" || name == ".disclose.yaml" || name.ends_with("config.yaml") {
                configs.push(p);
            }
        }
    }
    assert!(configs.len() >= 5, "{configs:?}");
    let dir = common::scratch("schema");
    let init = dir.join("init.yaml");
    std::fs::write(
        &init,
        String::from_utf8_lossy(
            &common::disclose_in(&common::root().join("examples/streaming-app/v2"), &["init", "--stdout"]).stdout,
        )
        .as_ref(),
    )
    .unwrap();
    configs.push(init);
    let schema = common::root().join("schema/disclose.schema.json");
    let o = run(Command::new(&check).arg("--schemafile").arg(&schema).args(&configs));
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    for (name, text) in [
        ("typo", "polices: [PRIVACY.md]\n"),
        ("rule", "rules: { undisclosed-colection: off }\n"),
        ("level", "rules: { undisclosed-collection: loud }\n"),
        ("ack", "acknowledge:\n  - rule: undisclosed-collection\n    category: location\n"),
    ] {
        let bad = dir.join(format!("{name}.yaml"));
        std::fs::write(&bad, text).unwrap();
        let o = run(Command::new(&check).arg("--schemafile").arg(&schema).arg(&bad));
        assert!(!o.status.success(), "{name}: the schema accepts {text:?}");
    }
}

/// The action's `version: 0.2.0`: it downloads that release's archive for the runner, checks it
/// against the release's SHA256SUMS and runs it (no build); a tampered archive fails the job
/// before anything runs. The release is served from a local folder (`DISCLOSE_RELEASE_URL`).
#[test]
fn the_action_runs_a_checked_release_and_refuses_a_tampered_one() {
    let Some(pre_commit) = tool("PRE_COMMIT") else { return };
    let python = pre_commit.parent().expect("venv bin").join("python");
    let dir = scratch("action-release");
    let app = dir.join("app");
    consumer("examples/streaming-app/v1", "examples/streaming-app/v2", &app);
    pull_request(&app, "new features");
    // The release as the release workflow publishes it.
    let release = dir.join("releases/v0.2.0");
    let name = "disclose-v0.2.0-x86_64-unknown-linux-gnu";
    std::fs::create_dir_all(release.join(name)).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_disclose"), release.join(name).join("disclose")).unwrap();
    let sh = |script: &str| {
        let o = run(Command::new("bash").arg("-c").arg(script).current_dir(&release));
        assert!(o.status.success(), "{script}: {}", stderr(&o));
    };
    sh(&format!("tar -czf {name}.tar.gz {name} && rm -r {name} && sha256sum {name}.tar.gz > SHA256SUMS"));
    let port_file = dir.join("port");
    let server_script = "import functools, http.server, sys\n\
        h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])\n\
        h.log_message = lambda *a: None\n\
        s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), h)\n\
        open(sys.argv[2], 'w').write(str(s.server_port))\n\
        s.serve_forever()\n";
    let mut server = Command::new(&python)
        .arg("-c")
        .arg(server_script)
        .arg(dir.join("releases"))
        .arg(&port_file)
        .spawn()
        .expect("the release server starts");
    let mut port = String::new();
    for _ in 0..200 {
        port = std::fs::read_to_string(&port_file).unwrap_or_default();
        if !port.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let action = || {
        run(Command::new(&python)
            .arg(root().join("tests/tools/run-action.py"))
            .arg("--action")
            .arg(root().join("action.yml"))
            .arg("--workdir")
            .arg(&app)
            .args(["--input", "version=0.2.0", "--input", "fail-on=never", "--input", "sarif=false"])
            .args(["--env", "GITHUB_BASE_REF=main", "--env", &format!("DISCLOSE_RELEASE_URL=http://127.0.0.1:{port}")])
            // No disclose on PATH: only the downloaded one can run.
            .env("PATH", "/usr/local/bin:/usr/bin:/bin"))
    };
    let o = action();
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("run-action prints JSON");
    let step = |name: &str| v["steps"].as_array().unwrap().iter().find(|s| s["name"] == name).cloned().unwrap();
    assert_eq!(o.status.code(), Some(0), "{v:#}");
    assert_eq!(step("Download the disclose release")["outputs"]["downloaded"], "true", "{v:#}");
    assert_eq!(step("Build disclose")["status"], "skipped");
    assert!(step("Run disclose")["log"].as_str().unwrap().contains("undisclosed-collection"), "{v:#}");
    // A tampered archive: its sum no longer matches.
    sh(&format!("printf 'x' >> {name}.tar.gz"));
    let o = action();
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("run-action prints JSON");
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(o.status.code(), Some(1), "{v:#}");
    let download =
        v["steps"].as_array().unwrap().iter().find(|s| s["name"] == "Download the disclose release").unwrap();
    assert!(download["log"].as_str().unwrap().contains("does not match its SHA-256 sum"), "{download:#}");
    let ran = v["steps"].as_array().unwrap().iter().find(|s| s["name"] == "Run disclose").unwrap();
    assert_eq!(ran["status"], "skipped", "nothing runs after a failed check");
}

/// Every `-f json` report the fixtures produce (check on each rule fixture and the example,
/// diff on each diff fixture, a run with a baseline) validates against the shipped
/// `schema/report.schema.json`, whose top level admits no unknown field.
#[test]
fn json_reports_match_the_shipped_report_schema() {
    let Some(check) = tool("CHECK_JSONSCHEMA") else { return };
    let dir = scratch("report-schema");
    let mut reports = Vec::new();
    let mut save = |name: String, o: Output| {
        assert!(matches!(o.status.code(), Some(0 | 1)), "{name}: {}", stderr(&o));
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, &o.stdout).unwrap();
        reports.push(path);
    };
    // The example, in JSON, with more arguments.
    let example = |more: &[&str]| {
        let args = ["check", "--old", "examples/streaming-app/v1", "--new", "examples/streaming-app/v2", "-f", "json"];
        common::disclose(&[args.as_slice(), more].concat())
    };
    save("example".into(), example(&[]));
    for area in ["rules", "diff"] {
        for e in std::fs::read_dir(root().join("tests/fixtures").join(area)).unwrap().flatten() {
            let case = e.path();
            let name = format!("{area}-{}", e.file_name().to_string_lossy());
            if case.join("old.md").is_file() {
                let (old, new) = (case.join("old.md"), case.join("new.md"));
                save(name, common::disclose(&["diff", &old.to_string_lossy(), &new.to_string_lossy(), "-f", "json"]));
            } else if case.join("old").is_dir() {
                let (old, new) = (case.join("old"), case.join("new"));
                save(
                    name,
                    common::disclose(&[
                        "check",
                        "--old",
                        &old.to_string_lossy(),
                        "--new",
                        &new.to_string_lossy(),
                        "-f",
                        "json",
                    ]),
                );
            }
        }
    }
    let baseline = dir.join("baseline.json");
    std::fs::write(&baseline, "{\"version\": 1, \"findings\": []}\n").unwrap();
    save("baseline".into(), example(&["--baseline", &baseline.to_string_lossy()]));
    save("inventory".into(), example(&["--inventory"]));
    assert!(reports.len() > 20, "{}", reports.len());
    let o = run(Command::new(&check).arg("--schemafile").arg(root().join("schema/report.schema.json")).args(&reports));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

/// actionlint (the workflow linter) passes the shipped release workflow and every GitHub
/// Actions workflow the README tells users to copy (each ```yaml block with `jobs:`).
#[test]
fn workflows_pass_actionlint() {
    let Some(actionlint) = tool("ACTIONLINT") else { return };
    let dir = scratch("actionlint");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .expect("the workflows folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut blocks = 0;
    for (i, block) in readme.split("```yaml\n").skip(1).enumerate() {
        let body = block.split("\n```").next().unwrap_or("");
        if body.contains("\njobs:") || body.starts_with("jobs:") {
            let path = dir.join(format!("readme-{i}.yml"));
            std::fs::write(&path, format!("{body}\n")).unwrap();
            files.push(path);
            blocks += 1;
        }
    }
    assert!(blocks >= 2 && files.len() > blocks, "{files:?}");
    let o = run(Command::new(&actionlint).arg("-no-color").args(&files));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}
