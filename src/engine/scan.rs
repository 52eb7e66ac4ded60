//! `disclose scan`: what one policy tells users, category by category: the best disclosure
//! and the best denial of each category, the categories it leaves unsaid, and the practices
//! and controls it states or denies.
//!
//! In: a parsed [`Policy`] and the taxonomy it was parsed with. Out: a [`Scan`] that borrows
//! both, in taxonomy order (categories) and document order (practices). Pure: no files, no
//! clock, no environment. A statement counts for the category it names, never for that
//! category's children (a disclosure of `location` is listed as `location`; readers expand),
//! and the best statement is the one [`Inventory::best`](crate::engine::inventory::Inventory::best)
//! would pick, through the same [`best_of`].
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;

use crate::engine::inventory::best_of;
use crate::read::policy::{Polarity, Policy, PracticeStatement, Statement};
use crate::taxonomy::{CategoryId, PracticeKind, Taxonomy};

/// What one policy says, per category and per practice.
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    /// The policy's path, as the user named it.
    pub path: &'a str,
    /// The taxonomy the categories and practices refer to.
    pub taxonomy: &'a Taxonomy,
    /// Categories the policy discloses, in taxonomy order.
    pub disclosures: Vec<CategoryRow<'a>>,
    /// Categories the policy denies, in taxonomy order.
    pub denials: Vec<CategoryRow<'a>>,
    /// Categories no disclosure or denial covers (a statement about a parent covers its
    /// non-explicit children), in taxonomy order.
    pub unsaid: Vec<CategoryId>,
    /// Practices stated or denied, one row per (practice, polarity), in the document order of
    /// each row's first statement.
    pub practices: Vec<PracticeRow<'a>>,
    /// User controls, as `practices`.
    pub controls: Vec<PracticeRow<'a>>,
}

/// One category's statements of one polarity.
#[derive(Debug, Clone)]
pub struct CategoryRow<'a> {
    /// The category the statements name.
    pub category: CategoryId,
    /// The best of them (see [`best_of`]).
    pub best: &'a Statement,
    /// All of them, in document order (the best among them).
    pub statements: Vec<&'a Statement>,
}

/// One practice or control with one polarity.
#[derive(Debug, Clone)]
pub struct PracticeRow<'a> {
    /// Index into `Taxonomy::practices`.
    pub practice: usize,
    /// Stated (`Disclosure`) or denied.
    pub polarity: Polarity,
    /// Its first statement in the document: the one quoted, with its recipient and categories.
    pub first: &'a PracticeStatement,
    /// All of its statements, in document order (`first` is the first).
    pub statements: Vec<&'a PracticeStatement>,
}

impl Scan<'_> {
    /// The number of rows of each kind: disclosed, denied, unsaid, practices, controls.
    pub fn counts(&self) -> [usize; 5] {
        [self.disclosures.len(), self.denials.len(), self.unsaid.len(), self.practices.len(), self.controls.len()]
    }
}

