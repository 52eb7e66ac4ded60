//! `label-mismatch`: a privacy label (an Apple privacy manifest, Expo `ios.privacyManifests`,
//! Firefox `data_collection_permissions`) that omits a category the same app's requests
//! imply; and, as a note, a label that declares a permission-gated category no request of
//! that platform gives the app.
//!
//! A label says what data leaves the device; a permission says what the app can read. A
//! camera app that never uploads a photo declares nothing, so only mismatches this change
//! introduces are reported (a new request, a label that dropped a type, a new label), and
//! the help says how to acknowledge a reviewed one.

use std::collections::{BTreeMap, BTreeSet};

use super::{quoted, requested_by, Draft};
use crate::engine::compare::Comparison;
use crate::engine::inventory::{Inventory, Label, Request};
use crate::model::finding::Related;
use crate::read::manifest::Platform;
use crate::taxonomy::{CategoryId, Taxonomy};

/// One mismatch: a request the label omits, or a declaration no request backs.
struct Mismatch<'a> {
    declared_only: bool,
    category: CategoryId,
    /// The request (or, for `declared_only`, the declaration).
    at: &'a Request,
    label: &'a Label,
}

impl Mismatch<'_> {
    /// What makes two versions' mismatches the same one: an Apple app has one label set, an
    /// extension one label per manifest.
    fn key(&self) -> (bool, CategoryId, Platform, String) {
        let scope = if self.label.platform == Platform::Extension { self.label.path.clone() } else { String::new() };
        (self.declared_only, self.category, self.label.platform, scope)
    }
}

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    let t = cx.taxonomy;
    let old: BTreeSet<_> = mismatches(t, cx.old).iter().map(Mismatch::key).collect();
    let mut out = Vec::new();
    for m in mismatches(t, cx.new) {
        if old.contains(&m.key()) {
            continue;
        }
        let cat = t.category(m.category);
        let label_name = match m.label.platform {
            Platform::Extension => format!("the data_collection_permissions of {}", m.label.path),
            _ => format!("the privacy manifest {}", m.label.path),
        };
        let mut args = vec![
            ("category", cat.id.clone()),
            ("category_label", cat.label.clone()),
            ("label", label_name),
            ("platform", m.label.platform.name().to_string()),
        ];
        let (primary, related) = if m.declared_only {
            args.push(("subject", quoted(&m.at.subject)));
            (m.at.location.clone(), Vec::new())
        } else {
            args.push(("subject", requested_by(m.at)));
            let related = Related { label: "the label that omits it".into(), location: m.label.at.clone() };
            (m.at.location.clone(), vec![related])
        };
        out.push(Draft {
            category: Some(m.category),
            subject: m.at.subject.clone(),
            primary,
            related,
            policy: None,
            evidence: Vec::new(),
            args,
            variant: m.declared_only.then_some("declared-only"),
        });
    }
    out
}

/// Every mismatch in one version: per Apple app (all its labels together) and per extension
/// manifest (its own declaration against its own permissions).
fn mismatches<'a>(t: &Taxonomy, inv: &'a Inventory) -> Vec<Mismatch<'a>> {
    let mut out = Vec::new();
    let mut labels: Vec<&Label> = inv.labels.iter().collect();
    labels.sort_by(|a, b| a.path.cmp(&b.path));
    let apple: Vec<&Label> = labels.iter().copied().filter(|l| l.platform == Platform::Apple).collect();
    if let Some(first) = apple.first() {
        let of = |r: &&Request| r.kind.platform() == Some(Platform::Apple);
        compare_group(t, inv.requests.iter().filter(of).collect(), first, Platform::Apple, &mut out);
    }
    let mut by_path: BTreeMap<&str, Vec<&Request>> = BTreeMap::new();
    for r in inv.requests.iter().filter(|r| r.kind.platform() == Some(Platform::Extension)) {
        by_path.entry(r.location.path.as_str()).or_default().push(r);
    }
    for label in labels.iter().filter(|l| l.platform == Platform::Extension) {
        let requests = by_path.get(label.path.as_str()).cloned().unwrap_or_default();
        compare_group(t, requests, label, Platform::Extension, &mut out);
    }
    out
}

fn compare_group<'a>(
    t: &Taxonomy,
    requests: Vec<&'a Request>,
    label: &'a Label,
    platform: Platform,
    out: &mut Vec<Mismatch<'a>>,
) {
    let (declared, accessed): (Vec<&Request>, Vec<&Request>) =
        requests.into_iter().partition(|r| r.kind.is_declaration());
    // Compared by category (a few dozen), not request by request: a monorepo's thousands of
    // requests against its thousands of declarations would grow with the square.
    let categories = |rs: &[&Request]| rs.iter().map(|r| r.category).collect::<BTreeSet<CategoryId>>();
    let (declared_categories, accessed_categories) = (categories(&declared), categories(&accessed));
    let mut seen = BTreeSet::new();
    for r in &accessed {
        if !seen.contains(&(false, r.category))
            && !declared_categories.iter().any(|&d| t.covers(d, r.category))
            && seen.insert((false, r.category))
        {
            out.push(Mismatch { declared_only: false, category: r.category, at: r, label });
        }
    }
    let gated = gated(t, platform);
    for d in &declared {
        if seen.contains(&(true, d.category)) {
            continue;
        }
        let backed = accessed_categories.iter().any(|&r| t.covers(d.category, r) || t.covers(r, d.category));
        // Declared `location` is gated by the precise-location key; a declared email address
        // is not gated by Sign in with Apple's `account`, so no note for it.
        let permission_gated = gated.iter().any(|&g| t.covers(d.category, g));
        if !backed && permission_gated && seen.insert((true, d.category)) {
            out.push(Mismatch { declared_only: true, category: d.category, at: d, label });
        }
    }
}

/// The categories some permission of the platform gives access to: declaring one of them
/// without the permission is worth a note; declaring an email address is not.
fn gated(t: &Taxonomy, platform: Platform) -> BTreeSet<CategoryId> {
    let grants: Vec<&crate::taxonomy::Grant> = match platform {
        Platform::Apple => t
            .apple
            .usage_keys
            .values()
            .chain(t.apple.background_modes.values())
            .chain(t.apple.entitlements.values())
            .collect(),
        Platform::Extension => {
            t.extension.permissions.values().chain([&t.extension.all_sites, &t.extension.some_sites]).collect()
        }
        Platform::Android => t.android.values().collect(),
    };
    grants.iter().flat_map(|g| g.categories.iter().copied()).collect()
}
