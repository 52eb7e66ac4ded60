//! What a policy change means for users: categories newly disclosed or no longer disclosed,
//! denials added or dropped, practices and user controls added or removed (with the recipient
//! a sharing sentence names), and the date line and change log, old against new.
//!
//! In: the two versions' inventories (only their policy side is read). Out: [`Meaning`], in
//! taxonomy order, each change with the sentence that carries it.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::inventory::Inventory;
use crate::model::source::Location;
use crate::read::policy::{Polarity, PracticeStatement, Statement};
use crate::taxonomy::{CategoryId, PracticeKind, Taxonomy};

/// Added in the new version, or gone from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sign {
    /// The new policy says it; the old one did not.
    Added,
    /// The old policy said it; the new one does not.
    Removed,
}

impl Sign {
    /// `+` or `-`.
    pub fn symbol(self) -> char {
        match self {
            Sign::Added => '+',
            Sign::Removed => '-',
        }
    }
}

/// What kind of statement changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A category of data disclosed as collected.
    Category,
    /// A category the policy says is not collected.
    Denial,
    /// A practice (sharing, sale, advertising, ...).
    Practice,
    /// A practice the policy says it does not do ("we do not sell your data").
    PracticeDenial,
    /// A user control (opt-out, access, deletion, ...).
    Control,
}

impl Kind {
    /// The word a label starts with: `category`, `denial`, `practice`, `control`.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Category => "category",
            Kind::Denial => "denial",
            Kind::Practice => "practice",
            Kind::PracticeDenial => "practice denial",
            Kind::Control => "control",
        }
    }
}

/// One change in what the policy tells users.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Added or removed.
    pub sign: Sign,
    /// What kind of statement.
    pub kind: Kind,
    /// The category or practice id.
    pub id: String,
    /// Its label ("approximate location", "sharing with third parties").
    pub label: String,
    /// For a practice: the recipient the sentence names, when that is what is new.
    pub recipient: Option<String>,
    /// For a practice: the categories its sentence names ("we sell your email address"), as
    /// (id, label).
    pub categories: Vec<(String, String)>,
    /// The sentence that says it (in the new version when added, the old when removed).
    pub at: Location,
    /// That sentence.
    pub text: String,
}

impl Change {
    /// `+ practice: sharing with third parties (with advertising partners)`, and the categories
    /// the sentence names: `+ practice: sale of personal data: your email address`.
    pub fn tag(&self) -> String {
        let recipient = self.recipient.as_ref().map(|r| format!(" (with {r})")).unwrap_or_default();
        let of = if self.categories.is_empty() {
            String::new()
        } else {
            format!(": {}", self.categories.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join(", "))
        };
        format!("{} {}: {}{of}{recipient}", self.sign.symbol(), self.kind.word(), self.label)
    }
}

/// Everything a policy change means for users.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Meaning {
    /// Categories, denials, practices and controls added or removed, in that order.
    pub changes: Vec<Change>,
    /// The date line of each version, when they differ or either is missing.
    pub date: DateChange,
    /// New entries in the policy's own change log.
    pub changelog: Vec<String>,
    /// How many entries the old version's change log had, when the new version has none.
    pub changelog_dropped: usize,
}

/// The date lines of both versions.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DateChange {
    /// The old date, as written (serialized as display text: see `escape`).
    #[serde(serialize_with = "crate::model::escape::serialize_visible_opt")]
    pub old: Option<String>,
    /// The new date, as written.
    #[serde(serialize_with = "crate::model::escape::serialize_visible_opt")]
    pub new: Option<String>,
}

impl DateChange {
    /// "unchanged, “May 1”", "“May 1” → “June 2”", or that neither version has one; `quote`
    /// marks up a date for the output format.
    pub fn describe(&self, quote: impl Fn(&str) -> String) -> String {
        let shown = |x: &Option<String>| x.as_deref().map_or("none".to_string(), &quote);
        match (&self.old, &self.new) {
            (None, None) => "no \"last updated\" or \"effective\" line in either version".to_string(),
            (o, n) if o == n => format!("unchanged, {}", shown(n)),
            (o, n) => format!("{} → {}", shown(o), shown(n)),
        }
    }
}

