//! Classification: one version's manifests and policies turned into an [`Inventory`] of
//! requests (manifest entries mapped to categories), disclosures and denials.
//!
//! In: parsed manifests and policies, the taxonomy, and configured permission mappings.
//! Out: the inventory, in a deterministic order. Removals (`tools:node="remove"`) apply to
//! the whole version, as they do in Android's merged manifest.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};

use crate::model::source::Location;
use crate::model::unread::Unread;
use crate::read::manifest::{Entry, EntryKind, Kind, Manifest, OptionValue, Platform, Skipped};
use crate::read::policy::{DateLine, Polarity, Policy, PracticeStatement, Statement};
use crate::taxonomy::{android_name, Access, CategoryId, Grant, Taxonomy, ANDROID_PREFIX};

/// A manifest entry that gives the app access to one category.
#[derive(Debug, Clone)]
pub struct Request {
    /// The category.
    pub category: CategoryId,
    /// The permission, key or type, as written.
    pub subject: String,
    /// The entry kind.
    pub kind: EntryKind,
    /// The access it grants within the category.
    pub access: Access,
    /// Where it is.
    pub location: Location,
    /// How it arrived, when that is worth saying: `the expo-camera plugin`,
    /// `optional_permissions`, `build variant `free``.
    pub via: Option<String>,
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

/// The best of `statements` (given in document order): the first of the lowest
/// [`Statement::rank`]. [`Inventory::best`] and `disclose scan` pick with it, so they agree.
pub fn best_of<'a>(statements: impl IntoIterator<Item = &'a Statement>) -> Option<&'a Statement> {
    // `min_by_key` keeps the first of equal keys: document order breaks ties.
    statements.into_iter().min_by_key(|s| s.rank())
}

