//! Output hygiene: a policy, a manifest, a purpose string, a file path or a config value can be
//! written by an attacker (a pull request from anyone), and disclose quotes them. Every format
//! and subcommand is fed the same hostile strings here, and every output is checked:
//!
//! - no raw control character (ESC, BEL, CR, C1, DEL: terminal escape sequences such as OSC 52,
//!   which writes the clipboard, `ESC [2J`, or OSC 8 hyperlinks) and no bidi override or
//!   zero-width character (which make a quote read differently from what it says);
//! - no line that the GitHub runner would run as a workflow command: after trimming leading
//!   white space it starts with `::`, or it contains `##[` (actions/runner, `ActionCommand.cs`);
//! - the visible forms (`\x1b`, `\n`, `<U+202E>`) are there instead, so a reader sees that
//!   something was hidden.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{scratch, stderr, stdout, write};
use serde_json::Value;

const ESC: char = '\u{1b}';
/// OSC 52: sets the clipboard to "Hello".
const OSC52: &str = "\u{1b}]52;c;SGVsbG8=\u{7}";
/// What OSC 52 looks like once escaped.
const OSC52_SHOWN: &str = "\\x1b]52;c;SGVsbG8=\\x07";

/// Text a hostile policy quotes: a right-to-left override and an isolate that reorder what
/// follows, zero-width characters (the policy reader leaves those out, as a reader's eye
/// does, so a quoted sentence shows none; a snippet of the source line shows them), OSC 52, a screen clear, an OSC 8 hyperlink with a hidden
/// target, an 8-bit CSI, and an old-style workflow command.
fn hostile() -> String {
    format!(
        "\u{202E}lanigiro\u{2066}\u{200B}{OSC52}{ESC}[2J{ESC}]8;;https://evil.example/\u{7}here{ESC}]8;;\u{7}\u{9b}31m\u{200D}\u{FEFF} ##[add-mask]secret"
    )
}

/// A folder name with a line break that starts a workflow command, and OSC 52.
fn hostile_dir() -> String {
    format!("app\n::warning::x{OSC52}")
}

const OLD_POLICY: &str = "# Privacy\n\nLast updated: May 1, 2025.\n\nWe collect your email address.\n";

fn new_policy() -> String {
    format!(
        "# Privacy\n\nLast updated: June 2, 2025.\n\nWe collect your email address{h}.\n\n## Microphone{h}\n\nWe do not use your microphone{h} at all.\n",
        h = hostile()
    )
}

fn android(permissions: &[&str]) -> String {
    common::android_manifest(permissions)
}

/// An Info.plist whose purpose string is a placeholder with bidi, zero-width, C1 and DEL
/// characters in it (XML cannot hold ESC or BEL).
fn info_plist() -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n    \
     <key>NSContactsUsageDescription</key>\n    \
     <string>TODO \u{202E}lanigiro\u{200B}\u{9b}31m\u{7f} ##[add-mask]secret</string>\n</dict>\n</plist>\n"
        .to_string()
}

/// An Expo app.json whose purpose string holds OSC 52 (JSON can) and a line break.
fn expo() -> String {
    "{\"expo\": {\"ios\": {\"infoPlist\": {\"NSCameraUsageDescription\": \
     \"TODO \\u001b]52;c;SGVsbG8=\\u0007\\n::warning::purpose \\u202e\"}}}}\n"
        .to_string()
}

/// `old/` and `new/`: the new version requests the microphone in a manifest under
/// [`hostile_dir`] while its policy denies it in a hostile sentence, and adds an Info.plist and
/// an Expo config with hostile purpose strings. The acknowledgement's reason is hostile too.
fn pair(name: &str) -> PathBuf {
    let dir = scratch(name);
    write(&dir.join("old/PRIVACY.md"), OLD_POLICY);
    write(&dir.join("old").join(hostile_dir()).join("AndroidManifest.xml"), &android(&["CAMERA"]));
    write(&dir.join("new/PRIVACY.md"), &new_policy());
    write(&dir.join("new").join(hostile_dir()).join("AndroidManifest.xml"), &android(&["CAMERA", "RECORD_AUDIO"]));
    write(&dir.join("new/ios/App/Info.plist"), &info_plist());
    write(&dir.join("new/mobile/app.json"), &expo());
    let config = "acknowledge:\n  - rule: undisclosed-existing\n    subject: CAMERA\n    \
                  reason: \"Reviewed \\e]52;c;SGVsbG8=\\a\\n::warning::ack \\u202E\"\n";
    write(&dir.join("old/disclose.yaml"), config);
    write(&dir.join("new/disclose.yaml"), config);
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::disclose_in(dir, args)
}