impl Meaning {
    /// No change in what the policy tells users (dates and change logs aside).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// "removed from the policy (the old version kept 20 entries)", when it was.
    pub fn dropped_log(&self) -> Option<String> {
        (self.changelog_dropped > 0).then(|| {
            format!(
                "removed from the policy (the old version kept {} entr{})",
                self.changelog_dropped,
                if self.changelog_dropped == 1 { "y" } else { "ies" }
            )
        })
    }

    /// The changes of one kind and sign.
    pub fn of(&self, kind: Kind, sign: Sign) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind && c.sign == sign)
    }
}

/// Reads what changed between two versions' policies.
pub fn meaning(t: &Taxonomy, old: &Inventory, new: &Inventory) -> Meaning {
    let mut changes = Vec::new();
    for (kind, polarity) in [(Kind::Category, Polarity::Disclosure), (Kind::Denial, Polarity::Denial)] {
        changes.extend(categories(t, kind, polarity, &new.statements, &old.statements, Sign::Added));
        changes.extend(categories(t, kind, polarity, &old.statements, &new.statements, Sign::Removed));
    }
    for (kind, practice_kind, polarity) in [
        (Kind::Practice, PracticeKind::Practice, Polarity::Disclosure),
        (Kind::PracticeDenial, PracticeKind::Practice, Polarity::Denial),
        (Kind::Control, PracticeKind::Control, Polarity::Disclosure),
    ] {
        for (sign, from, to) in
            [(Sign::Added, &new.practices, &old.practices), (Sign::Removed, &old.practices, &new.practices)]
        {
            changes.extend(practices(t, kind, practice_kind, polarity, from, to, sign));
        }
    }
    changes.sort_by(|a, b| (a.kind, a.sign, &a.at).cmp(&(b.kind, b.sign, &b.at)));
    let date = |inv: &Inventory| inv.heads.iter().find_map(|h| h.date.as_ref()).map(|d| d.date.clone());
    let log = |inv: &Inventory| inv.heads.iter().flat_map(|h| h.changelog.iter().cloned()).collect::<Vec<_>>();
    let old_log: BTreeSet<String> = log(old).into_iter().collect();
    let new_log = log(new);
    Meaning {
        changes,
        date: DateChange { old: date(old), new: date(new) },
        changelog_dropped: if new_log.is_empty() { old_log.len() } else { 0 },
        changelog: new_log.into_iter().filter(|e| !old_log.contains(e)).collect(),
    }
}

/// Categories stated with `polarity` in `from` that nothing in `to` covers.
fn categories(
    t: &Taxonomy,
    kind: Kind,
    polarity: Polarity,
    from: &[Statement],
    to: &[Statement],
    sign: Sign,
) -> Vec<Change> {
    // The evidence for a category is its best sentence (`Statement::rank`).
    let rank = Statement::rank;
    // The categories the other version states, once (at most one entry per category).
    let there: BTreeSet<CategoryId> = to.iter().filter(|o| o.polarity == polarity).map(|o| o.category).collect();
    let mut best: Vec<&Statement> = Vec::new();
    for s in from.iter().filter(|s| s.polarity == polarity) {
        // Covered on the other side: no change. Only narrowed there ("location" to "general
        // geolocation"): no removal either, the narrower category is still stated.
        let covered = |&o: &CategoryId| t.covers(o, s.category) || (sign == Sign::Removed && t.covers(s.category, o));
        if there.iter().any(covered) {
            continue;
        }
        match best.iter_mut().find(|b| b.category == s.category) {
            Some(b) if rank(s) < rank(b) => *b = s,
            Some(_) => {}
            None => best.push(s),
        }
    }
    best.into_iter()
        .map(|s| {
            let c = t.category(s.category);
            Change {
                sign,
                kind,
                id: c.id.clone(),
                label: c.label.clone(),
                recipient: None,
                categories: Vec::new(),
                at: s.location.clone(),
                text: s.text.to_string(),
            }
        })
        .collect()
}

