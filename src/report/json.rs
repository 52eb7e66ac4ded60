//! `--format json`: the versioned contract of DESIGN.md. Field names and order are stable;
//! adding a field is a minor change, renaming or removing one bumps `version`.
//!
//! Display text (messages, help, quotes, reasons, labels, recipients, headings, redline pieces,
//! dates, change-log entries) is made visible ([`visible`]: `\x1b`, `<U+202E>`). Names that a
//! program looks up (`path`, `subject`, `category`, `via`, ids, fingerprints) keep their exact
//! value; the writer ([`escape::write_json`]) spells bidi, invisible and C1 characters in every
//! string as `\u` escapes, so the bytes hold none of them.

use std::borrow::Cow;

use serde::Serialize;

use super::{Command, Report};
use crate::engine::diff::{Kind, PolicyDiff, Sign};
use crate::engine::inventory::Inventory;
use crate::model::escape::{self, visible};
use crate::model::finding::{Evidence, Finding, Level};
use crate::read::policy::Polarity;
use crate::taxonomy::Taxonomy;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    /// What the comparison left out (only uncommitted changes checked, say): one sentence each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notices: Vec<Cow<'a, str>>,
    /// `check` without `--inventory`: what the new version adds to and removes from the old
    /// one's inventory (requests, disclosures, denials, practices), not the whole of both.
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<InventoryChanges<'a>>,
    /// `--inventory`: both versions' whole inventories.
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<JsonInventory<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<JsonInventory<'a>>,
    /// `disclose diff` only: what changed for users, and the redline.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    diff: Option<JsonDiff<'a>>,
    /// `--baseline`: how many findings it left out, its entries that no longer occur, and
    /// those the change itself adds (which count once on the base version).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<JsonBaseline<'a>>,
}

#[derive(Serialize)]
struct JsonBaseline<'a> {
    path: &'a str,
    matched: usize,
    stale: &'a [crate::run::baseline::Entry],
    pending: &'a [crate::run::baseline::Entry],
}

/// DESIGN.md's diff fields (`categories`, `practices`, `sections`), plus denials, controls,
/// the date line and the counts.
#[derive(Serialize)]
struct JsonDiff<'a> {
    categories: Changes<'a>,
    denials: Changes<'a>,
    practices: Changes<'a>,
    practice_denials: Changes<'a>,
    controls: Changes<'a>,
    date: &'a crate::engine::diff::meaning::DateChange,
    changelog: JsonChangelog<'a>,
    stats: &'a crate::engine::diff::Stats,
    formatting_only: bool,
    sections: Vec<&'a crate::engine::diff::SectionDiff>,
}

#[derive(Serialize)]
struct JsonChangelog<'a> {
    added: Vec<Cow<'a, str>>,
}

#[derive(Serialize)]
struct Changes<'a> {
    added: Vec<JsonChange<'a>>,
    removed: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    id: &'a str,
    label: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient: Option<Cow<'a, str>>,
    /// For a practice: the categories its sentence names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<&'a str>,
    path: &'a str,
    line: usize,
    text: Cow<'a, str>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    notes: usize,
    fail_on: &'static str,
    failed: bool,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    level: Level,
    category: Option<&'a str>,
    subject: Option<&'a str>,
    path: &'a str,
    line: usize,
    column: usize,
    message: Cow<'a, str>,
    help: Cow<'a, str>,
    evidence: &'a [Evidence],
    acknowledged: Option<Cow<'a, str>>,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct JsonInventory<'a> {
    requests: Vec<JsonRequest<'a>>,
    /// Requests that depend on what disclose cannot see (an Expo plugin's version).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    possible: Vec<JsonRequest<'a>>,
    /// Files that looked like manifests and were not analysed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped: Vec<JsonSkipped<'a>>,
    disclosures: Vec<JsonStatement<'a>>,
    denials: Vec<JsonStatement<'a>>,
    practices: Vec<JsonPractice<'a>>,
}

/// What the new version's inventory adds and removes, item by item. Items are the same when
/// they say the same thing in the same file: a line that moved is not a change.
#[derive(Serialize)]
struct InventoryChanges<'a> {
    requests: Delta<JsonRequest<'a>>,
    disclosures: Delta<JsonStatement<'a>>,
    denials: Delta<JsonStatement<'a>>,
    practices: Delta<JsonPractice<'a>>,
}

#[derive(Serialize)]
struct Delta<T> {
    /// In the new version, not the old (at its new place).
    added: Vec<T>,
    /// In the old version, not the new (at its old place).
    removed: Vec<T>,
}