/// The same as the GitHub Action runs it: colours forced.
fn run_coloured(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_disclose"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("the disclose binary runs")
}

/// Bidi controls and invisible characters, listed here rather than taken from the library so
/// the test does not trust the code it tests.
fn hidden(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// No raw control character but LF, no bidi or invisible character.
fn assert_clean(what: &str, text: &str) {
    for (i, c) in text.char_indices() {
        let bad = (c.is_control() && c != '\n') || hidden(c);
        assert!(!bad, "{what}: raw U+{:04X} at byte {i} in:\n{}", u32::from(c), text.escape_debug());
    }
}

/// No line the GitHub runner would parse as a workflow command. Its lines end at LF, CR or
/// CR LF; it trims leading white space (.NET `TrimStart`, the same Unicode set as Rust's).
fn assert_no_commands(what: &str, text: &str) {
    for line in text.split(['\n', '\r']) {
        assert!(!line.trim_start().starts_with("::"), "{what}: a workflow command: {line:?}\nin:\n{text}");
        assert!(!line.contains("##["), "{what}: an old-style workflow command: {line:?}\nin:\n{text}");
    }
}

/// Both, for text a person or a GitHub log reads.
fn assert_safe(what: &str, text: &str) {
    assert_clean(what, text);
    assert_no_commands(what, text);
}

fn assert_shows(what: &str, text: &str, needles: &[&str]) {
    for n in needles {
        assert!(text.contains(n), "{what}: expected `{n}` in:\n{text}");
    }
}

/// Removes SGR colour codes (`ESC [ ... m`), the only escape codes disclose writes itself.
fn strip_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let code = &rest[i + 2..];
        let params = code.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
        if code[params..].starts_with('m') {
            rest = &code[params + 1..];
        } else {
            // Not a colour code: keep it, so assert_clean reports it.
            out.push_str("\u{1b}[");
            rest = code;
        }
    }
    out.push_str(rest);
    out
}

fn check(dir: &Path, format: &str) -> Output {
    let o = run(dir, &["check", "--old", "old", "--new", "new", "-v", "--fail-on", "never", "-f", format]);
    assert_eq!(o.status.code(), Some(0), "check -f {format}: {}", stderr(&o));
    assert_clean(&format!("check -f {format} stderr"), &stderr(&o));
    o
}

#[test]
fn check_human_escapes_quotes_paths_and_purpose_strings() {
    let dir = pair("human");
    let out = stdout(&check(&dir, "human"));
    assert_safe("check -f human", &out);
    assert_shows(
        "check -f human",
        &out,
        &[
            // The path: one line, its line break and OSC 52 shown.
            &format!(" --> app\\n::warning::x{OSC52_SHOWN}/AndroidManifest.xml:3:5"),
            // The policy sentence, in the finding and in the -v table.
            &format!("microphone<U+202E>lanigiro<U+2066>{OSC52_SHOWN}\\x1b[2J\\x1b]8;;https://evil.example/\\x07here"),
            "\\x9b31m ##\\x5badd-mask]secret",
            // The purpose strings.
            "\"TODO <U+202E>lanigiro<U+200B>\\x9b31m\\x7f ##\\x5badd-mask]secret\"",
            &format!("\"TODO {OSC52_SHOWN}\\n::warning::purpose <U+202E>\""),
            // The acknowledgement's reason.
            &format!("= acknowledged: Reviewed {OSC52_SHOWN}\\n::warning::ack <U+202E>"),
        ],
    );
}

#[test]
fn check_human_with_forced_colours_as_the_action_runs_it() {
    let dir = pair("colour");
    let o = run_coloured(&dir, &["check", "--old", "old", "--new", "new", "-v", "--fail-on", "never"]);
    let out = stdout(&o);
    assert!(out.contains("\u{1b}[31;1merror"), "the tool's own colours still work: {out}");
    // The runner does not strip colour codes before it looks for a command; check the raw
    // lines, and the lines as a reader that strips colours first sees them.
    assert_no_commands("coloured check", &out);
    let plain = strip_colours(&out);
    assert_safe("coloured check, colours stripped", &plain);
    assert_shows("coloured check", &plain, &[OSC52_SHOWN, "<U+202E>"]);
}

