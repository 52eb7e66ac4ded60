//! `user-control-removed`: the old policy offered users a control (opt-out, access, deletion,
//! correction, private mode, consent withdrawal) that the new policy no longer mentions.

use super::{anchor, cite_at, evidence_of, policy_names, Draft};
use crate::engine::compare::Comparison;
use crate::read::policy::Polarity;
use crate::taxonomy::PracticeKind;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    let t = cx.taxonomy;
    let Some(at) = anchor(cx) else { return Vec::new() };
    t.practices
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PracticeKind::Control)
        .filter_map(|(i, p)| {
            let old = cx.old.practice(i, Polarity::Disclosure)?;
            if cx.new.practice(i, Polarity::Disclosure).is_some() {
                return None;
            }
            Some(Draft {
                category: None,
                subject: p.id.clone(),
                primary: at.clone(),
                related: Vec::new(),
                policy: Some(format!("the old policy offered it at {}", cite_at(&old.location, &old.text))),
                evidence: vec![evidence_of(&old.location, &old.text)],
                args: vec![("control", p.label.clone()), ("policy", policy_names(cx))],
                variant: None,
            })
        })
        .collect()
}
