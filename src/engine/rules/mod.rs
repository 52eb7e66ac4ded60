//! The rule catalog: every rule's metadata and docs come from `policies/rules/<id>.yaml`, its
//! check from `src/engine/rules/<id>.rs`. The registry runs the checks on a comparison, keeps one
//! finding per subject (a narrower rule replaces a broader one, as each YAML's `replaces`
//! says), applies configured levels, renders messages and computes fingerprints.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod contradicts_policy;
mod disclosure_removed;
mod label_mismatch;
mod missing_purpose_string;
mod practice_expansion;
mod stale_disclosure;
mod unannounced_change;
mod undisclosed_collection;
mod undisclosed_escalation;
mod undisclosed_existing;
mod unknown_permission;
mod unread_file;
mod user_control_removed;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::engine::compare::{CategoryState, Comparison};
use crate::engine::inventory::{short_subject, Request};
use crate::model::finding::{fingerprint, Evidence, Finding, Level, Related};
use crate::model::source::Location;
use crate::read::policy::Statement;
use crate::taxonomy::CategoryId;

/// A rule's check: reads the comparison, proposes findings.
pub(crate) type CheckFn = fn(&Comparison) -> Vec<Draft>;

macro_rules! builtin_rules {
    ($($id:literal => $check:path,)+) => {
        /// Every built-in rule: its id, its embedded data (policies/rules/<id>.yaml, as JSON from
        /// build.rs) and its check, in id order.
        pub(crate) const BUILTIN: &[(&str, &str, CheckFn)] = &[$(
            ($id, include_str!(concat!(env!("OUT_DIR"), "/policies/rules/", $id, ".json")), $check),
        )+];
    };
}

// Keep sorted. tests/registry.rs fails if this list and policies/rules/ disagree.
builtin_rules!(
    "contradicts-policy" => contradicts_policy::check,
    "disclosure-removed" => disclosure_removed::check,
    "label-mismatch" => label_mismatch::check,
    "missing-purpose-string" => missing_purpose_string::check,
    "practice-expansion" => practice_expansion::check,
    "stale-disclosure" => stale_disclosure::check,
    "unannounced-change" => unannounced_change::check,
    "undisclosed-collection" => undisclosed_collection::check,
    "undisclosed-escalation" => undisclosed_escalation::check,
    "undisclosed-existing" => undisclosed_existing::check,
    "unknown-permission" => unknown_permission::check,
    "unread-file" => unread_file::check,
    "user-control-removed" => user_control_removed::check,
);

/// A rule's metadata and documentation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Kebab-case id; equals the file stem.
    pub id: String,
    /// One sentence.
    pub summary: String,
    /// Default level.
    pub level: Level,
    /// Rules whose finding on the same subject this one replaces.
    #[serde(default)]
    pub replaces: Vec<String>,
    /// Message template.
    pub message: String,
    /// Help template.
    pub help: String,
    /// Named variants: the same rule from the other side (`label-mismatch`'s declared but
    /// never requested), with their own message, help and a level that caps the rule's.
    #[serde(default)]
    pub variants: BTreeMap<String, Variant>,
    /// Documentation.
    pub docs: Docs,
    /// Runnable examples.
    pub examples: Examples,
}

/// A variant of a rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The highest level it is reported at.
    pub level: Level,
    /// Its message template.
    pub message: String,
    /// Its help template.
    pub help: String,
}

/// A rule's documentation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    /// What the rule finds.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// When it can be wrong.
    #[serde(default)]
    pub known_problems: Option<String>,
}

/// A rule's examples: one pair it flags, one it passes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Fires exactly this rule.
    pub flagged: Example,
    /// Fires nothing.
    pub passes: Example,
}

/// An old/new pair in miniature.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The old version.
    pub old: ExampleSide,
    /// The new version.
    pub new: ExampleSide,
}

/// One version of an example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSide {
    /// Android permission names.
    #[serde(default)]
    pub manifest: Vec<String>,
    /// Info.plist keys and their string values.
    #[serde(default)]
    pub plist: BTreeMap<String, String>,
    /// `NSPrivacyCollectedDataType` values of a `PrivacyInfo.xcprivacy`.
    #[serde(default)]
    pub privacy: Vec<String>,
    /// Entries that are there and not read: path -> what it is ("is a link to a place outside
    /// the version").
    #[serde(default)]
    pub unread: BTreeMap<String, String>,
    /// The policy text (Markdown).
    pub policy: String,
}