#[test]
fn check_staged_in_git_where_paths_come_from_git() {
    let dir = pair("git");
    let repo = common::staged_repo(&dir);
    for args in [&["check", "--staged", "-v", "--fail-on", "never"][..], &["check", "--staged", "-q"][..]] {
        let o = run(&repo, args);
        assert!(o.status.code().is_some_and(|c| c < 2), "{args:?}: {}", stderr(&o));
        let (out, err) = (stdout(&o), stderr(&o));
        assert_safe(&format!("{args:?}"), &out);
        assert_safe(&format!("{args:?} stderr"), &err);
        assert_shows(&format!("{args:?}"), &out, &[&format!("app\\n::warning::x{OSC52_SHOWN}/AndroidManifest.xml")]);
    }
}

/// The real path of the manifest under the hostile folder, as the JSON formats must keep it.
fn manifest_path() -> String {
    format!("{}/AndroidManifest.xml", hostile_dir())
}

#[test]
fn check_json_shows_display_text_and_keeps_paths_exact() {
    let dir = pair("json");
    let out = stdout(&check(&dir, "json"));
    assert_safe("check -f json", &out);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let findings = v["findings"].as_array().expect("findings");
    // Identities keep their value (the bytes spell the characters as escapes).
    assert!(findings.iter().any(|f| f["path"] == manifest_path().as_str()), "{out}");
    let evidence: Vec<&str> = findings
        .iter()
        .flat_map(|f| f["evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(
        evidence.iter().any(|t| t.contains(&format!("microphone<U+202E>lanigiro<U+2066>{OSC52_SHOWN}"))),
        "{evidence:?}"
    );
    let messages: Vec<&str> = findings.iter().filter_map(|f| f["message"].as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("\"TODO <U+202E>lanigiro<U+200B>\\x9b31m\\x7f")), "{messages:?}");
    let acknowledged: Vec<&str> = findings.iter().filter_map(|f| f["acknowledged"].as_str()).collect();
    assert!(acknowledged.iter().any(|a| a.contains("<U+202E>")), "{acknowledged:?}");
    assert!(!out.contains("##["), "{out}");
}

#[test]
fn check_sarif_messages_are_visible_and_uris_encoded() {
    let dir = pair("sarif");
    let out = stdout(&check(&dir, "sarif"));
    assert_safe("check -f sarif", &out);
    let v: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let results = v["runs"][0]["results"].as_array().expect("results");
    let text = |r: &Value| r["message"]["text"].as_str().unwrap_or("").to_string();
    assert!(results.iter().any(|r| text(r).contains("microphone<U+202E>lanigiro")), "{out}");
    let uris: Vec<&str> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.iter().any(|u| u.starts_with("app%0A%3A%3Awarning%3A%3Ax%1B")), "{uris:?}");
}

#[test]
fn check_github_is_one_command_per_finding_and_nothing_else() {
    let dir = pair("github");
    let out = stdout(&check(&dir, "github"));
    assert_clean("check -f github", &out);
    let json: Value = serde_json::from_str(&stdout(&check(&dir, "json"))).expect("JSON");
    let findings = json["findings"].as_array().expect("findings").len();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings, "one line per finding: {out}");
    for line in &lines {
        let known = ["::error ", "::warning ", "::notice "].iter().any(|c| line.starts_with(c));
        assert!(known, "every line is an annotation: {line}");
        // As the runner reads it: the command and its properties end at the first `::` after
        // the start. `title=` is the last property, so an input `::` in a property (a path)
        // would cut it off.
        let end = line[2..].find("::").expect("a data separator") + 2;
        assert!(line[..end].contains(",title="), "the properties are whole: {line}");
    }
    assert_shows(
        "check -f github",
        &out,
        &[
            "file=app\\n%3A%3Awarning%3A%3Ax\\x1b]52;c;SGVsbG8=\\x07/AndroidManifest.xml",
            "microphone<U+202E>lanigiro<U+2066>\\x1b]52;c;SGVsbG8=\\x07",
        ],
    );
}

#[test]
fn check_gitlab_describes_visibly_and_keeps_paths_exact() {
    let dir = pair("gitlab");
    let out = stdout(&check(&dir, "gitlab"));
    assert_safe("check -f gitlab", &out);
    let issues: Vec<Value> = serde_json::from_str(&out).expect("a JSON array");
    assert!(issues.iter().any(|i| i["location"]["path"] == manifest_path().as_str()), "{out}");
    // The body is Markdown: `\<U+202E\>` reads `<U+202E>`.
    assert!(issues.iter().any(|i| i["content"]["body"].as_str().is_some_and(|b| b.contains("\\<U+202E\\>"))), "{out}");
    assert!(issues.iter().any(|i| i["description"].as_str().is_some_and(|d| d.contains("TODO <U+202E>"))), "{out}");
}

