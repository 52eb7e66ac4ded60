//! `practice-expansion`: the new policy states a practice the old one did not (sharing, sale,
//! advertising, AI training, non-user data, retention, cross-border transfer, profiling), or a
//! privacy manifest newly declares tracking.

use super::{evidence_of, policy_names, Draft};
use crate::engine::compare::Comparison;
use crate::read::manifest::EntryKind;
use crate::read::policy::Polarity;
use crate::taxonomy::PracticeKind;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    let t = cx.taxonomy;
    let mut out = Vec::new();
    if !cx.old.policies.is_empty() {
        for (i, p) in t.practices.iter().enumerate().filter(|(_, p)| p.kind == PracticeKind::Practice) {
            let Some(new) = cx.new.practice(i, Polarity::Disclosure) else { continue };
            if cx.old.practice(i, Polarity::Disclosure).is_some() {
                continue;
            }
            let recipient = new.recipient.as_ref().map(|r| format!(" (with {r})")).unwrap_or_default();
            out.push(Draft {
                category: None,
                subject: p.id.clone(),
                primary: new.location.clone(),
                related: Vec::new(),
                policy: None, // the quoted line is the sentence
                evidence: vec![evidence_of(&new.location, &new.text)],
                args: vec![
                    ("practice", format!("{}{recipient}", p.label)),
                    ("where", new.location.path.clone()),
                    ("policy", policy_names(cx)),
                ],
                variant: None,
            });
        }
    }
    // A privacy manifest that newly says the app tracks users across apps and websites.
    let tracked_before = cx.old.requests.iter().any(|r| r.kind == EntryKind::Tracking);
    if let Some(r) = cx.new.requests.iter().find(|r| r.kind == EntryKind::Tracking).filter(|_| !tracked_before) {
        out.push(Draft {
            category: None,
            subject: r.subject.clone(),
            primary: r.location.clone(),
            related: Vec::new(),
            policy: None,
            evidence: Vec::new(),
            args: vec![
                ("practice", "tracking across apps and websites (NSPrivacyTracking)".into()),
                ("where", r.location.path.clone()),
                ("policy", policy_names(cx)),
            ],
            variant: None,
        });
    }
    out
}
