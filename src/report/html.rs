//! The HTML report, for `check` and `diff`: one self-contained page (inline CSS, no script,
//! no network) to share with a legal team. It holds the verdict, what changed for users, the
//! category matrix (requested / disclosed / denied, old against new), the findings, and the
//! policy redline with the categories and practices each changed sentence states.
//!
//! Accessible by construction: one `h1`, sections under `h2`, a table with a caption and
//! scoped headers, every state written as a word ("yes", "no", "added"), so nothing depends
//! on colour; `del`/`ins` keep their strike-through and underline in print.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::junit::text as esc;
use super::redline::wording;
use super::Report;
use crate::diff::words::Mark;
use crate::diff::{Change, Item, ItemChange, Line, PolicyDiff, SectionChange, SectionDiff, Sign};
use crate::finding::{Finding, Level};
use crate::inventory::Inventory;
use crate::policy::Polarity;
use crate::report::Command;
use crate::taxonomy::{CategoryId, Taxonomy};

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg-soft: #f6f8fa;
  --add-bg: #dafbe1; --add-ink: #0f4d1f; --del-bg: #ffebe9; --del-ink: #82071e; --warn: #7a4b00; --err: #a40e26; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
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
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .5rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
td.yes { font-weight: 600; }
td.changed { outline: 2px solid var(--warn); outline-offset: -2px; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
ol.findings { padding-left: 1.25rem; }
.finding { margin-bottom: 1rem; }
.level { font-weight: 700; text-transform: uppercase; font-size: .8rem; letter-spacing: .04em; }
.level.error { color: var(--err); } .level.warning { color: var(--warn); } .level.note { color: var(--muted); }
blockquote { margin: .25rem 0; padding: .25rem .75rem; border-left: 3px solid var(--line); color: var(--muted); }
ol.items { list-style: none; padding: 0; margin: 0; }
ol.items > li { display: grid; grid-template-columns: 5.5rem 1fr; gap: .5rem; padding: .35rem .5rem; border-top: 1px solid var(--line); }
.where { color: var(--muted); font-size: .85rem; }
li.removed .text { background: var(--del-bg); color: var(--del-ink); text-decoration: line-through; }
li.added .text { background: var(--add-bg); color: var(--add-ink); }
del { background: var(--del-bg); color: var(--del-ink); }
ins { background: var(--add-bg); color: var(--add-ink); }
.labels { margin: .25rem 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .35rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } ol.items > li { break-inside: avoid; } }
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
    findings(&mut out, &report.findings);
    for d in &report.redlines {
        redline(&mut out, report, d);
    }
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
                let _ = writeln!(
                    out,
                    "<li>{} <span class=\"where\">{}:{}</span> <q>{}</q></li>",
                    tag(c),
                    esc(&c.at.path),
                    c.at.line,
                    esc(&c.text)
                );
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
        "<table id=\"category-matrix\">\n<caption>Each category {} either version, old against new. \
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
    out.push_str("</tbody>\n</table>\n</section>\n");
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

fn findings(out: &mut String, findings: &[Finding]) {
    out.push_str("<section aria-labelledby=\"findings\">\n<h2 id=\"findings\">Findings</h2>\n");
    if findings.is_empty() {
        out.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    out.push_str("<ol class=\"findings\">\n");
    for f in findings {
        let level = f.level.to_string();
        let _ = writeln!(
            out,
            "<li class=\"finding {level}\" data-rule=\"{}\" data-level=\"{level}\"{}>\n\
             <p><span class=\"level {level}\">{level}</span> <code>{}</code>: {}</p>\n\
             <p class=\"where\">at <code>{}:{}:{}</code></p>",
            f.rule,
            f.category.as_ref().map(|c| format!(" data-category=\"{}\"", esc(c))).unwrap_or_default(),
            f.rule,
            esc(&f.message),
            esc(&f.primary.path),
            f.primary.line,
            f.primary.column
        );
        if !f.primary.snippet.trim().is_empty() {
            let _ = writeln!(out, "<pre><code>{}</code></pre>", esc(f.primary.snippet.trim_end()));
        }
        if let Some(policy) = &f.policy {
            let _ = writeln!(out, "<p><strong>Policy:</strong> {}</p>", esc(policy));
        }
        // Evidence on the finding's own line is already shown above.
        for e in f.evidence.iter().filter(|e| !(e.path == f.primary.path && e.line == f.primary.line)) {
            let _ = writeln!(
                out,
                "<blockquote>{} <span class=\"where\">({}:{})</span></blockquote>",
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
            "<p><strong>How to fix:</strong> {}</p>\n<p class=\"muted\">Rule documentation: <code>disclose explain {}</code></p>\n</li>",
            esc(&f.help),
            f.rule
        );
    }
    out.push_str("</ol>\n</section>\n");
}

fn redline(out: &mut String, report: &Report, d: &PolicyDiff) {
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"redline-{id}\" class=\"redline\">\n<h2 id=\"redline-{id}\">Redline: {} → {}</h2>",
        esc(&d.old_path),
        esc(&d.new_path),
        id = esc(&slug(&d.new_path))
    );
    let changed: Vec<&SectionDiff> = d.sections.iter().filter(|s| s.changed()).collect();
    if changed.is_empty() {
        let why = if d.stats.files_differ {
            "no sentence reads differently (formatting only)"
        } else {
            "the files are identical"
        };
        let _ = writeln!(out, "<p>No changed sections: {why}.</p>\n</section>");
        return;
    }
    let _ = writeln!(out, "<p class=\"muted\">{} of {} sections changed. Each sentence is marked Removed, Added, Reworded or Moved; inside a reworded sentence, removed words are struck through and added words underlined.</p>", changed.len(), d.sections.len());
    for s in changed {
        section(out, report, d, s);
    }
    out.push_str("</section>\n");
}

fn slug(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

fn section(out: &mut String, report: &Report, d: &PolicyDiff, s: &SectionDiff) {
    let notes = s.notes();
    let _ = writeln!(
        out,
        "<section class=\"section {}\">\n<h3>{}{}</h3>",
        change_word(s.change),
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
        entry(out, report, d, s, item);
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

fn entry(out: &mut String, report: &Report, d: &PolicyDiff, s: &SectionDiff, item: &Item) {
    let (class, word, line, path) = match item.change {
        ItemChange::Removed => ("removed", "Removed", item.old.as_ref(), &d.old_path),
        ItemChange::Added => ("added", "Added", item.new.as_ref(), &d.new_path),
        ItemChange::Reworded => ("reworded", "Reworded", item.new.as_ref(), &d.new_path),
        ItemChange::Moved => ("moved", "Moved", item.new.as_ref(), &d.new_path),
    };
    let place = line.map_or(String::new(), |l| format!("line {}", l.line));
    let _ = write!(
        out,
        "<li class=\"{class}\"><span class=\"where\"><strong>{word}</strong><br>{}</span><div>",
        esc(&place)
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
