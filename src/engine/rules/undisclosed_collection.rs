//! `undisclosed-collection`: a category newly requested and not disclosed by the new policy.
//! A request that is only possible (an Expo plugin that adds a permission in some versions)
//! is reported as a note, never as an error.

use std::collections::BTreeSet;

use super::{at_requests, policy_names, requested_by, silence, Draft};
use crate::engine::compare::Comparison;
use crate::read::policy::Polarity;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    let mut out: Vec<Draft> = cx
        .categories
        .iter()
        .filter(|s| s.newly_requested() && s.new_disclosure.is_none())
        .map(|s| {
            let mut d = at_requests(cx, s, &s.new_requests);
            let (policy, evidence) = silence(cx, s.category);
            d.policy = Some(policy);
            d.evidence = evidence;
            d
        })
        .collect();
    let t = cx.taxonomy;
    let known: BTreeSet<usize> = cx
        .old
        .requested()
        .into_iter()
        .chain(cx.old.possible.iter().map(|(r, _)| r.category))
        .chain(cx.new.requested())
        .collect();
    let mut seen = BTreeSet::new();
    for (r, why) in &cx.new.possible {
        // `seen` first: the policy is searched once per category, not once per request.
        if known.contains(&r.category)
            || !seen.insert(r.category)
            || cx.new.best(t, r.category, Polarity::Disclosure).is_some()
        {
            continue;
        }
        let cat = t.category(r.category);
        let (policy, evidence) = silence(cx, r.category);
        out.push(Draft {
            category: Some(r.category),
            subject: r.subject.clone(),
            primary: r.location.clone(),
            related: Vec::new(),
            policy: Some(policy),
            evidence,
            args: vec![
                ("subject", requested_by(r)),
                ("category", cat.id.clone()),
                ("category_label", cat.label.clone()),
                ("policy", policy_names(cx)),
                ("why", why.clone()),
            ],
            variant: Some("possible"),
        });
    }
    out
}
