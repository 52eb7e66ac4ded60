//! `--format gitlab`: a GitLab Code Quality report, a JSON array of Code Climate issues
//! (`[]` when there are none), for `artifacts: reports: codequality:`.
//!
//! GitLab reads `description`, `check_name`, `fingerprint`, `severity` and `location` (path and
//! `lines.begin`); the other Code Climate fields (`type`, `categories`, `content`,
//! `other_locations`, `engine_name`) are there for other Code Climate consumers. GitLab does not
//! show `check_name`, so the description starts with the rule id; it has no suppressions, so an
//! acknowledged finding is an `info` issue that says it is acknowledged. Issues with equal
//! fingerprints collapse into one in the merge-request widget, so a repeated fingerprint is
//! salted with its occurrence number.
//!
//! The description and body are display text: their bidi, invisible and control characters
//! are made visible ([`visible`]; the body is Markdown, escaped as [`markdown::paragraph`]
//! does). `location.path` keeps the file's exact path, so GitLab can link it; the JSON writer
//! ([`escape::to_json`]) spells those characters as `\u` escapes in the bytes.
//!
//! See: GitLab Docs, "Code Quality", "Implement a custom tool"; Code Climate engine
//! specification, "Issues" (categories, severities, descriptions are one line).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{markdown, Report};
use crate::model::escape::{self, visible};
use crate::model::finding::{fingerprint, Finding, Level};
use crate::model::source::Location as SourceLocation;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    content: Content,
    /// Code Climate has no privacy category; `Security` is the nearest of its fixed list
    /// (`Bug Risk`, `Clarity`, `Compatibility`, `Complexity`, `Duplication`, `Performance`,
    /// `Security`, `Style`).
    categories: [&'static str; 1],
    location: Location<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_locations: Vec<Location<'a>>,
    severity: &'static str,
    fingerprint: String,
    engine_name: &'static str,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// Renders the report as a pretty-printed JSON array with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let issues: Vec<Issue<'_>> = report
        .findings
        .iter()
        .map(|f| {
            let n = seen.entry(f.fingerprint.as_str()).or_insert(0);
            *n += 1;
            let fingerprint =
                if *n == 1 { f.fingerprint.clone() } else { fingerprint(&[&f.fingerprint, &n.to_string()]) };
            issue(f, fingerprint)
        })
        .collect();
    let mut text = escape::to_json(&issues).expect("issues serialize: they hold only strings and numbers");
    text.push('\n');
    text
}

fn issue(f: &Finding, fingerprint: String) -> Issue<'_> {
    // Code Climate descriptions are one line.
    let mut description = format!("{}: {}", f.rule, visible(&f.message).replace(['\r', '\n'], " "));
    if let Some(reason) = &f.acknowledged {
        description.push_str(&format!(" (acknowledged {}: {})", f.level, visible(reason).replace(['\r', '\n'], " ")));
    }
    Issue {
        kind: "issue",
        check_name: f.rule,
        description,
        content: Content { body: body(f) },
        categories: ["Security"],
        location: location(&f.primary),
        other_locations: f.related.iter().map(|r| location(&r.location)).collect(),
        severity: severity(f),
        fingerprint,
        engine_name: "disclose",
    }
}

/// `error` → `critical`, `warning` → `major`, `note` → `info`; acknowledged → `info`.
fn severity(f: &Finding) -> &'static str {
    match (f.level, &f.acknowledged) {
        (_, Some(_)) | (Level::Note, None) => "info",
        (Level::Warning, None) => "major",
        (Level::Error, None) => "critical",
    }
}

/// Line 0 (a file without lines) becomes line 1: GitLab needs a line.
fn location(l: &SourceLocation) -> Location<'_> {
    let line = l.line.max(1);
    Location { path: &l.path, lines: Lines { begin: line, end: line } }
}

/// Markdown: the policy line, the help and where the rule is documented.
fn body(f: &Finding) -> String {
    let mut parts = Vec::new();
    if let Some(policy) = &f.policy {
        parts.push(format!("**Policy:** {}", markdown::paragraph(policy)));
    }
    if let Some(reason) = &f.acknowledged {
        parts.push(format!("**Acknowledged:** {}", markdown::paragraph(reason)));
    }
    parts.push(format!("**Help:** {}", markdown::paragraph(&f.help)));
    parts.push(format!("Run `disclose explain {}` for the rule's documentation.", f.rule));
    parts.join("\n\n")
}