/// Practices (or controls) stated with `polarity` in `from` and not in `to`; for a practice in
/// both, the recipients `from` names that `to` does not.
fn practices(
    t: &Taxonomy,
    kind: Kind,
    practice_kind: PracticeKind,
    polarity: Polarity,
    from: &[PracticeStatement],
    to: &[PracticeStatement],
    sign: Sign,
) -> Vec<Change> {
    // A practice new to the policy is one change, at its first sentence; a practice in both
    // versions is a change once per recipient the other version never names.
    // The other version, indexed once: which practices it states, and the recipients it names
    // for each (normalized), so every statement is looked up in constant time.
    let mut there: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for o in to.iter().filter(|o| o.polarity == polarity) {
        let names = there.entry(o.practice).or_default();
        if let Some(r) = &o.recipient {
            names.insert(recipient_key(r));
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in from.iter().filter(|s| s.polarity == polarity && t.practices[s.practice].kind == practice_kind) {
        let p = &t.practices[s.practice];
        let recipient = match (&s.recipient, there.get(&s.practice)) {
            (_, None) => None,
            // A control has no recipient: "you can opt out of sharing with advertisers" is the
            // same opt-out whoever it names.
            (_, Some(_)) if practice_kind == PracticeKind::Control => continue,
            // The practice is in both: what is new is a recipient the other side never names.
            (Some(r), Some(names)) if sign == Sign::Added && !names.contains(&recipient_key(r)) => Some(r.clone()),
            _ => continue,
        };
        if !seen.insert((s.practice, recipient.clone())) {
            continue;
        }
        out.push(Change {
            sign,
            kind,
            id: p.id.clone(),
            label: p.label.clone(),
            recipient: if practice_kind == PracticeKind::Control {
                None
            } else {
                recipient.or_else(|| s.recipient.clone())
            },
            categories: if practice_kind == PracticeKind::Control {
                Vec::new()
            } else {
                s.categories.iter().map(|&c| (t.category(c).id.clone(), t.category(c).label.clone())).collect()
            },
            at: s.location.clone(),
            text: s.text.to_string(),
        });
    }
    out
}

/// A recipient as compared: "service provider" and "service providers" name the same party.
fn recipient_key(r: &str) -> String {
    r.trim().to_lowercase().trim_end_matches('s').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::inventory::{classify, Extra};
    use crate::model::source::Source;
    use crate::read::policy::parse;

    fn of(old: &str, new: &str) -> Meaning {
        let t = Taxonomy::builtin();
        let inv = |text: &str, name: &str| {
            let p = parse(Source::new(name, text.to_string()), t).expect("parses");
            classify(&[], &[&p], t, &Extra::new())
        };
        meaning(t, &inv(old, "old.md"), &inv(new, "new.md"))
    }

    fn tags(m: &Meaning) -> Vec<String> {
        m.changes.iter().map(Change::tag).collect()
    }

    #[test]
    fn narrowing_a_category_is_not_removing_it() {
        let m = of(
            "# P\n\nWe collect your location.\n",
            "# P\n\nWe collect your approximate location from your IP address.\n",
        );
        assert_eq!(tags(&m), Vec::<String>::new());
        let m = of("# P\n\nWe collect your approximate location.\n", "# P\n\nWe collect your email address.\n");
        assert_eq!(tags(&m), vec!["+ category: your email address", "- category: approximate location"]);
    }

    #[test]
    fn a_new_recipient_widens_a_practice_but_not_a_control() {
        let m = of(
            "# P\n\nWe share your data with service providers. You can opt out of marketing emails.\n",
            "# P\n\nWe share your data with service providers. We also share it with advertisers. You can opt out of sharing with advertisers.\n",
        );
        let tags = tags(&m);
        assert!(tags.contains(&"+ practice: sharing with third parties (with advertisers)".to_string()), "{tags:?}");
        assert!(!tags.iter().any(|t| t.contains("control")), "{tags:?}");
    }

    #[test]
    fn a_practice_names_the_categories_of_its_sentence() {
        let m = of("# P\n\nWe collect your email address.\n", "# P\n\nWe sell your email address to data brokers.\n");
        assert_eq!(tags(&m), vec!["+ practice: sale of personal data: your email address (with data brokers)"]);
        let m = of(
            "# P\n\nWe collect your location.\n",
            "# P\n\nWe collect your location. We share your location with Acme Analytics Inc.\n",
        );
        assert_eq!(tags(&m), vec!["+ practice: sharing with third parties: location (with Acme Analytics Inc)"]);
    }

    #[test]
    fn a_dropped_change_log_is_counted() {
        let m = of(
            "# P\n\nWe collect your email address.\n\n## Change log\n\n- May 1: first.\n- June 1: second.\n",
            "# P\n\nWe collect your email address.\n",
        );
        assert_eq!(m.changelog_dropped, 2);
        assert!(m.is_empty());
    }
}
