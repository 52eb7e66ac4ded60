//! `--format markdown`: a GitHub-flavoured Markdown report for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`: a verdict, what was compared, a table of findings, the categories
//! the new version newly requests with what the policy says about each, and every requested
//! category in a `<details>` block.
//!
//! Text that comes from the project (policy sentences, paths, permission names) goes through
//! [`inline`] or [`code`], so a `<`, `*` or `|` in a policy cannot turn into HTML, emphasis or
//! a new table cell, and both first make control, bidi and invisible characters visible
//! ([`visible`]: `\x1b`, `<U+202E>`). Lines of the redline's `diff` block go through
//! [`terminal`], so a sentence stays on its line. The report uses only GFM: tables,
//! `<details>`, `<br>`.

use std::fmt::Write;

use super::{Command, Report};
use crate::engine::diff::{ItemChange, SectionChange, SectionDiff, Sign};
use crate::engine::inventory::short_subject;
use crate::model::escape::{terminal, visible};
use crate::model::finding::{Finding, Level};
use crate::read::policy::{Polarity, Statement};
use crate::taxonomy::CategoryId;

/// How many subjects the "requested by" cell names before it says "and N more".
const SUBJECTS_SHOWN: usize = 3;

/// Renders the report as Markdown with a trailing newline.
pub fn render(report: &Report) -> String {
    if report.command == Command::Diff {
        return render_diff(report);
    }
    let mut out = String::from("### disclose\n\n");
    let _ = writeln!(out, "{}\n", verdict(report));
    let mut context = format!(
        "old {} → new {} · {} · {} · fails on {}",
        code(&report.old_label),
        code(&report.new_label),
        plural(report.new.manifests.len(), "manifest", "manifests"),
        plural(report.new.policies.len(), "policy", "policies"),
        code(report.fail_on.as_str()),
    );
    if let Some(note) = &report.note {
        context.push_str(&format!("<br>{}", inline(note)));
    }
    let _ = writeln!(out, "<sub>{context}</sub>\n");
    if !report.findings.is_empty() {
        findings(&mut out, report);
    }
    categories(&mut out, report);
    out
}

/// `disclose diff`: the verdict, what changed for users, the findings, the sections that
/// changed, and the redline of each in a collapsed `diff` block (GitHub colours it).
fn render_diff(report: &Report) -> String {
    let mut out = String::from("### disclose diff\n\n");
    let _ = writeln!(out, "{}\n", verdict(report));
    let _ = writeln!(out, "<sub>old {} → new {}</sub>\n", code(&report.old_label), code(&report.new_label));
    for d in &report.redlines {
        out.push_str("#### What changed for users\n\n");
        match d.nothing_because() {
            Some(why) => {
                let _ = writeln!(out, "Nothing: {}.\n", inline(&why));
            }
            None => {
                out.push_str("| | Change | Sentence |\n|---|---|---|\n");
                for c in &d.meaning.changes {
                    let sign = if c.sign == Sign::Added { "➕ added" } else { "➖ removed" };
                    let tag = c.tag();
                    let what = tag.get(2..).unwrap_or(&tag);
                    let _ = writeln!(
                        out,
                        "| {sign} | {} | {} {} |",
                        escape(what, true),
                        escape(&place(&c.at.path, c.at.line), true),
                        escape(&c.text, true)
                    );
                }
                out.push('\n');
            }
        }
        let date = d.meaning.date.describe(code);
        let _ = writeln!(out, "Date line: {date}  ");
        for e in &d.meaning.changelog {
            let _ = writeln!(out, "New change-log entry: {}  ", inline(e));
        }
        if let Some(text) = d.meaning.dropped_log() {
            let _ = writeln!(out, "Change log: {}  ", inline(&text));
        }
        let _ = writeln!(out, "Wording: {}\n", inline(&super::redline::wording(d)));
        if !report.findings.is_empty() {
            findings(&mut out, report);
        }
        let changed: Vec<&SectionDiff> = d.sections.iter().filter(|s| s.changed()).collect();
        if changed.is_empty() {
            continue;
        }
        out.push_str("#### Sections\n\n| Section | Change |\n|---|---|\n");
        for s in &changed {
            let mut notes = s.notes();
            if s.change == SectionChange::Modified {
                notes.insert(0, format!("{} changed", plural(s.items.len(), "sentence", "sentences")));
            }
            let _ = writeln!(out, "| {} | {} |", escape(s.title(), true), escape(&notes.join(", "), true));
        }
        out.push_str("\n<details><summary>Redline</summary>\n\n");
        for s in changed.iter().filter(|s| !s.items.is_empty()) {
            let _ = writeln!(out, "**{}**\n\n```diff", inline(s.title()));
            // A fence inside a sentence would end the block early.
            let text = |l: &Option<crate::engine::diff::Line>| {
                l.as_ref().map_or(String::new(), |l| terminal(&l.text).replace("```", "` ` `"))
            };
            for item in &s.items {
                let _ = match item.change {
                    ItemChange::Removed => writeln!(out, "- {}", text(&item.old)),
                    ItemChange::Added => writeln!(out, "+ {}", text(&item.new)),
                    ItemChange::Reworded => writeln!(out, "- {}\n+ {}", text(&item.old), text(&item.new)),
                    ItemChange::Moved => writeln!(
                        out,
                        "  {} (moved {})",
                        text(&item.new),
                        terminal(&s.moved_from(item)).replace("```", "` ` `")
                    ),
                };
                for c in &item.labels {
                    let _ = writeln!(out, "! {}", terminal(&c.tag()).replace("```", "` ` `"));
                }
            }
            out.push_str("```\n\n");
        }
        out.push_str("</details>\n");
    }
    out
}