/// The best statement of each stated category and polarity, and the access each category's
/// disclosures support: [`Inventory::best_index`].
pub struct BestIndex<'a> {
    /// (category, is a disclosure, (rank, document index, statement)).
    winners: Vec<(CategoryId, bool, (u8, usize, &'a Statement))>,
    disclosed_access: BTreeMap<CategoryId, Access>,
}

impl<'a> BestIndex<'a> {
    /// The same statement as [`Inventory::best`].
    pub fn best(&self, t: &Taxonomy, c: CategoryId, polarity: Polarity) -> Option<&'a Statement> {
        let disclosure = polarity == Polarity::Disclosure;
        self.winners
            .iter()
            .filter(|(s, d, _)| *d == disclosure && t.covers(*s, c))
            .min_by_key(|(_, _, (rank, i, _))| (*rank, *i))
            .map(|(_, _, (_, _, s))| *s)
    }

    /// The access every disclosure covering `c` supports, together.
    pub fn disclosed_access(&self, t: &Taxonomy, c: CategoryId) -> Access {
        self.disclosed_access.iter().filter(|(&s, _)| t.covers(s, c)).fold(Access::default(), |a, (_, b)| a.union(*b))
    }
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
    /// Requests that depend on something `disclose` cannot see (an Expo plugin's version),
    /// with the reason: reported as notes, never counted as requests.
    pub possible: Vec<(Request, String)>,
    /// Files that looked like manifests and were not analysed, with the reason (and the
    /// entries not read at all, from `unread`).
    pub skipped: Vec<(String, Skipped)>,
    /// Entries named like a manifest or policy (or folders that may hold them) that are there
    /// and not read: links that are not followed, pipes, devices, submodules.
    pub unread: Vec<Unread>,
    /// Privacy labels: where a manifest declares what the app collects.
    pub labels: Vec<Label>,
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

/// A privacy label a manifest holds.
#[derive(Debug, Clone)]
pub struct Label {
    /// The platform whose requests it must declare.
    pub platform: Platform,
    /// The manifest that holds it.
    pub path: String,
    /// Where the declaration is.
    pub at: Location,
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
        best_of(self.statements.iter().filter(|s| s.polarity == polarity && t.covers(s.category, c)))
    }

    /// [`best`](Self::best) for many categories: one pass over the statements, then each
    /// question looks at one winner per stated category (a few dozen) instead of every
    /// statement of a monorepo's policies.
    pub fn best_index(&self) -> BestIndex<'_> {
        let mut winners: BTreeMap<(CategoryId, bool), (u8, usize, &Statement)> = BTreeMap::new();
        let mut disclosed_access: BTreeMap<CategoryId, Access> = BTreeMap::new();
        for (i, s) in self.statements.iter().enumerate() {
            let key = (s.category, s.polarity == Polarity::Disclosure);
            // The first statement of the lowest rank in document order, as `best` picks it.
            let entry = winners.entry(key).or_insert((s.rank(), i, s));
            if s.rank() < entry.0 {
                *entry = (s.rank(), i, s);
            }
            if s.polarity == Polarity::Disclosure {
                let a = disclosed_access.entry(s.category).or_default();
                *a = a.union(s.access);
            }
        }
        BestIndex { winners: winners.into_iter().map(|((c, d), w)| (c, d, w)).collect(), disclosed_access }
    }

    /// The first statement of practice `i` with this polarity.
    pub fn practice(&self, i: usize, polarity: Polarity) -> Option<&PracticeStatement> {
        self.practices.iter().find(|p| p.practice == i && p.polarity == polarity)
    }

    /// Every category requested.
    pub fn requested(&self) -> BTreeSet<CategoryId> {
        self.requests.iter().map(|r| r.category).collect()
    }

    /// Adds the categories of `collects:` as requests: declared collection needs disclosing
    /// like a permission does.
    pub fn add_declared(&mut self, declared: &[Declared]) {
        for d in declared {
            self.requests.push(Request {
                category: d.category,
                subject: format!("collects: {}", d.id),
                kind: EntryKind::Declared,
                access: Access::READ,
                location: d.location.clone(),
                via: None,
            });
        }
    }

    /// Adds entries that are there and not read: listed as `unread` (for the rules) and as
    /// `skipped` with the reason (for the reports).
    pub fn add_unread(&mut self, unread: &[Unread]) {
        for u in unread {
            if self.unread.contains(u) {
                continue;
            }
            self.unread.push(u.clone());
            let reason = format!("{}, so disclose does not read it", u.what);
            self.skipped.push((u.path.clone(), Skipped { reason, always: false }));
        }
    }

    /// One inventory of several apps' inventories, for reports: entries in app order, each
    /// policy's statements once however many apps it covers.
    pub fn merge(parts: Vec<Inventory>) -> Inventory {
        let mut parts = parts.into_iter();
        let Some(mut out) = parts.next() else { return Inventory::default() };
        for p in parts {
            let new_policy = |path: &str, out: &Inventory| !out.policies.iter().any(|q| q == path);
            out.statements.extend(
                p.statements.iter().filter(|s| new_policy(&s.location.path, &out)).cloned().collect::<Vec<_>>(),
            );
            out.practices
                .extend(p.practices.iter().filter(|s| new_policy(&s.location.path, &out)).cloned().collect::<Vec<_>>());
            for head in p.heads {
                if new_policy(&head.first.path, &out) {
                    out.heads.push(head);
                }
            }
            for path in p.policies {
                if new_policy(&path, &out) {
                    out.policies.push(path);
                }
            }
            out.manifests.extend(p.manifests);
            out.requests.extend(p.requests);
            out.possible.extend(p.possible);
            out.usage_keys.extend(p.usage_keys);
            out.unknown.extend(p.unknown);
            for s in p.skipped {
                if !out.skipped.contains(&s) {
                    out.skipped.push(s);
                }
            }
            for u in p.unread {
                if !out.unread.contains(&u) {
                    out.unread.push(u);
                }
            }
            out.labels.extend(p.labels);
        }
        out.manifests.sort();
        out.manifests.dedup();
        out
    }
}

pub use crate::model::settings::Extra;

/// A category declared under `collects:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The category.
    pub category: CategoryId,
    /// Its id, as written.
    pub id: String,
    /// The app it belongs to (`None`: the top-level list).
    pub app: Option<String>,
    /// Where it is declared.
    pub location: Location,
}

