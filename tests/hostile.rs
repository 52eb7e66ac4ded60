//! Hostile and odd inputs: each gets a clear error or a correct result, within a deadline.
//! Nothing here may crash, hang or write where it was not asked to. The table of cases and
//! their behaviour is in the README's "Limits" section.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::git;
use common::{disclose_within, scratch, stderr, stdout, write};

/// Every run here must finish well within this (debug build, 2-core machine).
const DEADLINE: u64 = 60;

const POLICY: &str = common::CAMERA_POLICY;

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

fn assert_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "expected exit 2 with `{needle}`: {}{err}", stdout(o));
    assert!(err.starts_with("error: ") && err.contains(needle), "expected `{needle}` in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn deep_nesting_is_an_error_or_read_never_a_stack_overflow() {
    let deep = 100_000;
    let cases: [(&str, String, Option<&str>); 6] = [
        (
            "app/src/main/AndroidManifest.xml",
            format!("<manifest>{}{}</manifest>", "<a>".repeat(deep), "</a>".repeat(deep)),
            Some("AndroidManifest.xml:1:776: malformed XML: elements nest more than 256 levels deep"),
        ),
        (
            "ios/App/Info.plist",
            format!("<plist>{}</plist>", "<array>".repeat(deep)),
            Some("elements nest more than 256 levels deep"),
        ),
        (
            "ext/manifest.json",
            format!(
                "{{\"manifest_version\": 3, \"name\": \"x\", \"version\": \"1\", \"a\": {}{}}}",
                "[".repeat(deep),
                "]".repeat(deep)
            ),
            Some("Maximum nesting depth exceeded"),
        ),
        (
            "disclose.yaml",
            format!("policies: {}{}\n", "[".repeat(deep), "]".repeat(deep)),
            Some("brackets nest more than 64 levels deep"),
        ),
        // Markdown and HTML nest without limit in their parsers' own heap structures: read.
        ("PRIVACY.md", format!("# Privacy\n\n{}We use your camera to scan receipts.\n", "> ".repeat(deep)), None),
        ("privacy.html", format!("<p>{}We use your camera.{}</p>", "<div>".repeat(deep), "</div>".repeat(deep)), None),
    ];
    for (file, text, expected) in cases {
        let dir = pair("deep");
        write(&dir.join("new").join(file), &text);
        let o = check(&dir, &[]);
        match expected {
            Some(needle) => assert_error(&o, needle),
            None => assert_eq!(o.status.code(), Some(0), "{file}: {}{}", stdout(&o), stderr(&o)),
        }
    }
}

#[test]
fn entity_expansion_is_refused_and_external_entities_are_never_fetched() {
    let dir = pair("entities");
    let mut laughs = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [\n<!ENTITY l0 \"lol\">\n");
    for i in 1..10 {
        laughs.push_str(&format!("<!ENTITY l{i} \"{}\">\n", format!("&l{};", i - 1).repeat(10)));
    }
    laughs.push_str("]>\n<manifest><uses-permission name=\"&l9;\"/></manifest>\n");
    write(&dir.join("new/app/src/main/AndroidManifest.xml"), &laughs);
    assert_error(&check(&dir, &[]), "AndroidManifest.xml:4:");
    assert_error(&check(&dir, &[]), "entity reference loop");

    // An external entity naming a file that requests the microphone: never read.
    let secret = dir.join("secret.xml");
    write(&secret, "<uses-permission xmlns:android=\"http://schemas.android.com/apk/res/android\" android:name=\"android.permission.RECORD_AUDIO\"/>");
    let xxe = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [<!ENTITY ext SYSTEM \"file://{}\">]>\n<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">&ext;</manifest>\n",
        secret.display()
    );
    write(&dir.join("new/app/src/main/AndroidManifest.xml"), &xxe);
    let o = check(&dir, &[]);
    assert_error(&o, "unknown entity reference 'ext'");
    assert!(!stdout(&o).contains("RECORD_AUDIO"));
}

