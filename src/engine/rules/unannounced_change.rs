//! `unannounced-change`: what the policy tells users changed (categories disclosed or denied,
//! practices, controls) but its "last updated" / "effective" date did not, or it has none.
//! disclose has no clock: it compares the date line of the two versions, never with today.

use std::collections::BTreeSet;

use super::{anchor, policy_names, Draft};
use crate::engine::compare::Comparison;
use crate::engine::inventory::Inventory;
use crate::model::settings::DateRule;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    if !cx.policy_changed || cx.old.policies.is_empty() || cx.new.policies.is_empty() {
        return Vec::new();
    }
    // What changed for users is the same reading `disclose diff` shows (src/engine/diff/meaning.rs),
    // so the warning and the diff's summary never disagree.
    let meaning = crate::engine::diff::meaning(cx.taxonomy, cx.old, cx.new);
    if meaning.is_empty() {
        return Vec::new();
    }
    // A new entry in the policy's own change log, or in the change-log file configured under
    // `notice.changelog`, announces the change as a new date does.
    let log =
        |inv: &Inventory| inv.heads.iter().flat_map(|h| h.changelog.iter().cloned()).collect::<BTreeSet<String>>();
    let (old_log, new_log) = (log(cx.old), log(cx.new));
    if new_log.difference(&old_log).next().is_some() {
        return Vec::new();
    }
    let configured = cx.notice.changelog.as_deref();
    let file = |inv: &Inventory| inv.notice_log.as_ref().map(|l| l.entries.clone()).unwrap_or_default();
    if configured.is_some() && file(cx.new).difference(&file(cx.old)).next().is_some() {
        return Vec::new();
    }
    let date = |inv: &Inventory| inv.heads.iter().find_map(|h| h.date.as_ref()).map(|d| d.date.clone());
    let (old_date, new_date) = (date(cx.old), date(cx.new));
    let date_required = cx.notice.date == DateRule::Required;
    if date_required && new_date.is_some() && old_date != new_date {
        return Vec::new();
    }
    // What failed to announce it: the date (when required) and every change log there is.
    let mut missing: Vec<String> = Vec::new();
    let has_log = !new_log.is_empty() || configured.is_some();
    if date_required {
        match (&new_date, has_log) {
            (Some(n), _) => missing.push(format!("its date still reads \"{n}\"")),
            (None, false) => missing.push("it has no \"last updated\" or \"effective\" date".to_string()),
            (None, true) => {} // a policy that keeps a change log needs no date line
        }
    }
    if !new_log.is_empty() {
        missing.push("its change log has no new entry".to_string());
    }
    match (configured, &cx.new.notice_log) {
        (Some(p), Some(_)) => missing.push(format!("{p} has no new entry")),
        (Some(p), None) => missing.push(format!("the change log {p} does not exist")),
        (None, _) => {}
    }
    if missing.is_empty() {
        return Vec::new(); // `notice.date: optional` and no change log: nothing is required
    }
    let stale = match missing.as_slice() {
        [only] if only.starts_with("it has no") => format!("{only} and no change log"),
        _ => missing.join(" and "),
    };
    let changes: Vec<String> = meaning.changes.iter().map(|c| c.tag()).collect();
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
        policy: Some(format!("what changed for users: {summary}")),
        evidence: Vec::new(),
        args: vec![("policy", policy_names(cx)), ("stale", stale)],
        variant: None,
    }]
}