/// `❌ **2 errors**, 0 warnings: the check fails.` The threshold is on the line below.
fn verdict(report: &Report) -> String {
    if report.findings.is_empty() {
        return "✅ no findings".to_string();
    }
    let count = |level: Level, one: &str, many: &str| {
        let n = report.count(level);
        let text = plural(n, one, many);
        if n > 0 {
            format!("**{text}**")
        } else {
            text
        }
    };
    let mut counts = vec![count(Level::Error, "error", "errors"), count(Level::Warning, "warning", "warnings")];
    if report.count(Level::Note) > 0 {
        counts.push(count(Level::Note, "note", "notes"));
    }
    let acknowledged = report.findings.iter().filter(|f| f.acknowledged.is_some()).count();
    if acknowledged > 0 {
        counts.push(format!("{acknowledged} acknowledged"));
    }
    let outcome = if report.failed() { "❌" } else { "⚠️" };
    let result = if report.failed() { "the check fails" } else { "the check passes" };
    format!("{outcome} {}: {result}.", counts.join(", "))
}

fn findings(out: &mut String, report: &Report) {
    out.push_str("| Level | Rule | Where | Finding | Fix |\n|---|---|---|---|---|\n");
    for f in &report.findings {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            level(f),
            code(f.rule),
            code(&place(&f.primary.path, f.primary.line)),
            finding_cell(f),
            inline(&f.help),
        );
    }
    out.push('\n');
}

fn level(f: &Finding) -> String {
    let icon = match f.level {
        Level::Error => "❌",
        Level::Warning => "⚠️",
        Level::Note => "ℹ️",
    };
    match &f.acknowledged {
        Some(_) => format!("{icon} {} (acknowledged)", f.level),
        None => format!("{icon} {}", f.level),
    }
}

/// The message, then the places and policy lines that explain it, one per `<br>`.
fn finding_cell(f: &Finding) -> String {
    let mut parts = vec![inline(&f.message)];
    for r in &f.related {
        let label = r.label.trim_start_matches("also ");
        parts.push(format!("*also:* {} at {}", inline(label), code(&place(&r.location.path, r.location.line))));
    }
    if let Some(policy) = &f.policy {
        parts.push(format!("*policy:* {}", inline(policy)));
    }
    if let Some(reason) = &f.acknowledged {
        parts.push(format!("*acknowledged:* {}", inline(reason)));
    }
    parts.join("<br>")
}

fn categories(out: &mut String, report: &Report) {
    let requested = report.new.requested();
    if requested.is_empty() {
        out.push_str("The new version requests no personal-data category.\n");
        return;
    }
    let old = report.old.requested();
    let new: Vec<CategoryId> = requested.iter().copied().filter(|c| !old.contains(c)).collect();
    out.push_str("#### Newly requested categories\n\n");
    if new.is_empty() {
        out.push_str("None: the old version already requested every category the new one does.\n\n");
    } else {
        category_table(out, report, &new);
    }
    let all: Vec<CategoryId> = requested.into_iter().collect();
    let _ = writeln!(out, "<details><summary>All requested categories ({})</summary>\n", all.len());
    category_table(out, report, &all);
    out.push_str("</details>\n");
}

fn category_table(out: &mut String, report: &Report, categories: &[CategoryId]) {
    let t = &*report.taxonomy;
    out.push_str("| Category | Label | Requested by | Policy |\n|---|---|---|---|\n");
    for &c in categories {
        let cat = t.category(c);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&cat.id),
            inline(&cat.label),
            requested_by(report, c),
            status(report, c)
        );
    }
    out.push('\n');
}

