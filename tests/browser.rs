//! The HTML reports in a real browser. Headless Chromium lays out each report at a desktop
//! width (1280 px) and a phone width (390 px). The page must not scroll sideways, and no text
//! in it may be a command line (`disclose explain …`, `$ disclose …`). Screenshots of every
//! page at both widths are kept in `target/browser/`, with the reports themselves.
//!
//! A headless window is never narrower than 500 px, so each report is measured in an
//! `<iframe>` exactly as wide as the viewport under test: inside the frame the report's
//! viewport, media queries and `clientWidth` are that width. A copy of the report with a small
//! script appended measures `scrollWidth` and `clientWidth`, walks every text node, and posts
//! the result to the frame's parent, whose DOM `--dump-dom` prints. The screenshots are of the
//! report itself (Chromium emulates the viewport for `--screenshot`, so 390 px is 390 px).
//!
//! Chromium is `$DISCLOSE_CHROMIUM` or `chromium` on the PATH (Debian's package; `.ci/run`
//! installs it). With `CI` set a missing browser fails the test; elsewhere it says it skipped.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

const WIDTHS: [u32; 2] = [1280, 390];

/// The measuring script appended to a copy of a report. The needles are split so that the
/// script's own text holds neither.
const PROBE: &str = r#"
<script id="probe">
addEventListener('load', function () {
  var d = document.documentElement, w = d.clientWidth, wide = [], commands = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > w + 0.5 && wide.length < 12) {
      wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '') +
        ' (right edge ' + Math.round(r.right) + ')');
    }
  });
  var explain = 'disclose' + ' explain', prompt = '$' + ' disclose';
  var walk = document.createTreeWalker(document, NodeFilter.SHOW_TEXT);
  for (var n = walk.nextNode(); n; n = walk.nextNode()) {
    var t = n.data;
    var line = t.split('\n').some(function (l) { return l.trim().indexOf(prompt) === 0; });
    if (t.indexOf(explain) >= 0 || line) { commands.push(t.trim().slice(0, 160)); }
  }
  var findings = document.querySelector('ol.findings'), said = '';
  if (findings) {
    var copy = findings.cloneNode(true);
    copy.querySelectorAll('pre, blockquote').forEach(function (e) { e.remove(); });
    said = copy.textContent;
  }
  parent.postMessage(JSON.stringify({
    scrollWidth: d.scrollWidth, clientWidth: w, scrollHeight: d.scrollHeight,
    wide: wide, commands: commands, findings: said
  }), '*');
});
</script>
"#;

/// The browser, or `None` (after saying why) when it is missing outside CI.
fn chromium() -> Option<PathBuf> {
    let from_env = std::env::var_os("DISCLOSE_CHROMIUM").map(PathBuf::from).filter(|p| p.is_file());
    let on_path = || {
        std::env::var_os("PATH")
            .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("chromium")).find(|p| p.is_file()))
    };
    match from_env.or_else(on_path) {
        Some(p) => Some(p),
        None if std::env::var_os("CI").is_some() => panic!(
            "chromium is not installed (neither $DISCLOSE_CHROMIUM nor `chromium` on the PATH); with CI set this \
             is a failure: .ci/run installs Debian's chromium package"
        ),
        None => {
            eprintln!(
                "skipping the browser test: chromium is not installed (`apt-get install chromium`, or set \
                 DISCLOSE_CHROMIUM)"
            );
            None
        }
    }
}

/// Where the reports and screenshots go: `target/browser/`.
fn out_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("the target dir holds tmp/").to_path_buf();
    let dir = target.join("browser");
    std::fs::create_dir_all(&dir).expect("target/browser can be made");
    dir
}

/// Headless Chromium ([`common::chromium_command`]; no scroll bars, as a phone has overlay
/// ones), killed after a minute: a stuck browser fails the test instead of hanging it.
fn chromium_run(bin: &Path, profile: &Path, args: &[&str]) -> (String, String) {
    let mut child = common::chromium_command(bin, profile)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{} does not start: {e}", bin.display()));
    let (mut out, mut err) = (child.stdout.take().expect("piped"), child.stderr.take().expect("piped"));
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("chromium can be waited for").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {args:?} did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (reader.join().expect("stdout"), err_reader.join().expect("stderr"))
}

/// What the probe measured in one report at one width.
struct Measure {
    scroll_width: u64,
    client_width: u64,
    scroll_height: u64,
    wide: Vec<String>,
    commands: Vec<String>,
    findings: String,
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u{a0}").replace("&amp;", "&")
}

