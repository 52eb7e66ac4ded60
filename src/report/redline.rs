//! The terminal redline of `disclose diff`: what changed for users first, then each changed
//! section with its removed (`-`), added (`+`), reworded (`~`) and moved (`>`) sentences, the
//! semantic change each carries under it, the findings, and one summary line.
//!
//! Without colour, changed words inside a reworded sentence read `[-old-]{+new+}` (git's
//! word-diff marks), so the redline survives a pipe, a log file and a printer.
//!
//! Paths, sentences, word pieces, headings, dates and change-log entries go through
//! [`terminal`] before they are styled.

use std::fmt::Write;

use owo_colors::OwoColorize;

use super::human::{finding, plural, Verbosity};
use super::{Palette, Report};
use crate::engine::diff::words::{Mark, Piece};
use crate::engine::diff::{Change, ItemChange, PolicyDiff, SectionChange, SectionDiff};
use crate::engine::rules::shorten;
use crate::model::escape::terminal;
use crate::model::finding::Level;

/// Renders the redline report.
pub fn render(report: &Report, p: &Palette, verbosity: Verbosity) -> String {
    let mut out = String::new();
    if verbosity >= Verbosity::Normal {
        for d in &report.redlines {
            redline(&mut out, d, p, verbosity);
        }
    }
    for f in &report.findings {
        finding(&mut out, f, p);
        out.push('\n');
    }
    if verbosity >= Verbosity::Normal {
        summary(&mut out, report, p);
    }
    out
}

fn redline(out: &mut String, d: &PolicyDiff, p: &Palette, verbosity: Verbosity) {
    let _ = writeln!(out, "{} {} → {}\n", "disclose diff:".style(p.bold), terminal(&d.old_path), terminal(&d.new_path));
    let _ = writeln!(out, "{}", "What changed for users".style(p.bold));
    if let Some(why) = d.nothing_because() {
        let _ = writeln!(out, "  nothing: {why}");
    }
    for c in &d.meaning.changes {
        change(out, c, p, "  ");
    }
    date(out, d, p);
    if !d.stats.files_differ || d.stats.formatting_only() {
        out.push('\n');
        return;
    }
    let _ = writeln!(out, "\n{} {}\n", "Wording:".style(p.bold), wording(d));
    for s in d.sections.iter().filter(|s| s.changed()) {
        section(out, s, p, verbosity);
    }
}

/// `+ practice: advertising  new.md:22 "We show ads…"`.
fn change(out: &mut String, c: &Change, p: &Palette, indent: &str) {
    let style = if c.sign == crate::engine::diff::Sign::Added { p.added } else { p.removed };
    let _ = writeln!(
        out,
        "{indent}{}  {}",
        terminal(&c.tag()).style(style),
        format!("{}:{} \"{}\"", terminal(&c.at.path), c.at.line, terminal(&shorten(&c.text, 90))).style(p.dim)
    );
}

fn date(out: &mut String, d: &PolicyDiff, p: &Palette) {
    let line = d.meaning.date.describe(|d| format!("\"{}\"", terminal(d)));
    let _ = writeln!(out, "  {} {line}", "date:".style(p.bold));
    for e in &d.meaning.changelog {
        let _ = writeln!(out, "  {} {}", "change log:".style(p.bold), terminal(&shorten(e, 100)));
    }
    if let Some(text) = d.meaning.dropped_log() {
        let _ = writeln!(out, "  {} {}", "change log:".style(p.bold), terminal(&text));
    }
}