#[test]
fn files_over_the_size_limit_are_errors_before_they_are_read() {
    let dir = pair("huge");
    // 200 MB, sparse: the size is refused from the file system, without reading a byte.
    let huge = std::fs::File::create(dir.join("new/PRIVACY.md")).expect("create");
    huge.set_len(200_000_000).expect("a sparse file");
    let o = check(&dir, &[]);
    assert_error(&o, "PRIVACY.md: the file is 190.7 MiB, over the 10 MiB limit for an input file");
    assert!(stderr(&o).contains("--max-file-size 191M"), "{}", stderr(&o));
    // Raised, the file is read, and found to be no text (all NUL bytes).
    assert_error(&check(&dir, &["--max-file-size", "256M"]), "the file is binary");
    // A small limit applies to every input, manifests included.
    let dir = pair("limit");
    assert_error(&check(&dir, &["--max-file-size", "100"]), "over the 100 bytes limit");
    let o = check(&dir, &["--max-file-size", "ten"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`ten` is not a size"), "{}", stderr(&o));
}

#[test]
fn a_ten_million_character_line_is_read_and_never_printed_whole() {
    let dir = pair("long-line");
    // One line of 10,000,000+ characters: 270,271 sentences, the last one about the microphone.
    let mut line = "We use your camera to scan receipts. ".repeat(270_271);
    line.push_str("We record your voice when you dictate a note.");
    assert!(line.len() > 10_000_000);
    write(&dir.join("new/PRIVACY.md"), &format!("# Receipts privacy\n\n{line}\n"));
    write(&dir.join("new/app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"]));
    let o = check(&dir, &["--max-file-size", "11M", "-v"]);
    assert_eq!(o.status.code(), Some(0), "the microphone is disclosed at the end of the line: {}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("microphone"), "{out}");
    assert!(out.len() < 10_000, "the output quotes the long line whole ({} bytes)", out.len());
}

#[test]
fn a_ten_million_character_table_row_of_items_is_read_in_linear_time() {
    let dir = pair("long-cell");
    // One table cell of 10,000,000+ characters: 570,000 lines split by `<br>`, `* ` markers,
    // bullets and attribute lists, each its own sentence under the column header; the last
    // one is about the microphone. A quadratic step anywhere would miss the deadline.
    let mut cell = "Receipt photos<br>*   Store names \u{2022} Totals {: .x }<br>".repeat(190_000);
    cell.push_str("Voice memos");
    assert!(cell.len() > 10_000_000);
    let policy = format!("{POLICY}\n| Information we collect |\n|---|\n| {cell} |\n");
    write(&dir.join("new/PRIVACY.md"), &policy);
    write(&dir.join("new/app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"]));
    let o = check(&dir, &["--max-file-size", "11M", "-v"]);
    assert_eq!(o.status.code(), Some(0), "the last cell line discloses the microphone: {}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("\"Voice memos\""), "{out}");
}

