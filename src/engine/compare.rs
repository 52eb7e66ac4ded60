//! Comparison: the old inventory against the new one, category by category.
//!
//! In: two inventories and the taxonomy. Out: for every category requested by either
//! version, what each version requests, with what access, and what each policy says about
//! it. The rules read this; they never look at files.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use crate::engine::inventory::{Inventory, Request};
use crate::read::policy::{Polarity, Statement};
use crate::taxonomy::{Access, CategoryId, Taxonomy};

/// What both versions say about one category.
#[derive(Debug, Clone)]
pub struct CategoryState<'a> {
    /// The category.
    pub category: CategoryId,
    /// Old requests of it.
    pub old_requests: Vec<&'a Request>,
    /// New requests of it.
    pub new_requests: Vec<&'a Request>,
    /// The union of the old requests' access.
    pub old_access: Access,
    /// The union of the new requests' access.
    pub new_access: Access,
    /// The first old disclosure that covers it.
    pub old_disclosure: Option<&'a Statement>,
    /// The first new disclosure that covers it.
    pub new_disclosure: Option<&'a Statement>,
    /// The union of the access the new disclosures that cover it support.
    pub new_disclosed_access: Access,
    /// The first old denial that covers it.
    pub old_denial: Option<&'a Statement>,
    /// The first new denial that covers it.
    pub new_denial: Option<&'a Statement>,
}

impl CategoryState<'_> {
    /// Requested by the new version and not by the old one.
    pub fn newly_requested(&self) -> bool {
        !self.new_requests.is_empty() && self.old_requests.is_empty()
    }

    /// Requested by both versions.
    pub fn still_requested(&self) -> bool {
        !self.new_requests.is_empty() && !self.old_requests.is_empty()
    }
}

/// Old against new.
#[derive(Debug)]
pub struct Comparison<'a> {
    /// The taxonomy both were classified with.
    pub taxonomy: &'a Taxonomy,
    /// The old inventory.
    pub old: &'a Inventory,
    /// The new inventory.
    pub new: &'a Inventory,
    /// Whether any input file differs between the versions.
    pub changed: bool,
    /// Whether the policy text differs between the versions.
    pub policy_changed: bool,
    /// Every category requested by either version, in taxonomy order.
    pub categories: Vec<CategoryState<'a>>,
    /// How a policy change must be announced (`notice:` in disclose.yaml).
    pub notice: crate::model::settings::Notice,
}

/// What changed between two versions' files, as far as the rules need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    /// Any manifest or policy differs.
    pub any: bool,
    /// A policy differs.
    pub policy: bool,
}

/// Compares two inventories.
pub fn compare<'a>(t: &'a Taxonomy, old: &'a Inventory, new: &'a Inventory, changes: Changes) -> Comparison<'a> {
    let mut ids: Vec<CategoryId> = old.requested().union(&new.requested()).copied().collect();
    ids.sort_unstable();
    let (old_index, new_index) = (old.best_index(), new.best_index());
    let categories = ids
        .into_iter()
        .map(|c| {
            let old_requests: Vec<&Request> = old.requests.iter().filter(|r| r.category == c).collect();
            let new_requests: Vec<&Request> = new.requests.iter().filter(|r| r.category == c).collect();
            let access = |rs: &[&Request]| rs.iter().fold(Access::default(), |a, r| a.union(r.access));
            let new_disclosed_access = new_index.disclosed_access(t, c);
            // The index answers as the plain scan does (checked on every fixture by the tests).
            debug_assert!([(old, &old_index), (new, &new_index)].iter().all(|(inv, index)| {
                [Polarity::Disclosure, Polarity::Denial].iter().all(|&p| {
                    inv.best(t, c, p).map(|s| s as *const Statement)
                        == index.best(t, c, p).map(|s| s as *const Statement)
                })
            }));
            debug_assert_eq!(
                new_disclosed_access,
                new.disclosures().filter(|s| t.covers(s.category, c)).fold(Access::default(), |a, s| a.union(s.access))
            );
            CategoryState {
                category: c,
                old_access: access(&old_requests),
                new_access: access(&new_requests),
                old_requests,
                new_requests,
                old_disclosure: old_index.best(t, c, Polarity::Disclosure),
                new_disclosure: new_index.best(t, c, Polarity::Disclosure),
                new_disclosed_access,
                old_denial: old_index.best(t, c, Polarity::Denial),
                new_denial: new_index.best(t, c, Polarity::Denial),
            }
        })
        .collect();
    Comparison {
        taxonomy: t,
        old,
        new,
        changed: changes.any,
        policy_changed: changes.policy,
        categories,
        notice: Default::default(),
    }
}

impl<'a> Comparison<'a> {
    /// The state of one category, if either version requests it.
    pub fn state(&self, c: CategoryId) -> Option<&CategoryState<'a>> {
        self.categories.iter().find(|s| s.category == c)
    }
}
