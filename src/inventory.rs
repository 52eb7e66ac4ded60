//! Classification: one version's manifests and policies turned into an [`Inventory`] of
//! requests (manifest entries mapped to categories), disclosures and denials.
//!
//! In: parsed manifests and policies, the taxonomy, and configured permission mappings.
//! Out: the inventory, in a deterministic order. Removals (`tools:node="remove"`) apply to
//! the whole version, as they do in Android's merged manifest.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};

use crate::manifest::{EntryKind, Kind, Manifest};
use crate::policy::{DateLine, Polarity, Policy, PracticeStatement, Statement, Via};
use crate::source::Location;
use crate::taxonomy::{Access, CategoryId, Grant, Taxonomy, ANDROID_PREFIX};

/// A manifest entry that gives the app access to one category.
#[derive(Debug, Clone)]
pub struct Request {
    /// The category.
    pub category: CategoryId,
    /// The permission, key or type, as written.
    pub subject: String,
    /// The entry kind.
    pub kind: EntryKind,
    /// The manifest format.
    pub manifest: Kind,
    /// The access it grants within the category.
    pub access: Access,
    /// Where it is.
    pub location: Location,
}

/// An Apple usage key and its purpose string, for `missing-purpose-string`.
#[derive(Debug, Clone)]
pub struct UsageKey {
    /// The key.
    pub key: String,
    /// The purpose string (`None` when the value is not a string).
    pub purpose: Option<String>,
    /// Where the key is.
    pub location: Location,
}

/// A manifest entry the taxonomy does not know.
#[derive(Debug, Clone)]
pub struct Unknown {
    /// The entry, as written.
    pub subject: String,
    /// A known name it is probably a misspelling of.
    pub suggestion: Option<String>,
    /// Where it is.
    pub location: Location,
}

/// Everything one version says.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Manifest paths and kinds, sorted.
    pub manifests: Vec<(String, Kind)>,
    /// Policy paths, sorted.
    pub policies: Vec<String>,
    /// Requests, sorted by location then category.
    pub requests: Vec<Request>,
    /// Apple usage keys with purpose strings.
    pub usage_keys: Vec<UsageKey>,
    /// Unknown entries.
    pub unknown: Vec<Unknown>,
    /// Disclosures and denials, by policy then document order.
    pub statements: Vec<Statement>,
    /// Practices and controls stated or denied, by policy then document order.
    pub practices: Vec<PracticeStatement>,
    /// Each policy's date line and first line, in policy order.
    pub heads: Vec<PolicyHead>,
    /// The change-log file configured under `notice.changelog`, when this version has it.
    pub notice_log: Option<NoticeLog>,
}

/// A change-log file kept beside the policy (`notice.changelog`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeLog {
    /// Its path.
    pub path: String,
    /// Its non-empty lines, trimmed: an entry is new when its line is.
    pub entries: std::collections::BTreeSet<String>,
}

impl NoticeLog {
    /// Reads a change log's text.
    pub fn new(path: &str, text: &str) -> NoticeLog {
        NoticeLog {
            path: path.to_string(),
            entries: text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
        }
    }
}

/// Where a policy starts and what its date line says.
#[derive(Debug, Clone)]
pub struct PolicyHead {
    /// The policy's "last updated" / "effective" line.
    pub date: Option<DateLine>,
    /// Its first line, for findings about the policy as a whole.
    pub first: Location,
    /// The entries of its own change log.
    pub changelog: Vec<String>,
}

impl Inventory {
    /// The disclosures.
    pub fn disclosures(&self) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(|s| s.polarity == Polarity::Disclosure)
    }

    /// The best statement of `polarity` that covers category `c`: a sentence with its own
    /// verb, then an annotation, then a sentence that inherits context from its heading or
    /// list intro; document order within each.
    pub fn best(&self, t: &Taxonomy, c: CategoryId, polarity: Polarity) -> Option<&Statement> {
        let rank = |s: &Statement| match s.via {
            Via::Wording => 0,
            Via::Annotation => 1,
            Via::Context => 2,
        };
        self.statements.iter().filter(|s| s.polarity == polarity && t.covers(s.category, c)).min_by_key(|s| rank(s))
    }

    /// The first statement of practice `i` with this polarity.
    pub fn practice(&self, i: usize, polarity: Polarity) -> Option<&PracticeStatement> {
        self.practices.iter().find(|p| p.practice == i && p.polarity == polarity)
    }

    /// Every category requested.
    pub fn requested(&self) -> BTreeSet<CategoryId> {
        self.requests.iter().map(|r| r.category).collect()
    }
}

/// Permission mappings from configuration: permission name -> categories.
pub type Extra = BTreeMap<String, Vec<CategoryId>>;

