//! `undisclosed-collection`: a category newly requested and not disclosed by the new policy.

use super::{at_requests, silence, Draft};
use crate::compare::Comparison;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    cx.categories
        .iter()
        .filter(|s| s.newly_requested() && s.new_disclosure.is_none())
        .map(|s| {
            let mut d = at_requests(cx, s, &s.new_requests);
            let (policy, evidence) = silence(cx, s.category);
            d.policy = Some(policy);
            d.evidence = evidence;
            d
        })
        .collect()
}