#[test]
fn one_sentence_of_thousands_of_mentions_is_judged_whole() {
    let dir = pair("many-mentions");
    // One sentence that repeats category words 12,000 times under one negated verb, then a
    // sharing sentence of 6,000 recipients: every mention looks at its neighbours only, so
    // this reads in one pass (a step over the whole clause per mention would take minutes).
    let denials = "your location, your contacts, precise location, ".repeat(4_000);
    let sharing = "your email address with Acme Analytics Inc and ".repeat(6_000);
    let policy = format!("{POLICY}\nWe do not collect {denials}or your calendar.\n\nWe share {sharing}nothing else.\n");
    write(&dir.join("new/PRIVACY.md"), &policy);
    write(&dir.join("new/app/src/main/AndroidManifest.xml"), &manifest(&["READ_CONTACTS"]));
    let o = check(&dir, &["-f", "json"]);
    assert_eq!(o.status.code(), Some(1), "the denial of contacts contradicts READ_CONTACTS: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let findings = v["findings"].as_array().unwrap();
    let contradiction = findings.iter().find(|f| f["rule"] == "contradicts-policy").expect("a contradiction");
    assert_eq!(contradiction["category"], "contacts");
    let sharing = findings.iter().find(|f| f["rule"] == "practice-expansion").expect("the new sharing");
    assert!(sharing["message"].as_str().unwrap().contains("Acme Analytics Inc"), "{sharing}");
}

#[test]
fn crlf_line_endings_give_the_same_report() {
    let example = common::root().join("examples/streaming-app");
    let (lf, crlf) = (scratch("lf"), scratch("crlf"));
    for (from, side) in [("v1", "old"), ("v2", "new")] {
        std::fs::create_dir_all(lf.join(side)).expect("mkdir");
        std::fs::create_dir_all(crlf.join(side)).expect("mkdir");
        common::copy_tree(&example.join(from), &lf.join(side));
        common::copy_tree(&example.join(from), &crlf.join(side));
    }
    let mut converted = 0;
    for file in walk(&crlf) {
        let text = std::fs::read_to_string(&file).expect("the example is text");
        std::fs::write(&file, text.replace('\n', "\r\n")).expect("write");
        converted += 1;
    }
    assert!(converted >= 6, "{converted}");
    let (a, b) = (check(&lf, &["-f", "json"]), check(&crlf, &["-f", "json"]));
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(stdout(&a), stdout(&b), "CRLF changes the report");
    let human = stdout(&check(&crlf, &[]));
    assert!(!human.contains('\r'), "a carriage return reaches the terminal: {human:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable").map(|e| e.expect("entry")) {
        let path = entry.path();
        if entry.file_type().expect("type").is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn symlinks_are_not_followed_out_of_the_version() {
    use std::os::unix::fs::symlink;
    let dir = pair("links");
    let new = dir.join("new");
    write(&new.join("app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"]));
    // A policy outside the version that would disclose the microphone.
    write(&dir.join("elsewhere/voice.md"), "We record your voice when you dictate a note.\n");
    symlink(dir.join("elsewhere/voice.md"), new.join("privacy-voice.md")).expect("symlink");
    // A loop, a link to the version's own parent folder and a dangling link: never walked.
    symlink(".", new.join("loop")).expect("symlink");
    symlink("..", new.join("up")).expect("symlink");
    symlink("nowhere.md", new.join("privacy-missing.md")).expect("symlink");
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(1), "the outside policy must not be read: {}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("RECORD_AUDIO"), "{}", stdout(&o));

    // The same link, named in disclose.yaml: an error, not a silent skip.
    write(&new.join("disclose.yaml"), "policies: [PRIVACY.md, privacy-voice.md]\n");
    assert_error(&check(&dir, &[]), "privacy-voice.md: the file is a link to a place outside the folder");
    std::fs::remove_file(new.join("disclose.yaml")).expect("remove");

    // A link to a file inside the version is read.
    std::fs::remove_file(new.join("privacy-voice.md")).expect("remove");
    write(&new.join("legal/voice.md"), "We record your voice when you dictate a note.\n");
    symlink("legal/voice.md", new.join("privacy-voice.md")).expect("symlink");
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn pipes_are_skipped_and_unreadable_files_are_errors() {
    let dir = pair("pipes");
    let fifo = dir.join("new/privacy-pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    // Discovered by name, but a pipe is not a file: reading it would wait forever.
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    write(&dir.join("new/disclose.yaml"), "policies: [PRIVACY.md, privacy-pipe.md]\n");
    assert_error(&check(&dir, &[]), "privacy-pipe.md: not a regular file");
    std::fs::remove_file(dir.join("new/disclose.yaml")).expect("remove");
    std::fs::remove_file(&fifo).expect("remove");

    // A file without read permission. Root reads it anyway (CI containers run as root), so
    // there the check is that it is read, not skipped.
    use std::os::unix::fs::PermissionsExt;
    let policy = dir.join("new/PRIVACY.md");
    std::fs::set_permissions(&policy, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let o = check(&dir, &[]);
    std::fs::set_permissions(&policy, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    if std::fs::read(&policy).is_ok() && is_root() {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    } else {
        assert_error(&o, "PRIVACY.md`: Permission denied");
    }
}

fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let dir = scratch("names").join("my repo – ünïcödé");
    for side in ["old", "new"] {
        write(&dir.join(side).join("Política de privacidad/privacy policy.md"), POLICY);
        write(&dir.join(side).join("apps/Café Tempo/AndroidManifest.xml"), &manifest(&["CAMERA"]));
    }
    write(&dir.join("new/apps/Café Tempo/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"]));
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains(" --> apps/Café Tempo/AndroidManifest.xml:3:5"), "{}", stdout(&o));
    assert!(stdout(&o).contains("Política de privacidad/privacy policy.md does not disclose"), "{}", stdout(&o));

    // The same change staged in a git repository at that path: git's own path quoting never
    // reaches the report.
    let repo = common::staged_repo(&dir);
    let o = disclose_within(&repo, &["check", "--staged", "-v"], DEADLINE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(" --> apps/Café Tempo/AndroidManifest.xml:3:5"), "{out}");
    assert!(out.contains("M apps/Café Tempo/AndroidManifest.xml"), "{out}");
    assert!(!out.contains("\\303"), "git quoted a path: {out}");
}

/// `n` apps of one manifest each; the new version adds the microphone to app `changed`, and
/// `policies` policies of about 20 KB each.
fn monorepo(name: &str, n: usize, changed: usize, policies: usize) -> PathBuf {
    let dir = scratch(name);
    for side in ["old", "new"] {
        for i in 0..n {
            let perms: &[&str] = if side == "new" && i == changed { &["CAMERA", "RECORD_AUDIO"] } else { &["CAMERA"] };
            write(&dir.join(format!("{side}/apps/app-{i:04}/src/main/AndroidManifest.xml")), &manifest(perms));
        }
        for p in 0..policies {
            let body = format!("## Section {p}\n\nWe use your camera to scan receipts for app {p}.\n\n").repeat(300);
            write(&dir.join(format!("{side}/docs/privacy-{p:02}.md")), &format!("# Privacy {p}\n\n{body}"));
        }
    }
    dir
}

#[test]
fn thousands_of_manifests() {
    let dir = monorepo("thousands", 2000, 1234, 2);
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("error[undisclosed-collection]").count(), 1, "{out}");
    assert!(out.contains(" --> apps/app-1234/src/main/AndroidManifest.xml:3:5"), "{out}");
    assert!(out.contains("(2000 manifests, 2 policies;"), "{out}");
}

#[test]
fn output_is_the_same_across_runs_and_thread_counts() {
    let dir = monorepo("determinism", 600, 17, 12);
    let runs: Vec<Output> = [["-j", "1"], ["-j", "2"], ["-j", "2"], ["-j", "7"]]
        .iter()
        .map(|jobs| check(&dir, &["-f", "json", jobs[0], jobs[1]]))
        .collect();
    assert_eq!(runs[0].status.code(), Some(1), "{}", stderr(&runs[0]));
    for (i, run) in runs.iter().enumerate().skip(1) {
        assert!(run.stdout == runs[0].stdout, "run {i} differs from the first");
    }
    let human: Vec<Vec<u8>> = ["1", "2"].iter().map(|j| check(&dir, &["-j", j]).stdout).collect();
    assert!(human[0] == human[1]);
}

/// Every file under `dir` (the `.git` folder included), with its bytes and modification time.
fn state(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    walk(dir)
        .into_iter()
        .map(|p| {
            let meta = std::fs::symlink_metadata(&p).expect("stat");
            let bytes = if meta.is_file() { std::fs::read(&p).expect("read") } else { Vec::new() };
            (p, bytes, meta.modified().expect("mtime"))
        })
        .collect()
}

#[test]
fn no_command_writes_into_the_repository_or_the_index() {
    let repo = pair("untouched").join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    common::copy_tree(&repo.parent().expect("parent").join("old"), &repo);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "old"]);
    write(&repo.join("app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA", "RECORD_AUDIO"]));
    git(&repo, &["add", "-A"]);
    // An unstaged edit on top, which `--staged` must neither see nor lose.
    write(&repo.join("PRIVACY.md"), &format!("{POLICY}\nWe record your voice when you dictate a note.\n"));
    let before = state(&repo);
    let status = git(&repo, &["status", "--porcelain=v2"]);
    let after_status = state(&repo); // `git status` may refresh the index itself: compare after it.
    let reports = scratch("untouched-out");
    for args in [
        vec!["check", "--staged"],
        vec!["check", "--staged", "-v", "-f", "json"],
        vec!["check", "--base", "HEAD"],
        vec!["check", "--base", "HEAD", "-f", "sarif", "-o", reports.join("r.sarif").to_str().expect("utf-8")],
        vec!["diff", "HEAD:PRIVACY.md", "PRIVACY.md"],
        vec!["diff", ":PRIVACY.md", "PRIVACY.md", "-f", "html", "-o", reports.join("r.html").to_str().expect("utf-8")],
        vec!["config"],
        vec!["categories"],
        vec!["init", "--stdout"],
    ] {
        let o = disclose_within(&repo, &args, DEADLINE);
        assert!(o.status.code().is_some_and(|c| c < 2), "{args:?}: {}", stderr(&o));
        assert!(state(&repo) == after_status, "`disclose {}` changed the repository", args.join(" "));
    }
    assert_eq!(git(&repo, &["status", "--porcelain=v2"]), status);
    assert_eq!(before.len(), after_status.len());
    // Asked to, `init` writes its one file and nothing else.
    let o = disclose_within(&repo, &["init"], DEADLINE);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let added: Vec<PathBuf> =
        state(&repo).into_iter().map(|(p, ..)| p).filter(|p| !after_status.iter().any(|(q, ..)| q == p)).collect();
    assert_eq!(added, vec![repo.join("disclose.yaml")]);
}

