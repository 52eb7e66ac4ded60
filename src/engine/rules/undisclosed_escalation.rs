//! `undisclosed-escalation`: access within a category grows (approximate to precise location,
//! foreground to background, selected photos to all, read to write) and the new policy does
//! not disclose the greater access.

use super::{at_requests, cite, evidence, silence, Draft};
use crate::engine::compare::Comparison;
use crate::engine::inventory::Request;

/// Where escalation and a denial meet, the finding quotes the denial: the policy does not only
/// fail to mention the greater access, it says the app does not collect the data at all.
fn denied(d: &mut Draft, st: &crate::read::policy::Statement) {
    d.policy = Some(format!("{} says the app does not collect it: {}", st.location.path, cite(st)));
    d.evidence = vec![evidence(st)];
}

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    let t = cx.taxonomy;
    let mut out = Vec::new();
    for s in &cx.categories {
        let cat = t.category(s.category);
        // A finer or broader category of the same data (`escalates_from` in categories.yaml).
        if s.newly_requested() && s.new_disclosure.is_none() {
            let lesser = cat.escalates_from.iter().filter_map(|&e| cx.state(e)).find(|e| !e.old_requests.is_empty());
            if let Some(lesser) = lesser {
                let lesser_label = &t.category(lesser.category).label;
                let mut d = at_requests(cx, s, &s.new_requests);
                d.args.push(("change", format!("from {lesser_label} to {}", cat.label)));
                match (s.new_denial, lesser.new_disclosure) {
                    (Some(st), _) => denied(&mut d, st),
                    (None, Some(st)) => {
                        d.policy = Some(format!("{} discloses only {lesser_label}: {}", st.location.path, cite(st)));
                        d.evidence = vec![evidence(st)];
                    }
                    (None, None) => d.policy = Some(silence(cx, s.category).0),
                }
                out.push(d);
                continue;
            }
        }
        // More access within the same category.
        if s.still_requested() {
            let grown = s.new_access.minus(s.old_access);
            if grown.is_empty() || s.new_disclosed_access.covers(grown) {
                continue;
            }
            let requests: Vec<&Request> =
                s.new_requests.iter().copied().filter(|r| !r.access.minus(s.old_access).is_empty()).collect();
            let mut d = at_requests(cx, s, &requests);
            d.args.push(("change", format!("adds {} access", grown.words().join(" and "))));
            match (s.new_disclosure, s.new_denial) {
                // An old contradiction that the grown access deepens: show the denial.
                (None, Some(st)) => denied(&mut d, st),
                (Some(st), _) => {
                    d.policy = Some(format!(
                        "{} discloses only {} access: {}",
                        st.location.path,
                        s.new_disclosed_access.words().join(" and "),
                        cite(st)
                    ));
                    d.evidence = vec![evidence(st)];
                }
                (None, None) => d.policy = Some(silence(cx, s.category).0),
            }
            out.push(d);
        }
    }
    out
}