impl<T> Delta<T> {
    /// The items of `new` that `old` lacks and those of `old` that `new` lacks, each in its
    /// own order, counting repeats (two equal items against one is one added).
    fn of<K: Eq + std::hash::Hash>(old: Vec<T>, new: Vec<T>, key: impl Fn(&T) -> K) -> Delta<T> {
        let count = |items: &[T]| {
            let mut n: std::collections::HashMap<K, usize> = std::collections::HashMap::with_capacity(items.len());
            for item in items {
                *n.entry(key(item)).or_default() += 1;
            }
            n
        };
        let minus = |items: Vec<T>, mut other: std::collections::HashMap<K, usize>| -> Vec<T> {
            items
                .into_iter()
                .filter(|item| match other.get_mut(&key(item)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                })
                .collect()
        };
        let (in_old, in_new) = (count(&old), count(&new));
        Delta { added: minus(new, in_old), removed: minus(old, in_new) }
    }
}

fn changes<'a>(old: JsonInventory<'a>, new: JsonInventory<'a>) -> InventoryChanges<'a> {
    InventoryChanges {
        requests: Delta::of(old.requests, new.requests, |r| (r.category, r.subject, r.via, r.path)),
        disclosures: Delta::of(old.disclosures, new.disclosures, |s| (s.category, s.path, s.text.clone(), s.basis)),
        denials: Delta::of(old.denials, new.denials, |s| (s.category, s.path, s.text.clone(), s.basis)),
        practices: Delta::of(old.practices, new.practices, |p| {
            (p.practice, p.recipient.clone(), p.categories.clone(), p.path, p.text.clone())
        }),
    }
}

#[derive(Serialize)]
struct JsonPractice<'a> {
    practice: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient: Option<Cow<'a, str>>,
    /// The categories the sentence names ("we sell your email address": `account.email`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<&'a str>,
    path: &'a str,
    line: usize,
    text: Cow<'a, str>,
}

#[derive(Serialize)]
struct JsonRequest<'a> {
    category: &'a str,
    subject: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
    path: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonSkipped<'a> {
    path: &'a str,
    reason: Cow<'a, str>,
}

#[derive(Serialize)]
struct JsonStatement<'a> {
    category: &'a str,
    path: &'a str,
    line: usize,
    text: Cow<'a, str>,
    /// Why it counts (`Basis::id`): `collection`, `limit`, `list-item`, `table-row`, ...
    basis: &'static str,
}

/// Renders the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes the report as pretty-printed JSON with a trailing newline, streaming: a large
/// report (every disclosure of a monorepo's policies) is never held as one string.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let t = &report.taxonomy;
    let (changes, old, new) = match (report.inventory, report.command) {
        // One policy's inventories are small, and say what the diff's changes are against
        // (a category "added" that the old version already disclosed elsewhere).
        (true, _) | (_, Command::Diff) => (None, Some(inventory(&report.old, t)), Some(inventory(&report.new, t))),
        (false, Command::Check) => {
            // A policy whose statements are the same in both versions (most of a monorepo's,
            // shared from one parse) cannot add or remove any: leave it out before comparing.
            let same = unchanged_policies(&report.old, &report.new);
            let changed = |path: &str| !same.contains(path);
            let (old, new) = (inventory_of(&report.old, t, &changed), inventory_of(&report.new, t, &changed));
            (Some(changes(old, new)), None, None)
        }
    };
    let output = Output {
        version: 2,
        tool: Tool { name: "disclose", version: env!("CARGO_PKG_VERSION") },
        summary: Summary {
            errors: report.count(Level::Error),
            warnings: report.count(Level::Warning),
            notes: report.count(Level::Note),
            fail_on: report.fail_on.as_str(),
            failed: report.failed(),
        },
        findings: report.findings.iter().map(finding).collect(),
        notices: report.notices.iter().map(|n| visible(n)).collect(),
        changes,
        old,
        new,
        baseline: report.baseline.as_ref().map(|b| JsonBaseline {
            path: &b.path,
            matched: b.matched,
            stale: &b.stale,
            pending: &b.pending,
        }),
        diff: match report.command {
            Command::Diff => report.redlines.first().map(diff),
            Command::Check => None,
        },
    };
    escape::write_json(&output, &mut *out)?;
    out.write_all(b"\n")
}