#[test]
fn a_failed_run_leaves_the_previous_report_whole() {
    let dir = pair("atomic");
    let report = dir.join("report.sarif");
    std::fs::write(&report, "the previous report").expect("write");
    write(&dir.join("new/app/src/main/AndroidManifest.xml"), "<manifest><uses-permission</manifest>");
    let o = check(&dir, &["-f", "sarif", "-o", "report.sarif"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&report).expect("read"), "the previous report");
    write(&dir.join("new/app/src/main/AndroidManifest.xml"), &manifest(&["CAMERA"]));
    let o = check(&dir, &["-f", "sarif", "-o", "report.sarif", "--report", "json=report.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&report).expect("read").contains("\"version\": \"2.1.0\""));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["new", "old", "report.json", "report.sarif"], "a temporary file was left behind");
}

/// A small deterministic generator (xorshift): `n` draws below `of`.
fn draws(seed: u64, n: usize, of: usize) -> Vec<usize> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % of as u64) as usize
        })
        .collect()
}

/// `n` words drawn from `vocabulary`, joined by spaces.
fn words(seed: u64, n: usize, vocabulary: &[&str]) -> String {
    draws(seed, n, vocabulary.len()).into_iter().map(|i| vocabulary[i]).collect::<Vec<_>>().join(" ")
}