/// Loads `page` in a frame `width` px wide and reads what the probe posted. The probe copy, the
/// frame's page and the browser profile go to `dir`, a scratch folder.
fn measure(bin: &Path, dir: &Path, name: &str, page: &Path, width: u32) -> Measure {
    let html = std::fs::read_to_string(page).expect("the report was written");
    let probe = dir.join(format!("{name}.probe.html"));
    std::fs::write(&probe, format!("{html}{PROBE}")).expect("probe copy");
    let harness = dir.join(format!("{name}-{width}.harness.html"));
    std::fs::write(
        &harness,
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>body {{ margin: 0 }} iframe {{ border: 0; \
             display: block }}</style></head><body>\n<iframe src=\"{}\" width=\"{width}\" height=\"900\"></iframe>\n\
             <pre id=\"probe-result\">no result</pre>\n<script>addEventListener('message', function (e) {{ \
             document.getElementById('probe-result').textContent = e.data; }});</script>\n</body></html>\n",
            probe.file_name().expect("a file").to_string_lossy()
        ),
    )
    .expect("harness");
    let window = format!("--window-size={},900", width.max(500));
    let url = format!("file://{}", harness.display());
    let profile = dir.join(format!("profile-{name}"));
    let (dom, err) = chromium_run(bin, &profile, &[&window, "--virtual-time-budget=5000", "--dump-dom", &url]);
    let result = dom
        .split_once("<pre id=\"probe-result\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(r, _)| unescape(r))
        .unwrap_or_else(|| panic!("{name} at {width} px: Chromium printed no harness DOM:\n{dom}\n{err}"));
    let v: serde_json::Value = serde_json::from_str(&result)
        .unwrap_or_else(|e| panic!("{name} at {width} px: the probe did not report ({e}): {result}\n{err}"));
    let strings = |k: &str| -> Vec<String> {
        v[k].as_array().into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
    };
    Measure {
        scroll_width: v["scrollWidth"].as_u64().expect("scrollWidth"),
        client_width: v["clientWidth"].as_u64().expect("clientWidth"),
        scroll_height: v["scrollHeight"].as_u64().expect("scrollHeight"),
        wide: strings("wide"),
        commands: strings("commands"),
        findings: v["findings"].as_str().unwrap_or("").to_string(),
    }
}

/// A screenshot of the whole report at `width`: `target/browser/<name>-<width>.png`; the
/// profile goes to `work`.
fn screenshot(bin: &Path, work: &Path, dir: &Path, name: &str, page: &Path, width: u32, height: u64) -> PathBuf {
    let png = dir.join(format!("{name}-{width}.png"));
    let _ = std::fs::remove_file(&png);
    let window = format!("--window-size={width},{}", height.clamp(600, 16_000));
    let shot = format!("--screenshot={}", png.display());
    let profile = work.join(format!("profile-{name}"));
    let (_, err) = chromium_run(bin, &profile, &[&window, &shot, &format!("file://{}", page.display())]);
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot {}: {e}\n{err}", png.display()));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is a PNG", png.display());
    png
}

/// Writes a report with the real binary; `code` is the exit status the case has.
fn report(args: &[&str], out: &Path, code: i32) {
    let out_arg = out.to_str().expect("a UTF-8 path");
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "html", "-o", out_arg]);
    let o = common::disclose(&all);
    assert_eq!(o.status.code(), Some(code), "disclose {all:?}: {}", common::stderr(&o));
}

#[test]
fn reports_fit_a_phone_and_a_desktop_and_hold_no_command_line() {
    let Some(bin) = chromium() else { return };
    let dir = out_dir();
    let work = common::scratch("browser");
    let started = Instant::now();
    let check = dir.join("check-streaming-app.html");
    report(&["check", "--old", "examples/streaming-app/v1", "--new", "examples/streaming-app/v2"], &check, 1);
    let diff = dir.join("diff-long-lines.html");
    report(&["diff", "tests/fixtures/browser/long-lines/old.md", "tests/fixtures/browser/long-lines/new.md"], &diff, 0);
    let pages = [("check-streaming-app", check), ("diff-long-lines", diff)];

    let results: Vec<(String, u32, Measure, PathBuf)> = std::thread::scope(|s| {
        let jobs: Vec<_> = pages
            .iter()
            .map(|(name, page)| {
                let (bin, dir, work) = (&bin, &dir, &work);
                s.spawn(move || {
                    let html = std::fs::read_to_string(page).expect("report");
                    for outside in ["<script", "<link", "<img", "<iframe", "src=", "@import", "url("] {
                        assert!(
                            !html.contains(outside),
                            "{name}: the report refers to an outside resource ({outside})"
                        );
                    }
                    WIDTHS
                        .iter()
                        .map(|&w| {
                            let m = measure(bin, work, name, page, w);
                            let png = screenshot(bin, work, dir, name, page, w, m.scroll_height);
                            (name.to_string(), w, m, png)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        jobs.into_iter().flat_map(|j| j.join().expect("a page's thread")).collect()
    });

    let mut failures = Vec::new();
    for (name, width, m, png) in &results {
        eprintln!(
            "{name} at {width} px: scrollWidth {} clientWidth {} (screenshot {})",
            m.scroll_width,
            m.client_width,
            png.display()
        );
        if m.client_width != u64::from(*width) {
            failures.push(format!("{name} at {width} px: the frame's viewport is {} px wide", m.client_width));
        }
        if m.scroll_width > m.client_width {
            failures.push(format!(
                "{name} at {width} px scrolls sideways: scrollWidth {} > clientWidth {}; wider than the page: {}",
                m.scroll_width,
                m.client_width,
                m.wide.join(", ")
            ));
        }
        for c in &m.commands {
            failures.push(format!("{name} at {width} px shows a command line: {c:?}"));
        }
        if m.findings.contains('`') {
            failures.push(format!(
                "{name} at {width} px shows Markdown backticks in a finding instead of code: {:?}",
                m.findings.lines().filter(|l| l.contains('`')).map(str::trim).collect::<Vec<_>>()
            ));
        }
    }
    eprintln!("browser checks took {:.1} s", started.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&work);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
