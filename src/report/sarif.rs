//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Exactly one run (GitHub
//! rejects several runs of one tool and category in a file); the driver lists every rule of the
//! catalog, with the documentation `disclose explain` prints as its help, so an alert explains
//! itself; each result points at its finding's place, lists the other requests and the policy
//! sentences as related locations, and carries the finding's fingerprint, which hashes meaning,
//! not lines, so an alert survives lines moving.
//!
//! Paths are the findings' own: relative to the version root, `/`-separated, resolved against
//! `%SRCROOT%`; never absolute, never `file://`. Findings in files without lines (binary plists)
//! are file-level results without a region. Columns count Unicode code points, as the rest of
//! disclose does, and the run says so (`columnKind`).
//!
//! Messages, related-location messages (labels and policy quotes) and suppression
//! justifications are display text, made visible ([`visible`]: `\x1b`, `<U+202E>`);
//! `properties.category` and `subject` keep their exact value, and the JSON writer
//! ([`escape::to_json`]) spells bidi, invisible and C1 characters as `\u` escapes.
//!
//! See: OASIS SARIF 2.1.0 (errata 01) and its JSON schema; GitHub's "SARIF support for code
//! scanning" page for the properties it requires and uses.

use serde::Serialize;

use super::{explain, markdown, Palette, Report};
use crate::engine::rules::{self, catalog, Rule};
use crate::model::escape::{self, visible};
use crate::model::finding::{Finding, Level};
use crate::model::source::Location as SourceLocation;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
/// The base every artifact URI is relative to: the root of the version that was checked.
const SRCROOT: &str = "%SRCROOT%";
/// GitHub limits `shortDescription` and `fullDescription` to 1024 characters.
const MAX_DESCRIPTION: usize = 1024;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    automation_details: AutomationDetails,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: Level,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    /// GitHub's severity for results that are not security alerts.
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: Level,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: String,
    uri_base_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    /// The column after the last character: SARIF regions end exclusively.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Serialize)]
struct Fingerprints {
    /// Read by GitHub to track an alert across runs. Ours hashes the finding's meaning rather
    /// than the line's text, so the alert keeps its identity when lines move.
    #[serde(rename = "primaryLocationLineHash")]
    primary_location_line_hash: String,
    /// The finding's fingerprint, as in the JSON output.
    #[serde(rename = "disclose/v1")]
    disclose: String,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.category.is_none() && self.subject.is_none()
    }
}

/// Renders the report as a SARIF 2.1.0 log (pretty-printed JSON) with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut rules: Vec<&Rule> = catalog().iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let results = report
        .findings
        .iter()
        .map(|f| {
            let index =
                rules.iter().position(|r| r.id == f.rule).expect("every finding comes from a rule of the catalog");
            result(f, index)
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "disclose",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().map(|r| descriptor(r)).collect(),
                },
            },
            // GitHub takes everything before the last `/` as the analysis category.
            automation_details: AutomationDetails { id: "disclose/" },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut text = escape::to_json(&log).expect("the log serializes: it holds only strings and numbers");
    text.push('\n');
    text
}

fn descriptor(r: &Rule) -> Descriptor {
    Descriptor {
        id: r.id.clone(),
        name: pascal_case(&r.id),
        short_description: Text { text: limit(&collapse(&r.summary), MAX_DESCRIPTION) },
        full_description: Text { text: limit(&collapse(&r.docs.what), MAX_DESCRIPTION) },
        help: Help { text: explain::rule(r, &Palette::plain()), markdown: help_markdown(r) },
        help_uri: help_uri(&r.id),
        default_configuration: Configuration { level: r.level },
        properties: RuleProperties { tags: tags(r), problem_severity: problem_severity(r.level) },
    }
}

/// The rule's YAML, which holds its documentation and examples.
fn help_uri(id: &str) -> String {
    format!("{INFORMATION_URI}/blob/main/policies/rules/{id}.yaml")
}

/// `privacy`, and whether the rule compares manifests with the policy or reads manifests only
/// (its message names the policy or not), so alerts can be filtered by either.
fn tags(r: &Rule) -> Vec<&'static str> {
    let kind = if r.message.contains("{policy}") { "policy" } else { "manifest" };
    vec!["privacy", kind]
}

/// GitHub's `problem.severity` for a level: `error`, `warning` or `recommendation`.
fn problem_severity(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "recommendation",
    }
}

/// The sections of `disclose explain`, in Markdown, with the fix in general after the known
/// problems; examples are code blocks, so their XML and policy text need no escaping.
fn help_markdown(r: &Rule) -> String {
    let mut out = format!("{}\n\n", markdown::paragraph(&collapse(&r.summary)));
    let mut section = |title: &str, body: &str| {
        out.push_str(&format!("**{title}**\n\n{}\n\n", markdown::paragraph(&collapse(body))));
    };
    section("What it finds", &r.docs.what);
    section("Why it matters", &r.docs.why);
    if let Some(k) = &r.docs.known_problems {
        section("Known problems", k);
    }
    section("How to fix", &format!("{} Each alert's message ends with the fix for its own finding.", how_to_fix(r)));
    for (title, example) in [("Example that fires", &r.examples.flagged), ("Example that passes", &r.examples.passes)] {
        let mut block = String::new();
        for (side, e) in [("old", &example.old), ("new", &example.new)] {
            block.push_str(&format!("{side}: {}\n     policy: \"{}\"\n", e.requests(), e.policy.trim()));
        }
        // A fence longer than any backtick run inside keeps the block closed.
        let fence = "`".repeat(3.max(longest_backtick_run(&block) + 1));
        out.push_str(&format!("**{title}**\n\n{fence}text\n{block}{fence}\n\n"));
    }
    out.push_str(&format!(
        "**Configure**\n\nIn `disclose.yaml`: `rules: {{ {}: off | note | warning | error }}`. \
         Run `disclose explain {}` for this text in a terminal; [the rule's source]({}).\n",
        r.id,
        r.id,
        help_uri(&r.id)
    ));
    out
}