/// Runs `disclose args` in `dir` (under the hang guard) and says how long it took.
fn timed(dir: &Path, args: &[&str]) -> (Output, f64) {
    let start = std::time::Instant::now();
    let o = disclose_within(dir, args, DEADLINE);
    (o, start.elapsed().as_secs_f64())
}

/// The hostile run costs at most 10 times the benign run of an input of the same size (and
/// shape of command), with a floor of 0.3 s for the benign run so that start-up noise cannot
/// fail the test. Time budgets are ratios, never absolute: the machine's speed cancels out.
/// A quadratic step costs hundreds of times more at these sizes. Returns the hostile output.
fn assert_linear(what: &str, dir: &Path, benign: &[&str], hostile: &[&str]) -> Output {
    linear(what, dir, benign, hostile).unwrap_or_else(|e| panic!("{e}"))
}

/// [`assert_linear`], as a result: the hostile output, or what went over.
fn linear(what: &str, dir: &Path, benign: &[&str], hostile: &[&str]) -> Result<Output, String> {
    let (b, benign_secs) = timed(dir, benign);
    assert!(b.status.code().is_some_and(|c| c < 2), "{what}, benign: {}", stderr(&b));
    let (mut h, mut hostile_secs) = timed(dir, hostile);
    let budget = 10.0 * benign_secs.max(0.3);
    if hostile_secs > budget {
        // Once more, in case the machine was busy.
        (h, hostile_secs) = timed(dir, hostile);
    }
    eprintln!("{what}: {hostile_secs:.2} s, benign {benign_secs:.2} s");
    if hostile_secs > budget {
        return Err(format!(
            "{what}: {hostile_secs:.2} s, over 10 × the {benign_secs:.2} s of a benign input of the same size"
        ));
    }
    Ok(h)
}

