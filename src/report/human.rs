//! Human output: rustc-shaped diagnostics, then (with `-v`) what the policy says about each
//! requested category, then one summary line.
//!
//! Every piece that comes from an input (messages, which name permissions and paths; paths;
//! snippets; quotes; reasons; labels) goes through [`terminal`] before it is styled, so no
//! control character, bidi override or invisible character reaches the terminal.

use std::fmt::Write;

use owo_colors::OwoColorize;

use super::{Palette, Report};
use crate::engine::rules::shorten;
use crate::model::escape::{terminal, terminal_width};
use crate::model::finding::{Finding, Level};
use crate::model::source::Location;
use crate::read::policy::Polarity;

/// How much to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Findings only.
    Quiet,
    /// Findings and the summary line.
    Normal,
    /// Also the per-category disclosure table.
    Verbose,
}

/// Renders the report.
pub fn render(report: &Report, p: &Palette, verbosity: Verbosity) -> String {
    let mut out = String::new();
    for f in &report.findings {
        finding(&mut out, f, p);
        out.push('\n');
    }
    // Files that looked like manifests and were not analysed: code (app.config.ts) always,
    // other files (a web-app manifest.json) with -v.
    for (path, why) in &report.new.skipped {
        if why.always || verbosity == Verbosity::Verbose {
            let _ =
                writeln!(out, "{} {} {}\n", "not analysed:".style(p.warning), terminal(path), terminal(&why.reason));
        }
    }
    if verbosity == Verbosity::Verbose {
        if let Some(note) = &report.note {
            let _ = writeln!(out, "{} {}\n", "compared:".style(p.bold), terminal(note));
        }
        if report.unchecked.is_none() {
            categories(&mut out, report, p);
        }
    }
    if verbosity >= Verbosity::Normal {
        if let Some(b) = &report.baseline {
            baseline(&mut out, b, p);
        }
        for notice in &report.notices {
            let _ = writeln!(out, "{} {}\n", "note:".style(p.warning), terminal(notice));
        }
        summary(&mut out, report, p);
    }
    out
}

fn entries(n: usize) -> String {
    format!("{n} {}", if n == 1 { "entry" } else { "entries" })
}

/// What `--baseline` left out, and the entries that can go.
fn baseline(out: &mut String, b: &crate::run::baseline::Applied, p: &Palette) {
    let file = terminal(&b.path);
    let _ = writeln!(out, "{} {} left out ({file})", "baseline:".style(p.bold), plural(b.matched, "recorded finding"));
    if !b.stale.is_empty() {
        let one = b.stale.len() == 1;
        let (verb, them) = if one { ("occurs", "it") } else { ("occur", "them") };
        let _ = writeln!(out, "  {} no longer {verb}; remove {them} from {file}:", entries(b.stale.len()));
        for e in &b.stale {
            let what = e.category.as_deref().or(e.subject.as_deref()).unwrap_or("");
            let _ = writeln!(out, "    {} {} {}", terminal(&e.rule), terminal(what), terminal(&e.path));
        }
    }
    if !b.pending.is_empty() {
        let _ = writeln!(
            out,
            "  {} added by this change count once {file} is on the base version",
            entries(b.pending.len())
        );
    }
    out.push('\n');
}

pub(crate) fn finding(out: &mut String, f: &Finding, p: &Palette) {
    let style = p.level(f.level);
    let _ = writeln!(
        out,
        "{}{} {}",
        f.level.style(style),
        format!("[{}]:", f.rule).style(style),
        terminal(&f.message).style(p.bold)
    );
    snippet(out, &f.primary, f.level, p);
    let pad = " ".repeat(gutter_width(&f.primary));
    let eq = |out: &mut String, label: &str, text: &str| {
        let _ = writeln!(out, "{pad}{} {}{text}", "=".style(p.gutter), format!("{label}:").style(p.bold));
    };
    for r in &f.related {
        eq(out, "also", &format!(" {} at {}", terminal(r.label.trim_start_matches("also ")), place(&r.location)));
    }
    if let Some(policy) = &f.policy {
        eq(out, "policy", &format!(" {}", terminal(policy)));
    }
    if let Some(ack) = &f.acknowledged {
        eq(out, "acknowledged", &format!(" {}", terminal(ack)));
    }
    let _ = writeln!(out, "{pad}{} {} {}", "=".style(p.gutter), "help:".style(p.help), terminal(&f.help));
    let _ = writeln!(out, "{pad}{} {} `disclose explain {}`", "=".style(p.gutter), "note:".style(p.bold), f.rule);
}

/// `path:line:column`, the path escaped for the terminal.
fn place(l: &Location) -> String {
    if l.line == 0 {
        terminal(&l.path).into_owned()
    } else {
        format!("{}:{}:{}", terminal(&l.path), l.line, l.column)
    }
}

fn gutter_width(l: &Location) -> usize {
    l.line.max(1).to_string().len() + 1
}