#[test]
fn check_junit_markdown_and_html_show_what_was_hidden() {
    let dir = pair("documents");
    for (format, shown) in [
        ("junit", "microphone&lt;U+202E&gt;lanigiro&lt;U+2066&gt;\\x1b]52;c;SGVsbG8=\\x07"),
        ("markdown", "microphone\\<U+202E\\>lanigiro\\<U+2066\\>\\\\x1b\\]52;c;SGVsbG8=\\\\x07"),
        ("html", "microphone&lt;U+202E&gt;lanigiro&lt;U+2066&gt;\\x1b]52;c;SGVsbG8=\\x07"),
    ] {
        let out = stdout(&check(&dir, format));
        assert_safe(&format!("check -f {format}"), &out);
        assert_shows(&format!("check -f {format}"), &out, &[shown]);
    }
}

/// `disclose diff` between two policies, the new one named with a line break and OSC 52.
fn diff_pair(name: &str) -> PathBuf {
    let dir = scratch(name);
    write(&dir.join("old.md"), OLD_POLICY);
    write(&dir.join(format!("new\n::warning::d{OSC52}.md")), &new_policy());
    dir
}

#[test]
fn diff_every_format() {
    let dir = diff_pair("diff");
    let new = format!("new\n::warning::d{OSC52}.md");
    for (format, shown) in [
        ("human", format!("microphone<U+202E>lanigiro<U+2066>{OSC52_SHOWN}")),
        // JSON escapes the backslash of `\x1b`.
        ("json", "microphone<U+202E>lanigiro<U+2066>\\\\x1b]52;c;SGVsbG8=\\\\x07".to_string()),
        // Markdown: the cell escapes `<`, the redline's code block does not need to.
        ("markdown", format!("microphone<U+202E>lanigiro<U+2066>{OSC52_SHOWN}")),
        ("html", format!("microphone&lt;U+202E&gt;lanigiro&lt;U+2066&gt;{OSC52_SHOWN}")),
    ] {
        let o = run(&dir, &["diff", "old.md", &new, "-v", "--fail-on", "never", "-f", format]);
        assert_eq!(o.status.code(), Some(0), "diff -f {format}: {}", stderr(&o));
        let out = stdout(&o);
        assert_safe(&format!("diff -f {format}"), &out);
        assert_safe(&format!("diff -f {format} stderr"), &stderr(&o));
        assert_shows(&format!("diff -f {format}"), &out, &[&shown]);
    }
    let o = run(&dir, &["diff", "old.md", &new]);
    assert_shows(
        "diff",
        &stdout(&o),
        &[&format!("disclose diff: old.md → new\\n::warning::d{OSC52_SHOWN}.md"), "§ Microphone<U+202E>lanigiro"],
    );
    let o = run_coloured(&dir, &["diff", "old.md", &new]);
    assert_no_commands("coloured diff", &stdout(&o));
    assert_safe("coloured diff, colours stripped", &strip_colours(&stdout(&o)));
}

#[test]
fn scan_every_format() {
    let dir = scratch("scan");
    // A folder whose name is a workflow command: the summary line starts with the path.
    let path = "::add-mask::scan/PRIVACY.md";
    write(&dir.join(path), &new_policy());
    // Rows cut quotes to fit a line: this one has its hostile characters early.
    let hostile_path = format!("{}/PRIVACY.md", hostile_dir());
    write(&dir.join(&hostile_path), &format!("# Privacy\n\nWe collect your\u{202E} email address{}.\n", hostile()));
    for args in [&["scan", path, &hostile_path][..], &["scan", "-v", path, &hostile_path], &["scan", "-q", path]] {
        let o = run(&dir, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_safe(&format!("{args:?}"), &stdout(&o));
        assert_shows(&format!("{args:?}"), &stdout(&o), &["\\x3a:add-mask::scan/PRIVACY.md: "]);
    }
    let o = run(&dir, &["scan", "-v", path, &hostile_path]);
    assert_shows(
        "scan -v",
        &stdout(&o),
        &[&format!("app\\n::warning::x{OSC52_SHOWN}/PRIVACY.md:"), "your<U+202E> email"],
    );
    let o = run(&dir, &["scan", "-f", "json", path, &hostile_path]);
    let out = stdout(&o);
    assert_safe("scan -f json", &out);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["files"][1]["path"], hostile_path.as_str(), "paths keep their value");
    assert!(out.contains("<U+202E>lanigiro"), "{out}");
}

