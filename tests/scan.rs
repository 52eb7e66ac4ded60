//! `disclose scan` on the policies of tests/fixtures/scan (see its README): the human table
//! and the JSON contract (snapshots), several files at once, standard input, `-q`, `-v`, `-o`,
//! `--config`, colour, and every input that cannot be read (exit 2).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{disclose_in, root, stderr, stdout};
use serde_json::Value;

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/scan", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

/// The fixtures folder: tests run there, so paths read `privacy.md` as a user would type them.
fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/scan")
}

/// Runs `disclose scan ARGS` in the fixtures folder and expects exit 0 and nothing on stderr.
fn scan(args: &[&str]) -> String {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    let o = disclose_in(&fixtures(), &all);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    assert_eq!(stderr(&o), "", "{args:?}");
    stdout(&o)
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    serde_json::from_str(&scan(&all)).expect("scan JSON parses")
}

/// The ids of a list of categories or practices.
fn ids(v: &Value, list: &str, key: &str) -> Vec<String> {
    v[list].as_array().expect("a list").iter().map(|r| r[key].as_str().expect("an id").to_string()).collect()
}

#[test]
fn markdown_human_json_and_verbose() {
    snap!("markdown.human", scan(&["privacy.md"]));
    snap!("markdown.verbose.human", scan(&["privacy.md", "-v"]));
    let text = scan(&["privacy.md", "-f", "json"]);
    snap!("markdown.json", &text);
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    // The field names (their order is the snapshot's): serde_json's map sorts them.
    let keys = |o: &Value| o.as_object().expect("an object").keys().cloned().collect::<Vec<_>>();
    let sorted = |names: &[&str]| {
        let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(keys(&v), sorted(&["path", "disclosures", "denials", "unsaid", "practices", "controls"]));
    for list in ["disclosures", "denials"] {
        for row in v[list].as_array().expect("a list") {
            let want = ["category", "label", "line", "column", "quote", "mention", "basis", "statements"];
            assert_eq!(keys(row), sorted(&want), "{row}");
        }
    }
    for list in ["practices", "controls"] {
        for row in v[list].as_array().expect("a list") {
            let want = ["practice", "label", "polarity", "line", "column", "quote", "recipient", "categories"];
            assert_eq!(keys(row), sorted(&want), "{row}");
        }
    }
    // The structure the fixture is written to exercise: a list under an intro, a table, an
    // annotation, a denial of two categories, a denied and a stated practice, two controls.
    let bases: Vec<&str> = v["disclosures"].as_array().unwrap().iter().map(|d| d["basis"].as_str().unwrap()).collect();
    for basis in ["list-item", "table-row", "annotation", "collection"] {
        assert!(bases.contains(&basis), "no `{basis}` disclosure: {bases:?}");
    }
    assert_eq!(ids(&v, "denials", "category"), ["contacts", "calendar"]);
    let polarity: Vec<&str> =
        v["practices"].as_array().unwrap().iter().map(|p| p["polarity"].as_str().unwrap()).collect();
    assert!(polarity.contains(&"stated") && polarity.contains(&"denied"), "{polarity:?}");
    assert_eq!(v["controls"].as_array().unwrap().len(), 2);
}

#[test]
fn html_and_plain_text() {
    snap!("html.human", scan(&["privacy.html"]));
    snap!("html.json", scan(&["privacy.html", "-f", "json"]));
    snap!("text.human", scan(&["privacy.txt"]));
    snap!("text.json", scan(&["privacy.txt", "-f", "json"]));
}

/// A statement is listed under the category it names; `unsaid` leaves out what a statement
/// covers (a parent covers its children), and never what is listed.
#[test]
fn unsaid_is_what_no_statement_covers_in_taxonomy_order() {
    let taxonomy: Value = {
        let o = disclose_in(&fixtures(), &["categories", "-f", "json"]);
        serde_json::from_str(&stdout(&o)).expect("categories JSON")
    };
    let order = ids(&taxonomy, "categories", "id");
    for file in ["privacy.md", "privacy.html", "privacy.txt"] {
        let v = json(&[file]);
        let (disclosed, denied) = (ids(&v, "disclosures", "category"), ids(&v, "denials", "category"));
        let unsaid: Vec<String> = v["unsaid"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().into()).collect();
        for list in [&disclosed, &denied, &unsaid] {
            let positions: Vec<usize> =
                list.iter().map(|c| order.iter().position(|o| o == c).expect("known")).collect();
            assert!(positions.windows(2).all(|w| w[0] < w[1]), "{file}: not in taxonomy order: {list:?}");
        }
        for c in disclosed.iter().chain(&denied) {
            assert!(!unsaid.contains(c), "{file}: {c} is both said and unsaid");
        }
        // Every category is said (listed, or covered by a listed parent) or unsaid.
        assert!(disclosed.len() + denied.len() + unsaid.len() <= order.len(), "{file}");
    }
    // The HTML policy discloses precise location only: that covers neither its parent nor its
    // sibling, but the parent is not unsaid either (a part of it is said).
    let v = json(&["privacy.html"]);
    let unsaid: Vec<&str> = v["unsaid"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(!unsaid.contains(&"location") && unsaid.contains(&"location.approximate"), "{unsaid:?}");
    assert!(!unsaid.contains(&"location.precise"), "{unsaid:?}");
}

#[test]
fn several_files_are_one_object_each_under_files() {
    let text = scan(&["privacy.md", "privacy.txt", "-f", "json"]);
    snap!("two-files.json", &text);
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    let paths: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["privacy.md", "privacy.txt"], "in the order given");
    assert_eq!(v["files"][1], json(&["privacy.txt"]), "the same object as on its own");
    let human = scan(&["privacy.md", "privacy.txt"]);
    snap!("two-files.human", &human);
    // -q: only each file's summary line, which opens its block of the table.
    let headers: String = human.split("\n\n").map(|block| format!("{}\n", block.lines().next().unwrap())).collect();
    assert!(headers.starts_with("privacy.md: ") && headers.contains("\nprivacy.txt: "), "{headers}");
    assert_eq!(scan(&["privacy.md", "privacy.txt", "-q"]), headers);
    // The output does not depend on the thread count.
    let all = ["privacy.md", "privacy.html", "privacy.txt", "-f", "json"];
    let one = scan(&[&all[..], &["-j", "1"]].concat());
    assert_eq!(scan(&[&all[..], &["-j", "3"]].concat()), one);
}

#[test]
fn standard_input_is_sniffed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_disclose"))
        .args(["scan", "-", "--format", "json"])
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the disclose binary runs");
    let html = std::fs::read(fixtures().join("privacy.html")).expect("fixture");
    child.stdin.take().expect("piped").write_all(&html).expect("stdin takes the policy");
    let o = child.wait_with_output().expect("disclose finishes");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut from_stdin: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(from_stdin["path"], "<stdin>");
    from_stdin["path"] = "privacy.html".into();
    assert_eq!(from_stdin, json(&["privacy.html"]), "read as HTML, as the file is");
    let o = disclose_in(&fixtures(), &["scan", "-", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: standard input (`-`) can be scanned only once\n"), "{}", stderr(&o));
}

#[test]
fn config_categories_extend_the_taxonomy() {
    let v = json(&["glucose.md", "--config", "glucose.yaml"]);
    assert_eq!(ids(&v, "disclosures", "category"), ["health.glucose"]);
    assert_eq!(v["disclosures"][0]["label"], "blood glucose readings");
    // Without the configuration, the same sentence names no category the taxonomy has.
    let plain = json(&["glucose.md"]);
    assert!(!ids(&plain, "disclosures", "category").contains(&"health.glucose".to_string()));
    let o = disclose_in(&fixtures(), &["scan", "glucose.md", "--config", "missing.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: cannot read `missing.yaml`: No such file or directory\n");
}

#[test]
fn output_file_is_written_atomically_and_only_there() {
    let dir = common::scratch("scan-output");
    let out = dir.join("scan.json");
    let o = disclose_in(&fixtures(), &["scan", "privacy.md", "-f", "json", "-o", out.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "-o sends the output to the file only");
    assert_eq!(std::fs::read_to_string(&out).expect("written"), scan(&["privacy.md", "-f", "json"]));
    let human = dir.join("scan.txt");
    let o = common::disclose_env(&["scan", "tests/fixtures/scan/privacy.md", "-o", human.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!std::fs::read_to_string(&human).expect("written").contains('\u{1b}'), "a file gets no colour");
    let left: Vec<_> = std::fs::read_dir(&dir).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(left.len(), 2, "no temporary file is left behind: {left:?}");
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let file = "tests/fixtures/scan/privacy.md";
    let coloured = stdout(&common::disclose_env(&["scan", file, "--color", "always"], &[]));
    assert!(coloured.contains("\u{1b}[32mdisclosed"), "disclosed is green: {coloured}");
    assert!(coloured.contains("\u{1b}[33;1mdenied"), "denied is yellow: {coloured}");
    assert!(coloured.contains("\u{1b}[2m  not mentioned:"), "the not-mentioned line is dim: {coloured}");
    let plain = common::disclose_env(&["scan", file], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
    assert!(!stdout(&plain).contains('\u{1b}'), "NO_COLOR wins over CLICOLOR_FORCE");
    let forced = common::disclose_env(&["scan", file], &[("CLICOLOR_FORCE", "1")]);
    assert!(stdout(&forced).contains('\u{1b}'), "CLICOLOR_FORCE colours a pipe");
    let never = common::disclose_env(&["scan", file, "--color", "never"], &[("CLICOLOR_FORCE", "1")]);
    assert!(!stdout(&never).contains('\u{1b}'));
}

/// Anything that cannot be read exits 2 with one sentence (and `path:line` where known), and
/// prints nothing on stdout: a scan never half-reports.
#[test]
fn unreadable_inputs_exit_2() {
    let run = |args: &[&str]| {
        let o = disclose_in(&fixtures(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        assert_eq!(stdout(&o), "", "{args:?}");
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
        stderr(&o)
    };
    snap!("binary.stderr", run(&["scan", "privacy.md", "binary.md"]));
    assert_eq!(run(&["scan", "missing.md"]), "error: cannot read `missing.md`: No such file or directory\n");
    assert!(run(&["scan", "."]).starts_with("error: `.` is a folder, not a policy file\n  help: `disclose scan`"));
    let large = run(&["scan", "privacy.md", "--max-file-size", "100"]);
    assert!(large.starts_with("error: privacy.md: the file is "), "{large}");
    assert!(large.contains("help: raise the limit with `--max-file-size"), "{large}");
    let dir = common::scratch("scan-bad");
    common::write(&dir.join("empty.md"), "\n\n");
    std::fs::write(dir.join("latin1.md"), b"# Privacy\n\nWe collect your caf\xe9 orders.\n").expect("writable");
    let empty = disclose_in(&dir, &["scan", "empty.md"]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).starts_with("error: empty.md: the policy is empty\n  help: "), "{}", stderr(&empty));
    let latin1 = disclose_in(&dir, &["scan", "latin1.md"]);
    assert_eq!(latin1.status.code(), Some(2));
    assert!(
        stderr(&latin1).starts_with("error: latin1.md:3:20: the file is not valid UTF-8 (byte 0xE9)\n  help: "),
        "{}",
        stderr(&latin1)
    );
    let none = disclose_in(&fixtures(), &["scan"]);
    assert_eq!(none.status.code(), Some(2), "a file is required");
}
