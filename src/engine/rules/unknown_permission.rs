//! `unknown-permission`: a new manifest entry the taxonomy does not know. Only entries the old
//! version did not have are reported, so the note appears once, when the entry arrives.

use std::collections::BTreeSet;

use super::{quoted, Draft};
use crate::engine::compare::Comparison;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    let old: BTreeSet<&str> = cx.old.unknown.iter().map(|u| u.subject.as_str()).collect();
    let mut seen = BTreeSet::new();
    cx.new
        .unknown
        .iter()
        .filter(|u| !old.contains(u.subject.as_str()) && seen.insert(u.subject.as_str()))
        .map(|u| {
            let hint = match &u.suggestion {
                Some(s) => format!("did you mean {}? If not, map", quoted(s)),
                None => "map".to_string(),
            };
            Draft {
                category: None,
                subject: u.subject.clone(),
                primary: u.location.clone(),
                related: Vec::new(),
                policy: None,
                evidence: Vec::new(),
                args: vec![("subject", format!("`{}`", u.subject)), ("hint", hint), ("name", u.subject.clone())],
                variant: None,
            }
        })
        .collect()
}
