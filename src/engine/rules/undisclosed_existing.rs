//! `undisclosed-existing`: a category requested by both versions that the new policy does not
//! disclose. Debt the change did not cause, reported only when the versions differ, so an
//! unchanged project is quiet.

use super::{at_requests, cite, evidence, silence, Draft};
use crate::engine::compare::Comparison;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    if !cx.changed {
        return Vec::new();
    }
    cx.categories
        .iter()
        .filter(|s| s.still_requested() && s.new_disclosure.is_none())
        .map(|s| {
            let mut d = at_requests(cx, s, &s.new_requests);
            match s.new_denial {
                Some(denial) => {
                    d.policy = Some(format!("{} even denies it: {}", denial.location.path, cite(denial)));
                    d.evidence = vec![evidence(denial)];
                }
                None => {
                    let (policy, ev) = silence(cx, s.category);
                    d.policy = Some(policy);
                    d.evidence = ev;
                }
            }
            d
        })
        .collect()
}
