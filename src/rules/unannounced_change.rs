//! `unannounced-change`: what the policy tells users changed (categories disclosed or denied,
//! practices, controls) but its "last updated" / "effective" date did not, or it has none.
//! disclose has no clock: it compares the date line of the two versions, never with today.

use std::collections::BTreeSet;

use super::{anchor, policy_names, Draft};
use crate::compare::Comparison;
use crate::inventory::Inventory;
use crate::policy::Polarity;

/// What a version's policy tells users, as comparable labels.
fn claims(cx: &Comparison, inv: &Inventory) -> BTreeSet<String> {
    let t = cx.taxonomy;
    let mut out = BTreeSet::new();
    for s in &inv.statements {
        let verb = if s.polarity == Polarity::Disclosure { "discloses" } else { "denies" };
        out.insert(format!("{verb} {}", t.category(s.category).label));
    }
    for p in inv.practices.iter().filter(|p| p.polarity == Polarity::Disclosure) {
        out.insert(format!("states {}", t.practices[p.practice].label));
    }
    out
}

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    if !cx.policy_changed || cx.old.policies.is_empty() || cx.new.policies.is_empty() {
        return Vec::new();
    }
    let (old, new) = (claims(cx, cx.old), claims(cx, cx.new));
    if old == new {
        return Vec::new();
    }
    // A new entry in the policy's own change log announces the change as a new date does.
    let log =
        |inv: &Inventory| inv.heads.iter().flat_map(|h| h.changelog.iter().cloned()).collect::<BTreeSet<String>>();
    let (old_log, new_log) = (log(cx.old), log(cx.new));
    if new_log.difference(&old_log).next().is_some() {
        return Vec::new();
    }
    let date = |inv: &Inventory| inv.heads.iter().find_map(|h| h.date.as_ref()).map(|d| d.date.clone());
    let (old_date, new_date) = (date(cx.old), date(cx.new));
    let stale = match (&old_date, &new_date) {
        (_, None) if !new_log.is_empty() => "its change log has no new entry".to_string(),
        (_, None) => "it has no \"last updated\" or \"effective\" date and no change log".to_string(),
        (Some(o), Some(n)) if o == n && new_log.is_empty() => format!("its date still reads \"{n}\""),
        (Some(o), Some(n)) if o == n => format!("its date still reads \"{n}\" and its change log has no new entry"),
        _ => return Vec::new(),
    };
    let mut changes: Vec<String> = new.difference(&old).map(|c| format!("now {c}")).collect();
    changes.extend(old.difference(&new).map(|c| format!("no longer {c}")));
    let shown = changes.len().min(3);
    let mut summary = changes[..shown].join("; ");
    if changes.len() > shown {
        summary.push_str(&format!("; and {} more", changes.len() - shown));
    }
    let Some(at) = anchor(cx) else { return Vec::new() };
    vec![Draft {
        category: None,
        subject: "date".into(),
        primary: at,
        related: Vec::new(),
        policy: Some(format!("the policy {summary}")),
        evidence: Vec::new(),
        args: vec![("policy", policy_names(cx)), ("stale", stale)],
    }]
}
