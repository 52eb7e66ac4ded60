//! What a run returns: the findings, both versions' inventories and what the renderers need
//! to say what was compared. The renderers (`report`) read it; nothing here renders.

use crate::engine::diff::PolicyDiff;
use crate::engine::inventory::Inventory;
use crate::model::finding::{Finding, Level, Threshold};
use crate::taxonomy::Taxonomy;

/// The outcome of `disclose check`.
#[derive(Debug)]
pub struct Report {
    /// Findings, in output order.
    pub findings: Vec<Finding>,
    /// The old version's inventory.
    pub old: Inventory,
    /// The new version's inventory.
    pub new: Inventory,
    /// The failure threshold in force.
    pub fail_on: Threshold,
    /// How to name the old version.
    pub old_label: String,
    /// How to name the new version.
    pub new_label: String,
    /// The taxonomy the inventories refer to.
    pub taxonomy: std::sync::Arc<Taxonomy>,
    /// Which versions were compared and why (`-v`), or why nothing was checked.
    pub note: Option<String>,
    /// What the comparison left out, shown in every run (human and JSON): one sentence each,
    /// with the fix.
    pub notices: Vec<String>,
    /// Why nothing was checked, when nothing was: no file disclose reads changed, or none of
    /// the paths given is one. The summary line says so.
    pub unchecked: Option<String>,
    /// Which command made the report.
    pub command: Command,
    /// The policy redlines: the one `disclose diff` compared, or, for `check`, each changed
    /// policy when the output shows them (HTML).
    pub redlines: Vec<PolicyDiff>,
    /// What `--baseline` left out and what it holds that no longer occurs.
    pub baseline: Option<crate::run::baseline::Applied>,
    /// `--inventory`: the JSON report lists both versions' whole inventories, not only what
    /// changed between them.
    pub inventory: bool,
}

/// The command a report answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `disclose check`: manifests and policies of two versions.
    Check,
    /// `disclose diff`: two versions of one policy.
    Diff,
}

impl Report {
    /// How many findings (not acknowledged) have this level.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level && f.acknowledged.is_none()).count()
    }

    /// Whether any finding at or above the threshold is not acknowledged.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.acknowledged.is_none() && self.fail_on.fails(f.level))
    }
}