/// `--> path:line:col`, the source line and a caret underline. Tabs become four spaces so
/// the underline stays under the text; other control, bidi and invisible characters are
/// escaped ([`terminal`]) and the underline counts their escaped width; very long lines are
/// cut around the column.
fn snippet(out: &mut String, l: &Location, level: Level, p: &Palette) {
    let width = gutter_width(l);
    let pad = " ".repeat(width);
    if l.line == 0 {
        let _ = writeln!(out, "{pad}{} {} ({})", "-->".style(p.gutter), terminal(&l.path), terminal(&l.snippet));
        return;
    }
    let _ = writeln!(out, "{}{} {}", " ".repeat(width - 1), "-->".style(p.gutter), place(l));
    let _ = writeln!(out, "{pad}{}", "|".style(p.gutter));
    let chars: Vec<char> = l.snippet.chars().collect();
    let start_col = l.snippet_column.saturating_sub(1).min(chars.len());
    // Show at most 120 characters, starting a little before the column on long lines (the
    // snippet of a very long line is already a window of it: `snippet_column < column`).
    let cut = l.snippet_column < l.column;
    let from = if chars.len() > 120 { start_col.saturating_sub(20) } else { 0 };
    let to = chars.len().min(from + 120);
    let expand = |cs: &[char]| -> String {
        cs.iter().map(|&c| if c == '\t' { "    ".to_string() } else { c.to_string() }).collect()
    };
    let mut shown = terminal(&expand(&chars[from..to])).into_owned();
    if from > 0 || cut {
        shown = format!("…{shown}");
    }
    if to < chars.len() {
        shown.push('…');
    }
    let lead = terminal_width(&expand(&chars[from..start_col])) + usize::from(from > 0 || cut);
    // The underlined characters as shown: a tab counts one, as the column does; an escaped
    // character counts its escape.
    let span = l.width.min(to.saturating_sub(start_col)).max(1);
    let underline = chars[start_col..(start_col + span).min(chars.len())]
        .iter()
        .map(|&c| if c == '\t' { 1 } else { terminal_width(c.encode_utf8(&mut [0; 4])) })
        .sum::<usize>()
        .max(1);
    let _ = writeln!(out, "{} {} {}", l.line.to_string().style(p.gutter), "|".style(p.gutter), shown.trim_end());
    let marker = "^".repeat(underline);
    let _ = writeln!(out, "{pad}{} {}{}", "|".style(p.gutter), " ".repeat(lead), marker.style(p.level(level)));
}

fn categories(out: &mut String, report: &Report, p: &Palette) {
    let t = &*report.taxonomy;
    let requested = report.new.requested();
    let _ = writeln!(out, "{}", "requested categories (new version):".style(p.bold));
    if requested.is_empty() {
        let _ = writeln!(out, "  none\n");
        return;
    }
    let width = requested.iter().map(|&c| terminal_width(&t.category(c).id)).max().unwrap_or(0);
    for &c in &requested {
        let id = terminal(&t.category(c).id);
        let covering = |pol: Polarity| report.new.best(t, c, pol);
        let (status, detail, style) = match (covering(Polarity::Disclosure), covering(Polarity::Denial)) {
            (_, Some(d)) => ("denied", Some(d), p.error),
            (Some(s), None) => ("disclosed", Some(s), p.good),
            (None, None) => ("not disclosed", None, p.warning),
        };
        let detail = detail.map_or(String::new(), |s| {
            format!("  {}:{} \"{}\"", terminal(&s.location.path), s.location.line, terminal(&shorten(&s.text, 90)))
        });
        let _ = writeln!(out, "  {id:width$}  {}{}", format!("{status:13}").style(style), detail.style(p.dim));
    }
    out.push('\n');
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn summary(out: &mut String, report: &Report, p: &Palette) {
    let (e, w, n) = (report.count(Level::Error), report.count(Level::Warning), report.count(Level::Note));
    let mut counts = vec![plural(e, "error"), plural(w, "warning")];
    if n > 0 {
        counts.push(plural(n, "note"));
    }
    let acknowledged = report.findings.iter().filter(|f| f.acknowledged.is_some()).count();
    if acknowledged > 0 {
        counts.push(format!("{acknowledged} acknowledged"));
    }
    let status = if e + w + n == 0 { "no findings".to_string() } else { counts.join(", ") };
    // Nothing read: the summary says so, and why, instead of "no findings".
    let (status, why) = match &report.unchecked {
        Some(why) if e + w + n == 0 => ("nothing to check".to_string(), format!("{why}; ")),
        _ => (status, String::new()),
    };
    let style = if report.failed() { p.error } else { p.good };
    let _ = writeln!(
        out,
        "{} {} ({why}{}, {}; old {}, new {})",
        "disclose:".style(p.bold),
        status.style(style),
        plural(report.new.manifests.len(), "manifest"),
        plural(report.new.policies.len(), "policy").replace("policys", "policies"),
        terminal(&report.old_label),
        terminal(&report.new_label),
    );
}
