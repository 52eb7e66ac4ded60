//! The HTML report, for `check` and `diff`: one self-contained page (inline CSS, no script,
//! no network) to share with a legal team. It holds the verdict, what changed for users, the
//! category matrix (requested / disclosed / denied, old against new), the findings, and the
//! policy redline with the categories and practices each changed sentence states, and, at the
//! end, the documentation of each rule that has a finding (what `disclose explain` prints), so
//! the page is read without a terminal: a finding links to its rule's section.
//!
//! Made for reading, on a desktop or a phone: long sentences, paths, URLs and unbroken tokens
//! wrap (`overflow-wrap: anywhere`; snippets are `pre-wrap`), so the page never scrolls
//! sideways; on a narrow screen the category matrix shows each category as a small card (old
//! and new side by side) instead of seven columns. Redline entries say which version a line
//! number is in ("old line 28", "new line 30"), and a change or finding about a removed
//! sentence links to the redline entry in the section that lost it. Code spans in the tool's
//! messages and help (`` `ACCESS_FINE_LOCATION` ``) become `<code>`, escaped like all text.
//!
//! Accessible by construction: one `h1`, sections under `h2`, a table with a caption and
//! scoped headers, every state written as a word ("yes", "no", "added"), so nothing depends
//! on colour; `del`/`ins` keep their strike-through and underline in print.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::junit::text as esc;
use super::redline::wording;
use super::sarif::how_to_fix;
use super::Report;
use crate::engine::diff::words::Mark;
use crate::engine::diff::{Change, Item, ItemChange, Line, PolicyDiff, SectionChange, SectionDiff, Sign};
use crate::engine::inventory::Inventory;
use crate::model::escape::visible;
use crate::model::finding::{Evidence, Finding, Level};
use crate::read::policy::Polarity;
use crate::report::Command;
use crate::taxonomy::{CategoryId, Taxonomy};

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg-soft: #f6f8fa;
  --add-bg: #dafbe1; --add-ink: #0f4d1f; --del-bg: #ffebe9; --del-ink: #82071e; --warn: #7a4b00; --err: #a40e26; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff;
  overflow-wrap: anywhere; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