impl ExampleSide {
    /// The requests in one line, for `explain` and SARIF help.
    pub fn requests(&self) -> String {
        let mut parts: Vec<String> =
            self.manifest.iter().map(|m| format!("<uses-permission android:name=\"{m}\"/>")).collect();
        parts.extend(self.plist.iter().map(|(k, v)| format!("{k} = \"{v}\"")));
        if !self.privacy.is_empty() {
            parts.push(format!("PrivacyInfo.xcprivacy collects [{}]", self.privacy.join(", ")));
        }
        parts.extend(self.unread.iter().map(|(path, what)| format!("{path} {what} (not read)")));
        if parts.is_empty() {
            "no requests".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// The catalog, parsed once.
pub fn catalog() -> &'static [Rule] {
    static CATALOG: OnceLock<Vec<Rule>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(id, yaml, _)| {
                serde_yaml::from_str::<Rule>(yaml).unwrap_or_else(|e| {
                    panic!("policies/rules/{id}.yaml is invalid (tests/registry.rs catches this): {e}")
                })
            })
            .collect()
    })
}

/// The help for a rule id that does not exist: the nearest one, and where the list is.
pub fn unknown_rule_help(id: &str) -> String {
    match crate::model::suggest::nearest(id, catalog().iter().map(|r| r.id.as_str())) {
        Some(n) => format!("did you mean `{n}`? `disclose explain` lists every rule"),
        None => "`disclose explain` lists every rule".to_string(),
    }
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    catalog().iter().find(|r| r.id == id)
}

/// A finding proposed by a check, before levels, templates and de-duplication.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub category: Option<CategoryId>,
    pub subject: String,
    pub primary: Location,
    pub related: Vec<Related>,
    pub policy: Option<String>,
    pub evidence: Vec<Evidence>,
    pub args: Vec<(&'static str, String)>,
    /// A named variant of the rule (its own level, message and help in the rule's YAML).
    pub variant: Option<&'static str>,
}

pub use crate::model::settings::Levels;

/// Runs every rule on a comparison.
pub fn run(cx: &Comparison, levels: &Levels) -> Vec<Finding> {
    let t = cx.taxonomy;
    let mut drafts: Vec<(&'static Rule, &'static str, Draft)> = Vec::new();
    for (rule, (id, _, check)) in catalog().iter().zip(BUILTIN) {
        for d in check(cx) {
            drafts.push((rule, id, d));
        }
    }
    // One finding per subject: drop a draft when another rule on the same category replaces it.
    let replaced = |rule: &Rule, d: &Draft| {
        d.category.is_some()
            && drafts.iter().any(|(other, _, o)| o.category == d.category && other.replaces.contains(&rule.id))
    };
    let mut out: Vec<Finding> = Vec::new();
    for (rule, id, d) in &drafts {
        if replaced(rule, d) {
            continue;
        }
        let level = match levels.get(*id) {
            Some(None) => continue,
            Some(Some(l)) => *l,
            None => rule.level,
        };
        let variant = d
            .variant
            .map(|v| rule.variants.get(v).unwrap_or_else(|| panic!("{id}: a draft names unknown variant `{v}`")));
        let level = variant.map_or(level, |v| level.min(v.level));
        let category = d.category.map(|c| t.category(c).id.clone());
        let render = |template: &str| render(template, &d.args);
        out.push(Finding {
            rule: id,
            level,
            fingerprint: fingerprint(&[id, &d.primary.path, category.as_deref().unwrap_or(""), &d.subject]),
            category,
            subject: Some(d.subject.clone()),
            primary: d.primary.clone(),
            related: d.related.clone(),
            policy: d.policy.clone(),
            evidence: d.evidence.clone(),
            message: render(variant.map_or(&rule.message, |v| &v.message)),
            help: render(variant.map_or(&rule.help, |v| &v.help)),
            acknowledged: None,
        });
    }
    order(&mut out);
    out
}

/// Puts findings in report order (file, line, column, rule, category): the order every
/// format shows, whichever app or rule produced them.
pub fn order(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.primary.path, a.primary.line, a.primary.column, a.rule, &a.category).cmp(&(
            &b.primary.path,
            b.primary.line,
            b.primary.column,
            b.rule,
            &b.category,
        ))
    });
}

/// Fills `{name}` placeholders.
/// Applies reviewed exceptions: a finding an acknowledgement covers stays in every report,
/// marked with the reason, and no longer counts toward failure. An acknowledgement past its
/// `expires` day no longer applies, and the finding says so.
pub fn acknowledge(
    findings: &mut [Finding],
    acks: &[crate::model::settings::Ack],
    today: crate::model::settings::Date,
) {
    for f in findings.iter_mut() {
        let covers = |a: &&crate::model::settings::Ack| {
            a.rule == f.rule
                && a.category.as_ref().is_none_or(|c| f.category.as_ref() == Some(c))
                && a.path.as_ref().is_none_or(|g| g.is_match(&f.primary.path))
                && a.subject.as_ref().is_none_or(|s| f.subject.as_deref().map(short_subject) == Some(s.as_str()))
        };
        let Some(a) = acks.iter().find(covers) else { continue };
        match a.expires {
            Some(day) if day < today => {
                f.help = format!(
                    "{} (the acknowledgement at {} expired on {day}: \"{}\"; renew it or fix the finding)",
                    f.help, a.at, a.reason
                );
            }
            Some(day) => f.acknowledged = Some(format!("{} ({}, until {day})", a.reason, a.at)),
            None => f.acknowledged = Some(format!("{} ({})", a.reason, a.at)),
        }
    }
}

