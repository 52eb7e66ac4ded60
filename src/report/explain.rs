//! `disclose explain` and `disclose categories`: the catalog and the taxonomy, for people.

use std::fmt::Write;

use owo_colors::OwoColorize;

use super::Palette;
use crate::engine::rules::{catalog, ExampleSide, Rule};
use crate::model::escape::{self, terminal};
use crate::taxonomy::Taxonomy;

/// The list of rules: id, level, summary.
pub fn list(p: &Palette) -> String {
    let mut out = String::new();
    let width = catalog().iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in catalog() {
        // Pad before styling: escape codes would count as width.
        let id = format!("{:width$}", r.id);
        let level = format!("{:7}", r.level.as_str());
        let _ = writeln!(out, "{}  {}  {}", id.style(p.bold), level.style(p.level(r.level)), r.summary);
    }
    let _ = writeln!(out, "\n`disclose explain RULE` shows a rule's documentation.");
    out
}

/// One rule's documentation: the same text SARIF's `help` carries.
pub fn rule(r: &Rule, p: &Palette) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})\n", r.id.style(p.bold), r.level.style(p.level(r.level)));
    let _ = writeln!(out, "{}\n", r.summary);
    let section = |out: &mut String, title: &str, body: &str| {
        let _ = writeln!(out, "{}", title.style(p.bold));
        let _ = writeln!(out, "{}\n", wrap(body.trim(), 88, "  "));
    };
    section(&mut out, "What it finds", &r.docs.what);
    section(&mut out, "Why it matters", &r.docs.why);
    if let Some(k) = &r.docs.known_problems {
        section(&mut out, "Known problems", k);
    }
    let _ = writeln!(out, "{}", "Example that fires".style(p.bold));
    example(&mut out, "old", &r.examples.flagged.old);
    example(&mut out, "new", &r.examples.flagged.new);
    let _ = writeln!(out, "\n{}", "Example that passes".style(p.bold));
    example(&mut out, "old", &r.examples.passes.old);
    example(&mut out, "new", &r.examples.passes.new);
    let _ = writeln!(out, "\n{}", "Configure".style(p.bold));
    let _ = writeln!(out, "  disclose.yaml: `rules: {{ {}: off | note | warning | error }}`", r.id);
    out
}

fn example(out: &mut String, side: &str, e: &ExampleSide) {
    let _ = writeln!(out, "  {side}: {}", e.requests());
    let _ = writeln!(out, "       policy: \"{}\"", e.policy.trim());
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(format!("{indent}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines.join("\n")
}

/// The taxonomy: id, label, a few words of vocabulary, cross-walk ids. A `disclose.yaml` can
/// add categories, so every name goes through [`terminal`].
pub fn categories(t: &Taxonomy, p: &Palette) -> String {
    let mut out = String::new();
    let width = t.categories.iter().map(|c| escape::terminal_width(&c.id)).max().unwrap_or(0);
    for c in &t.categories {
        let words: Vec<&str> = c.vocabulary.iter().take(5).map(String::as_str).collect();
        let _ = writeln!(out, "{}  {}", format!("{:width$}", terminal(&c.id)).style(p.bold), terminal(&c.label));
        let _ = writeln!(out, "{:width$}  {}", "", format!("words: {}", terminal(&words.join(", "))).style(p.dim));
        let mut xw = Vec::new();
        if !c.crosswalk.play.is_empty() {
            xw.push(format!("Play: {}", c.crosswalk.play.join(", ")));
        }
        if !c.crosswalk.apple.is_empty() {
            xw.push(format!("Apple: {}", c.crosswalk.apple.join(", ")));
        }
        if !c.crosswalk.fideslang.is_empty() {
            xw.push(format!("fideslang: {}", c.crosswalk.fideslang.join(", ")));
        }
        if !xw.is_empty() {
            let _ = writeln!(out, "{:width$}  {}", "", terminal(&xw.join("; ")).style(p.dim));
        }
    }
    escape::workflow_safe(&out).into_owned()
}

/// `disclose categories --format json`: every category with its vocabulary, cross-walk ids
/// and the manifest entries that request it.
pub fn categories_json(t: &Taxonomy) -> String {
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        id: &'a str,
        label: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<&'a str>,
        description: &'a str,
        vocabulary: &'a [String],
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        qualifiers: &'a [String],
        explicit: bool,
        crosswalk: &'a crate::taxonomy::Crosswalk,
        requested_by: Vec<String>,
    }
    let granted = t.granted_by();
    let list: Vec<Entry> = t
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| Entry {
            id: &c.id,
            label: &c.label,
            parent: c.parent.map(|p| t.category(p).id.as_str()),
            description: &c.description,
            vocabulary: &c.vocabulary,
            qualifiers: &c.qualifiers,
            explicit: c.explicit,
            crosswalk: &c.crosswalk,
            requested_by: granted.get(&i).cloned().unwrap_or_default(),
        })
        .collect();
    #[derive(serde::Serialize)]
    struct Output<'a> {
        version: u32,
        categories: Vec<Entry<'a>>,
    }
    let mut out = escape::to_json(&Output { version: 1, categories: list }).expect("categories serialize");
    out.push('\n');
    out
}