fn diff(d: &PolicyDiff) -> JsonDiff<'_> {
    let changes = |kind: Kind| {
        let of = |sign: Sign| {
            d.meaning
                .of(kind, sign)
                .map(|c| JsonChange {
                    id: &c.id,
                    label: visible(&c.label),
                    recipient: c.recipient.as_deref().map(visible),
                    categories: c.categories.iter().map(|(id, _)| id.as_str()).collect(),
                    path: &c.at.path,
                    line: c.at.line,
                    text: visible(&c.text),
                })
                .collect()
        };
        Changes { added: of(Sign::Added), removed: of(Sign::Removed) }
    };
    JsonDiff {
        categories: changes(Kind::Category),
        denials: changes(Kind::Denial),
        practices: changes(Kind::Practice),
        practice_denials: changes(Kind::PracticeDenial),
        controls: changes(Kind::Control),
        date: &d.meaning.date,
        changelog: JsonChangelog { added: d.meaning.changelog.iter().map(|e| visible(e)).collect() },
        stats: &d.stats,
        formatting_only: d.stats.formatting_only(),
        sections: d.sections.iter().filter(|s| s.changed()).collect(),
    }
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: f.rule,
        level: f.level,
        category: f.category.as_deref(),
        subject: f.subject.as_deref(),
        path: &f.primary.path,
        line: f.primary.line,
        column: f.primary.column,
        message: visible(&f.message),
        help: visible(&f.help),
        evidence: &f.evidence,
        acknowledged: f.acknowledged.as_deref().map(visible),
        fingerprint: &f.fingerprint,
    }
}

/// The policies whose statements and practices are the same, in the same order, in both
/// inventories: by sentence (a shared parse gives the same text, compared by pointer first),
/// line, category, polarity and basis.
fn unchanged_policies<'a>(old: &'a Inventory, new: &'a Inventory) -> std::collections::HashSet<&'a str> {
    use std::collections::HashMap;
    type Items<'a> = (Vec<&'a crate::read::policy::Statement>, Vec<&'a crate::read::policy::PracticeStatement>);
    let group = |inv: &'a Inventory| {
        let mut by: HashMap<&'a str, Items<'a>> = HashMap::new();
        inv.statements.iter().for_each(|s| by.entry(s.location.path.as_str()).or_default().0.push(s));
        inv.practices.iter().for_each(|p| by.entry(p.location.path.as_str()).or_default().1.push(p));
        by
    };
    let text = |a: &std::sync::Arc<str>, b: &std::sync::Arc<str>| std::sync::Arc::ptr_eq(a, b) || a == b;
    let (old, mut new) = (group(old), group(new));
    old.into_iter()
        .filter(|(path, (s, p))| {
            let Some((ns, np)) = new.remove(path) else { return false };
            s.len() == ns.len()
                && p.len() == np.len()
                && s.iter().zip(&ns).all(|(a, b)| {
                    (a.category, a.polarity, a.basis, a.location.line)
                        == (b.category, b.polarity, b.basis, b.location.line)
                        && text(&a.text, &b.text)
                })
                && p.iter().zip(&np).all(|(a, b)| {
                    (a.practice, a.polarity, &a.recipient, &a.categories, a.location.line)
                        == (b.practice, b.polarity, &b.recipient, &b.categories, b.location.line)
                        && text(&a.text, &b.text)
                })
        })
        .map(|(path, _)| path)
        .collect()
}

fn inventory<'a>(inv: &'a Inventory, t: &'a Taxonomy) -> JsonInventory<'a> {
    inventory_of(inv, t, &|_| true)
}

/// The inventory, with the statements and practices of the policies `keep` admits.
fn inventory_of<'a>(inv: &'a Inventory, t: &'a Taxonomy, keep: &dyn Fn(&str) -> bool) -> JsonInventory<'a> {
    let statements = |pol: Polarity| {
        inv.statements
            .iter()
            .filter(|s| s.polarity == pol && keep(&s.location.path))
            .map(|s| JsonStatement {
                category: &t.category(s.category).id,
                path: &s.location.path,
                line: s.location.line,
                text: visible(&s.text),
                basis: s.basis.id(),
            })
            .collect()
    };
    let request = |r: &'a crate::engine::inventory::Request| JsonRequest {
        category: &t.category(r.category).id,
        subject: &r.subject,
        via: r.via.as_deref(),
        path: &r.location.path,
        line: r.location.line,
        column: r.location.column,
    };
    JsonInventory {
        requests: inv.requests.iter().map(request).collect(),
        possible: inv.possible.iter().map(|(r, _)| request(r)).collect(),
        skipped: inv.skipped.iter().map(|(path, s)| JsonSkipped { path, reason: visible(&s.reason) }).collect(),
        disclosures: statements(Polarity::Disclosure),
        denials: statements(Polarity::Denial),
        // Practices and controls the policy states (denials of them are not listed).
        practices: inv
            .practices
            .iter()
            .filter(|p| p.polarity == Polarity::Disclosure && keep(&p.location.path))
            .map(|p| JsonPractice {
                practice: &t.practices[p.practice].id,
                recipient: p.recipient.as_deref().map(visible),
                categories: p.categories.iter().map(|&c| t.category(c).id.as_str()).collect(),
                path: &p.location.path,
                line: p.location.line,
                text: visible(&p.text),
            })
            .collect(),
    }
}