/// Classifies one version.
pub fn classify(manifests: &[Manifest], policies: &[Policy], t: &Taxonomy, extra: &Extra) -> Inventory {
    let removed: BTreeSet<&str> = manifests
        .iter()
        .flat_map(|m| &m.entries)
        .filter(|e| e.kind == EntryKind::AndroidRemoval)
        .map(|e| e.subject.as_str())
        .collect();
    let defined: BTreeSet<&str> = manifests.iter().flat_map(|m| m.defines.iter().map(String::as_str)).collect();
    let mut inv = Inventory {
        manifests: manifests.iter().map(|m| (m.path.clone(), m.kind)).collect(),
        policies: policies.iter().map(|p| p.source.path.clone()).collect(),
        ..Inventory::default()
    };
    let tracking = t.id("identifiers.advertising");
    for m in manifests {
        for e in &m.entries {
            let configured = extra.get(&e.subject).map(|cats| Grant {
                categories: cats.clone(),
                access: Access::READ,
                ..Grant::default()
            });
            let grant: Option<&Grant> = match e.kind {
                EntryKind::AndroidRemoval => continue,
                EntryKind::AndroidPermission if removed.contains(e.subject.as_str()) => continue,
                _ if configured.is_some() => configured.as_ref(),
                EntryKind::AndroidPermission => t.android(&e.subject),
                EntryKind::PlistKey => t.apple.usage_keys.get(&e.subject),
                EntryKind::BackgroundMode => t.apple.background_modes.get(&e.subject),
                EntryKind::CollectedDataType => t.apple.data_types.get(&e.subject),
                EntryKind::Tracking => {
                    inv.requests.extend(tracking.map(|c| request(c, Access::READ, m, e)));
                    continue;
                }
            };
            let Some(grant) = grant else {
                if let Some(u) = unknown(t, e, &defined) {
                    inv.unknown.push(u);
                }
                continue;
            };
            if e.kind == EntryKind::PlistKey && grant.purpose_string {
                inv.usage_keys.push(UsageKey {
                    key: e.subject.clone(),
                    purpose: e.purpose.clone(),
                    location: e.location.clone(),
                });
            }
            for &c in &grant.categories {
                let c = if grant.reducible && m.reduced_accuracy { reduce(t, c) } else { c };
                inv.requests.push(request(c, grant.access, m, e));
            }
        }
    }
    inv.requests.sort_by(|a, b| (&a.location, a.category, &a.subject).cmp(&(&b.location, b.category, &b.subject)));
    inv.requests.dedup_by(|a, b| a.location == b.location && a.category == b.category && a.subject == b.subject);
    inv.manifests.sort();
    inv.policies.sort();
    inv.statements = policies.iter().flat_map(|p| p.statements.iter().cloned()).collect();
    inv.practices = policies.iter().flat_map(|p| p.practices.iter().cloned()).collect();
    inv.heads = policies
        .iter()
        .map(|p| {
            let end = p.source.text.find('\n').unwrap_or(p.source.text.len());
            PolicyHead { date: p.date.clone(), first: p.source.location(0, end), changelog: p.changelog.clone() }
        })
        .collect();
    inv
}

fn request(category: CategoryId, access: Access, m: &Manifest, e: &crate::manifest::Entry) -> Request {
    Request {
        category,
        subject: e.subject.clone(),
        kind: e.kind,
        manifest: m.kind,
        access,
        location: e.location.clone(),
    }
}

/// `NSLocationDefaultAccuracyReduced`: precise location keys grant approximate location.
fn reduce(t: &Taxonomy, c: CategoryId) -> CategoryId {
    match (t.id("location.precise"), t.id("location.approximate")) {
        (Some(p), Some(a)) if p == c => a,
        _ => c,
    }
}

/// An entry the taxonomy does not know, if it is one that should be known.
fn unknown(t: &Taxonomy, e: &crate::manifest::Entry, defined: &BTreeSet<&str>) -> Option<Unknown> {
    let (candidates, shown): (Vec<&str>, &str) = match e.kind {
        EntryKind::AndroidPermission => {
            if defined.contains(e.subject.as_str()) {
                return None; // The app's own permission, declared with <permission>.
            }
            (t.android.keys().map(String::as_str).collect(), e.subject.as_str())
        }
        EntryKind::PlistKey if e.subject.ends_with("UsageDescription") => {
            (t.apple.usage_keys.keys().map(String::as_str).collect(), &e.subject)
        }
        EntryKind::BackgroundMode => (t.apple.background_modes.keys().map(String::as_str).collect(), &e.subject),
        EntryKind::CollectedDataType => (t.apple.data_types.keys().map(String::as_str).collect(), &e.subject),
        _ => return None,
    };
    let suggestion = if e.kind == EntryKind::AndroidPermission {
        // Compare short names, so `READ_CONTACT` finds `READ_CONTACTS` whatever the prefix.
        let short = shown.rsplit('.').next().unwrap_or(shown);
        let same_prefix: Vec<&str> = candidates
            .iter()
            .copied()
            .filter(|c| c.rsplit_once('.').map(|x| x.0) == shown.rsplit_once('.').map(|x| x.0))
            .collect();
        crate::suggest::nearest(short, same_prefix.iter().map(|c| c.rsplit('.').next().unwrap_or(c)))
            .and_then(|s| same_prefix.iter().find(|c| c.ends_with(&format!(".{s}"))).map(|c| c.to_string()))
    } else {
        crate::suggest::nearest(shown, candidates).map(str::to_string)
    };
    Some(Unknown { subject: e.subject.clone(), suggestion, location: e.location.clone() })
}

/// The short form of a subject for messages: `RECORD_AUDIO` for `android.permission.RECORD_AUDIO`.
pub fn short_subject(subject: &str) -> &str {
    subject.strip_prefix(ANDROID_PREFIX).unwrap_or(subject)
}
