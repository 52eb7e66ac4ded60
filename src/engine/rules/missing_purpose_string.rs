//! `missing-purpose-string`: an Apple usage key, new or changed, whose purpose string is empty
//! or a placeholder. iOS shows this string when it asks the user; App Review rejects apps
//! whose strings do not explain the use.

use std::collections::{BTreeMap, BTreeSet};

use super::{quoted, Draft};
use crate::engine::compare::Comparison;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    let t = cx.taxonomy;
    let mut old: BTreeMap<&str, BTreeSet<Option<&str>>> = BTreeMap::new();
    for k in &cx.old.usage_keys {
        old.entry(k.key.as_str()).or_default().insert(k.purpose.as_deref());
    }
    cx.new
        .usage_keys
        .iter()
        .filter(|k| !old.get(k.key.as_str()).is_some_and(|set| set.contains(&k.purpose.as_deref())))
        .filter(|k| t.is_placeholder(k.purpose.as_deref().unwrap_or("")))
        .map(|k| {
            let purpose = k.purpose.as_deref().unwrap_or("").trim();
            let problem = if purpose.is_empty() {
                "an empty purpose string".to_string()
            } else {
                format!("a placeholder purpose string, \"{purpose}\"")
            };
            let grant = t.apple.usage_keys.get(&k.key);
            let label = grant
                .and_then(|g| g.categories.first())
                .map_or_else(|| "this access".to_string(), |&c| t.category(c).label.clone());
            Draft {
                category: None,
                subject: k.key.clone(),
                primary: k.location.clone(),
                related: Vec::new(),
                policy: None,
                evidence: Vec::new(),
                args: vec![("subject", quoted(&k.key)), ("problem", problem), ("category_label", label)],
                variant: None,
            }
        })
        .collect()
}