/// A repository whose disclose.yaml names a hostile app, category label and vocabulary.
fn config_repo(name: &str) -> PathBuf {
    let dir = scratch(name);
    write(&dir.join("PRIVACY.md"), OLD_POLICY);
    write(&dir.join("AndroidManifest.xml"), &android(&["CAMERA"]));
    write(
        &dir.join("disclose.yaml"),
        "apps:\n  - name: \"mobile\\e]52;c;SGVsbG8=\\a\\n::warning::app \\u202E\"\n    manifests: [\"**\"]\n\
         categories:\n  - id: health.glucose\n    label: \"glucose\\e[2J \\u202Elevels\"\n    \
         vocabulary: [\"glucose\\u200B\", \"##[add-mask]x\"]\n",
    );
    dir
}

#[test]
fn config_and_categories_every_format() {
    let dir = config_repo("config");
    for args in [&["config"][..], &["config", "--format", "json"], &["categories"], &["categories", "--format", "json"]]
    {
        let o = run(&dir, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_safe(&format!("{args:?}"), &stdout(&o));
    }
    assert_shows(
        "config",
        &stdout(&run(&dir, &["config"])),
        &[&format!("apps.mobile{OSC52_SHOWN}\\n::warning::app <U+202E>")],
    );
    assert_shows("categories", &stdout(&run(&dir, &["categories"])), &["glucose\\x1b[2J <U+202E>levels"]);
    // The JSON exports keep exact values.
    let v: Value = serde_json::from_str(&stdout(&run(&dir, &["categories", "--format", "json"]))).expect("JSON");
    let glucose = v["categories"].as_array().expect("list").iter().find(|c| c["id"] == "health.glucose").cloned();
    assert_eq!(glucose.expect("the custom category")["label"], "glucose\u{1b}[2J \u{202E}levels");
}

#[test]
fn errors_on_stderr_quote_input_escaped() {
    // A manifest that does not parse, under the hostile folder: the error names its path.
    let dir = pair("errors");
    write(&dir.join("new").join(hostile_dir()).join("AndroidManifest.xml"), "<manifest>\n  <oops\n");
    let o = run(&dir, &["check", "--old", "old", "--new", "new"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert_safe("parse error", &err);
    assert_shows("parse error", &err, &[&format!("error: new/app\\n::warning::x{OSC52_SHOWN}/AndroidManifest.xml:")]);

    // A config value that is not valid, quoted in the message and the help.
    let dir = scratch("config-error");
    write(&dir.join("PRIVACY.md"), OLD_POLICY);
    write(&dir.join("disclose.yaml"), "rules:\n  \"undisclosed\\e]52;c;SGVsbG8=\\a\\n::warning::rule \\u202E\": off\n");
    for args in [&["config"][..], &["check", "--old", ".", "--new", "."]] {
        let o = run(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert_safe(&format!("{args:?} error"), &err);
        assert_shows(
            &format!("{args:?} error"),
            &err,
            &[&format!("unknown rule `undisclosed{OSC52_SHOWN}\\n::warning::rule <U+202E>`")],
        );
    }

    // A policy named on the command line that does not exist (no `:`, which names a revision).
    let missing = format!("gone\n##[add-mask]x{OSC52}\u{202E}.md");
    let o = run(&scratch("read-error"), &["scan", &missing]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_safe("read error", &err);
    assert_shows("read error", &err, &[&format!("gone\\n##\\x5badd-mask]x{OSC52_SHOWN}<U+202E>.md")]);
}

#[test]
fn init_writes_yaml_that_quotes_paths_exactly() {
    let dir = scratch("init");
    let policy = format!("legal\n::warning::p{OSC52}\u{202E}/privacy.md");
    write(&dir.join(&policy), OLD_POLICY);
    let manifest = format!("apps/x\nfail_on: never #{OSC52}/android/AndroidManifest.xml");
    write(&dir.join(&manifest), &android(&["CAMERA"]));
    write(&dir.join("apps/other/android/AndroidManifest.xml"), &android(&["CAMERA"]));
    let o = run(&dir, &["init", "--stdout"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_safe("init --stdout", &out);
    // The file reads back as the paths found, and a line break in a path listed in a comment
    // writes no live key.
    let yaml: serde_yaml::Value = serde_yaml::from_str(&out).expect("YAML");
    assert_eq!(yaml["policies"][0].as_str(), Some(policy.as_str()), "{out}");
    assert!(yaml.get("fail_on").is_some_and(|v| v == "error"), "{out}");
    assert!(
        out.contains("#   - \"apps/x\\nfail_on: never #\\x1b]52;c;SGVsbG8=\\x07/android/AndroidManifest.xml\""),
        "{out}"
    );
}