/// Writes the hostile pair as `old.md` and `new.md` in `dir`, the benign pair as `old-b.md` and
/// `new-b.md`.
fn policies(dir: &Path, hostile: (String, String), benign: (String, String)) {
    // The benign input is at least about as large: the comparison can only favour the hostile one.
    assert!(hostile.0.len() * 9 <= benign.0.len() * 10, "{} bytes against {}", hostile.0.len(), benign.0.len());
    write(&dir.join("old.md"), &hostile.0);
    write(&dir.join("new.md"), &hostile.1);
    write(&dir.join("old-b.md"), &benign.0);
    write(&dir.join("new-b.md"), &benign.1);
}

#[test]
fn a_reworded_sentence_of_few_distinct_words_is_diffed_in_linear_time() {
    // One sentence of 20,000 words drawn from ten, reworded (another draw): no word occurs once
    // on either side, where patience falls back to Myers, O(N·D), quadratic (40,000 words:
    // 23 s). The benign sentence of the same size is a light rewording of varied words.
    let few = ["we", "collect", "share", "your", "data", "with", "partners", "for", "ads", "and"];
    let many: Vec<String> = (0..1_000).map(|i| format!("wd{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let n = 20_000;
    let policy = |s: String| format!("# Privacy\n\nWe use your camera to scan receipts. {s}.\n");
    let old_b = words(3, n, &many);
    let new_b: String = old_b
        .split(' ')
        .enumerate()
        .map(|(i, w)| if i % 40 == 7 { "changed" } else { w })
        .collect::<Vec<_>>()
        .join(" ");
    let dir = scratch("reworded-few-words");
    policies(
        &dir,
        (policy(words(1, n, &few)), policy(words(2, n, &few))),
        (policy(old_b.clone()), policy(new_b.clone())),
    );
    let o = assert_linear(
        "diff of a reworded sentence",
        &dir,
        &["diff", "old-b.md", "new-b.md"],
        &["diff", "old.md", "new.md"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Wording: 1 sentence reworded"), "{}", stdout(&o));

    // The same path in `check -f html`, which shows each reworded sentence's word diff.
    for (side, hostile, benign) in [("old", words(1, n, &few), old_b), ("new", words(2, n, &few), new_b)] {
        write(&dir.join(format!("h/{side}/PRIVACY.md")), &policy(hostile));
        write(&dir.join(format!("b/{side}/PRIVACY.md")), &policy(benign));
        for app in ["h", "b"] {
            write(&dir.join(format!("{app}/{side}/app/src/main/AndroidManifest.xml")), &manifest(&["CAMERA"]));
        }
    }
    let o = assert_linear(
        "check -f html of a reworded sentence",
        &dir,
        &["check", "--old", "b/old", "--new", "b/new", "-f", "html"],
        &["check", "--old", "h/old", "--new", "h/new", "-f", "html"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn sections_of_repeated_sentences_are_aligned_in_linear_time() {
    // 48,000 sentences drawn from four, against another draw: no sentence occurs once, so
    // patience fell back to Myers, quadratic in the sentences (release build, 16,000: 0.7 s,
    // ×3.4 per doubling; here 14 × the benign pair). The benign pair is the same draw on both sides, with a few sentences edited
    // (an easy diff for Myers; here a large region without anchors all the same).
    let four = ["We collect your email.", "We share data with partners.", "We use cookies.", "You can opt out."];
    let n = 48_000;
    let policy = |s: Vec<String>| format!("# Privacy\n\nWe use your camera to scan receipts.\n\n{}\n", s.join("\n"));
    let drawn = |seed| draws(seed, n, 4).into_iter().map(|i| four[i].to_string()).collect::<Vec<_>>();
    let mut edited = drawn(1);
    for i in (0..n).step_by(997) {
        edited[i] = "We sell nothing.".to_string();
    }
    let dir = scratch("repeated-sentences");
    policies(&dir, (policy(drawn(1)), policy(drawn(2))), (policy(drawn(1)), policy(edited)));
    let o = assert_linear(
        "diff of repeated sentences",
        &dir,
        &["diff", "old-b.md", "new-b.md"],
        &["diff", "old.md", "new.md"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn long_sentences_against_many_short_ones_are_aligned_in_linear_time() {
    // 24,000 one-word sentences against one long sentence of those words (the check for a
    // paragraph re-split into a list), and 30,000 short sentences against one sentence of
    // 30,000 distinct words (the search for a reworded sentence): each was quadratic (44 × and
    // 13 × their benign pairs, which change one sentence).
    let dir = scratch("resplit");
    let page = |body: &str| format!("# Privacy\n\n{body}\n");
    let tiny = "Data. ".repeat(24_000);
    let long = format!("{}{}.", "Data ".repeat(24_000), (0..12).map(|i| format!("x{i}")).collect::<Vec<_>>().join(" "));
    let short = |edit: bool| -> String {
        (0..30_000).map(|i| if edit && i == 77 { "Other. ".to_string() } else { format!("Zed{i} yes. ") }).collect()
    };
    let wide = format!("{}.", (0..30_000).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" "));
    for (name, body) in [
        ("r-old.md", tiny.clone()),
        ("r-new.md", long),
        ("r-benign.md", tiny.replacen("Data.", "Other.", 1)),
        ("q-old.md", short(false)),
        ("q-new.md", wide),
        ("q-benign.md", short(true)),
    ] {
        write(&dir.join(name), &page(&body));
    }
    let over: Vec<String> = [("re-split check", "r"), ("rewording search", "q")]
        .into_iter()
        .filter_map(|(what, p)| {
            let [old, new, benign] = ["old", "new", "benign"].map(|s| format!("{p}-{s}.md"));
            match linear(what, &dir, &["diff", &old, &benign], &["diff", &old, &new]) {
                Ok(o) => {
                    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                    None
                }
                Err(e) => Some(e),
            }
        })
        .collect();
    assert!(over.is_empty(), "{over:#?}");
}

#[test]
fn one_sentence_of_one_category_word_repeated_is_judged_in_linear_time() {
    // "camera camera camera …" 32,000 times: the matcher once looked at every mention's whole
    // clause per mention (cubic). The benign sentence of the same size names varied things.
    let n = 32_000;
    let dir = scratch("repeated-mention");
    for (app, sentence) in [
        ("h", "camera ".repeat(n)),
        ("b", (0..n).map(|i| format!("thing{} ", i % 997)).collect::<String>()[..7 * n].to_string()),
    ] {
        for side in ["old", "new"] {
            write(
                &dir.join(format!("{app}/{side}/PRIVACY.md")),
                &format!("{POLICY}\nWe use your {sentence}to scan.\n"),
            );
            write(&dir.join(format!("{app}/{side}/app/src/main/AndroidManifest.xml")), &manifest(&["CAMERA"]));
        }
    }
    let o = assert_linear(
        "check of a repeated mention",
        &dir,
        &["check", "--old", "b/old", "--new", "b/new"],
        &["check", "--old", "h/old", "--new", "h/new"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The XML inputs, each as a template of two lines: `{attrs}` in the second line's start tag,
/// which holds `{text}`.
const XML_INPUTS: [(&str, &str); 4] = [
    (
        "app/src/main/AndroidManifest.xml",
        "<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n<uses-permission android:name=\"android.permission.CAMERA\" {attrs}>{text}</uses-permission>\n</manifest>\n",
    ),
    ("ios/App/Info.plist", "<plist version=\"1.0\">\n<dict {attrs}><key>K</key><string>{text}</string></dict>\n</plist>\n"),
    ("ios/App/PrivacyInfo.xcprivacy", "<plist version=\"1.0\">\n<dict {attrs}><key>K</key><string>{text}</string></dict>\n</plist>\n"),
    ("ios/App/App.entitlements", "<plist version=\"1.0\">\n<dict {attrs}><key>K</key><string>{text}</string></dict>\n</plist>\n"),
];

#[test]
fn xml_with_too_many_attributes_namespaces_or_text_pieces_is_an_error_in_every_xml_input() {
    // roxmltree checks each attribute against the element's others and each namespace
    // declaration against the others: one start tag of 100,000 attributes (1 MB) took 20 s,
    // 100,000 `xmlns:` declarations 15.7 s; and it joins each CDATA section or entity
    // expansion of a text to the text so far by copying it. A linear pre-scan refuses them.
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"1\"")).collect();
    let namespaces: String = (0..100_000).map(|i| format!(" xmlns:n{i}=\"u{i}\"")).collect();
    let pieces = "text<![CDATA[x]]>".repeat(10_000);
    for (file, template) in XML_INPUTS {
        let fill = |attrs: &str, text: &str| template.replace(" {attrs}", attrs).replace("{text}", text);
        // The attribute (or declaration) that goes over: the 257th of the element (or of the
        // document, where the root already declares one).
        let column = |text: &str, name: &str| text.lines().nth(1).unwrap().find(name).unwrap() + 2;
        let (first, ns) = if file.ends_with(".xml") { (255, 255) } else { (256, 256) };
        let dir = pair("xml-limits");
        let path = dir.join("new").join(file);
        let text = fill(&attrs, "");
        write(&path, &text);
        assert_error(
            &check(&dir, &[]),
            &format!(
                "{file}:2:{}: malformed XML: an element has more than 256 attributes",
                column(&text, &format!(" a{first}="))
            ),
        );
        let text = fill(&namespaces, "");
        write(&path, &text);
        assert_error(
            &check(&dir, &[]),
            &format!(
                "{file}:2:{}: malformed XML: more than 256 namespace declarations (xmlns)",
                column(&text, &format!(" xmlns:n{ns}="))
            ),
        );
        write(&path, &fill("", &pieces));
        assert_error(&check(&dir, &[]), &format!("{file}:2:"));
        assert_error(
            &check(&dir, &[]),
            "malformed XML: a text joins more than 64 CDATA sections and entity expansions",
        );
        // One reference to 250 references to a 100 KB value: 25 MB of text from 100 KB.
        let dtd =
            format!("<!DOCTYPE m [<!ENTITY a \"{}\"><!ENTITY b \"{}\">]>", "x".repeat(100_000), "&a;".repeat(250));
        write(&path, &format!("{dtd}{}", fill("", "&b;")));
        assert_error(&check(&dir, &[]), "malformed XML: entity references could expand to more than 1 MiB");
    }
}

#[test]
fn elements_at_the_attribute_limit_are_read_in_linear_time() {
    // 1 MB of elements of 256 attributes each (the limit) against 1 MB of ordinary elements:
    // the attribute check is quadratic per element, so the limit bounds it.
    let dir = pair("xml-wide");
    let wide = format!("<x {}/>\n", (0..256).map(|i| format!("a{i}=\"1\"")).collect::<Vec<_>>().join(" "));
    let plain = "<activity android:name=\"com.example.Main\" android:exported=\"true\" android:label=\"Main\"/>\n";
    let body = |element: &str| element.repeat(1_000_000 / element.len());
    let (_, template) = XML_INPUTS[0];
    for (side, element) in [("new", wide.as_str()), ("old", plain)] {
        write(
            &dir.join(side).join(XML_INPUTS[0].0),
            &template
                .replace(" {attrs}", "")
                .replace("{text}", "")
                .replace("</manifest>", &format!("{}</manifest>", body(element))),
        );
    }
    // Benign: the ordinary manifest on both sides; hostile: the wide one as the new version.
    let o = assert_linear(
        "manifest of elements at the attribute limit",
        &dir,
        &["check", "--old", "old", "--new", "old"],
        &["check", "--old", "old", "--new", "new"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
