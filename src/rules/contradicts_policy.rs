//! `contradicts-policy`: the new policy denies a category the new manifests request, and the
//! contradiction is new (the request or the denial was not there before).

use super::{at_requests, cite, evidence, Draft};
use crate::compare::Comparison;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    cx.categories
        .iter()
        .filter(|s| !s.new_requests.is_empty())
        .filter_map(|s| {
            let denial = s.new_denial?;
            if !s.old_requests.is_empty() && s.old_denial.is_some() {
                return None; // An old contradiction is debt: `undisclosed-existing` reports it.
            }
            let mut d = at_requests(cx, s, &s.new_requests);
            d.policy = Some(format!("{} says otherwise: {}", denial.location.path, cite(denial)));
            d.evidence = vec![evidence(denial)];
            Some(d)
        })
        .collect()
}