a { color: #0550ae; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
.meta, .muted { color: var(--muted); }
.verdict { font-weight: 600; padding: .5rem .75rem; border-left: 4px solid var(--muted); background: var(--bg-soft); }
.verdict.failed { border-color: var(--err); }
ul.changes { list-style: none; padding: 0; }
ul.changes li { margin: .35rem 0; }
.tag { display: inline-block; font-weight: 600; padding: 0 .4rem; border-radius: 4px; border: 1px solid currentColor; }
.tag.added { color: var(--add-ink); background: var(--add-bg); }
.tag.removed { color: var(--del-ink); background: var(--del-bg); }
.tag.states { color: var(--ink); background: var(--bg-soft); font-weight: 400; }
q { color: var(--muted); }
.table-box { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .5rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
td.yes { font-weight: 600; }
/* Whole words in the matrix: a squeezed table must not read "reques-ted"; ids and paths may break. */
#category-matrix th, #category-matrix td { overflow-wrap: normal; }
#category-matrix th code, #category-matrix th[scope="colgroup"] { overflow-wrap: anywhere; }
td.changed { outline: 2px solid var(--warn); outline-offset: -2px; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
p code, li code, h3 code { background: var(--bg-soft); padding: 0 .2em; border-radius: 3px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0; padding: .35rem .6rem; background: var(--bg-soft); border-radius: 4px; }
ol.findings { padding-left: 1.25rem; }
.finding { margin-bottom: 1rem; }
.level { font-weight: 700; text-transform: uppercase; font-size: .8rem; letter-spacing: .04em; }
.level.error { color: var(--err); } .level.warning { color: var(--warn); } .level.note { color: var(--muted); }
blockquote { margin: .25rem 0; padding: .25rem .75rem; border-left: 3px solid var(--line); color: var(--muted); }
ol.items { list-style: none; padding: 0; margin: 0; }
ol.items > li { display: grid; grid-template-columns: 7rem minmax(0, 1fr); gap: .5rem; padding: .35rem .5rem; border-top: 1px solid var(--line); }
:target { scroll-margin-top: 1rem; }
ol.items > li:target, .rule:target { background: #fff8c5; }
.rule h3 code { font-size: 1em; }
.rule h4 { font-size: .95rem; margin: .75rem 0 .15rem; }
.rule p { margin: .15rem 0 .5rem; }
.where { color: var(--muted); font-size: .85rem; }
ol.items > li > .where > * { display: block; }
li.removed .text { background: var(--del-bg); color: var(--del-ink); text-decoration: line-through; }
li.added .text { background: var(--add-bg); color: var(--add-ink); }
del { background: var(--del-bg); color: var(--del-ink); }
ins { background: var(--add-bg); color: var(--add-ink); }
.labels { margin: .25rem 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .35rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } ol.items > li { break-inside: avoid; } }
/* A narrow screen: less padding, redline labels above the sentence, and each row of the
   category matrix as a card: the category, then old and new side by side, one state a line. */
@media screen and (max-width: 52rem) {
  main { padding: 1rem .75rem; }
  ol.items > li { grid-template-columns: minmax(0, 1fr); gap: .1rem; padding: .35rem .25rem; }
  ol.items > li > .where > * { display: inline; }
  ol.items > li > .where > span::before { content: "· "; }
  #category-matrix, #category-matrix caption, #category-matrix tbody { display: block; }
  #category-matrix thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  #category-matrix tr { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: .75rem;
    border-top: 1px solid var(--line); padding: .4rem 0 .5rem; }
  #category-matrix tr::before, #category-matrix tr::after { grid-row: 2; color: var(--muted); font-size: .85rem; padding: 0 .25rem; }
  #category-matrix tr::before { content: "Old version"; grid-column: 1; }
  #category-matrix tr::after { content: "New version"; grid-column: 2; }
  #category-matrix th[scope="row"] { grid-column: 1 / -1; grid-row: 1; border: 0; padding: 0 0 .2rem; }
  #category-matrix td { border: 0; padding: .05rem .25rem; }
  #category-matrix td[data-col^="old-"] { grid-column: 1; }
  #category-matrix td[data-col^="new-"] { grid-column: 2; }
  #category-matrix td[data-col$="-requested"] { grid-row: 3; }
  #category-matrix td[data-col$="-disclosed"] { grid-row: 4; }
  #category-matrix td[data-col$="-denied"] { grid-row: 5; }
  #category-matrix td::before { color: var(--muted); font-weight: 400; }
  #category-matrix td[data-col$="-requested"]::before { content: "requested: "; }
  #category-matrix td[data-col$="-disclosed"]::before { content: "disclosed: "; }
  #category-matrix td[data-col$="-denied"]::before { content: "denied: "; }
}
"#;

/// Renders the report as one HTML page.
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = match report.command {
        Command::Diff => format!("Privacy policy change: {} → {}", report.old_label, report.new_label),
        Command::Check => format!("disclose check: {} → {}", report.old_label, report.new_label),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"disclose {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&title)
    );
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", esc(&title));
    if let Some(note) = &report.note {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(note));
    }
    verdict(&mut out, report);
    out.push_str("</header>\n");
    if !report.redlines.is_empty() {
        changes(&mut out, report);
    }
    matrix(&mut out, report);
    findings(&mut out, report);
    for d in &report.redlines {
        redline(&mut out, report, d);
    }
    rules(&mut out, &report.findings);
    let _ = writeln!(
        out,
        "<footer><p class=\"muted\">Made by disclose {} from the two versions only; the report has no clock and \
         reads nothing from the network.</p></footer>\n</main>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn count_text(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn verdict(out: &mut String, report: &Report) {
    let (e, w, n) = (report.count(Level::Error), report.count(Level::Warning), report.count(Level::Note));
    let status = if e + w + n == 0 {
        "No findings".to_string()
    } else {
        [(e, "error"), (w, "warning"), (n, "note")]
            .iter()
            .filter(|(k, _)| *k > 0)
            .map(|(k, word)| count_text(*k, word))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let outcome = if report.failed() { "fails" } else { "passes" };
    let _ = writeln!(
        out,
        "<p class=\"verdict{}\" id=\"verdict\">{status}: the change {outcome} (threshold: {}).</p>",
        if report.failed() { " failed" } else { "" },
        report.fail_on.as_str()
    );
}

fn changes(out: &mut String, report: &Report) {
    out.push_str("<section aria-labelledby=\"changes\">\n<h2 id=\"changes\">What changed for users</h2>\n");
    for d in &report.redlines {
        if report.redlines.len() > 1 {
            let _ = writeln!(out, "<h3>{} → {}</h3>", esc(&d.old_path), esc(&d.new_path));
        }
        if let Some(why) = d.nothing_because() {
            let _ = writeln!(out, "<p>Nothing: {}.</p>", esc(&why));
        } else {
            out.push_str("<ul class=\"changes\">\n");
            for c in &d.meaning.changes {
                // An added statement is a sentence of the new version, a removed one of the old.
                let side = if c.sign == Sign::Removed { Side::Old } else { Side::New };
                let at = format!("{}, {} line {}", esc(&c.at.path), side.word(), c.at.line);
                let place = place(d, side, c.at.line, Some(c.at.column), Some(&c.text));
                let shown = match place.as_ref().and_then(|p| p.entry.as_ref().or(p.section.as_ref()).map(|id| (p, id)))
                {
                    Some((p, id)) => {
                        let title =
                            p.title.as_ref().map_or("the opening text".to_string(), |t| format!("“{}”", esc(t)));
                        format!("<a class=\"where\" href=\"#{id}\">{at}, in {title}</a>")
                    }
                    None => format!("<span class=\"where\">{at}</span>"),
                };
                let _ = writeln!(out, "<li>{} {shown} <q>{}</q></li>", tag(c), esc(&c.text));
            }
            out.push_str("</ul>\n");
        }
        let date = d.meaning.date.describe(|d| format!("“{d}”"));
        let _ = writeln!(out, "<p id=\"date\"><strong>Date line:</strong> {}</p>", esc(&date));
        for e in &d.meaning.changelog {
            let _ = writeln!(out, "<p><strong>New change-log entry:</strong> {}</p>", esc(e));
        }
        if let Some(text) = d.meaning.dropped_log() {
            let _ = writeln!(out, "<p><strong>Change log:</strong> {}</p>", esc(&text));
        }
        if d.stats.files_differ {
            let _ = writeln!(out, "<p><strong>Wording:</strong> {}.</p>", esc(&wording(d)));
        }
    }
    out.push_str("</section>\n");
}

/// `<span class="tag added">+ practice: advertising</span>`, with the sign spelled out for
/// screen readers.
fn tag(c: &Change) -> String {
    let (class, word) = match c.sign {
        Sign::Added => ("added", "added"),
        Sign::Removed => ("removed", "removed"),
    };
    format!(
        "<span class=\"tag {class}\" data-change=\"{}\"><span class=\"sr\">{word}: </span>{}</span>",
        esc(&format!("{}:{}:{}", word, c.kind.word(), c.id)),
        esc(&c.tag())
    )
}

/// The states of one category in one version.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Cell {
    requested: bool,
    disclosed: bool,
    denied: bool,
}

fn cell(t: &Taxonomy, inv: &Inventory, c: CategoryId) -> Cell {
    Cell {
        requested: inv.requests.iter().any(|r| r.category == c),
        disclosed: inv.best(t, c, Polarity::Disclosure).is_some(),
        denied: inv.best(t, c, Polarity::Denial).is_some(),
    }
}

fn matrix(out: &mut String, report: &Report) {
    let t = &*report.taxonomy;
    let mut ids: BTreeSet<CategoryId> = report.old.requested().union(&report.new.requested()).copied().collect();
    ids.extend(report.old.statements.iter().chain(&report.new.statements).map(|s| s.category));
    out.push_str("<section aria-labelledby=\"matrix\">\n<h2 id=\"matrix\">Categories</h2>\n");
    if ids.is_empty() {
        out.push_str(
            "<p>Neither version requests, discloses or denies any category of personal data.</p>\n</section>\n",
        );
        return;
    }
    let requests = report.command == Command::Check;
    let cols: &[&str] = if requests { &["requested", "disclosed", "denied"] } else { &["disclosed", "denied"] };
    let _ = writeln!(
        out,
        "<div class=\"table-box\">\n<table id=\"category-matrix\">\n<caption>Each category {} either version, old against new. \
         A cell marked “changed” differs from the old version.</caption>",
        if requests { "requested, disclosed or denied in" } else { "disclosed or denied in" }
    );
    let _ = writeln!(
        out,
        "<thead><tr><th scope=\"col\" rowspan=\"2\">Category</th><th scope=\"colgroup\" colspan=\"{n}\">Old ({})</th>\
         <th scope=\"colgroup\" colspan=\"{n}\">New ({})</th></tr>\n<tr>{}{}</tr></thead>\n<tbody>",
        esc(&report.old_label),
        esc(&report.new_label),
        cols.iter().map(|c| format!("<th scope=\"col\">{c}</th>")).collect::<String>(),
        cols.iter().map(|c| format!("<th scope=\"col\">{c}</th>")).collect::<String>(),
        n = cols.len()
    );
    for c in ids {
        let cat = t.category(c);
        let (old, new) = (cell(t, &report.old, c), cell(t, &report.new, c));
        let values = |x: Cell| {
            let all = [x.requested, x.disclosed, x.denied];
            if requests {
                all.to_vec()
            } else {
                all[1..].to_vec()
            }
        };
        let _ = write!(
            out,
            "<tr data-category=\"{}\"><th scope=\"row\">{} <code>{}</code></th>",
            esc(&cat.id),
            esc(&cat.label),
            esc(&cat.id)
        );
        for (k, v) in values(old).into_iter().enumerate() {
            let _ = write!(out, "<td data-col=\"old-{}\"{}>{}</td>", cols[k], yes_class(v, false), yes(v));
        }
        for (k, (v, was)) in values(new).into_iter().zip(values(old)).enumerate() {
            let changed = v != was;
            let _ = write!(
                out,
                "<td data-col=\"new-{}\"{}>{}{}</td>",
                cols[k],
                yes_class(v, changed),
                yes(v),
                if changed { " <small>(changed)</small>" } else { "" }
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn yes(v: bool) -> &'static str {
    if v {
        "yes"
    } else {
        "no"
    }
}

fn yes_class(v: bool, changed: bool) -> String {
    let mut classes = Vec::new();
    if v {
        classes.push("yes");
    }
    if changed {
        classes.push("changed");
    }
    if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", classes.join(" "))
    }
}

/// Rules whose finding is about a sentence the new policy no longer has. Such a finding points
/// at the new policy's date line (the removed sentence has no place in the new file), so the
/// page shows instead the redline entry of the removed sentence, in the section that lost it.
const ABOUT_A_REMOVED_SENTENCE: &[&str] = &["user-control-removed"];

fn findings(out: &mut String, report: &Report) {
    let findings = &report.findings;
    out.push_str("<section aria-labelledby=\"findings\">\n<h2 id=\"findings\">Findings</h2>\n");
    if findings.is_empty() {
        out.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    out.push_str("<ol class=\"findings\">\n");
    for (n, f) in findings.iter().enumerate() {
        let level = f.level.to_string();
        let _ = writeln!(
            out,
            "<li class=\"finding {level}\" id=\"finding-{}\" data-rule=\"{}\" data-level=\"{level}\"{}>\n\
             <p><span class=\"level {level}\">{level}</span> <a href=\"#rule-{}\"><code>{}</code></a>: {}</p>",
            n + 1,
            f.rule,
            f.category.as_ref().map(|c| format!(" data-category=\"{}\"", esc(c))).unwrap_or_default(),
            f.rule,
            f.rule,
            inline(&f.message)
        );
        let lost = ABOUT_A_REMOVED_SENTENCE.contains(&f.rule).then(|| lost_from(report, f)).flatten();
        match &lost {
            Some(text) => {
                let _ = writeln!(out, "<p class=\"where\">{text}</p>");
            }
            None => {
                let p = &f.primary;
                let column = if p.column > 0 { format!(", column {}", p.column) } else { String::new() };
                let line = if p.line > 0 { format!(", line {}{column}", p.line) } else { String::new() };
                let seen = report
                    .redlines
                    .iter()
                    .filter(|d| d.new_path == p.path)
                    .find_map(|d| place(d, Side::New, p.line, Some(p.column), None).filter(|p| p.exact))
                    .and_then(|pl| pl.entry.map(|id| format!(" (<a href=\"#{id}\">in the redline</a>)")))
                    .unwrap_or_default();
                let _ = writeln!(out, "<p class=\"where\">at <code>{}</code>{line}{seen}</p>", esc(&p.path));
                if !p.snippet.trim().is_empty() {
                    let _ = writeln!(out, "<pre><code>{}</code></pre>", esc(p.snippet.trim_end()));
                }
            }
        }
        if let Some(policy) = &f.policy {
            let _ = writeln!(out, "<p><strong>Policy:</strong> {}</p>", esc(policy));
        }
        // Evidence on the finding's own line is already shown above. A removed sentence's
        // evidence is the old version's.
        let version = if lost.is_some() { "old " } else { "" };
        let own_line = |e: &&Evidence| lost.is_none() && e.path == f.primary.path && e.line == f.primary.line;
        for e in f.evidence.iter().filter(|e| !own_line(e)) {
            let _ = writeln!(
                out,
                "<blockquote>{} <span class=\"where\">({}, {version}line {})</span></blockquote>",
                esc(&e.text),
                esc(&e.path),
                e.line
            );
        }
        if let Some(ack) = &f.acknowledged {
            let _ = writeln!(out, "<p><strong>Acknowledged:</strong> {}</p>", esc(ack));
        }
        let _ = writeln!(
            out,
            "<p><strong>How to fix:</strong> {}</p>\n<p class=\"muted\">About this rule: <a href=\"#rule-{}\">what \
             <code>{}</code> looks for and why it matters</a></p>\n</li>",
            inline(&f.help),
            f.rule,
            f.rule
        );
    }
    out.push_str("</ol>\n</section>\n");
}

/// Where a finding about a removed sentence belongs: "lost from “Your choices” in
/// PRIVACY.md: the old version said it at old line 28", linked to the redline. `None` when
/// no redline holds the sentence (the finding then shows its own location).
fn lost_from(report: &Report, f: &Finding) -> Option<String> {
    let e = f.evidence.first()?;
    let (d, p) = report
        .redlines
        .iter()
        .filter(|d| d.old_path == e.path)
        .find_map(|d| place(d, Side::Old, e.line, None, Some(&e.text)).map(|p| (d, p)))?;
    let section = match &p.section {
        Some(id) => format!("<a href=\"#{id}\">{}</a>", section_words(p.title.as_deref())),
        None => section_words(p.title.as_deref()),
    };
    let line = match &p.entry {
        Some(id) => format!("<a href=\"#{id}\">old line {}</a>", e.line),
        None => format!("old line {}", e.line),
    };
    Some(format!(
        "lost from {section} of <code>{}</code>: the old version said it at {line} of <code>{}</code>",
        esc(&d.new_path),
        esc(&d.old_path)
    ))
}

/// Which version of a policy a line number is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }

    fn of(self, item: &Item) -> Option<&Line> {
        match self {
            Side::Old => item.old.as_ref(),
            Side::New => item.new.as_ref(),
        }
    }

    fn heading_line(self, s: &SectionDiff) -> Option<usize> {
        match self {
            Side::Old => s.old_line,
            Side::New => s.new_line,
        }
    }
}

/// A sentence's place in a redline: its section and, when it is a changed sentence, its entry.
struct Place {
    /// The section's heading; `None` for the text before the first heading.
    title: Option<String>,
    /// The id of the section, when the redline shows it.
    section: Option<String>,
    /// The id of the sentence's entry.
    entry: Option<String>,
    /// Whether the entry starts exactly there (line, and column or text, as asked).
    exact: bool,
}

/// Finds the sentence of one side starting at `line` (and `column`, or reading `text`, when
/// given) in the redline `d`: its entry, else the entry on that line, else the section whose
/// heading is the last one before the line.
fn place(d: &PolicyDiff, side: Side, line: usize, column: Option<usize>, text: Option<&str>) -> Option<Place> {
    let prefix = slug(&d.new_path);
    let found = |exact: bool| {
        d.sections.iter().enumerate().find_map(|(k, s)| {
            s.items.iter().find_map(|item| {
                let l = side.of(item)?;
                let here = l.line == line
                    && (!exact || (column.is_none_or(|c| c == l.column) && text.is_none_or(|t| t == l.text)));
                here.then(|| Place {
                    title: heading(s),
                    section: s.changed().then(|| section_id(&prefix, k)),
                    entry: Some(entry_id(&prefix, side, l)),
                    exact,
                })
            })
        })
    };
    found(true).or_else(|| found(false)).or_else(|| {
        let (k, s) = d
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| side.heading_line(s).is_some_and(|h| h <= line))
            .max_by_key(|(_, s)| side.heading_line(s))?;
        Some(Place {
            title: heading(s),
            section: s.changed().then(|| section_id(&prefix, k)),
            entry: None,
            exact: false,
        })
    })
}

fn heading(s: &SectionDiff) -> Option<String> {
    (!s.heading.is_empty()).then(|| s.heading.clone())
}

/// "the section “Your choices”", or "the opening text" (before the first heading).
fn section_words(title: Option<&str>) -> String {
    title.map_or("the opening text".to_string(), |t| format!("the section “{}”", esc(t)))
}

fn section_id(prefix: &str, k: usize) -> String {
    format!("{prefix}-section-{}", k + 1)
}

fn entry_id(prefix: &str, side: Side, l: &Line) -> String {
    format!("{prefix}-{}-{}-{}", side.word(), l.line, l.column)
}

/// The documentation of every rule with a finding, in the order of their first finding: what
/// `disclose explain` prints (summary, what it finds, why it matters, known problems) and the
/// fix in general, with links to the rule's findings.
fn rules(out: &mut String, findings: &[Finding]) {
    let mut ids: Vec<&str> = Vec::new();
    for f in findings {
        if !ids.contains(&f.rule) {
            ids.push(f.rule);
        }
    }
    if ids.is_empty() {
        return;
    }
    out.push_str(
        "<section aria-labelledby=\"rules\" class=\"rules\">\n<h2 id=\"rules\">About the rules</h2>\n\
         <p class=\"muted\">What each rule with a finding in this report looks for, why it matters, and how to fix \
         what it finds.</p>\n",
    );
    let collapse = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    for id in ids {
        let Some(r) = crate::engine::rules::rule(id) else { continue };
        let _ = writeln!(
            out,
            "<section class=\"rule\" id=\"rule-{id}\" aria-labelledby=\"rule-{id}-title\">\n\
             <h3 id=\"rule-{id}-title\"><code>{id}</code> <small class=\"muted\">({} by default)</small></h3>\n<p>{}</p>",
            r.level,
            inline(&collapse(&r.summary))
        );
        let mut part = |title: &str, body: &str| {
            let _ = writeln!(out, "<h4>{title}</h4>\n<p>{}</p>", inline(&collapse(body)));
        };
        part("What it finds", &r.docs.what);
        part("Why it matters", &r.docs.why);
        if let Some(k) = &r.docs.known_problems {
            part("Known problems", k);
        }
        part("How to fix", &how_to_fix(r));
        let links: Vec<String> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.rule == id)
            .map(|(n, _)| format!("<a href=\"#finding-{0}\">finding {0}</a>", n + 1))
            .collect();
        let _ = writeln!(out, "<p class=\"muted\">In this report: {}.</p>\n</section>", links.join(", "));
    }
    out.push_str("</section>\n");
}

/// Display text with the Markdown code spans of the tool's messages, help and rule docs
/// (`` `ACCESS_FINE_LOCATION` ``, `` `exclude:` ``) as `<code>`. A span opens at a run of
/// backticks and closes at the next run of the same length, as in CommonMark (and as the
/// Markdown report reads them); a run with no partner stays as written. Everything, inside a
/// span and out, is made visible and escaped like any text, so a backtick in an input's part
/// of a message can at most open or close a code span, never add markup.
fn inline(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest: &str = &text;
    while let Some(open) = rest.find('`') {
        let run = rest[open..].bytes().take_while(|&b| b == b'`').count();
        let after = &rest[open + run..];
        match closing_run(after, run) {
            Some(close) => {
                out.push_str(&esc(&rest[..open]));
                let code = &after[..close];
                // CommonMark: one space on each side is padding, unless the span is all spaces.
                let code = match code.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
                    Some(inner) if !code.trim().is_empty() => inner,
                    _ => code,
                };
                let _ = write!(out, "<code>{}</code>", esc(code));
                rest = &after[close + run..];
            }
            None => {
                out.push_str(&esc(&rest[..open + run]));
                rest = after;
            }
        }
    }
    out.push_str(&esc(rest));
    out
}