/// The first few subjects that request the category, short and quoted, in inventory order.
fn requested_by(report: &Report, c: CategoryId) -> String {
    let mut subjects: Vec<&str> = Vec::new();
    for r in report.new.requests.iter().filter(|r| r.category == c) {
        let s = short_subject(&r.subject);
        if !subjects.contains(&s) {
            subjects.push(s);
        }
    }
    let mut shown: Vec<String> = subjects.iter().take(SUBJECTS_SHOWN).map(|s| code(s)).collect();
    if subjects.len() > SUBJECTS_SHOWN {
        shown.push(format!("and {} more", subjects.len() - SUBJECTS_SHOWN));
    }
    shown.join(", ")
}

/// What the new policy says about the category; a denial wins over a disclosure, as in the
/// human `-v` table.
fn status(report: &Report, c: CategoryId) -> String {
    let best = |polarity: Polarity| report.new.best(&report.taxonomy, c, polarity);
    let at = |s: &Statement| code(&place(&s.location.path, s.location.line));
    match (best(Polarity::Disclosure), best(Polarity::Denial)) {
        (_, Some(d)) => format!("**denied** at {}", at(d)),
        (Some(s), None) => format!("disclosed at {}", at(s)),
        (None, None) => "**not disclosed**".to_string(),
    }
}

fn place(path: &str, line: usize) -> String {
    if line == 0 {
        path.to_string()
    } else {
        format!("{path}:{line}")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A code span holding `text` verbatim, safe in a table cell: the fence is longer than any
/// run of backticks inside, and `|` is escaped (GFM splits cells before it parses code spans).
/// Control, bidi and invisible characters are made [`visible`]; line breaks become spaces.
pub(crate) fn code(text: &str) -> String {
    let text = visible(text).replace(['\r', '\n'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

/// Escapes text for a GFM table cell. Code spans written with backticks in the text are kept
/// as code; everywhere else Markdown and HTML punctuation is backslash-escaped, so
/// `<!-- x -->` shows as written and `NS*Usage*` is not emphasis. `|` is escaped everywhere
/// (also inside code spans: a table cell ends at an unescaped pipe) and line breaks become
/// `<br>`. Control, bidi and invisible characters are made [`visible`] first (`\x1b` shows as
/// written: its backslash is escaped like any other).
pub(crate) fn inline(text: &str) -> String {
    escape(text, true)
}

/// Escapes text for a GFM paragraph, like [`inline`] but a `|` inside a code span stays as
/// written (outside a table its backslash would show) and line breaks become spaces.
pub(crate) fn paragraph(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, cell: bool) -> String {
    let chars: Vec<char> = visible(text).chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            if let Some(end) = closing_run(&chars, i + run, run) {
                // A code span: backslashes are literal inside it, so only `|` (in a cell) and
                // line breaks need care.
                for &c in &chars[i..end + run] {
                    match c {
                        '|' if cell => out.push_str("\\|"),
                        '\r' | '\n' => out.push(' '),
                        c => out.push(c),
                    }
                }
                i = end + run;
                continue;
            }
            for _ in 0..run {
                out.push_str("\\`");
            }
            i += run;
            continue;
        }
        match c {
            '\r' => {}
            '\n' if cell => out.push_str("<br>"),
            '\n' | '\t' => out.push(' '),
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '!' | '@' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// The index of the next run of exactly `run` backticks at or after `from`.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let len = chars[j..].iter().take_while(|&&c| c == '`').count();
            if len == run {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_escapes_markdown_and_html_but_keeps_code_spans() {
        insta::assert_snapshot!(
            inline("`READ_CONTACTS` is in <!-- disclose: a --> and NS*Usage* | a_b"),
            @r"`READ_CONTACTS` is in \<\!-- disclose: a --\> and NS\*Usage\* \| a\_b"
        );
        insta::assert_snapshot!(inline("`a|b` then\nnext"), @r"`a\|b` then<br>next");
        insta::assert_snapshot!(inline("unbalanced ` tick"), @r"unbalanced \` tick");
        insta::assert_snapshot!(inline("``a`b`` & @team"), @r"``a`b`` \& \@team");
        insta::assert_snapshot!(paragraph("`a|b` | c\nd"), @r"`a|b` \| c d");
        insta::assert_snapshot!(inline("a\u{1b}]52;c;x\u{7} `b\u{202E}c`\u{200B}"), @r"a\\x1b\]52;c;x\\x07 `b<U+202E>c`\<U+200B\>");
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code("a.md:3"), "`a.md:3`");
        assert_eq!(code("a`b|c"), "``a`b\\|c``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\u{1b}[2J\u{202E}\nb"), "`a\\x1b[2J<U+202E> b`");
    }
}
