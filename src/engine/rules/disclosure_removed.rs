//! `disclosure-removed`: the new policy drops the disclosure of a category the app still requests.

use super::{at_requests, cite, evidence, Draft};
use crate::engine::compare::Comparison;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    cx.categories
        .iter()
        .filter(|s| s.still_requested() && s.new_disclosure.is_none())
        .filter_map(|s| {
            let old = s.old_disclosure?;
            let mut d = at_requests(cx, s, &s.new_requests);
            d.policy = Some(format!("the old policy disclosed it at {}; the new one does not", cite(old)));
            d.evidence = vec![evidence(old)];
            Some(d)
        })
        .collect()
}