/// The byte index in `text` of the next run of exactly `run` backticks.
fn closing_run(text: &str, run: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if len == run {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

fn redline(out: &mut String, report: &Report, d: &PolicyDiff) {
    let prefix = slug(&d.new_path);
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"redline-{prefix}\" class=\"redline\">\n<h2 id=\"redline-{prefix}\">Redline: {} → {}</h2>",
        esc(&d.old_path),
        esc(&d.new_path),
    );
    let changed: Vec<(usize, &SectionDiff)> = d.sections.iter().enumerate().filter(|(_, s)| s.changed()).collect();
    if changed.is_empty() {
        let why = if d.stats.files_differ {
            "no sentence reads differently (formatting only)"
        } else {
            "the files are identical"
        };
        let _ = writeln!(out, "<p>No changed sections: {why}.</p>\n</section>");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} of {} sections changed. Each sentence is marked Removed, Added, Reworded or Moved, with \
         its line in the old version, the new one, or both; inside a reworded sentence, removed words are struck \
         through and added words underlined.</p>",
        changed.len(),
        d.sections.len()
    );
    for (k, s) in changed {
        section(out, report, d, &prefix, k, s);
    }
    out.push_str("</section>\n");
}

fn slug(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

fn section(out: &mut String, report: &Report, d: &PolicyDiff, prefix: &str, k: usize, s: &SectionDiff) {
    let notes = s.notes();
    let _ = writeln!(
        out,
        "<section class=\"section {}\" id=\"{}\">\n<h3>{}{}</h3>",
        change_word(s.change),
        section_id(prefix, k),
        esc(s.title()),
        if notes.is_empty() {
            String::new()
        } else {
            format!(" <small class=\"muted\">({})</small>", esc(&notes.join(", ")))
        }
    );
    if s.items.is_empty() {
        out.push_str("</section>\n");
        return;
    }
    out.push_str("<ol class=\"items\">\n");
    for item in &s.items {
        entry(out, report, d, prefix, s, item);
    }
    out.push_str("</ol>\n</section>\n");
}

fn change_word(c: SectionChange) -> &'static str {
    match c {
        SectionChange::Added => "added",
        SectionChange::Removed => "removed",
        SectionChange::Modified => "modified",
        SectionChange::Unchanged => "unchanged",
    }
}

