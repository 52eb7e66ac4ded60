//! Baselines: adopting disclose on an app that already has findings. `check --write-baseline
//! FILE` records the run's findings by fingerprint (rule, file, category and subject: never a
//! line number, so edits above a finding keep it matched); `check --baseline FILE` then reports
//! only findings the file does not hold, and lists the entries that no longer occur, so the
//! file shrinks as the debt is paid.
//!
//! A baseline is part of the change under review like `disclose.yaml`: in a git run it is read
//! from both versions, and an entry only the new version's file holds does not count yet (the
//! finding it would hide keeps failing, and says why). Pure: text in, findings out.

use serde::{Deserialize, Serialize};

use std::path::PathBuf;

use crate::model::error::Error;
use crate::model::finding::Finding;
use crate::model::source::Source;
use crate::run::read::read_path;
use crate::run::version::Version;

/// The format version written and read.
const VERSION: u32 = 1;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// What matches: the finding's fingerprint.
    pub fingerprint: String,
    /// The rule, for people reading the file.
    pub rule: String,
    /// The file the finding points at.
    pub path: String,
    /// The category, when the finding has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The permission, key or practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The message when it was recorded.
    pub message: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// The baseline file for a run's findings: every finding not acknowledged, sorted, one per
/// fingerprint, as pretty JSON.
pub fn write(findings: &[Finding]) -> String {
    let mut entries: Vec<Entry> = findings
        .iter()
        .filter(|f| f.acknowledged.is_none())
        .map(|f| Entry {
            fingerprint: f.fingerprint.clone(),
            rule: f.rule.to_string(),
            path: f.primary.path.clone(),
            category: f.category.clone(),
            subject: f.subject.clone(),
            message: f.message.clone(),
        })
        .collect();
    entries
        .sort_by(|a, b| (&a.path, &a.rule, &a.category, &a.subject).cmp(&(&b.path, &b.rule, &b.category, &b.subject)));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let mut text = crate::model::escape::to_json(&File { version: VERSION, findings: entries }).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a baseline file; `label` names it in errors.
pub fn parse(label: &str, text: &str) -> Result<Vec<Entry>, Error> {
    let file: File = serde_json::from_str(text).map_err(|e| {
        Error::parse_at(label, e.line().max(1), e.column().max(1), format!("not a disclose baseline: {e}"))
            .with_help("write one with `disclose check --write-baseline FILE`")
    })?;
    if file.version != VERSION {
        return Err(Error::parse(label, format!("baseline version {} is not {VERSION}", file.version))
            .with_help("write it again with this disclose: `disclose check --write-baseline FILE`"));
    }
    Ok(file.findings)
}

/// What a baseline did to a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The file, as the user named it.
    pub path: String,
    /// Findings it held, left out of the report.
    pub matched: usize,
    /// Entries no finding matched any more: they can be removed from the file.
    pub stale: Vec<Entry>,
    /// Entries the change itself adds (a git run): they count once on the base version.
    pub pending: Vec<Entry>,
}

/// Leaves out of `findings` every one that `entries` holds; a finding that only `pending`
/// holds (an entry the change adds) stays, its help saying why.
pub fn apply(findings: &mut Vec<Finding>, path: &str, entries: &[Entry], pending: &[Entry]) -> Applied {
    use std::collections::HashSet;
    let prints = |entries: &[Entry]| entries.iter().map(|e| e.fingerprint.clone()).collect::<HashSet<String>>();
    let (held, pending_prints) = (prints(entries), prints(pending));
    let found: HashSet<&str> = findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let stale = entries.iter().filter(|e| !found.contains(e.fingerprint.as_str())).cloned().collect();
    let before = findings.len();
    findings.retain(|f| !held.contains(&f.fingerprint));
    for f in findings.iter_mut().filter(|f| pending_prints.contains(&f.fingerprint)) {
        f.help = format!(
            "{path} records this finding only in the change under review, and a baseline entry counts once it is on the base version: fix the finding, or land the entry in a change of its own; or {}",
            f.help
        );
    }
    Applied { path: path.to_string(), matched: before - findings.len(), stale, pending: pending.to_vec() }
}

/// Where `--baseline` is read from.
pub enum BaselineInput {
    /// A file on disk, outside the versions (two folders): it applies whole.
    Disk(PathBuf),
    /// A repository path, read from both versions.
    InVersions(String),
}