/// "3 sentences added, 1 removed, 2 reworded; 1 section renamed".
pub(crate) fn wording(d: &PolicyDiff) -> String {
    let s = &d.stats;
    let counts = |pairs: &[(usize, &str)], noun: &str| -> Option<String> {
        // "3 sentences added, 1 removed": the noun goes with the first count.
        let parts: Vec<String> = pairs
            .iter()
            .filter(|(n, _)| *n > 0)
            .enumerate()
            .map(|(k, (n, what))| match k {
                0 => format!("{n} {noun}{} {what}", if *n == 1 { "" } else { "s" }),
                _ => format!("{n} {what}"),
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    };
    let sentences =
        counts(&[(s.added, "added"), (s.removed, "removed"), (s.reworded, "reworded"), (s.moved, "moved")], "sentence");
    let sections = counts(
        &[
            (s.sections_added, "added"),
            (s.sections_removed, "removed"),
            (s.sections_renamed, "renamed"),
            (s.sections_moved, "moved"),
        ],
        "section",
    );
    match (sentences, sections) {
        (None, None) => "no sentence changed".to_string(),
        (a, b) => a.into_iter().chain(b).collect::<Vec<_>>().join("; "),
    }
}

fn section(out: &mut String, s: &SectionDiff, p: &Palette, verbosity: Verbosity) {
    let mut notes = s.notes();
    match (s.old_line, s.new_line) {
        (_, Some(l)) => notes.push(format!("line {l}")),
        (Some(l), None) => notes.push(format!("old line {l}")),
        _ => {}
    }
    let style = match s.change {
        SectionChange::Added => p.added,
        SectionChange::Removed => p.removed,
        _ => p.bold,
    };
    let _ = writeln!(
        out,
        "{} {}",
        format!("§ {}", terminal(s.title())).style(style),
        format!("({})", terminal(&notes.join(", "))).style(p.dim)
    );
    let mut k = 0;
    while k < s.items.len() {
        let item = &s.items[k];
        // Three or more sentences moved together from one place read as one line.
        let run = s.items[k..].iter().take_while(|i| i.change == ItemChange::Moved && i.from == item.from).count();
        if run >= 3 && verbosity < Verbosity::Verbose {
            let lines: Vec<usize> = s.items[k..k + run].iter().filter_map(|i| i.new.as_ref().map(|l| l.line)).collect();
            let (first, last) = (lines.iter().min().copied().unwrap_or(0), lines.iter().max().copied().unwrap_or(0));
            let text = format!(
                "{run} sentences moved here {} (lines {first}–{last}; -v lists them)",
                terminal(&s.moved_from(item))
            );
            let _ = writeln!(out, "{}{}", format!("{first:>5} > ").style(p.dim), text.style(p.dim));
            k += run;
            continue;
        }
        k += 1;
        let (sign, line, style) = match item.change {
            ItemChange::Removed => ('-', item.old.as_ref(), p.removed),
            ItemChange::Added => ('+', item.new.as_ref(), p.added),
            ItemChange::Reworded => ('~', item.new.as_ref(), p.bold),
            ItemChange::Moved => ('>', item.new.as_ref(), p.dim),
        };
        let number = line.map_or(String::new(), |l| l.line.to_string());
        let gutter = format!("{number:>5} {sign} ");
        let text = line.map_or(String::new(), |l| l.text.clone());
        let text = match item.change {
            ItemChange::Reworded => words(&item.words, p),
            ItemChange::Moved => format!("{} (moved {})", terminal(&shorten(&text, 80)), terminal(&s.moved_from(item)))
                .style(style)
                .to_string(),
            _ => terminal(&text).style(style).to_string(),
        };
        let _ = writeln!(out, "{}{text}", gutter.style(style));
        for c in &item.labels {
            let style = if c.sign == crate::engine::diff::Sign::Added { p.added } else { p.removed };
            let _ = writeln!(out, "{}{}", " ".repeat(gutter.chars().count() + 2), terminal(&c.tag()).style(style));
        }
    }
    out.push('\n');
}

/// A reworded sentence: unchanged words plain, removed and added ones marked or coloured.
fn words(pieces: &[Piece], p: &Palette) -> String {
    let mut out = String::new();
    for piece in pieces {
        let text = terminal(&piece.text);
        match (piece.mark, p.marks) {
            (Mark::Same, _) => out.push_str(&text),
            (Mark::Removed, true) => {
                let _ = write!(out, "[-{text}-]");
            }
            (Mark::Added, true) => {
                let _ = write!(out, "{{+{text}+}}");
            }
            (Mark::Removed, false) => {
                let _ = write!(out, "{}", text.style(p.removed_words));
            }
            (Mark::Added, false) => {
                let _ = write!(out, "{}", text.style(p.added_words));
            }
        }
    }
    out
}

fn summary(out: &mut String, report: &Report, p: &Palette) {
    let (e, w, n) = (report.count(Level::Error), report.count(Level::Warning), report.count(Level::Note));
    let mut counts = Vec::new();
    for (k, word) in [(e, "error"), (w, "warning"), (n, "note")] {
        if k > 0 {
            counts.push(plural(k, word));
        }
    }
    let status = if counts.is_empty() { "no findings".to_string() } else { counts.join(", ") };
    let changes: usize = report.redlines.iter().map(|d| d.meaning.changes.len()).sum();
    let style = if report.failed() { p.error } else { p.good };
    let _ = writeln!(
        out,
        "{} {} ({} for users; old {}, new {})",
        "disclose:".style(p.bold),
        status.style(style),
        plural(changes, "change"),
        terminal(&report.old_label),
        terminal(&report.new_label),
    );
}