pub(crate) fn render(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.trim().to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// The new version's policy files, for messages: "PRIVACY.md" or "a.md and b.md"; when the
/// change deleted them all, the old ones, marked deleted.
pub(crate) fn policy_names(cx: &Comparison) -> String {
    let join = |names: &[String]| match names {
        [] => "the privacy policy".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    if cx.new.policies.is_empty() && !cx.old.policies.is_empty() {
        format!("{} (deleted)", join(&cx.old.policies))
    } else {
        join(&cx.new.policies)
    }
}

/// The quoted form of a subject: `RECORD_AUDIO`.
/// A request's subject for a message, with how it arrived: "`RECORD_AUDIO` (via the
/// expo-camera plugin)".
pub(crate) fn requested_by(r: &Request) -> String {
    match &r.via {
        Some(via) => format!("{} (via {via})", quoted(&r.subject)),
        None => quoted(&r.subject),
    }
}

pub(crate) fn quoted(subject: &str) -> String {
    format!("`{}`", short_subject(subject))
}

/// A statement as evidence.
pub(crate) fn evidence(s: &Statement) -> Evidence {
    evidence_of(&s.location, &s.text)
}

/// A sentence at a location as evidence.
pub(crate) fn evidence_of(at: &Location, text: &str) -> Evidence {
    Evidence { path: at.path.clone(), line: at.line, text: text.to_string() }
}

/// Where a finding about the new policy as a whole points: its date line, else its first
/// line. `None` when the new version has no policy.
pub(crate) fn anchor(cx: &Comparison) -> Option<Location> {
    let heads = &cx.new.heads;
    heads
        .iter()
        .find_map(|h| h.date.as_ref().map(|d| d.location.clone()))
        .or_else(|| heads.first().map(|h| h.first.clone()))
}

/// `path:line "sentence"`, shortened for one line of output.
pub(crate) fn cite(s: &Statement) -> String {
    cite_at(&s.location, &s.text)
}

/// `path:line "text"` for any sentence, shortened for one line of output.
pub(crate) fn cite_at(at: &Location, text: &str) -> String {
    format!("{}:{} \"{}\"", at.path, at.line, shorten(text, 140))
}

/// Cuts text to `max` characters at a word boundary, with an ellipsis.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// A draft pointing at the first of `requests`, listing the others as related places.
pub(crate) fn at_requests(cx: &Comparison, state: &CategoryState, requests: &[&Request]) -> Draft {
    let t = cx.taxonomy;
    let first = requests.first().expect("a category state with requests");
    let related = requests[1..]
        .iter()
        .map(|r| Related { label: format!("also requested by {}", requested_by(r)), location: r.location.clone() })
        .collect();
    let cat = t.category(state.category);
    Draft {
        category: Some(state.category),
        subject: first.subject.clone(),
        primary: first.location.clone(),
        related,
        policy: None,
        evidence: Vec::new(),
        args: vec![
            ("subject", requested_by(first)),
            ("category", cat.id.clone()),
            ("category_label", cat.label.clone()),
            ("policy", policy_names(cx)),
        ],
        variant: None,
    }
}

/// What the new policy says nearby when it does not disclose a category: a disclosure of a
/// sibling granularity ("only approximate location"), else silence.
pub(crate) fn silence(cx: &Comparison, c: CategoryId) -> (String, Vec<Evidence>) {
    let t = cx.taxonomy;
    let parent = t.category(c).parent;
    let sibling =
        cx.new.disclosures().find(|s| s.category != c && parent.is_some() && t.category(s.category).parent == parent);
    // A denial that the request does not contradict (the app only writes): quote it, it is
    // what a reader of the policy sees about this data.
    let denial = cx.state(c).and_then(|s| s.new_denial);
    match (sibling, denial) {
        (Some(s), _) => (
            format!("{} discloses only {}: {}", s.location.path, t.category(s.category).label, cite(s)),
            vec![evidence(s)],
        ),
        (None, Some(d)) => (
            format!(
                "{} says only what the app does not collect of {}: {}",
                d.location.path,
                t.category(c).label,
                cite(d)
            ),
            vec![evidence(d)],
        ),
        (None, None) => {
            (format!("{} has no sentence that discloses {}", policy_names(cx), t.category(c).label), Vec::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_words() {
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