/// Leaves out the findings a baseline holds: a file on disk applies whole; a repository path
/// is read from both versions, and what only the new version's file adds counts once it is on
/// the base version.
pub fn apply_baseline(
    findings: &mut Vec<crate::model::finding::Finding>,
    input: BaselineInput,
    old: &dyn Version,
    new: &dyn Version,
    max: u64,
) -> Result<crate::run::baseline::Applied, Error> {
    let parse = |label: &str, bytes: &[u8]| -> Result<Vec<crate::run::baseline::Entry>, Error> {
        crate::run::baseline::parse(label, &Source::decode(label, bytes)?.text)
    };
    match input {
        BaselineInput::Disk(path) => {
            let label = path.display().to_string();
            let entries = parse(&label, &read_path(&path, &label, max)?)?;
            Ok(crate::run::baseline::apply(findings, &label, &entries, &[]))
        }
        BaselineInput::InVersions(path) => {
            let (was, is) = (old.read(&path).ok(), new.read(&path).ok());
            if was.is_none() && is.is_none() {
                return Err(Error::Usage {
                    message: format!("no baseline `{path}` in either version"),
                    help: Some("write one with `disclose check --write-baseline FILE` and commit it".into()),
                });
            }
            let entries = was.map(|b| parse(&old.show(&path), &b)).transpose()?.unwrap_or_default();
            let now = is.map(|b| parse(&new.show(&path), &b)).transpose()?.unwrap_or_default();
            let known: std::collections::HashSet<&str> = entries.iter().map(|e| e.fingerprint.as_str()).collect();
            let pending: Vec<_> = now.into_iter().filter(|e| !known.contains(e.fingerprint.as_str())).collect();
            Ok(crate::run::baseline::apply(findings, &path, &entries, &pending))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::Level;
    use crate::model::source::Source;

    fn finding(rule: &'static str, category: &str, line: usize) -> Finding {
        let text = "x\n".repeat(line);
        let source = Source::new("app/AndroidManifest.xml", text);
        Finding {
            rule,
            level: Level::Warning,
            category: Some(category.into()),
            subject: Some("android.permission.CAMERA".into()),
            primary: source.location(2 * (line - 1), 2 * (line - 1) + 1),
            related: Vec::new(),
            policy: None,
            evidence: Vec::new(),
            message: format!("{category} is not disclosed"),
            help: "disclose it".into(),
            acknowledged: None,
            fingerprint: crate::model::finding::fingerprint(&[
                rule,
                "app/AndroidManifest.xml",
                category,
                "android.permission.CAMERA",
            ]),
        }
    }

    #[test]
    fn a_written_baseline_reads_back_and_holds_its_findings_wherever_their_line_moves() {
        let text =
            write(&[finding("undisclosed-existing", "camera", 3), finding("undisclosed-existing", "contacts", 4)]);
        let entries = parse("baseline.json", &text).unwrap();
        assert_eq!(entries.len(), 2);
        // The camera finding moved down ten lines; contacts is gone; health is new.
        let mut now = vec![finding("undisclosed-existing", "camera", 13), finding("undisclosed-existing", "health", 5)];
        let applied = apply(&mut now, "baseline.json", &entries, &[]);
        assert_eq!(applied.matched, 1);
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].category.as_deref(), Some("health"));
        assert_eq!(applied.stale.len(), 1);
        assert_eq!(applied.stale[0].category.as_deref(), Some("contacts"));
    }

    #[test]
    fn an_entry_the_change_adds_does_not_hide_its_finding() {
        let pending = parse("b.json", &write(&[finding("undisclosed-collection", "location", 3)])).unwrap();
        let mut now = vec![finding("undisclosed-collection", "location", 3)];
        let applied = apply(&mut now, "b.json", &[], &pending);
        assert_eq!((applied.matched, now.len()), (0, 1));
        assert!(
            now[0].help.starts_with("b.json records this finding only in the change under review"),
            "{}",
            now[0].help
        );
    }

    #[test]
    fn malformed_baselines_are_errors_at_their_line() {
        let e = parse("b.json", "{\n  \"version\": 1,\n  \"findings\": [\n    {\"rule\": 3}\n  ]\n}\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("b.json:4:"), "{e}");
        let e = parse("b.json", "{\"version\": 9, \"findings\": []}").unwrap_err().to_string();
        assert!(e.contains("baseline version 9"), "{e}");
    }
}