/// Reads what `policy` tells users. `t` must be the taxonomy the policy was parsed with.
pub fn scan<'a>(policy: &'a Policy, t: &'a Taxonomy) -> Scan<'a> {
    let rows = |polarity: Polarity| -> Vec<CategoryRow<'a>> {
        let mut by_category: BTreeMap<CategoryId, Vec<&'a Statement>> = BTreeMap::new();
        for s in policy.statements.iter().filter(|s| s.polarity == polarity) {
            by_category.entry(s.category).or_default().push(s);
        }
        // Category ids are taxonomy indices: the map's order is taxonomy order.
        by_category
            .into_iter()
            .map(|(category, statements)| {
                let best = best_of(statements.iter().copied()).expect("a category is listed for its statements");
                CategoryRow { category, best, statements }
            })
            .collect()
    };
    let (disclosures, denials) = (rows(Polarity::Disclosure), rows(Polarity::Denial));
    let said: Vec<CategoryId> = disclosures.iter().chain(&denials).map(|r| r.category).collect();
    // Unsaid: nothing said covers it, and nothing is said of a part of it either (a policy that
    // discloses precise location has said something about location).
    let is_part_of = |s: CategoryId, c: CategoryId| {
        std::iter::successors(t.category(s).parent, |&p| t.category(p).parent).any(|p| p == c)
    };
    let unsaid =
        (0..t.categories.len()).filter(|&c| !said.iter().any(|&s| t.covers(s, c) || is_part_of(s, c))).collect();
    let mut rows: Vec<PracticeRow<'a>> = Vec::new();
    let mut index: BTreeMap<(usize, Polarity), usize> = BTreeMap::new();
    for p in &policy.practices {
        match index.get(&(p.practice, p.polarity)) {
            Some(&i) => rows[i].statements.push(p),
            None => {
                index.insert((p.practice, p.polarity), rows.len());
                rows.push(PracticeRow { practice: p.practice, polarity: p.polarity, first: p, statements: vec![p] });
            }
        }
    }
    let (controls, practices) = rows.into_iter().partition(|r| t.practices[r.practice].kind == PracticeKind::Control);
    Scan { path: &policy.source.path, taxonomy: t, disclosures, denials, unsaid, practices, controls }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::source::Source;

    fn parse(text: &str) -> Policy {
        crate::read::policy::parse(Source::new("PRIVACY.md", text.to_string()), Taxonomy::builtin()).expect("parses")
    }

    fn ids(t: &Taxonomy, rows: &[CategoryRow]) -> Vec<String> {
        rows.iter().map(|r| t.category(r.category).id.clone()).collect()
    }

    #[test]
    fn a_parent_is_listed_as_itself_and_covers_its_children_in_unsaid() {
        let t = Taxonomy::builtin();
        let p = parse("# Privacy\n\nWe collect your location to show nearby events.\n");
        let s = scan(&p, t);
        assert_eq!(ids(t, &s.disclosures), ["location"]);
        let unsaid: Vec<&str> = s.unsaid.iter().map(|&c| t.category(c).id.as_str()).collect();
        assert!(!unsaid.contains(&"location") && !unsaid.contains(&"location.precise"), "{unsaid:?}");
        // Background location is explicit: a bare "location" does not cover it.
        assert!(unsaid.contains(&"location.background") && unsaid.contains(&"contacts"), "{unsaid:?}");
    }

    #[test]
    fn a_child_does_not_cover_its_parent_but_says_something_of_it() {
        let t = Taxonomy::builtin();
        let p = parse("# Privacy\n\nWe collect your precise location when you ask for directions.\n");
        let s = scan(&p, t);
        assert_eq!(ids(t, &s.disclosures), ["location.precise"]);
        let unsaid: Vec<&str> = s.unsaid.iter().map(|&c| t.category(c).id.as_str()).collect();
        // Not a disclosure of `location`, but `location` is not unsaid either: a part of it is said.
        assert!(!unsaid.contains(&"location") && unsaid.contains(&"location.approximate"), "{unsaid:?}");
    }

    #[test]
    fn the_best_statement_is_the_inventorys_and_every_statement_is_counted() {
        let t = Taxonomy::builtin();
        // The first contacts sentence inherits its verb from the list intro; the second has its
        // own verb, so it is the best although it comes later.
        let text = "# Privacy\n\nWe collect the following:\n\n- your contacts\n\nWe read your contacts to find friends.\n\nWe never access your calendar.\n";
        let p = parse(text);
        let s = scan(&p, t);
        let row = s.disclosures.iter().find(|r| t.category(r.category).id == "contacts").expect("contacts disclosed");
        assert_eq!(row.statements.len(), 2);
        assert_eq!(row.best.location.line, 7, "{:?}", row.best);
        let inv = crate::engine::inventory::classify(&[], &[&p], t, &Default::default());
        let inventory_best = inv.best(t, row.category, Polarity::Disclosure).expect("the inventory agrees");
        assert_eq!(inventory_best.location, row.best.location);
        assert_eq!(ids(t, &s.denials), ["calendar"]);
        assert_eq!(s.denials[0].best.basis, crate::read::policy::Basis::Negation);
    }

    #[test]
    fn practices_and_controls_one_row_per_practice_and_polarity_in_document_order() {
        let t = Taxonomy::builtin();
        let text = "# Privacy\n\nWe do not sell your personal information.\n\nWe share your email address with advertisers.\n\nWe may share your purchases with advertisers too.\n\nYou can delete your account at any time.\n";
        let p = parse(text);
        let s = scan(&p, t);
        let rows: Vec<(&str, Polarity, usize)> =
            s.practices.iter().map(|r| (t.practices[r.practice].id.as_str(), r.polarity, r.statements.len())).collect();
        assert_eq!(rows, [("sale", Polarity::Denial, 1), ("sharing.third_party", Polarity::Disclosure, 2)]);
        assert_eq!(s.practices[1].first.location.line, 5);
        assert_eq!(s.practices[1].first.recipient.as_deref(), Some("advertisers"));
        let controls: Vec<&str> = s.controls.iter().map(|r| t.practices[r.practice].id.as_str()).collect();
        assert_eq!(controls, ["control.deletion"]);
        assert_eq!(s.counts()[3..], [2, 1]);
    }
}