fn entry(out: &mut String, report: &Report, d: &PolicyDiff, prefix: &str, s: &SectionDiff, item: &Item) {
    let (class, word, line, path) = match item.change {
        ItemChange::Removed => ("removed", "Removed", item.old.as_ref(), &d.old_path),
        ItemChange::Added => ("added", "Added", item.new.as_ref(), &d.new_path),
        ItemChange::Reworded => ("reworded", "Reworded", item.new.as_ref(), &d.new_path),
        ItemChange::Moved => ("moved", "Moved", item.new.as_ref(), &d.new_path),
    };
    // The entry's id names its sentence in the new version, else in the old; a sentence in
    // both has its old id on the label, so a link to either side lands here.
    let old_id = item.old.as_ref().map(|l| entry_id(prefix, Side::Old, l));
    let new_id = item.new.as_ref().map(|l| entry_id(prefix, Side::New, l));
    let id = new_id.as_ref().or(old_id.as_ref()).map(|i| format!(" id=\"{i}\"")).unwrap_or_default();
    let label_id = old_id.filter(|_| new_id.is_some()).map(|i| format!(" id=\"{i}\"")).unwrap_or_default();
    let lines: String = [(Side::Old, item.old.as_ref()), (Side::New, item.new.as_ref())]
        .iter()
        .filter_map(|(side, l)| l.map(|l| format!(" <span>{} line {}</span>", side.word(), l.line)))
        .collect();
    let _ = write!(
        out,
        "<li class=\"{class}\"{id}><span class=\"where\"{label_id}><strong>{word}</strong>{lines}</span><div>"
    );
    let text = match item.change {
        ItemChange::Reworded => item
            .words
            .iter()
            .map(|p| match p.mark {
                Mark::Same => esc(&p.text),
                Mark::Removed => format!("<del>{}</del>", esc(&p.text)),
                Mark::Added => format!("<ins>{}</ins>", esc(&p.text)),
            })
            .collect::<String>(),
        ItemChange::Moved => format!(
            "{} <span class=\"muted\">(moved {})</span>",
            esc(&line.map_or(String::new(), |l| l.text.clone())),
            esc(&s.moved_from(item))
        ),
        _ => esc(&line.map_or(String::new(), |l| l.text.clone())),
    };
    let _ = write!(out, "<span class=\"text\">{text}</span>");
    let mut tags: Vec<String> = item.labels.iter().map(tag).collect();
    // What the sentence states, beyond what changed: the categories and practices in it.
    let labelled: BTreeSet<String> = item.labels.iter().map(|c| c.label.clone()).collect();
    let (inv, at) = match item.change {
        ItemChange::Removed => (&report.old, item.old.as_ref()),
        _ => (&report.new, item.new.as_ref()),
    };
    if let Some(at) = at {
        for label in states(&report.taxonomy, inv, path, at) {
            if !labelled.contains(&label) {
                tags.push(format!("<span class=\"tag states\">{}</span>", esc(&label)));
            }
        }
    }
    if !tags.is_empty() {
        let _ = write!(
            out,
            "<ul class=\"labels\">{}</ul>",
            tags.iter().map(|t| format!("<li>{t}</li>")).collect::<String>()
        );
    }
    out.push_str("</div></li>\n");
}