/// Classifies one version.
/// Borrows what it reads, so one parsed version can be classified app by app without copies.
pub fn classify(manifests: &[&Manifest], policies: &[&Policy], t: &Taxonomy, extra: &Extra) -> Inventory {
    let mut inv = Inventory {
        manifests: manifests.iter().map(|m| (m.path.clone(), m.kind)).collect(),
        policies: policies.iter().map(|p| p.source.path.clone()).collect(),
        skipped: manifests.iter().filter_map(|m| m.skipped.as_ref().map(|s| (m.path.clone(), s.clone()))).collect(),
        labels: manifests
            .iter()
            .filter_map(|m| {
                let platform = if m.kind == Kind::Extension { Platform::Extension } else { Platform::Apple };
                m.label.as_ref().map(|at| Label { platform, path: m.path.clone(), at: at.clone() })
            })
            .collect(),
        ..Inventory::default()
    };
    // Expo plugins become the native entries they add, so that removals, purpose strings and
    // unknown names work on them as on entries written out.
    let expanded: Vec<(&Manifest, Vec<Entry>)> = manifests.iter().map(|&m| (m, expand(m, t))).collect();
    let removals: Vec<(&str, Option<&str>)> = expanded
        .iter()
        .flat_map(|(m, es)| {
            es.iter().filter(|e| e.kind == EntryKind::AndroidRemoval).map(|e| (e.subject.as_str(), m.variant()))
        })
        .collect();
    // A removal in `main`, a library or an Expo config removes the permission everywhere; one in
    // a build variant's manifest only from that variant (the others still request it).
    let removed = |m: &Manifest, subject: &str| {
        removals.iter().any(|&(s, variant)| s == subject && (variant.is_none() || variant == m.variant()))
    };
    let defined: BTreeSet<&str> = manifests.iter().flat_map(|m| m.defines.iter().map(String::as_str)).collect();
    let tracking = t.id("identifiers.advertising");
    for (m, entries) in &expanded {
        for e in entries {
            let configured = extra.get(&e.subject).map(|cats| Grant {
                categories: cats.clone(),
                access: Access::READ,
                ..Grant::default()
            });
            let grant: Option<&Grant> = match e.kind {
                EntryKind::AndroidRemoval | EntryKind::Plugin | EntryKind::Declared => continue,
                EntryKind::AndroidPermission if removed(m, &e.subject) => continue,
                _ if configured.is_some() => configured.as_ref(),
                EntryKind::AndroidPermission => t.android(&e.subject),
                EntryKind::PlistKey => t.apple.usage_keys.get(&e.subject),
                EntryKind::BackgroundMode => t.apple.background_modes.get(&e.subject),
                EntryKind::CollectedDataType => t.apple.data_types.get(&e.subject),
                EntryKind::Entitlement => t.apple.entitlements.get(&e.subject),
                EntryKind::ExtensionPermission => t.extension.permissions.get(&e.subject),
                EntryKind::HostPattern if crate::read::manifest::extension::is_all_sites(&e.subject) => {
                    Some(&t.extension.all_sites)
                }
                EntryKind::HostPattern => Some(&t.extension.some_sites),
                EntryKind::DataCollection => t.extension.data_collection.get(&e.subject),
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
            if e.kind == EntryKind::PlistKey && grant.purpose_string && e.possible.is_none() {
                // A plugin's key without a purpose option gets the plugin's default string.
                if e.via.is_none() || e.purpose.is_some() {
                    inv.usage_keys.push(UsageKey {
                        key: e.subject.clone(),
                        purpose: e.purpose.clone(),
                        location: e.location.clone(),
                    });
                }
            }
            for &c in &grant.categories {
                let c = if grant.reducible && m.reduced_accuracy { reduce(t, c) } else { c };
                let r = request(c, grant.access, m, e);
                match &e.possible {
                    Some(why) => inv.possible.push((r, why.clone())),
                    None => inv.requests.push(r),
                }
            }
        }
    }
    let key = |r: &Request| (r.location.clone(), r.category, r.subject.clone());
    inv.requests.sort_by_key(key);
    inv.requests.dedup_by(|a, b| a.location == b.location && a.category == b.category && a.subject == b.subject);
    inv.possible.sort_by_key(|(r, _)| key(r));
    inv.possible.dedup_by(|a, b| key(&a.0) == key(&b.0));
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

/// A manifest's entries with each Expo plugin replaced by what it adds (per
/// `policies/permissions/expo.yaml` and the plugin's options). Unknown plugins add nothing:
/// most plugins touch no personal data, and naming every one would be noise.
fn expand(m: &Manifest, t: &Taxonomy) -> Vec<Entry> {
    let mut out = Vec::with_capacity(m.entries.len());
    for e in &m.entries {
        if e.kind != EntryKind::Plugin {
            out.push(e.clone());
            continue;
        }
        let Some(plugin) = t.expo.get(&e.subject) else { continue };
        for i in &plugin.implies {
            let option = i.option.as_deref().and_then(|o| e.options.iter().find(|(k, _)| k == o)).map(|(_, v)| v);
            let applies = match (i.when, option) {
                (Some(want), Some(OptionValue::Bool(b))) => *b == want,
                (Some(_), _) => false,
                (None, Some(OptionValue::Bool(false))) => false,
                (None, _) => true,
            };
            if !applies {
                continue;
            }
            let (subject, kind) = match (&i.ios, &i.android, &i.ios_background_mode) {
                (Some(key), _, _) => (key.clone(), EntryKind::PlistKey),
                (None, Some(p), _) => (android_name(p), EntryKind::AndroidPermission),
                (None, None, Some(mode)) => (mode.clone(), EntryKind::BackgroundMode),
                (None, None, None) => continue,
            };
            // An option the app sets says the plugin adds the entry: what was only possible
            // by default (it depends on the plugin version) is then certain.
            let explicit = matches!(option, Some(OptionValue::Text(_) | OptionValue::Bool(true)));
            out.push(Entry {
                purpose: match option {
                    Some(OptionValue::Text(s)) => Some(s.clone()),
                    _ => None,
                },
                via: Some(format!("the {} plugin", e.subject)),
                possible: if explicit { None } else { i.possible.clone() },
                ..Entry::new(subject, kind, e.location.clone())
            });
        }
    }
    out
}

fn request(category: CategoryId, access: Access, m: &Manifest, e: &Entry) -> Request {
    let via = match (&e.via, m.variant()) {
        (Some(v), _) => Some(v.clone()),
        (None, Some(variant)) => Some(format!("build variant `{variant}`")),
        (None, None) => None,
    };
    Request { category, subject: e.subject.clone(), kind: e.kind, access, location: e.location.clone(), via }
}

/// `NSLocationDefaultAccuracyReduced`: precise location keys grant approximate location.
fn reduce(t: &Taxonomy, c: CategoryId) -> CategoryId {
    match (t.id("location.precise"), t.id("location.approximate")) {
        (Some(p), Some(a)) if p == c => a,
        _ => c,
    }
}

/// Entitlement families that expose personal data: an unknown one among them is reported.
const PRIVACY_ENTITLEMENTS: &[&str] = &[
    "com.apple.security.personal-information.",
    "com.apple.security.device.",
    "com.apple.developer.healthkit",
    "com.apple.developer.homekit",
    "com.apple.developer.contacts",
];

/// An entry the taxonomy does not know, if it is one that should be known.
fn unknown(t: &Taxonomy, e: &Entry, defined: &BTreeSet<&str>) -> Option<Unknown> {
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
        EntryKind::ExtensionPermission => (t.extension.permissions.keys().map(String::as_str).collect(), &e.subject),
        EntryKind::DataCollection => (t.extension.data_collection.keys().map(String::as_str).collect(), &e.subject),
        // Hundreds of entitlements carry no personal data; only the privacy families are
        // worth a note when unknown.
        EntryKind::Entitlement if PRIVACY_ENTITLEMENTS.iter().any(|p| e.subject.starts_with(p)) => {
            (t.apple.entitlements.keys().map(String::as_str).collect(), &e.subject)
        }
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
        crate::model::suggest::nearest(short, same_prefix.iter().map(|c| c.rsplit('.').next().unwrap_or(c)))
            .and_then(|s| same_prefix.iter().find(|c| c.ends_with(&format!(".{s}"))).map(|c| c.to_string()))
    } else {
        crate::model::suggest::nearest(shown, candidates).map(str::to_string)
    };
    Some(Unknown { subject: e.subject.clone(), suggestion, location: e.location.clone() })
}

/// The short form of a subject for messages: `RECORD_AUDIO` for `android.permission.RECORD_AUDIO`.
pub fn short_subject(subject: &str) -> &str {
    subject.strip_prefix(ANDROID_PREFIX).unwrap_or(subject)
}