/// The rule's help template with its placeholders named generically: the fix in general,
/// where each finding's help names its own permission, data and policy.
pub(crate) fn how_to_fix(r: &Rule) -> String {
    let generic = |s: &str| s.to_string();
    let text = rules::render(
        &r.help,
        &[
            ("subject", generic("the permission or key")),
            ("category", generic("the category")),
            ("category_label", generic("the data")),
            ("policy", generic("the privacy policy")),
            ("change", generic("the wider access")),
            ("problem", generic("an empty or placeholder purpose string")),
            ("hint", generic("map")),
            ("name", generic("PERMISSION")),
            ("short", generic("PERMISSION")),
            ("practice", generic("the practice")),
            ("where", generic("the policy")),
            ("control", generic("the control")),
            ("stale", generic("its date did not change")),
        ],
    );
    let mut chars = text.chars();
    let mut out: String = chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn result(f: &Finding, rule_index: usize) -> SarifResult<'_> {
    let mut related = Vec::new();
    for r in &f.related {
        related.push(Location {
            id: Some(related.len() + 1),
            physical_location: physical(&r.location),
            message: Some(Text { text: visible(&r.label).into_owned() }),
        });
    }
    for e in &f.evidence {
        related.push(Location {
            id: Some(related.len() + 1),
            physical_location: PhysicalLocation {
                artifact_location: artifact(&e.path),
                region: (e.line > 0).then_some(Region {
                    start_line: e.line,
                    start_column: None,
                    end_line: None,
                    end_column: None,
                }),
            },
            message: Some(Text { text: format!("policy: \"{}\"", visible(&e.text)) }),
        });
    }
    SarifResult {
        rule_id: f.rule,
        rule_index,
        level: f.level,
        message: Text { text: message(f) },
        locations: [Location { id: None, physical_location: physical(&f.primary), message: None }],
        related_locations: related,
        partial_fingerprints: Fingerprints {
            primary_location_line_hash: format!("{}:1", f.fingerprint),
            disclose: f.fingerprint.clone(),
        },
        suppressions: f
            .acknowledged
            .as_deref()
            .map(|reason| Suppression { kind: "external", justification: visible(reason).into_owned() })
            .into_iter()
            .collect(),
        properties: ResultProperties { category: f.category.as_deref(), subject: f.subject.as_deref() },
    }
}

/// The message as a sentence (viewers show only the first sentence when space is short), then
/// the policy line and the help on lines of their own; each made [`visible`].
fn message(f: &Finding) -> String {
    let mut text = visible(&f.message).into_owned();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    if let Some(policy) = &f.policy {
        text.push_str(&format!("\npolicy: {}", visible(policy)));
    }
    text.push_str(&format!("\nhelp: {}", visible(&f.help)));
    text
}

fn physical(l: &SourceLocation) -> PhysicalLocation<'static> {
    let region = (l.line > 0).then(|| Region {
        start_line: l.line,
        start_column: Some(l.column.max(1)),
        end_line: Some(l.line),
        end_column: Some(l.column.max(1) + l.width.max(1)),
    });
    PhysicalLocation { artifact_location: artifact(&l.path), region }
}

fn artifact(path: &str) -> ArtifactLocation<'static> {
    ArtifactLocation { uri: uri(path), uri_base_id: SRCROOT }
}

/// A relative path as a URI reference (RFC 3986): unreserved characters, sub-delimiters, `@`
/// and `/` stay; everything else, including `%`, spaces, `:` (which would read as a scheme) and
/// non-ASCII bytes, is percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.trim_start_matches('/').as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(b)),
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `undisclosed-collection` → `UndisclosedCollection`.
fn pascal_case(id: &str) -> String {
    id.split(['-', '_', '.'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
        })
        .collect()
}

/// Whitespace runs (the line breaks of folded YAML) become single spaces.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts text to `max` characters, ending with an ellipsis when cut.
fn limit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_uris_and_limits() {
        assert_eq!(pascal_case("undisclosed-collection"), "UndisclosedCollection");
        assert_eq!(uri("ios/My App/Info.plist"), "ios/My%20App/Info.plist");
        assert_eq!(uri("a:b/100%/é#1?.md"), "a%3Ab/100%25/%C3%A9%231%3F.md");
        assert_eq!(limit("abcdef", 4), "abc…");
        assert_eq!(limit("abc", 4), "abc");
        assert_eq!(collapse(" a\n  b\tc "), "a b c");
    }
}