/// `disclose scan --format json`: one object per policy (`path`, `disclosures`, `denials`,
/// `unsaid`, `practices`, `controls`), or `{"files": [...]}` for several, pretty-printed with
/// a trailing newline. Field names are stable; every field is always present (`recipient` is
/// `null` and `categories` empty when the sentence names none).
pub fn scan(scans: &[crate::engine::scan::Scan]) -> String {
    #[derive(Serialize)]
    struct Files<'a> {
        files: Vec<ScanFile<'a>>,
    }
    let files: Vec<ScanFile> = scans.iter().map(scan_file).collect();
    let mut out = match <[ScanFile; 1]>::try_from(files) {
        Ok([one]) => escape::to_json(&one),
        Err(files) => escape::to_json(&Files { files }),
    }
    .expect("a scan serializes");
    out.push('\n');
    out
}

#[derive(Serialize)]
struct ScanFile<'a> {
    path: &'a str,
    disclosures: Vec<ScanCategory<'a>>,
    denials: Vec<ScanCategory<'a>>,
    unsaid: Vec<&'a str>,
    practices: Vec<ScanPractice<'a>>,
    controls: Vec<ScanPractice<'a>>,
}

#[derive(Serialize)]
struct ScanCategory<'a> {
    category: &'a str,
    label: Cow<'a, str>,
    line: usize,
    column: usize,
    quote: Cow<'a, str>,
    /// The words of the quote that mention the category (`null` for an annotation).
    mention: Option<Cow<'a, str>>,
    basis: &'static str,
    statements: usize,
}

#[derive(Serialize)]
struct ScanPractice<'a> {
    practice: &'a str,
    label: Cow<'a, str>,
    polarity: &'static str,
    line: usize,
    column: usize,
    quote: Cow<'a, str>,
    recipient: Option<Cow<'a, str>>,
    categories: Vec<&'a str>,
}

fn scan_file<'a>(s: &crate::engine::scan::Scan<'a>) -> ScanFile<'a> {
    let t: &'a Taxonomy = s.taxonomy;
    let category = |r: &crate::engine::scan::CategoryRow<'a>| {
        let c = t.category(r.category);
        ScanCategory {
            category: &c.id,
            label: visible(&c.label),
            line: r.best.location.line,
            column: r.best.location.column,
            quote: visible(&r.best.text),
            mention: r.best.mention.and_then(|(a, b)| r.best.text.get(a..b)).map(visible),
            basis: r.best.basis.id(),
            statements: r.statements.len(),
        }
    };
    let practice = |r: &crate::engine::scan::PracticeRow<'a>| {
        let p = &t.practices[r.practice];
        ScanPractice {
            practice: &p.id,
            label: visible(&p.label),
            polarity: if r.polarity == Polarity::Disclosure { "stated" } else { "denied" },
            line: r.first.location.line,
            column: r.first.location.column,
            quote: visible(&r.first.text),
            recipient: r.first.recipient.as_deref().map(visible),
            categories: r.first.categories.iter().map(|&c| t.category(c).id.as_str()).collect(),
        }
    };
    ScanFile {
        path: s.path,
        disclosures: s.disclosures.iter().map(category).collect(),
        denials: s.denials.iter().map(category).collect(),
        unsaid: s.unsaid.iter().map(|&c| t.category(c).id.as_str()).collect(),
        practices: s.practices.iter().map(practice).collect(),
        controls: s.controls.iter().map(practice).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::Delta;

    /// (key, line): the line is where the item is, not what it says.
    fn delta(old: &[(&'static str, usize)], new: &[(&'static str, usize)]) -> (Vec<usize>, Vec<usize>) {
        let d = Delta::of(old.to_vec(), new.to_vec(), |&(k, _)| k);
        (d.added.iter().map(|&(_, l)| l).collect(), d.removed.iter().map(|&(_, l)| l).collect())
    }

    #[test]
    fn a_moved_item_is_no_change_and_repeats_count() {
        // "b" moved from line 2 to line 9: unchanged. A second "a" is one added.
        assert_eq!(delta(&[("a", 1), ("b", 2)], &[("a", 1), ("a", 5), ("b", 9)]), (vec![5], vec![]));
        // "c" removed, "d" added, each at its own version's line.
        assert_eq!(delta(&[("a", 1), ("c", 3)], &[("d", 4), ("a", 7)]), (vec![4], vec![3]));
        assert_eq!(delta(&[], &[]), (vec![], vec![]));
    }
}
