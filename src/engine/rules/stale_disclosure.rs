//! `stale-disclosure`: the new policy still discloses a category that the old version's
//! manifests requested and the new version's no longer do.

use std::collections::BTreeSet;

use super::{cite_at, evidence_of, policy_names, Draft};
use crate::engine::compare::Comparison;
use crate::read::policy::{Polarity, Via};

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    let t = cx.taxonomy;
    // A request whose manifest the new version has but does not read (`unread-file`) was not
    // dropped: the app may well still request it, so its disclosure is not stale.
    let unread = |path: &str| {
        cx.new
            .unread
            .iter()
            .any(|u| path == u.path || path.strip_prefix(u.path.as_str()).is_some_and(|r| r.starts_with('/')))
    };
    let old: BTreeSet<usize> =
        cx.old.requests.iter().filter(|r| !unread(&r.location.path)).map(|r| r.category).collect();
    let new = cx.new.requested();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in cx.new.statements.iter().filter(|s| s.polarity == Polarity::Disclosure && s.via != Via::Context) {
        let covered = |set: &BTreeSet<usize>| set.iter().any(|&r| t.covers(s.category, r));
        if !covered(&old) || covered(&new) || !seen.insert(s.category) {
            continue;
        }
        let cat = t.category(s.category);
        out.push(Draft {
            category: Some(s.category),
            subject: cat.id.clone(),
            primary: s.location.clone(),
            related: Vec::new(),
            policy: Some(cite_at(&s.location, &s.text)),
            evidence: vec![evidence_of(&s.location, &s.text)],
            args: vec![("category_label", cat.label.clone()), ("policy", policy_names(cx))],
            variant: None,
        });
    }
    out
}
