//! `contradicts-policy`: the new policy denies a category the new manifests request, and the
//! contradiction is new (the request or the denial was not there before).
//!
//! A denial is a negated collection or access ("we never access your contacts"); limits on
//! storage or transfer ("never sent to us") are disclosures and never reach here. A request
//! that only writes (saving to the photo library) collects nothing, so a denial of collecting
//! the category does not contradict it.

use super::{at_requests, cite, evidence, Draft};
use crate::engine::compare::Comparison;
use crate::engine::inventory::Request;
use crate::taxonomy::Access;

/// Whether a request reads the category (all of it or items the user picks), not only writes.
fn reads(r: &&Request) -> bool {
    !r.access.minus(Access::WRITE).is_empty()
}

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    cx.categories
        .iter()
        .filter(|s| !s.new_requests.is_empty())
        .filter_map(|s| {
            let denial = s.new_denial?;
            if !s.old_requests.is_empty() && s.old_denial.is_some() {
                return None; // An old contradiction is debt: `undisclosed-existing` reports it.
            }
            let reading: Vec<&Request> = s.new_requests.iter().copied().filter(reads).collect();
            if reading.is_empty() {
                return None; // Writing only: "we do not collect your photos" still holds.
            }
            let mut d = at_requests(cx, s, &reading);
            d.policy = Some(format!("{} says otherwise: {}", denial.location.path, cite(denial)));
            d.evidence = vec![evidence(denial)];
            Some(d)
        })
        .collect()
}