/// The categories and practices a sentence states, by its start.
fn states(t: &Taxonomy, inv: &Inventory, path: &str, at: &Line) -> Vec<String> {
    let here = |p: &str, l: usize, c: usize| p == path && l == at.line && c == at.column;
    let mut out = Vec::new();
    for s in inv.statements.iter().filter(|s| here(&s.location.path, s.location.line, s.location.column)) {
        let label = t.category(s.category).label.clone();
        let label = if s.polarity == Polarity::Denial { format!("denies {label}") } else { label };
        if !out.contains(&label) {
            out.push(label);
        }
    }
    for p in inv.practices.iter().filter(|p| here(&p.location.path, p.location.line, p.location.column)) {
        let label = t.practices[p.practice].label.clone();
        let label = if p.polarity == Polarity::Denial { format!("denies {label}") } else { label };
        if !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::inline;

    #[test]
    fn code_spans_become_code_and_everything_stays_escaped() {
        assert_eq!(inline("or remove `ACCESS_FINE_LOCATION`"), "or remove <code>ACCESS_FINE_LOCATION</code>");
        assert_eq!(
            inline("`<img src=x onerror=alert(1)>` & <b>x</b>"),
            "<code>&lt;img src=x onerror=alert(1)&gt;</code> &amp; &lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(inline("unbalanced ` tick <i>"), "unbalanced ` tick &lt;i&gt;");
        assert_eq!(inline("``a`b`` then `c`"), "<code>a`b</code> then <code>c</code>");
        assert_eq!(inline("`` `x` ``"), "<code>`x`</code>");
        assert_eq!(inline("`a\u{202E}b\u{1b}`"), "<code>a&lt;U+202E&gt;b\\x1b</code>");
        assert_eq!(inline("`\"q\"` and 'a'"), "<code>&quot;q&quot;</code> and &apos;a&apos;");
    }
}
